/**
 * One's own comparisons: several optimizers from one start on one function,
 * drawn as a contour plot, a 3-D surface or loss curves, written as SVG, PNG
 * or (animated) GIF by the output's extension. Backs `optimlab compare` and
 * `optimlab plot SPEC.json`.
 */
import type { Backend } from "../backend.js";
import { check, checkKnownKeys, isFieldError, rangeError, typeError, under, withField } from "../errors.js";
import { maxOf } from "../extrema.js";
import { createFunction, functionTitle, type FunctionName, type FunctionSpec, type TestFunction } from "../functions/index.js";
import { resolveOptimizer } from "../optim/index.js";
import { checkOutputFile, writeOutputFile } from "../output.js";
import { loadRaster, svgFramesToGif, svgToPng } from "../plot/export.js";
import { contourPlot, lineChart, runStyle, surfacePlot } from "../plot/index.js";
import { normalizeSpec, type NormalizedSpec, type RunResult, type RunSpec } from "../run.js";
import { axesFor, minus } from "./figures.js";

export type View = "contour" | "surface" | "loss";

/** A comparison, as `optimlab plot` reads it from JSON. */
export interface ComparisonSpec {
  function: FunctionSpec;
  /** Each `{ name, ...options }`, optionally with its own `label`, `color` and `scheduler`. */
  optimizers: { name: string; label?: string; color?: string; scheduler?: Record<string, unknown>; [option: string]: unknown }[];
  x0?: number[];
  steps: number;
  dtype?: "f32" | "f64";
  view?: View;
  /** Plotting window; default the function's, grown to include the start. */
  window?: { x: [number, number]; y: [number, number] };
  title?: string;
  out: string;
}

const KEYS = ["function", "optimizers", "x0", "steps", "dtype", "view", "window", "title", "out"] as const;

/** Checks a comparison spec; errors name the field. */
export function normalizeComparison(raw: unknown): ComparisonSpec {
  const s = check.object("", raw);
  checkKnownKeys(s, KEYS, "a comparison");
  if (s.function === undefined) throw rangeError("function", "is required: a function name or {name, ...params}");
  const optimizers = check.array("optimizers", s.optimizers);
  if (optimizers.length === 0) throw rangeError("optimizers", "must name at least one optimizer");
  optimizers.forEach((o, i) =>
    under(`optimizers[${i}]`, () => {
      const e = check.object("", o);
      if (e.label !== undefined && typeof e.label !== "string") throw typeError("label", `must be text; got ${JSON.stringify(e.label)}`);
      // Written into SVG attributes: only colour literals, never markup.
      if (e.color !== undefined && !(typeof e.color === "string" && /^(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20})$/i.test(e.color))) {
        throw rangeError("color", `must be a colour such as "#0072B2" or "teal"; got ${JSON.stringify(e.color)}`);
      }
    }),
  );
  if (s.steps === undefined) throw rangeError("steps", "is required: an integer ≥ 0");
  const out =
    typeof s.out === "string" && s.out
      ? s.out
      : (() => {
          throw typeError("out", "must be a file name ending in .svg, .png or .gif");
        })();
  if (!/\.(svg|png|gif)$/i.test(out)) throw rangeError("out", `must end in .svg, .png or .gif; got ${JSON.stringify(out)}`);
  const view = s.view === undefined ? undefined : check.oneOf("view", s.view, ["contour", "surface", "loss"] as const);
  let window: ComparisonSpec["window"];
  if (s.window !== undefined) {
    const w = check.object("window", s.window);
    const pair = (k: "x" | "y") => {
      const a = check.array(`window.${k}`, w[k]);
      if (a.length !== 2) throw rangeError(`window.${k}`, "must be [min, max]");
      const lo = check.finite(`window.${k}[0]`, a[0]),
        hi = check.finite(`window.${k}[1]`, a[1]);
      if (!(hi > lo)) throw rangeError(`window.${k}`, `must have min < max; got [${lo}, ${hi}]`);
      return [lo, hi] as [number, number];
    };
    window = { x: pair("x"), y: pair("y") };
  }
  return { ...(s as unknown as ComparisonSpec), optimizers: optimizers as ComparisonSpec["optimizers"], out, view, window, steps: s.steps as number };
}

