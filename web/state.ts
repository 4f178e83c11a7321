/**
 * The lab's whole state and its URL-hash form.
 *
 * The hash reads like the CLI's `compare` arguments:
 *   #f=quadratic:weights=0.2/2&x0=3,4&steps=60&tol=1e-9&patience=5&dtype=f32
 *    &backend=wasm&o=adam:lr=0.2:betas=0.9/0.99,sgd:lr=0.1
 *    &s=cosineAnnealingLR:tMax=60,-&view=contour&t=20&sweep=0:beta1:24:loss:hyper:0.0001
 * `f` is `name[:param=value]…`; a formula replaces it by `expr` (the text,
 * percent-encoded once with encodeURIComponent and decoded once), with
 * optional `m` (its minima, `x,y;x,y`) and `dom` (its window,
 * `x0,x1,y0,y1`). `o` a comma-separated list of
 * `name[:option=value]…` (arrays as `a/b`), `s` one scheduler per optimizer
 * (`-`: none; the stages of sequentialLR and chainedScheduler `name;option=value…` joined by `+` in
 * `schedulers=`), `t` the shown step (absent: the last), `sweep`
 * `optimizer:y:cells:metric:kind:ε`. Only options that were set are
 * written; the library's defaults fill the rest.
 *
 * Parsing never evaluates text: every field is split by fixed separators,
 * numbers must match a decimal literal, and each value is validated by the
 * library itself (createFunction, createOptimizer, the option schemas). A bad
 * field is dropped (its default is used) and reported in `errors`.
 */
import {
  createFunction,
  createOptimizer,
  functionNames,
  normalizeSpec,
  optimizerNames,
  resolveOptimizer,
  schedulerDefaults,
  schedulerNames,
  schedulerOptionNames,
  schedulerSchemas,
  type FunctionName,
  type OptionSpec,
  type FunctionSpec,
  type OptimizerName,
  type RunSpec,
  type SchedulerName,
  type SchedulerSpec,
} from "optimlab";

/** An optimizer option's value as the lab holds it: a number, a flag, a choice, a tuple (betas, etas…) or null (an option's "none"). */
export type OptionValue = number | boolean | string | number[] | null;
export type Options = Record<string, OptionValue>;

export type SchedulerValue = number | boolean | string | number[];

/** A scheduler of one optimizer; `sequentialLR` and `chainedScheduler` keep their stages in `children` (sequentialLR its milestones in `options`). */
export interface SchedulerEntry {
  name: SchedulerName;
  /** Options the user set plus the required ones (the library's defaults fill the others). */
  options: Record<string, SchedulerValue>;
  children?: SchedulerEntry[];
}

export interface OptimizerEntry {
  name: OptimizerName;
  /** Options the user set (the library's defaults fill the others). */
  options: Options;
  scheduler?: SchedulerEntry;
}

export type SweepY = "beta1" | "momentum" | "alpha" | "rho";
export const SWEEP_YS: readonly SweepY[] = ["beta1", "momentum", "alpha", "rho"];
/** What a sweep maps: lr × a β-like option, or start points (basins of attraction). */
export type SweepKind = "hyper" | "basins";
/** What a hyperparameter sweep colours: final loss, or steps until f − f* ≤ ε. */
export type SweepMetric = "loss" | "steps";
export const SWEEP_EPS = [1e-2, 1e-4, 1e-6] as const;

/** A typed formula with what the lab lets one say about it (see FormulaSpec). */
export interface LabFormula {
  expr: string;
  /** Known minima (drawn, used by steps-to-converge and the basins map); empty when none are given. */
  minima: [number, number][];
  /** The plotting window; undefined: the library's default ([−4, 4]², grown to include the start). */
  domain?: { x: [number, number]; y: [number, number] };
}

/** What the formula box holds when "formula" is first picked. */
export const DEFAULT_FORMULA = "sin(x)*cos(y) + (x^2 + y^2)/10";

export interface LabState {
  /** A built-in with its parameters, or `name: "expr"` with `formula` (params then empty). */
  fn: { name: FunctionName | "expr"; params: Record<string, number | number[]>; formula?: LabFormula };
  x0: [number, number];
  steps: number;
  /** Early stopping (the library's tol/patience): stop after `patience` steps with |Δloss| < tol. */
  tol: number | undefined;
  patience: number | undefined;
  dtype: "f32" | "f64";
  backend: "wasm" | "js";
  optimizers: OptimizerEntry[];
  view: "contour" | "surface";
  /** The step shown; undefined: the last one. */
  frame: number | undefined;
  sweep: { target: number; y: SweepY; n: number; metric: SweepMetric; kind: SweepKind; eps: number };
}

