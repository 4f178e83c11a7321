/**
 * Per-run numbers the report quotes: how fast a run reaches the minimum,
 * whether it overshoots, stalls, diverges or leaves the plotting window.
 *
 * @packageDocumentation
 */
import { createFunction, type FunctionSpec, type TestFunction } from "../functions/index.js";
import type { RunRecord, RunResult } from "../run.js";
import type { Point, Window } from "./common.js";

/** Thresholds of {@link summarize}. */
export const SUMMARY_DEFAULTS = Object.freeze({
  /** "Reached": |f(xₜ) − f*| < reachTol (the same 1e-3 as the library's comparison table). */
  reachTol: 1e-3,
  /** "Stalled": |∇f(xₜ)| < stallTol. */
  stallTol: 1e-3,
});

/** The point trajectories are measured against. */
export interface Reference extends Point {
  /** A minimum (reach and overshoot are measured) or another stationary point such as a saddle (overshoot only). */
  kind: "minimum" | "stationary";
}

export interface SummaryOptions {
  /** Default: the lowest listed minimum of the function (none for a saddle or an unbounded function). */
  reference?: Reference;
  reachTol?: number;
  stallTol?: number;
}

export interface RunSummary {
  /** Optimizer steps taken. */
  steps: number;
  stopReason: RunResult["stopReason"];
  /** f at the last recorded point (may be NaN or ±Infinity when diverged). */
  finalLoss: number;
  finalX: number[];
  /** Smallest finite loss along the run. */
  bestLoss: number;
  reference: Reference | null;
  /** Euclidean distance from the last point to the reference (NaN when it is not finite). */
  finalDistance: number | null;
  reachTol: number;
  /** First t with |f(xₜ) − f*| < reachTol (t = steps taken), or null: never, or no minimum. */
  reachedStep: number | null;
  overshoot: {
    /** Any coordinate of x − x* changed sign along the run. */
    crossed: boolean;
    /** Per coordinate: how many times xᵢ − x*ᵢ changed sign (zeros skipped). */
    signChanges: number[];
    /** Per coordinate: the first step at which it changed sign, or null. */
    firstCrossing: (number | null)[];
  } | null;
  stall: {
    tol: number;
    /** Number of recorded points with |∇f| < tol. */
    steps: number;
    /** First such point, or null. */
    first: number | null;
    /** Longest run of consecutive such points, and where it starts. */
    longest: number;
    longestStart: number | null;
  };
  diverged: boolean;
  window: Window;
  /** True when some point lies outside the window (or is not finite). */
  leftWindow: boolean;
  /** First such step, or null. */
  leftWindowStep: number | null;
}

function isTestFunction(f: TestFunction | FunctionSpec): f is TestFunction {
  return typeof f === "object" && f !== null && typeof (f as TestFunction).valueAndGrad === "function";
}

/** The lowest listed minimum, globals first. */
export function lowestMinimum(fn: TestFunction): Reference | null {
  if (fn.minima.length === 0) return null;
  const best = [...fn.minima].sort((a, b) => a.value - b.value || (a.kind === "global" ? -1 : 1))[0];
  return { x: [...best.x], value: best.value, kind: "minimum" };
}

/**
 * Summarizes a run recorded with `record: "all"` (every point is needed).
 *
 * @param run    the run's result
 * @param fn     the function it ran on (instance or spec)
 * @param window the plotting window (first two coordinates are checked)
 */
export function summarize(run: RunRecord, fn: TestFunction | FunctionSpec, window: Window, options: SummaryOptions = {}): RunSummary {
  if (run.x.length !== run.loss.length) {
    throw new RangeError(`run: summarize needs every point (record: "all"); got ${run.x.length} points for ${run.loss.length} losses`);
  }
  const f = isTestFunction(fn) ? fn : createFunction(fn, run.x[0].length);
  const reachTol = options.reachTol ?? SUMMARY_DEFAULTS.reachTol;
  const stallTol = options.stallTol ?? SUMMARY_DEFAULTS.stallTol;
  const ref = options.reference ?? lowestMinimum(f);
  const n = run.x.length;
  const last = run.x[n - 1];
  const finalLoss = run.loss[n - 1];

  let bestLoss = Infinity;
  for (const l of run.loss) if (Number.isFinite(l) && l < bestLoss) bestLoss = l;

  let reachedStep: number | null = null;
  if (ref && ref.kind === "minimum") {
    const i = run.loss.findIndex((l) => Math.abs(l - ref.value) < reachTol);
    reachedStep = i < 0 ? null : i;
  }

  let overshoot: RunSummary["overshoot"] = null;
  if (ref) {
    const dim = ref.x.length;
    const signChanges = new Array<number>(dim).fill(0);
    const firstCrossing: (number | null)[] = new Array(dim).fill(null);
    for (let i = 0; i < dim; i++) {
      let prev = 0;
      for (let t = 0; t < n; t++) {
        const d = run.x[t][i] - ref.x[i];
        if (!Number.isFinite(d) || d === 0) continue;
        const s = Math.sign(d);
        if (prev !== 0 && s !== prev) {
          signChanges[i]++;
          if (firstCrossing[i] === null) firstCrossing[i] = t;
        }
        prev = s;
      }
    }
    overshoot = { crossed: signChanges.some((c) => c > 0), signChanges, firstCrossing };
  }

  const g = new Float64Array(f.dim);
  let stallSteps = 0,
    first: number | null = null,
    longest = 0,
    longestStart: number | null = null,
    cur = 0;
  for (let t = 0; t < n; t++) {
    const x = run.x[t];
    let small = false;
    if (x.every(Number.isFinite)) {
      f.valueAndGrad(x, g);
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i] * g[i];
      small = Math.sqrt(s) < stallTol;
    }
    if (small) {
      stallSteps++;
      if (first === null) first = t;
      cur++;
      if (cur > longest) {
        longest = cur;
        longestStart = t - cur + 1;
      }
    } else cur = 0;
  }

  let leftWindowStep: number | null = null;
  for (let t = 0; t < n && leftWindowStep === null; t++) {
    const [px, py] = run.x[t];
    const inside =
      Number.isFinite(px) && px >= window.x[0] && px <= window.x[1] && (py === undefined || (Number.isFinite(py) && py >= window.y[0] && py <= window.y[1]));
    if (!inside) leftWindowStep = t;
  }

  let finalDistance: number | null = null;
  if (ref) {
    let s = 0;
    for (let i = 0; i < ref.x.length; i++) s += (last[i] - ref.x[i]) ** 2;
    finalDistance = Math.sqrt(s);
  }

  return {
    steps: run.steps,
    stopReason: run.stopReason,
    finalLoss,
    finalX: [...last],
    bestLoss,
    reference: ref,
    finalDistance,
    reachTol,
    reachedStep,
    overshoot,
    stall: { tol: stallTol, steps: stallSteps, first, longest, longestStart },
    diverged: run.stopReason === "diverged",
    window: { x: [...window.x], y: [...window.y] },
    leftWindow: leftWindowStep !== null,
    leftWindowStep,
  };
}
