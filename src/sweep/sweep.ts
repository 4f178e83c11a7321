/**
 * Sweeps: one run spec, one or two axes of values at paths into it, every
 * combination run (on a pool of workers) and kept as a cell (cells.ts).
 *
 * A sweep spec (`optimlab sweep SPEC.json`):
 *
 *   { "run": { …a run spec… },
 *     "axes": [ { "path": "optimizer.lr", "from": 1e-4, "to": 1, "count": 32, "scale": "log" },
 *               { "path": "optimizer.betas.0", "from": 0.5, "to": 0.99, "count": 32, "scale": "linear" } ],
 *     "epsilon": 1e-4, "map": "final" }
 *
 * Axis values, k = 0 … count − 1 (both ends included):
 * log from·(to/from)^(k/(count−1)), linear from + (to − from)·k/(count−1).
 * Cell k (the order of the result's cells) is at index [i, j] with
 * k = j·count₀ + i: the first axis varies fastest, as a map's rows.
 */
import { check, checkKnownKeys, rangeError, under } from "../errors.js";
import { normalizeSpec, type BackendName, type NormalizedSpec, type RunSpec } from "../run.js";
import { CELL_VALUES, cellFrom, cellRule, type CellRule, type SweepCell } from "./cells.js";
import { parsePath, plainRun, refused, valueAt, withValues, type SpecPath } from "./paths.js";
import { chunkTasks, taskSize, type RunOptions, type RunPool } from "./pool.js";
import { shardRange } from "./shard.js";

export type AxisScale = "log" | "linear";

export interface SweepAxis {
  path: SpecPath;
  from: number;
  to: number;
  count: number;
  scale: AxisScale;
  values: number[];
}

/** What a sweep's figure colours its cells by. */
export type MapKind = "final" | "steps" | "minimum";

export interface NormalizedSweep {
  /** The validated run every cell starts from. */
  run: NormalizedSpec;
  /** The same as plain JSON, x0 filled. */
  base: RunSpec;
  axes: SweepAxis[];
  epsilon: number;
  map: MapKind;
  /** Cells in all (the product of the counts). */
  cells: number;
  /** The run's own lr: an lr axis scales the scheduler's absolute rates by value / lrBase. */
  lrBase: number;
  rule: CellRule;
  backend: BackendName;
}

/** The result (`--json`): axis values, cells in order; a shard's part says which. */
export interface SweepResult {
  axes: number[][];
  cells: SweepCell[];
  shard?: [number, number];
}

/** At most this many values per axis, and cells per sweep. */
export const MAX_AXIS_COUNT = 4096;
export const MAX_CELLS = 1 << 20;

/** The values of an axis, exactly the formulas above (count 1: [from]). */
export function axisValues(from: number, to: number, count: number, scale: AxisScale): number[] {
  const out: number[] = new Array(count);
  for (let k = 0; k < count; k++) {
    if (count === 1) out[k] = from;
    else if (scale === "log") out[k] = from * Math.pow(to / from, k / (count - 1));
    else out[k] = from + ((to - from) * k) / (count - 1);
  }
  return out;
}

const KEYS = ["run", "axes", "epsilon", "map"] as const;
const AXIS_KEYS = ["path", "from", "to", "count", "scale"] as const;