export const MAX_STEPS = 5000;
export const MAX_OPTIMIZERS = 8;
export const SWEEP_SIZES = [8, 12, 16, 24, 32, 48] as const;

/**
 * Learning rates that move visibly in a few hundred steps on the lab's 2-D
 * functions (the library's defaults are PyTorch's, made for networks); an
 * optimizer not listed starts at its library default.
 */
const LAB_LR_CHOSEN: Readonly<Partial<Record<OptimizerName, number>>> = {
  sgd: 0.01, momentum: 0.01, nesterov: 0.01, adagrad: 0.5, rmsprop: 0.05, adadelta: 1,
  adam: 0.1, adamw: 0.1, adamax: 0.1, nadam: 0.1, radam: 0.1,
  rprop: 0.01, asgd: 0.01, lion: 0.01, adabelief: 0.1, adan: 0.1, adopt: 0.1, sfsgd: 0.05, sfadamw: 0.05,
};

/** The lr a newly picked optimizer starts with. */
export function labLr(name: OptimizerName): number {
  return LAB_LR_CHOSEN[name] ?? (optionDefaults(name).lr as number);
}

export function defaultState(): LabState {
  return {
    fn: { name: "rosenbrock", params: {} },
    x0: [-1.2, 1],
    steps: 300,
    tol: undefined,
    patience: undefined,
    dtype: "f32",
    backend: "wasm",
    optimizers: [
      { name: "sgd", options: { lr: 0.001 } },
      { name: "momentum", options: { lr: 0.001 } },
      { name: "rmsprop", options: { lr: 0.01 } },
      { name: "adam", options: { lr: 0.05 } },
    ],
    view: "contour",
    frame: undefined,
    sweep: { target: 3, y: "beta1", n: 16, metric: "loss", kind: "hyper", eps: 1e-4 },
  };
}

/** The option schema (defaults) of an optimizer name, aliases resolved. */
export function optionDefaults(name: OptimizerName): Record<string, OptionValue> {
  const { def, options } = resolveOptimizer(name, {});
  const out: Record<string, OptionValue> = {};
  for (const [k, spec] of Object.entries(def.schema as Record<string, { default: unknown }>)) {
    const v = k in options ? options[k] : spec.default;
    out[k] = (Array.isArray(v) ? v.slice() : v) as OptionValue;
  }
  return out;
}

/** An optimizer's options in its schema's order (so equal settings give the same link). */
export function inSchemaOrder(name: OptimizerName, options: Options): Options {
  const order = Object.keys(optionDefaults(name));
  return Object.fromEntries(order.filter((k) => k in options).map((k) => [k, options[k]]));
}

/** The schema's kind of an optimizer option (what the editor shows and the link parses). */
export function optionKind(name: OptimizerName, option: string): OptionSpec<unknown>["kind"] | undefined {
  const { def } = resolveOptimizer(name, {});
  return (def.schema as Record<string, OptionSpec<unknown> | undefined>)[option]?.kind;
}

/** Allowed values of a string option, from the optimizer's schema. */
export function allowedStrings(name: OptimizerName, option: string): string[] {
  const { def } = resolveOptimizer(name, {});
  const kind = (def.schema as Record<string, OptionSpec<unknown> | undefined>)[option]?.kind;
  return kind?.type === "choice" ? [...kind.values] : [];
}

/** Which sweep y-parameters an optimizer has. */
export function sweepYs(name: OptimizerName): SweepY[] {
  const d = optionDefaults(name);
  return SWEEP_YS.filter((y) => (y === "beta1" ? "betas" in d : y in d));
}

/** Full, validated options (defaults filled) — throws the library's field error. */
export function checkOptimizer(e: OptimizerEntry): void {
  createOptimizer(e.name, [{ data: new Float64Array(2), grad: new Float64Array(2) }], { ...e.options });
}

/** A RunSpec's `function` field of the state. */
export function functionSpec(s: LabState): FunctionSpec {
  const f = s.fn.formula;
  if (s.fn.name === "expr" && f) {
    return {
      expr: f.expr,
      ...(f.minima.length ? { minima: f.minima.map((x) => ({ x: [x[0], x[1]] })) } : {}),
      ...(f.domain ? { domain: { x: [...f.domain.x], y: [...f.domain.y] } } : {}),
    };
  }
  return { name: s.fn.name as FunctionName, ...s.fn.params };
}

