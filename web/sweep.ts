/** Messages between the page and the sweep worker, and the sweeps' shared arithmetic. */
import type { RunResult, RunSpec, SchedulerSpec } from "optimlab";

interface SweepBase {
  id: number;
  backend: "wasm" | "js";
  /** The swept optimizer's run (function, optimizer with scheduler, x0, steps, dtype). */
  base: RunSpec;
}

/** Learning rate × a β-like option, coloured by final loss or by steps until f − f* ≤ eps. */
export interface HyperSweep extends SweepBase {
  kind: "hyper";
  y: "beta1" | "momentum" | "alpha" | "rho";
  /** The optimizer's default betas (a tuple of 2 or 3): β1 is swept, the others kept. */
  betasDefault: number[];
  lrs: number[];
  ys: number[];
  metric: "loss" | "steps";
  /** The function's lowest known minimum value (metric "steps"). */
  fStar: number;
  eps: number;
}

/** Start points over the window, classed by the minimum each run ends near. */
export interface BasinSweep extends SweepBase {
  kind: "basins";
  xs: number[];
  ys: number[];
  minima: number[][];
  /** A run "ends in" a minimum when its final point is this close to it. */
  radius: number;
}

export type SweepRequest = HyperSweep | BasinSweep;

export type SweepMessage =
  | { id: number; type: "progress"; done: number; total: number }
  | { id: number; type: "done"; values: Float64Array; ms: number; steps: number; backend: string }
  | { id: number; type: "error"; message: string };

/** n learning rates, log-spaced over [lo, hi]. */
export function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}

/** n cell centres over [lo, hi). */
export function cellCentres(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => lo + ((j + 0.5) * (hi - lo)) / n);
}

/** Scheduler options in units of the learning rate; a sweep over lr scales them with it. */
const LR_OPTIONS = ["maxLr", "etaMin", "minLr"] as const;

/**
 * The scheduler of a run whose lr is multiplied by `factor`: its absolute
 * learning rates (oneCycleLR's maxLr, cosine's etaMin, plateau's minLr, in
 * sequentialLR's stages too) scale alike, so "lr" on the sweep's axis means
 * the whole schedule's scale rather than a value oneCycleLR would overwrite.
 */
export function scaleSchedule(spec: SchedulerSpec | undefined, factor: number): SchedulerSpec | undefined {
  if (!spec) return undefined;
  const out: SchedulerSpec = { ...spec };
  for (const k of LR_OPTIONS) if (typeof out[k] === "number") out[k] = (out[k] as number) * factor;
  if (Array.isArray(out.schedulers)) out.schedulers = (out.schedulers as SchedulerSpec[]).map((c) => scaleSchedule(c, factor)!);
  return out;
}

/** The first step at which f − fStar ≤ eps, or NaN when the run never gets there. */
export function stepsToReach(r: RunResult, fStar: number, eps: number): number {
  for (let t = 0; t < r.loss.length; t++) if (r.loss[t] - fStar <= eps) return t;
  return NaN;
}

/** Index of the minimum within `radius` of the run's final point; −1: none; −2: diverged. */
export function basinOf(r: RunResult, minima: readonly number[][], radius: number): number {
  const x = r.x[r.x.length - 1];
  const f = r.loss[r.loss.length - 1];
  if (!Number.isFinite(f) || !x.every(Number.isFinite)) return -2;
  let best = -1;
  let bestD = radius;
  minima.forEach((m, k) => {
    const d = Math.hypot(x[0] - m[0], x[1] - m[1]);
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  });
  return best;
}
