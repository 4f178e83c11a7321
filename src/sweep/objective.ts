/**
 * The tuning objectives, all smaller-is-better, of one run against a budget
 * of T function evaluations (T steps for first-order methods):
 *
 * - `final` = log10(max(f(x_T) − f*, 0) + 1e-16);
 * - `auc` = the mean over e = 1 … T of log10(max(f − f*, 0) + 1e-16) at the
 *   point known after e evaluations (a run that stops early is padded with
 *   its last loss), so fast starters and accurate finishers are both scored;
 * - `steps` = the evaluations until f − f* ≤ ε first holds, T + 1 when never.
 *
 * A run's point x_k is known after c_k evaluations: c_k = k for methods that
 * evaluate once per step, and the running sum of the result's `evals` for
 * those that evaluate several times per step (L-BFGS, whose run stops at
 * `maxEvals: T`); points past T evaluations do not count. A run that
 * diverges scores +Infinity on every objective ("diverging runs last").
 */
import type { StopReason } from "../api.js";
import { log } from "../models/math.js";

export type Objective = "final" | "auc" | "steps";
export const OBJECTIVES: readonly Objective[] = ["final", "auc", "steps"];

/** The floor of the log gap: 1e-16 keeps log10 finite at the minimum itself. */
export const GAP_FLOOR = 1e-16;

/**
 * log10(max(f − f*, 0) + 1e-16), as log(·)/ln 10 with the library's
 * pure-arithmetic log (src/models/math.ts), so every JavaScript engine (the
 * CLI's Node, the lab's browser) gives the same bits; Math.log10 may differ
 * between engines in the last place.
 */
export function logGap(f: number, fStar: number): number {
  return log(Math.max(f - fStar, 0) + GAP_FLOOR) / Math.LN10;
}

/** What the objectives read of a run (`evals`: evaluations per step, for optimizers that take several). */
export interface ObjectiveRecord {
  readonly loss: readonly number[];
  readonly stopReason: StopReason | string;
  readonly evals?: readonly number[];
}

/** The three objectives of a run, in the order of {@link OBJECTIVES}; `budget` is T. */
export function objectives(r: ObjectiveRecord, fStar: number, epsilon: number, budget: number): [number, number, number] {
  if (r.stopReason === "diverged") return [Infinity, Infinity, Infinity];
  const loss = r.loss;
  const evals = r.evals;
  let sum = 0;
  let reached = budget + 1;
  // Point k is known from evaluation c_k on; it holds until point k + 1 is known.
  let c = 0;
  let k = 0;
  if (loss[0] - fStar <= epsilon) reached = 0;
  for (let e = 1; e <= budget; e++) {
    while (k + 1 < loss.length && (evals ? c + evals[k] : k + 1) <= e) {
      c = evals ? c + evals[k] : k + 1;
      k++;
      if (reached > budget && loss[k] - fStar <= epsilon) reached = c;
    }
    sum += logGap(loss[k], fStar);
  }
  const final = logGap(loss[k], fStar);
  return [final, budget > 0 ? sum / budget : final, reached];
}

/** The median (the mean of the middle two for an even count; Infinity stays Infinity). */
export function median(values: readonly number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