/** The run specs of a comparison (validated by the caller's backend). */
export function comparisonRuns(c: ComparisonSpec): RunSpec[] {
  return c.optimizers.map((o) => {
    const { label: _label, color: _color, scheduler, ...optimizer } = o;
    return {
      function: c.function,
      optimizer: optimizer as RunSpec["optimizer"],
      ...(scheduler ? { scheduler: scheduler as RunSpec["scheduler"] } : {}),
      ...(c.x0 ? { x0: c.x0 } : {}),
      steps: c.steps,
      dtype: c.dtype ?? "f64",
    };
  });
}

type Entry = ComparisonSpec["optimizers"][number];

function showValue(v: unknown): string {
  return Array.isArray(v) ? v.join("/") : String(v);
}

/** Every option of an entry's optimizer, defaults filled (aliases resolved). */
function resolvedOptions(o: Entry): Record<string, unknown> {
  const { name, label: _l, color: _c, scheduler: _s, ...given } = o;
  const r = resolveOptimizer(name, given);
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(r.def.schema as Record<string, { default: unknown }>)) out[k] = spec.default;
  return { ...out, ...r.options };
}

/**
 * Legend labels that say what differs: each run's name with the options it
 * was given whose value is not the same in every run of the figure (a
 * default counts as its value), and its scheduler. Options every run shares
 * are returned once, for the title.
 */
export function comparisonLabels(optimizers: readonly Entry[]): { labels: string[]; shared: string } {
  const resolved = optimizers.map(resolvedOptions);
  const sameEverywhere = (k: string, v: unknown) => resolved.every((r) => k in r && JSON.stringify(r[k]) === JSON.stringify(v));
  const shared = new Map<string, string>();
  const labels = optimizers.map((o) => {
    if (o.label) return o.label;
    const given = Object.entries(o).filter(([k]) => !["name", "label", "color", "scheduler"].includes(k));
    const differ: string[] = [];
    for (const [k, v] of given) {
      if (optimizers.length > 1 && sameEverywhere(k, v)) shared.set(k, `${k}=${showValue(v)}`);
      else differ.push(`${k}=${showValue(v)}`);
    }
    const sched = o.scheduler ? ` + ${String((o.scheduler as { name?: unknown }).name)}` : "";
    return `${o.name}${differ.length ? " " + differ.join(" ") : ""}${sched}`;
  });
  // Runs still alike (the same optimizer given twice) are numbered.
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  const seen = new Map<string, number>();
  const unique = labels.map((l) => {
    if (count.get(l)! < 2) return l;
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return `${l} (${k})`;
  });
  return { labels: unique, shared: [...shared.values()].join(" ") };
}

/** The function's parameters that differ from its defaults, as "b = 10" (quadratic: its weights). */
export function functionParamsText(fn: TestFunction): string {
  // A formula's parameters are its compiled form; its title is its text (functionTitle).
  if (fn.expr !== undefined) return "";
  const defaults = createFunction(fn.name as FunctionName, fn.dim).params;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fn.params)) {
    if (JSON.stringify(v) === JSON.stringify(defaults[k])) continue;
    parts.push(`${k} = ${Array.isArray(v) ? `(${v.map((x) => minus(x)).join(", ")})` : minus(v)}`);
  }
  return parts.join(", ");
}

/** How a comparison's figure is written. */
export interface WriteComparisonOptions {
  /** How errors name the output (`--out` for compare, `out` for a spec file's field). */
  option?: string;
}