/** Checks a sweep spec completely (the run, each axis and each of its values); errors name the field. */
export function normalizeSweep(raw: unknown): NormalizedSweep {
  const s = check.object("", raw);
  checkKnownKeys(s, KEYS, "a sweep spec");
  if (s.run === undefined) throw rangeError("run", "is required: a run spec (function, optimizer, steps, …)");
  const run = under("run", () => normalizeSpec(s.run));
  const base = plainRun(run);
  const rawAxes = check.array("axes", s.axes);
  if (rawAxes.length < 1 || rawAxes.length > 2) throw rangeError("axes", `must hold one or two axes; got ${rawAxes.length}`);
  const epsilon = s.epsilon === undefined ? 1e-4 : check.number("epsilon", s.epsilon, { min: 0 });
  const lrBase = valueAt(base, { text: "optimizer.lr", keys: ["optimizer", "lr"] });
  const axes = rawAxes.map((a, n) =>
    under(`axes[${n}]`, () => {
      const o = check.object("", a);
      checkKnownKeys(o, AXIS_KEYS, "an axis");
      const path = parsePath("path", o.path, run);
      const scale = o.scale === undefined ? "linear" : check.oneOf("scale", o.scale, ["log", "linear"] as const);
      if (o.count === undefined) throw rangeError("count", "is required: how many values, an integer in [1, 4096]");
      const count = check.number("count", o.count, { min: 1, max: MAX_AXIS_COUNT, integer: true });
      const from = check.finite("from", o.from);
      const to = check.finite("to", o.to);
      if (count > 1 && !(to > from)) throw rangeError("to", `must be greater than from (${from}); got ${to}`);
      if (scale === "log" && !(from > 0)) throw rangeError("from", `must be > 0 on a log axis; got ${from}`);
      if (path.text === "optimizer.lr" && run.scheduler && lrBase === 0)
        throw rangeError("path", "optimizer.lr cannot scale the scheduler's learning rates from a run lr of 0; give the run an lr > 0");
      return { path, from, to, count, scale, values: axisValues(from, to, count, scale) };
    }),
  );
  if (axes.length === 2 && axes[0].path.text === axes[1].path.text)
    throw rangeError("axes[1].path", `is ${axes[0].path.text} again; sweep two different paths`);
  const cells = axes.reduce((n, a) => n * a.count, 1);
  if (cells > MAX_CELLS) throw rangeError("axes", `give ${cells} cells; at most ${MAX_CELLS} (2^20) per sweep (use --shard to split bigger work)`);
  // Every value of every axis, the other axes at their first value: a value the library refuses fails now, named.
  axes.forEach((a, n) => {
    const paths = axes.map((x) => x.path);
    a.values.forEach((v, k) => {
      const values = axes.map((x) => x.values[0]);
      values[n] = v;
      try {
        normalizeSpec(withValues(base, paths, values, lrBase));
      } catch (e) {
        throw refused(`axes[${n}]${k === 0 ? ".from" : k === a.count - 1 ? ".to" : ""}`, a.path.text, v, e);
      }
    });
  });
  const x0Axes = axes.filter((a) => a.path.keys[0] === "x0").length;
  const map = s.map === undefined ? (x0Axes === 2 ? "minimum" : "final") : check.oneOf("map", s.map, ["final", "steps", "minimum"] as const);
  return { run, base, axes, epsilon, map, cells, lrBase, rule: cellRule(run.fn, epsilon), backend: run.backend ?? "wasm" };
}

/** The index [i] or [i, j] of cell k. */
export function cellIndex(s: Pick<NormalizedSweep, "axes">, k: number): number[] {
  const n0 = s.axes[0].count;
  return s.axes.length === 1 ? [k] : [k % n0, Math.floor(k / n0)];
}

/** The run spec of cell k (what `optimlab run` runs for that cell). */
export function cellSpec(s: NormalizedSweep, k: number): RunSpec {
  const idx = cellIndex(s, k);
  return withValues(
    s.base,
    s.axes.map((a) => a.path),
    idx.map((i, n) => s.axes[n].values[i]),
    s.lrBase,
  );
}

export interface SweepOptions extends RunOptions {
  /** Run only the K-th of N slices: [K, N], K from 1. */
  shard?: [number, number];
}

/** Runs the sweep's cells (or one shard of them) on the pool. */
export async function runSweep(s: NormalizedSweep, pool: RunPool, o: SweepOptions = {}): Promise<SweepResult> {
  const [lo, hi] = o.shard ? shardRange(s.cells, o.shard[0], o.shard[1]) : [0, s.cells];
  const specs: RunSpec[] = [];
  for (let k = lo; k < hi; k++) specs.push(cellSpec(s, k));
  const tasks = chunkTasks(specs, taskSize(specs.length, s.run.steps, pool.size), s.backend, { kind: "cell", ...s.rule }, "cells", lo);
  const values = await pool.run(tasks, o);
  const cells: SweepCell[] = [];
  let k = lo;
  for (const v of values) for (let at = 0; at < v.length; at += CELL_VALUES) cells.push(cellFrom(cellIndex(s, k++), v, at));
  const out: SweepResult = { axes: s.axes.map((a) => a.values), cells };
  if (o.shard) out.shard = [o.shard[0], o.shard[1]];
  return out;
}

/** A short summary: the best cell (lowest final loss), the share diverged and the share that reached ε. */
export function sweepSummary(s: NormalizedSweep, r: SweepResult): string {
  let best: SweepCell | undefined;
  let diverged = 0,
    reached = 0;
  for (const c of r.cells) {
    if (c.diverged) diverged++;
    if (c.steps !== null) reached++;
    if (Number.isFinite(c.final) && (!best || c.final < best.final)) best = c;
  }
  const n = r.cells.length;
  const pct = (m: number) => `${n ? +((100 * m) / n).toFixed(1) : 0} %`;
  const at = best ? best.index.map((i, a) => `${s.axes[a].path.text} = ${+s.axes[a].values[i].toPrecision(6)}`).join(", ") : "";
  return [
    best
      ? `best cell: final loss ${+best.final.toPrecision(6)} at ${at}${best.steps !== null ? ` (f − f* ≤ ${s.epsilon} at step ${best.steps})` : ""}`
      : "no cell ended with a finite loss",
    `diverged: ${pct(diverged)} of ${n} cells; reached f − f* ≤ ${s.epsilon}: ${s.rule.fStar === null ? "— (no known minimum)" : pct(reached)}`,
  ].join("\n");
}
