// The run engine: whole trajectories without returning to JS between steps,
// for one run or a batch of them. The step loop and the stopping rules are
// those of src/run.ts (`drive`, `StopRule`, `Recorder`), in the same order.
//
// Layout (run-major): run r's point is dim elements of T at x + r·dim·sizeof<T>;
// g and the state buffers b0..b2 alike. Runs are split into groups, each with
// its own coefficient plan (the per-step scalars from the shared TypeScript
// coefficient code): row t of group k is K f64s at coef + ((k·steps + t)·K)·8.
// The bindings pad every group to a multiple of the lane count, so one v128
// never mixes two plans: within a group, SIMD lanes carry independent runs.
import { fnValueGrad } from "./fns/index";
import { optimizerStep } from "./optim/dispatch";

export const STOP_STEPS = 0;
export const STOP_TOL = 1;
export const STOP_DIVERGED = 2;

export const RECORD_ALL = 0;
export const RECORD_LOSS = 1;
export const RECORD_FINAL = 2;

/**
 * Runs nRuns trajectories of `steps` steps.
 * groups: i32 pairs [firstRun, endRun) per group (nGroups of them).
 * tol < 0: no early stopping.
 * work: scratch for 3·nRuns f64 + nRuns i32 (losses, previous losses, calm counters, active flags).
 * Outputs (f64 unless said): xOut rows of dim (steps+1 per run for RECORD_ALL, else 2: first and last),
 * lossOut (steps+1 per run, or 2 for RECORD_FINAL), stepsOut (i32 per run), reasonOut (i32 per run).
 */
// @ts-ignore: decorator
@inline function runBatch<T>(fnId: i32, fnParams: usize, dim: i32, optId: i32, nRuns: i32,
  x: usize, g: usize, b0: usize, b1: usize, b2: usize, groups: usize, nGroups: i32, coef: usize, K: i32, steps: i32,
  tol: f64, patience: i32, record: i32, xOut: usize, lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize): void {
  const loss = work;
  const prev = work + (<usize>nRuns << 3);
  const calm = work + (<usize>nRuns << 4);
  const active = calm + (<usize>nRuns << 2);
  const rowBytes = <usize>dim * sizeof<T>();
  const rows = record == RECORD_ALL ? steps + 1 : 2;
  const lossRows = record == RECORD_FINAL ? 2 : steps + 1;

  for (let r = 0; r < nRuns; r++) {
    const xr = x + <usize>r * rowBytes;
    const f = fnValueGrad<T>(fnId, fnParams, xr, g + <usize>r * rowBytes, dim);
    store<f64>(loss + (<usize>r << 3), f);
    store<f64>(prev + (<usize>r << 3), NaN);
    store<i32>(calm + (<usize>r << 2), 0);
    store<i32>(active + (<usize>r << 2), 1);
    recordPoint<T>(xr, dim, f, r, 0, rows, lossRows, xOut, lossOut);
  }

  let t = 0;
  for (; t < steps; t++) {
    let any = false;
    for (let r = 0; r < nRuns; r++) {
      if (!load<i32>(active + (<usize>r << 2))) continue;
      const why = check(load<f64>(loss + (<usize>r << 3)), r, prev, calm, tol, patience);
      if (why != STOP_STEPS) {
        store<i32>(active + (<usize>r << 2), 0);
        store<i32>(reasonOut + (<usize>r << 2), why);
        store<i32>(stepsOut + (<usize>r << 2), t);
      } else any = true;
    }
    if (!any) break;
    for (let k = 0; k < nGroups; k++) {
      const first = load<i32>(groups + (<usize>k << 3));
      const end = load<i32>(groups + (<usize>k << 3) + 4);
      const off = <usize>first * rowBytes;
      optimizerStep<T>(optId, x + off, g + off, b0 ? b0 + off : 0, b1 ? b1 + off : 0, b2 ? b2 + off : 0, (end - first) * dim,
        coef + ((<usize>k * <usize>steps + <usize>t) * <usize>K << 3));
    }
    for (let r = 0; r < nRuns; r++) {
      if (!load<i32>(active + (<usize>r << 2))) continue;
      const xr = x + <usize>r * rowBytes;
      const f = fnValueGrad<T>(fnId, fnParams, xr, g + <usize>r * rowBytes, dim);
      store<f64>(loss + (<usize>r << 3), f);
      recordPoint<T>(xr, dim, f, r, t + 1, rows, lossRows, xOut, lossOut);
    }
  }
  for (let r = 0; r < nRuns; r++) {
    if (!load<i32>(active + (<usize>r << 2))) continue;
    store<i32>(stepsOut + (<usize>r << 2), t);
    const why = check(load<f64>(loss + (<usize>r << 3)), r, prev, calm, tol, patience);
    store<i32>(reasonOut + (<usize>r << 2), why == STOP_DIVERGED ? STOP_DIVERGED : STOP_STEPS);
  }
}

/** StopRule.check of src/run.ts for run r. */
// @ts-ignore: decorator
@inline function check(f: f64, r: i32, prev: usize, calm: usize, tol: f64, patience: i32): i32 {
  if (!isFinite<f64>(f)) return STOP_DIVERGED;
  if (tol >= 0) {
    const pp = prev + (<usize>r << 3), cp = calm + (<usize>r << 2);
    const c = abs<f64>(f - load<f64>(pp)) < tol ? load<i32>(cp) + 1 : 0;
    store<i32>(cp, c);
    store<f64>(pp, f);
    if (c >= patience) return STOP_TOL;
  }
  return STOP_STEPS;
}

/** Recorder.point of src/run.ts: point t of run r (later points overwrite row 1 when only the last is kept). */
// @ts-ignore: decorator
@inline function recordPoint<T>(xr: usize, dim: i32, f: f64, r: i32, t: i32, rows: i32, lossRows: i32, xOut: usize, lossOut: usize): void {
  const row = t < rows ? t : 1;
  const dst = xOut + ((<usize>r * <usize>rows + <usize>row) * <usize>dim << 3);
  for (let j = 0; j < dim; j++) store<f64>(dst + (<usize>j << 3), <f64>load<T>(xr + (<usize>j * sizeof<T>())));
  const lrow = t < lossRows ? t : 1;
  store<f64>(lossOut + ((<usize>r * <usize>lossRows + <usize>lrow) << 3), f);
}

export function runBatchF32(fnId: i32, fnParams: usize, dim: i32, optId: i32, nRuns: i32, x: usize, g: usize, b0: usize, b1: usize,
  b2: usize, groups: usize, nGroups: i32, coef: usize, K: i32, steps: i32, tol: f64, patience: i32, record: i32, xOut: usize,
  lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize): void {
  runBatch<f32>(fnId, fnParams, dim, optId, nRuns, x, g, b0, b1, b2, groups, nGroups, coef, K, steps, tol, patience, record, xOut,
    lossOut, stepsOut, reasonOut, work);
}
export function runBatchF64(fnId: i32, fnParams: usize, dim: i32, optId: i32, nRuns: i32, x: usize, g: usize, b0: usize, b1: usize,
  b2: usize, groups: usize, nGroups: i32, coef: usize, K: i32, steps: i32, tol: f64, patience: i32, record: i32, xOut: usize,
  lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize): void {
  runBatch<f64>(fnId, fnParams, dim, optId, nRuns, x, g, b0, b1, b2, groups, nGroups, coef, K, steps, tol, patience, record, xOut,
    lossOut, stepsOut, reasonOut, work);
}
