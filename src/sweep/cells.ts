/**
 * What a sweep keeps of each run (its cell): the final loss, the first step
 * within ε of the lowest known minimum's value, whether it diverged, and
 * which known minimum it ends near. One implementation for the CLI's
 * sweeps and the lab's maps.
 */
import type { Minimum, TestFunction } from "../functions/index.js";
import type { RunRecord } from "../run.js";

/** One cell of a sweep result (the JSON of `optimlab sweep`). */
export interface SweepCell {
  /** [i] or [i, j]: the value index on each axis. */
  index: number[];
  /** f at the run's last point (NaN or ±Infinity when it diverged). */
  final: number;
  /** The first step t with f(x_t) − f* ≤ ε (f* the lowest known minimum), or null. */
  steps: number | null;
  /** The run stopped because f became NaN or ±Infinity. */
  diverged: boolean;
  /** Index (in the function's `minima`) of the known minimum the run ends near, or null. */
  minimum: number | null;
}

/** The lowest known minimum value of a function, or undefined when it lists none. */
export function fStar(fn: { readonly minima: readonly Minimum[] }): number | undefined {
  let lo = Infinity;
  for (const m of fn.minima) if (m.value < lo) lo = m.value;
  return fn.minima.length ? lo : undefined;
}

/** The first step at which f − fStar ≤ eps, or NaN when the run never gets there. */
export function stepsToReach(r: Pick<RunRecord, "loss">, fStarValue: number, eps: number): number {
  for (let t = 0; t < r.loss.length; t++) if (r.loss[t] - fStarValue <= eps) return t;
  return NaN;
}

/**
 * How close a run's final point must be to a minimum to "end in" it:
 * min(2 % of the window's diagonal, 0.3 × the distance between the two
 * closest minima), so two neighbouring minima never share a point.
 */
export function basinRadius(
  window: { x: readonly [number, number] | number[]; y: readonly [number, number] | number[] },
  minima: readonly (readonly number[])[],
): number {
  let sep = Infinity;
  for (let a = 0; a < minima.length; a++) for (let b = a + 1; b < minima.length; b++) sep = Math.min(sep, distance(minima[a], minima[b]));
  return Math.min(0.02 * Math.hypot(window.x[1] - window.x[0], window.y[1] - window.y[0]), 0.3 * sep);
}

/** Euclidean distance over every coordinate (in order, one sum: the same bits everywhere). */
function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 2) return Math.hypot(a[0] - b[0], a[1] - b[1]);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
  return Math.sqrt(s);
}

/** Index of the minimum within `radius` of the run's final point (the closest); −1: none; −2: diverged. */
export function basinOf(r: Pick<RunRecord, "x" | "loss">, minima: readonly (readonly number[])[], radius: number): number {
  const x = r.x[r.x.length - 1];
  const f = r.loss[r.loss.length - 1];
  if (!Number.isFinite(f) || !x.every(Number.isFinite)) return -2;
  let best = -1;
  let bestD = radius;
  minima.forEach((m, k) => {
    const d = distance(x, m);
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  });
  return best;
}

/** What a sweep needs to make a cell of a run. */
export interface CellRule {
  /** The lowest known minimum value; null: no target (steps is always null). */
  fStar: number | null;
  epsilon: number;
  /** The function's minima (their points) and the radius of {@link basinOf}. */
  minima: number[][];
  radius: number;
}

/** The cell rule of a function, with the radius taken from its plotting window. */
export function cellRule(fn: TestFunction, epsilon: number): CellRule {
  const minima = fn.minima.map((m) => m.x.slice());
  return { fStar: fStar(fn) ?? null, epsilon, minima, radius: basinRadius(fn.domain, minima) };
}

/** Numbers per run of a cell: see {@link cellValues}. */
export const CELL_VALUES = 5;

/**
 * A run's cell values: [final, steps (NaN: null), diverged (0/1), minimum (−1: null), steps taken (for throughput)].
 * Steps are the run's `reached` when it watched for f* + ε (then only its last loss is needed), else found in its losses.
 */
export function cellValues(r: RunRecord & { reached?: number }, rule: CellRule, out: Float64Array, at: number): void {
  out[at] = r.loss[r.loss.length - 1];
  out[at + 1] = rule.fStar === null ? NaN : (r.reached ?? stepsToReach(r, rule.fStar, rule.epsilon));
  out[at + 2] = r.stopReason === "diverged" ? 1 : 0;
  const b = basinOf(r, rule.minima, rule.radius);
  out[at + 3] = b >= 0 ? b : -1;
  out[at + 4] = r.steps;
}

/** The cell of packed values (see {@link cellValues}). */
export function cellFrom(index: number[], v: ArrayLike<number>, at: number): SweepCell {
  return { index, final: v[at], steps: Number.isNaN(v[at + 1]) ? null : v[at + 1], diverged: v[at + 2] === 1, minimum: v[at + 3] >= 0 ? v[at + 3] : null };
}