/** A formula's minima as typed: `x,y; x,y` (empty: none). Throws `m: …` for anything else. */
export function parseMinima(text: string): [number, number][] {
  if (text.trim() === "") return [];
  return text.split(";").map((p, i) => {
    const xy = p.split(",").map((t) => t.trim());
    if (xy.length !== 2) throw new Error(`m[${i}]: must be a point x,y; got ${JSON.stringify(p.trim())}`);
    return [parseNumber(`m[${i}].x`, xy[0]), parseNumber(`m[${i}].y`, xy[1])];
  });
}

/** A formula's window as typed: `x0,x1,y0,y1` (empty: the default). Throws `dom: …` for anything else. */
export function parseDomain(text: string): LabFormula["domain"] {
  if (text.trim() === "") return undefined;
  const v = text.split(",").map((t) => t.trim());
  if (v.length !== 4) throw new Error(`dom: must be four numbers x0,x1,y0,y1; got ${JSON.stringify(text)}`);
  const [x0, x1, y0, y1] = v.map((t, i) => parseNumber(`dom[${i}]`, t));
  if (!(x1 > x0 && y1 > y0)) throw new Error(`dom: needs x0 < x1 and y0 < y1; got ${text}`);
  return { x: [x0, x1], y: [y0, y1] };
}

/** The minima and window of a formula as the lab writes them (and the link holds them). */
export const minimaText = (m: readonly [number, number][]): string => m.map((p) => `${p[0]},${p[1]}`).join(";");
export const domainText = (d: LabFormula["domain"]): string => (d ? `${d.x[0]},${d.x[1]},${d.y[0]},${d.y[1]}` : "");

/**
 * Checks a formula as the lab draws it (2-D, the library's validation):
 * undefined, or the message and 1-based column to mark (undefined column:
 * the fault is not at one place, e.g. "x1 + x3" is 3-D).
 */
export function formulaFault(f: LabFormula): { message: string; column: number | undefined } | undefined {
  try {
    createFunction({ expr: f.expr, ...(f.minima.length ? { minima: f.minima.map((x) => ({ x: [...x] })) } : {}), ...(f.domain ? { domain: f.domain } : {}) }, 2);
    return undefined;
  } catch (err) {
    const e = err as Error & { field?: string; column?: number };
    const message = e.field === "dim" ? "the lab draws 2-D functions: use x and y (or x1 and x2)" : e.message;
    return { message, column: e.column };
  }
}

// ---------------------------------------------------------------- schedulers

/** Which control (and which hash syntax) a scheduler option takes, from its schema; the library validates the values. */
export type SchedulerOptionKind = "number" | "integer" | "list" | "boolean" | "stages" | readonly string[];
export function schedulerOptionKind(name: SchedulerName, key: string): SchedulerOptionKind {
  const k = schedulerSchemas[name][key].kind;
  switch (k.type) {
    case "number":
      return k.integer ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "choice":
      return k.values;
    case "numbers":
      return "list";
    case "schedulers":
      return "stages";
  }
  return "number";
}

/** Whether a scheduler holds other schedulers (sequentialLR, chainedScheduler): the lab edits them as stages. */
export function hasStages(name: SchedulerName): boolean {
  return Object.values(schedulerSchemas[name]).some((o: OptionSpec<unknown>) => o.kind.type === "schedulers");
}

/** Whether an option may be left out although it has no default (oneCycleLR's totalSteps / epochs alternatives). */
export function schedulerOptionOptional(name: SchedulerName, key: string): boolean {
  return schedulerSchemas[name][key].optional === true;
}

/** Schedulers the lab offers as stages: not reduceLROnPlateau (it needs the loss), not another scheduler of stages. */
export const CHILD_SCHEDULERS = schedulerNames.filter((n) => n !== "reduceLROnPlateau" && !hasStages(n));

/**
 * A scheduler as first picked: the library's defaults plus values for its
 * required options that suit a race of `steps` steps at learning rate `lr`
 * with `optimizer`.
 */