/** Runs the comparison and writes its figure; returns the results and what was written. */
export async function writeComparison(
  backend: Backend,
  c: ComparisonSpec,
  wo: WriteComparisonOptions = {},
): Promise<{ results: RunResult[]; file: string; frames: number }> {
  const option = wo.option ?? "--out";
  const gif = /\.gif$/i.test(c.out);
  const png = /\.png$/i.test(c.out);
  // Before the runs: a bad path or a missing PNG renderer fails at once.
  checkOutputFile(c.out, option);
  if (gif || png) await loadRaster(`${gif ? "GIF" : "PNG"} output (${option} ${c.out})`);
  const { results, draw, longest } = comparisonFigure(backend, c);
  if (gif) {
    const count = Math.min(60, longest);
    const frames = Array.from({ length: count }, (_v, k) => draw(Math.max(1, Math.round(((k + 1) / count) * longest))));
    writeOutputFile(c.out, svgFramesToGif(frames, { delayMs: 80 }), option);
    return { results, file: c.out, frames: count };
  }
  const svg = draw(longest);
  writeOutputFile(c.out, png ? svgToPng(svg) : svg, option);
  return { results, file: c.out, frames: 1 };
}

/**
 * Runs a comparison (its `out` is not used) and returns the results and its
 * figure: `draw(upTo)` is the SVG of the first `upTo` points of every run,
 * `draw(longest)` the whole race.
 */
export function comparisonFigure(backend: Backend, c: Omit<ComparisonSpec, "out">): { results: RunResult[]; draw: (upTo: number) => string; longest: number } {
  const specs = comparisonRuns(c as ComparisonSpec).map((spec, i) => checkRun(spec, i));
  const results = backend.runMany(specs);
  const fn = backend.createFunction(c.function, results[0].x[0].length);
  const view: View = c.view ?? (fn.dim === 2 ? "contour" : "loss");
  if (view !== "loss" && fn.dim !== 2) throw rangeError("view", `${view} needs a 2-D function; ${functionTitle(fn)} here is ${fn.dim}-D (use "loss")`);
  const x0 = results[0].x[0];
  const window = c.window ?? grow(fn.domain, x0);
  const { labels, shared } = comparisonLabels(c.optimizers);
  const given = c.optimizers.flatMap((o) => (o.color ? [o.color] : []));
  let auto = 0;
  const styles = c.optimizers.map((o) => (o.color ? { color: o.color, dashed: undefined } : runStyle(auto++, given)));
  const params = functionParamsText(fn);
  const title =
    c.title ??
    `${functionTitle(fn)}${params ? ` (${params})` : ""} from (${x0.map((v) => minus(+v.toPrecision(4))).join(", ")}), ${c.steps} steps${shared ? `; all: ${shared}` : ""}`;
  const n = 181;
  const values = view === "loss" ? new Float64Array(0) : backend.grid(fn, window.x, window.y, n, n);
  const axes =
    fn.name === "cubic" ? { xLabel: "x₀", yLabel: "x₁" } : fn.expr !== undefined && !/\bx[1-9]/.test(fn.expr) ? { xLabel: "x", yLabel: "y" } : axesFor("");
  const draw = (upTo: number): string => {
    if (view === "loss") {
      const positive = results.every((r) => r.loss.every((f) => !(f <= 0)));
      return lineChart({
        title,
        xLabel: "step",
        yLabel: "loss",
        logY: positive,
        series: results.map((r, i) => ({ label: labels[i], x: r.loss.slice(0, upTo).map((_f, t) => t), y: r.loss.slice(0, upTo), ...styles[i] })),
      });
    }
    const trajectories = results.map((r, i) => ({ label: labels[i], points: r.x.slice(0, upTo), values: r.loss.slice(0, upTo), ...styles[i] }));
    const minima = fn.minima.filter((m) => m.x.length === 2).map((m) => ({ x: m.x[0], y: m.x[1] }));
    const grid = { x: window.x, y: window.y, values, nx: n, ny: n };
    if (view === "surface") {
      return surfacePlot({
        ...grid,
        ...axes,
        zLabel: "f",
        title,
        minima,
        upTo,
        trajectories: results.map((r, i) => ({ ...trajectories[i], points: r.x, z: r.loss })),
      });
    }
    return contourPlot({ ...grid, ...axes, title, minima, pointName: "step", trajectories });
  };
  return { results, draw, longest: maxOf(results, (r) => r.x.length) };
}