export function newScheduler(name: SchedulerName, steps: number, lr: number, optimizer: OptimizerName): SchedulerEntry {
  const q = (f: number) => Math.max(1, Math.round(steps * f));
  switch (name) {
    case "stepLR": return { name, options: { stepSize: q(1 / 3), gamma: 0.5 } };
    case "multiStepLR": return { name, options: { milestones: [q(1 / 2), q(3 / 4)], gamma: 0.3 } };
    case "exponentialLR": return { name, options: { gamma: Number((0.01 ** (1 / Math.max(1, steps))).toFixed(4)) } };
    case "cosineAnnealingLR": return { name, options: { tMax: steps } };
    case "linearLR": return { name, options: { startFactor: 0.1, totalIters: q(0.1) } };
    case "oneCycleLR": {
      // Cycling momentum needs a momentum or betas to cycle (torch refuses it otherwise).
      const d = optionDefaults(optimizer);
      return { name, options: { maxLr: lr, totalSteps: steps, ...("momentum" in d || "betas" in d ? {} : { cycleMomentum: false }) } };
    }
    case "reduceLROnPlateau": return { name, options: { factor: 0.5, patience: 10 } };
    case "constantLR": return { name, options: { factor: 0.5, totalIters: q(0.2) } };
    case "polynomialLR": return { name, options: { totalIters: steps, power: 2 } };
    case "cosineAnnealingWarmRestarts": return { name, options: { tZero: q(1 / 4) } };
    case "cyclicLR": {
      // cyclicLR sets the lr itself, from baseLr up to maxLr; cycling momentum needs one to cycle, as for oneCycleLR.
      const d = optionDefaults(optimizer);
      return { name, options: { baseLr: Number((lr / 10).toPrecision(3)), maxLr: lr, stepSizeUp: q(1 / 8), ...("momentum" in d || "betas" in d ? {} : { cycleMomentum: false }) } };
    }
    case "chainedScheduler":
      return { name, options: {}, children: [{ name: "linearLR", options: { startFactor: 0.1, totalIters: q(0.1) } }, { name: "exponentialLR", options: { gamma: 0.995 } }] };
    case "sequentialLR": {
      const m = q(0.1);
      return {
        name,
        options: { milestones: [m] },
        children: [
          { name: "linearLR", options: { startFactor: 0.1, totalIters: m } },
          { name: "cosineAnnealingLR", options: { tMax: Math.max(1, steps - m) } },
        ],
      };
    }
  }
}

/**
 * The optimizers with their schedules stretched to a new race length: a
 * length that spanned the whole race (tMax or totalSteps equal to the old
 * steps, or to the last sequentialLR stage's share) spans the new one.
 * Lengths the user set to something else are left alone.
 */
export function followSteps(optimizers: OptimizerEntry[], oldSteps: number, steps: number): OptimizerEntry[] {
  const stretch = (e: SchedulerEntry, span: number, to: number): SchedulerEntry => {
    const options = { ...e.options };
    for (const k of ["tMax", "totalSteps"]) if (options[k] === span && to >= 1) options[k] = to;
    return { ...e, options };
  };
  return optimizers.map((o) => {
    const sc = o.scheduler;
    if (!sc) return o;
    if (sc.name === "chainedScheduler") return { ...o, scheduler: { ...sc, children: (sc.children ?? []).map((c) => stretch(c, oldSteps, steps)) } };
    if (sc.name !== "sequentialLR") return { ...o, scheduler: stretch(sc, oldSteps, steps) };
    const ms = (sc.options.milestones as number[] | undefined) ?? [];
    const last = ms.length ? ms[ms.length - 1] : 0;
    const kids = (sc.children ?? []).map((c, i, all) => (i === all.length - 1 ? stretch(c, oldSteps - last, steps - last) : c));
    return { ...o, scheduler: { ...sc, children: kids } };
  });
}

/** The library's spec of a scheduler entry. */
export function schedulerSpec(e: SchedulerEntry): SchedulerSpec {
  const spec: SchedulerSpec = { name: e.name, ...structuredClone(e.options) };
  if (hasStages(e.name)) spec.schedulers = (e.children ?? []).map(schedulerSpec);
  return spec;
}

/** An option's value for the editor: set, else the library's default, else undefined (required). */
export function schedulerValue(e: SchedulerEntry, key: string): SchedulerValue | undefined {
  return key in e.options ? e.options[key] : (schedulerDefaults[e.name][key] as SchedulerValue | undefined);
}

/** Options an editor shows (the stages of sequentialLR and chainedScheduler have their own editors). */
export function schedulerFields(name: SchedulerName): string[] {
  return schedulerOptionNames[name].filter((k) => schedulerOptionKind(name, k) !== "stages");
}

/** The lab's RunSpec of optimizer k (validated by the caller). */
export function runSpec(s: LabState, k: number): RunSpec {
  const o = s.optimizers[k];
  return {
    function: functionSpec(s),
    optimizer: { name: o.name, ...o.options },
    ...(o.scheduler ? { scheduler: schedulerSpec(o.scheduler) } : {}),
    x0: [...s.x0],
    steps: s.steps,
    dtype: s.dtype,
    ...(s.tol !== undefined ? { tol: s.tol } : {}),
    ...(s.tol !== undefined && s.patience !== undefined ? { patience: s.patience } : {}),
  };
}