/**
 * Validates run i, naming fields as the comparison spec writes them:
 * `optimizers[1].lr`, `optimizers[0].scheduler.gamma`, or `x0`, `steps` at the top.
 */
function checkRun(spec: RunSpec, i: number): NormalizedSpec {
  try {
    return normalizeSpec(spec);
  } catch (e) {
    if (!isFieldError(e)) throw e;
    if (e.field.startsWith("optimizer.")) throw withField(e, `optimizers[${i}].${e.field.slice("optimizer.".length)}`);
    if (e.field.startsWith("scheduler")) throw withField(e, `optimizers[${i}].${e.field}`);
    throw e;
  }
}

/** The function's window, grown (with a margin) to include the start point. */
function grow(d: { x: [number, number]; y: [number, number] }, x0: number[]): { x: [number, number]; y: [number, number] } {
  const span = (lo: number, hi: number, v: number): [number, number] => {
    if (v >= lo && v <= hi) return [lo, hi];
    const m = 0.1 * (hi - lo);
    return [Math.min(lo, v - m), Math.max(hi, v + m)];
  };
  return { x: span(d.x[0], d.x[1], x0[0]), y: span(d.y[0], d.y[1], x0[1]) };
}

/**
 * Parses `--function`: `expr:FORMULA` is a formula, the text after `expr:`
 * taken verbatim (no splitting on `,` `:` `/`); otherwise the optimizers'
 * syntax `name[:param=value…]`.
 */
export function parseFunctionOption(text: string): FunctionSpec {
  if (text.startsWith("expr:")) return { expr: text.slice("expr:".length) };
  return text.includes(":") ? (parseOptimizerList(text)[0] as FunctionSpec) : (text as FunctionSpec);
}

/**
 * Parses `--optimizers`: comma-separated `name[:option=value]…`, e.g.
 * `sgd:lr=0.001,adam:lr=0.01:betas=0.9/0.99`. Values are numbers, true/false,
 * `a/b` arrays of numbers, or words (epsMode=inside).
 */
export function parseOptimizerList(text: string): ComparisonSpec["optimizers"] {
  const items = text.split(",").map((t) => t.trim());
  if (items.some((t) => !t)) throw rangeError("--optimizers", `has an empty item in ${JSON.stringify(text)}; write e.g. sgd:lr=0.001,adam:lr=0.01`);
  return items.map((item, i) => {
    const [name, ...opts] = item.split(":");
    const o: ComparisonSpec["optimizers"][number] = { name };
    for (const kv of opts) {
      const eq = kv.indexOf("=");
      if (eq <= 0) throw rangeError(`--optimizers[${i}]`, `option ${JSON.stringify(kv)} must be key=value`);
      o[kv.slice(0, eq)] = parseValue(kv.slice(eq + 1));
    }
    return o;
  });
}

function parseValue(v: string): unknown {
  if (v === "true") return true;
  if (v === "false") return false;
  if (v.includes("/")) return v.split("/").map((x) => (x.trim() === "" ? NaN : Number(x)));
  const n = Number(v);
  return v.trim() !== "" && Number.isFinite(n) ? n : v;
}

/** Parses `--start -1.5,2` into numbers. */
export function parsePoint(field: string, text: string): number[] {
  const parts = text.split(",").map((s) => Number(s.trim()));
  if (!parts.length || parts.some((p, i) => !Number.isFinite(p) || text.split(",")[i].trim() === "")) {
    throw rangeError(field, `must be comma-separated numbers such as -1.5,2; got ${JSON.stringify(text)}`);
  }
  return parts;
}