/** Throws the library's field error when optimizer k's run would be refused (options, scheduler, steps). */
export function checkRun(s: LabState, k: number): void {
  normalizeSpec(runSpec(s, k));
}

// ---------------------------------------------------------------- serialise

function fmt(v: OptionValue | number[]): string {
  if (Array.isArray(v)) return v.map((x) => String(x)).join("/");
  return v === null ? "null" : String(v);
}

function kv(name: string, params: Record<string, OptionValue | number[]>, sep = ":"): string {
  return [name, ...Object.entries(params).map(([k, v]) => `${k}=${fmt(v)}`)].join(sep);
}

/** `name:k=v…`; sequentialLR and chainedScheduler add `schedulers=child+child`, a child being `name;k=v…`. */
function schedulerText(e: SchedulerEntry | undefined): string {
  if (!e) return "-";
  const head = kv(e.name, e.options as Record<string, OptionValue | number[]>);
  if (!hasStages(e.name)) return head;
  return `${head}:schedulers=${(e.children ?? []).map((c) => kv(c.name, c.options as Record<string, OptionValue | number[]>, ";")).join("+")}`;
}

/** The hash (without '#') of a state. Deterministic: parse(serialize(s)) serialises back to the same text. */
export function serializeState(s: LabState): string {
  const f = s.fn.name === "expr" ? s.fn.formula : undefined;
  const problem: [string, string][] = f
    ? [["expr", f.expr], ...(f.minima.length ? [["m", minimaText(f.minima)] as [string, string]] : []), ...(f.domain ? [["dom", domainText(f.domain)] as [string, string]] : [])]
    : [["f", kv(s.fn.name, s.fn.params)]];
  const parts: [string, string][] = [
    ...problem,
    ["x0", s.x0.map(String).join(",")],
    ["steps", String(s.steps)],
    ...(s.tol !== undefined ? [["tol", String(s.tol)] as [string, string]] : []),
    ...(s.tol !== undefined && s.patience !== undefined ? [["patience", String(s.patience)] as [string, string]] : []),
    ["dtype", s.dtype],
    ["backend", s.backend],
    ["o", s.optimizers.map((o) => kv(o.name, o.options)).join(",")],
  ];
  if (s.optimizers.some((o) => o.scheduler)) parts.push(["s", s.optimizers.map((o) => schedulerText(o.scheduler)).join(",")]);
  parts.push(["view", s.view]);
  if (s.frame !== undefined) parts.push(["t", String(s.frame)]);
  const w = s.sweep;
  parts.push(["sweep", `${w.target}:${w.y}:${w.n}:${w.metric}:${w.kind}:${w.eps}`]);
  // Only ':' ',' '/' '=' and the literals appear; escape anything else. A formula's text may hold
  // anything, so it is encoded whole, once (and parseState decodes every value once).
  return parts.map(([k, v]) => `${k}=${k === "expr" ? encodeURIComponent(v) : encodeURI(v).replace(/[#&]/g, encodeURIComponent)}`).join("&");
}

// -------------------------------------------------------------------- parse

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseNumber(field: string, text: string): number {
  if (!NUMBER.test(text)) throw new Error(`${field}: must be a decimal number; got ${JSON.stringify(text)}`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new Error(`${field}: must be finite; got ${JSON.stringify(text)}`);
  return v;
}

/** `name<sep>key=value<sep>…` (":" at the top, ";" inside the stages of sequentialLR and chainedScheduler); a key given twice is refused. */
function splitKv(field: string, text: string, sep = ":"): { name: string; params: [string, string][] } {
  const [name, ...rest] = text.split(sep);
  const params = rest.map((p): [string, string] => {
    const i = p.indexOf("=");
    if (i <= 0) throw new Error(`${field}: "${p}" must be option=value`);
    return [p.slice(0, i), p.slice(i + 1)];
  });
  const seen = new Set<string>();
  for (const [k] of params) {
    if (seen.has(k)) throw new Error(`${field}: ${k} is given twice`);
    seen.add(k);
  }
  return { name, params };
}

function parseFunction(text: string): LabState["fn"] {
  const { name, params } = splitKv("f", text);
  if (!(functionNames as readonly string[]).includes(name)) throw new Error(`f: unknown function ${JSON.stringify(name)}`);
  const defaults = createFunction(name as FunctionName).params;
  const out: Record<string, number | number[]> = {};
  for (const [k, v] of params) {
    if (!(k in defaults)) throw new Error(`f: ${name} has no parameter ${JSON.stringify(k)}`);
    out[k] = Array.isArray(defaults[k]) ? v.split("/").map((x, i) => parseNumber(`f.${k}[${i}]`, x)) : parseNumber(`f.${k}`, v);
  }
  if (Array.isArray(out.weights) && out.weights.length !== 2) throw new Error("f.weights: the lab draws 2-D functions; give two weights");
  try {
    createFunction({ name: name as FunctionName, ...out }, 2); // the library's own validation
  } catch (err) {
    throw new Error(`f.${(err as Error).message}`);
  }
  return { name: name as FunctionName, params: out };
}

/** One option's text as its schema's type (the library validates the value). */
function parseOption(f: string, name: OptimizerName, key: string, _d: OptionValue, v: string): OptionValue {
  const kind = optionKind(name, key);
  if (!kind) throw new Error(`${f}: ${name} has no option ${JSON.stringify(key)}`);
  const nullable = (kind.type === "number" || kind.type === "choice") && kind.nullable === true;
  if (nullable && v === "null") return null;
  switch (kind.type) {
    case "number":
      return parseNumber(f, v);
    case "boolean":
      if (v !== "true" && v !== "false") throw new Error(`${f}: must be true or false; got ${JSON.stringify(v)}`);
      return v === "true";
    case "numbers": {
      const parts = v.split("/");
      const n = kind.length ?? parts.length;
      if (parts.length !== n) throw new Error(`${f}: must be ${n} numbers a/b${n > 2 ? "/…" : ""}; got ${JSON.stringify(v)}`);
      return parts.map((x, i) => parseNumber(`${f}[${i}]`, x));
    }
    case "choice":
      if (!kind.values.includes(v)) throw new Error(`${f}: not allowed: ${JSON.stringify(v)}`);
      return v;
    default:
      throw new Error(`${f}: cannot be set from a link`);
  }
}

/**
 * Optimizer k of a link. A bad option is dropped alone (its default is
 * used) and reported in `errors`; so is one the library refuses in
 * combination (its field error names it). Only an unknown name or a
 * malformed item drops the optimizer (undefined).
 */
function parseOptimizer(text: string, k: number, errors: string[]): OptimizerEntry | undefined {
  const field = `o[${k}]`;
  let parsed: ReturnType<typeof splitKv>;
  try {
    parsed = splitKv(field, text);
  } catch (err) {
    errors.push((err as Error).message);
    return undefined;
  }
  const { name, params } = parsed;
  if (!(optimizerNames as readonly string[]).includes(name)) {
    errors.push(`${field}: unknown optimizer ${JSON.stringify(name)}`);
    return undefined;
  }
  const oname = name as OptimizerName;
  const defaults = optionDefaults(oname);
  const options: Options = {};
  for (const [key, v] of params) {
    try {
      if (!(key in defaults)) throw new Error(`${field}: ${name} has no option ${JSON.stringify(key)}`);
      options[key] = parseOption(`${field}.${key}`, oname, key, defaults[key], v);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  const e: OptimizerEntry = { name: oname, options };
  // Each refused option goes (the library names it), until the rest is accepted.
  for (;;) {
    try {
      checkOptimizer(e);
      return e;
    } catch (err) {
      const bad = String((err as { field?: unknown }).field ?? "").split(/[.[]/)[0];
      errors.push(`${field}.${(err as Error).message}`);
      if (bad in e.options) delete e.options[bad];
      else {
        e.options = {};
        checkOptimizer(e); // the defaults always pass
        return e;
      }
    }
  }
}

function parseSchedulerOptions(field: string, name: SchedulerName, params: [string, string][]): Record<string, SchedulerValue> {
  const allowed = schedulerFields(name);
  const options: Record<string, SchedulerValue> = {};
  for (const [key, v] of params) {
    const f = `${field}.${key}`;
    if (!allowed.includes(key)) throw new Error(`${field}: ${name} has no option ${JSON.stringify(key)}`);
    const kind = schedulerOptionKind(name, key);
    if (kind === "number") options[key] = parseNumber(f, v);
    else if (kind === "integer") options[key] = integer(f, v, 0, 1e9);
    else if (kind === "list") options[key] = v === "" ? [] : v.split("/").map((x, i) => integer(`${f}[${i}]`, x, 0, 1e9));
    else if (kind === "boolean") {
      if (v !== "true" && v !== "false") throw new Error(`${f}: must be true or false; got ${JSON.stringify(v)}`);
      options[key] = v === "true";
    } else if (Array.isArray(kind)) options[key] = oneOf(f, v, kind as readonly string[]);
    else throw new Error(`${f}: stages are written as schedulers=a;…+b;…`);
  }
  return options;
}

function parseScheduler(text: string, k: number): SchedulerEntry | undefined {
  const field = `s[${k}]`;
  if (text === "-") return undefined;
  const { name, params } = splitKv(field, text);
  const sched = oneOf(`${field}.name`, name, schedulerNames);
  if (!hasStages(sched)) return { name: sched, options: parseSchedulerOptions(field, sched, params) };
  const kids = params.find(([key]) => key === "schedulers");
  if (!kids) throw new Error(`${field}: ${sched} needs schedulers=a;…+b;…`);
  const children = kids[1].split("+").map((c, i) => {
    const cf = `${field}.schedulers[${i}]`;
    const { name: cname, params: cparams } = splitKv(cf, c, ";");
    const child = oneOf(`${cf}.name`, cname, CHILD_SCHEDULERS);
    return { name: child, options: parseSchedulerOptions(cf, child, cparams) };
  });
  return { name: sched, options: parseSchedulerOptions(field, sched, params.filter(([key]) => key !== "schedulers")), children };
}

function oneOf<T extends string>(field: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`${field}: must be one of ${allowed.join(", ")}; got ${JSON.stringify(v)}`);
  return v as T;
}

function integer(field: string, v: string, lo: number, hi: number): number {
  if (!/^\d{1,9}$/.test(v)) throw new Error(`${field}: must be an integer ${lo}…${hi}; got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < lo || n > hi) throw new Error(`${field}: must be an integer ${lo}…${hi}; got ${n}`);
  return n;
}

/**
 * A state from a hash (with or without '#'). Unknown keys and bad fields are
 * reported in `errors` and replaced by the defaults; never throws.
 */
export function parseState(hash: string): { state: LabState; errors: string[] } {
  const s = defaultState();
  const errors: string[] = [];
  const text = hash.replace(/^#/, "");
  if (text === "") return { state: s, errors };
  const fields = new Map<string, string>();
  for (const part of text.split("&")) {
    if (part === "") continue;
    const i = part.indexOf("=");
    const key = i < 0 ? part : part.slice(0, i);
    let value = i < 0 ? "" : part.slice(i + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      errors.push(`${key}: badly escaped`);
      continue;
    }
    if (!["f", "expr", "m", "dom", "x0", "steps", "tol", "patience", "dtype", "backend", "o", "s", "view", "t", "sweep"].includes(key)) {
      errors.push(`unknown field ${JSON.stringify(key.slice(0, 40))}`);
      continue;
    }
    if (fields.has(key)) {
      errors.push(`${key}: given twice`);
      continue;
    }
    fields.set(key, value);
  }
  const attempt = (key: string, fn: (v: string) => void) => {
    const v = fields.get(key);
    if (v === undefined) return;
    try {
      fn(v);
    } catch (err) {
      errors.push((err as Error).message);
    }
  };
  if (fields.has("expr")) {
    if (fields.has("f")) errors.push("f: not used (the link's function is the formula in expr)");
    fields.delete("f");
  } else {
    for (const k of ["m", "dom"]) if (fields.has(k)) errors.push(`${k}: belongs to a formula (expr), and the link has none`);
  }
  attempt("f", (v) => {
    s.fn = parseFunction(v);
    if (!fields.has("x0")) {
      const st = createFunction(functionSpec(s), 2).start;
      s.x0 = [st[0], st[1]];
    }
  });
  attempt("expr", (v) => {
    const formula: LabFormula = { expr: v, minima: [] };
    // A bad minima or window field is dropped alone; a bad formula drops all three.
    const fault = formulaFault(formula);
    if (fault) throw new Error(fault.message.startsWith("expr: ") ? fault.message : `expr: ${fault.message}`);
    for (const [k, parse] of [["m", (t: string) => (formula.minima = parseMinima(t))], ["dom", (t: string) => (formula.domain = parseDomain(t))]] as const) {
      const t = fields.get(k);
      if (t === undefined) continue;
      const keep = { ...formula };
      try {
        parse(t);
        const bad = formulaFault(formula);
        if (bad) throw new Error(`${k}: ${bad.message}`);
      } catch (err) {
        Object.assign(formula, keep);
        errors.push((err as Error).message);
      }
    }
    s.fn = { name: "expr", params: {}, formula };
    if (!fields.has("x0")) {
      const st = createFunction(functionSpec(s), 2).start;
      s.x0 = [st[0], st[1]];
    }
  });
  attempt("x0", (v) => {
    const p = v.split(",");
    if (p.length !== 2) throw new Error(`x0: must be two numbers x,y; got ${JSON.stringify(v)}`);
    const x: [number, number] = [parseNumber("x0[0]", p[0]), parseNumber("x0[1]", p[1])];
    if (Math.abs(x[0]) > 1e6 || Math.abs(x[1]) > 1e6) throw new Error("x0: must be within ±1e6");
    s.x0 = x;
  });
  attempt("steps", (v) => (s.steps = integer("steps", v, 1, MAX_STEPS)));
  attempt("tol", (v) => {
    const tol = parseNumber("tol", v);
    if (tol < 0) throw new Error(`tol: must be ≥ 0; got ${tol}`);
    s.tol = tol;
  });
  attempt("patience", (v) => {
    if (!fields.has("tol")) throw new Error("patience: needs tol");
    s.patience = integer("patience", v, 1, MAX_STEPS);
  });
  attempt("dtype", (v) => (s.dtype = oneOf("dtype", v, ["f32", "f64"] as const)));
  attempt("backend", (v) => (s.backend = oneOf("backend", v, ["wasm", "js"] as const)));
  attempt("view", (v) => (s.view = oneOf("view", v, ["contour", "surface"] as const)));
  // Where optimizer k of the link ended up in the state (undefined: dropped), so `s` stays aligned.
  let slotOf: (number | undefined)[] | undefined;
  attempt("o", (v) => {
    const list = v.split(",");
    if (list.length < 1 || list.length > MAX_OPTIMIZERS) throw new Error(`o: must list 1…${MAX_OPTIMIZERS} optimizers`);
    const parsed = list.map((t, k) => parseOptimizer(t, k, errors));
    const kept = parsed.filter((e): e is OptimizerEntry => e !== undefined);
    if (kept.length === 0) throw new Error("o: no optimizer of the link could be read; the default race is used");
    let n = 0;
    slotOf = parsed.map((e) => (e ? n++ : undefined));
    s.optimizers = kept;
  });
  attempt("s", (v) => {
    const list = v.split(",");
    const slots = slotOf ?? s.optimizers.map((_o, k) => k);
    if (list.length !== slots.length) throw new Error(`s: must list one scheduler (or -) per optimizer, ${slots.length}; got ${list.length}`);
    // Each scheduler is checked with its optimizer, function and steps; a refused one is dropped alone.
    list.forEach((text, k) => {
      let sc: SchedulerEntry | undefined;
      try {
        sc = parseScheduler(text, k);
      } catch (err) {
        errors.push((err as Error).message);
        return;
      }
      const slot = slots[k];
      if (!sc || slot === undefined) return;
      const prev = s.optimizers[slot].scheduler;
      s.optimizers[slot].scheduler = sc;
      try {
        checkRun(s, slot);
      } catch (err) {
        s.optimizers[slot].scheduler = prev;
        errors.push(`s[${k}].${(err as Error).message}`);
      }
    });
  });
  attempt("t", (v) => {
    const t = integer("t", v, 0, MAX_STEPS);
    if (t > s.steps) throw new Error(`t: step ${t} is after the last step (${s.steps})`);
    s.frame = t;
  });
  attempt("sweep", (v) => {
    const p = v.split(":");
    if (p.length < 3 || p.length > 6) throw new Error(`sweep: must be target:y:n[:metric[:kind[:eps]]]; got ${JSON.stringify(v)}`);
    const target = integer("sweep.target", p[0], 0, s.optimizers.length - 1);
    const y = oneOf("sweep.y", p[1], SWEEP_YS);
    const n = integer("sweep.n", p[2], SWEEP_SIZES[0], SWEEP_SIZES[SWEEP_SIZES.length - 1]);
    if (!(SWEEP_SIZES as readonly number[]).includes(n)) throw new Error(`sweep.n: must be one of ${SWEEP_SIZES.join(", ")}`);
    const metric = p.length > 3 ? oneOf("sweep.metric", p[3], ["loss", "steps"] as const) : "loss";
    const kind = p.length > 4 ? oneOf("sweep.kind", p[4], ["hyper", "basins"] as const) : "hyper";
    const eps = p.length > 5 ? parseNumber("sweep.eps", p[5]) : 1e-4;
    if (!(SWEEP_EPS as readonly number[]).includes(eps)) throw new Error(`sweep.eps: must be one of ${SWEEP_EPS.join(", ")}`);
    s.sweep = { target, y, n, metric, kind, eps };
  });
  s.sweep.target = Math.min(s.sweep.target, s.optimizers.length - 1);
  const ys = sweepYs(s.optimizers[s.sweep.target].name);
  if (ys.length > 0 && !ys.includes(s.sweep.y)) s.sweep.y = ys[0];
  return { state: s, errors };
}
