// The run engine: whole trajectories without returning to JS between steps,
// for one run or a batch of them. The step loop and the stopping rules are
// those of src/run.ts (`drive`, `StopRule`, `Recorder`), in the same order.
//
// Layout (run-major): run r's point is dim elements of T at x + r·dim·sizeof<T>,
// and its gradient likewise in g. Runs are split into groups; each group has
// its own optimizer kernel, coefficient rows and state buffers (see GROUP_*):
// a plan made in JS (one row per step) or, for options fixed for the whole
// run, one row the core rewrites before each step from the group's inputs
// and power tables (optimizerCoefficients), or one row every step reads.
// The bindings pad every group to a multiple of the lane count, so one v128
// never mixes two plans: within a group, SIMD lanes carry independent runs.
import { fnValueGrad } from "./fns/index";
import { optimizerCoefficients, optimizerStep, optimizerStepLanes } from "./generated/dispatch";

export const STOP_STEPS = 0;
export const STOP_TOL = 1;
export const STOP_DIVERGED = 2;

export const RECORD_ALL = 0;
export const RECORD_LOSS = 1;
export const RECORD_FINAL = 2;

// One group: 16 i32s.
const GROUP_FIRST = 0; // first run
const GROUP_END = 1; // one past its last run
const GROUP_KERNEL = 2; // kernel id (assembly/generated/layout.ts)
const GROUP_ROW = 3; // row length K of its plan
const GROUP_PLAN = 4; // address of its plan: steps rows of K f64s (with inputs: one row, rewritten each step; with stride 0: one row)
const GROUP_BUFS = 5; // address of its buffer-pointer table (its own buffers, covering its runs)
const GROUP_INPUTS = 6; // 0, or the address of its coefficient inputs (optimizerCoefficients)
const GROUP_POWERS = 7; // with inputs: the address of its power-table pointers
const GROUP_NIN = 8; // inputs per run
const GROUP_NPOW = 9; // power tables per run
// 0, or (a lane group: fixed options differing per run) the address of every row slot as one T per element.
// Then INPUTS and POWERS hold one input set and power-pointer set per run, run after run, and PLAN two rows:
// the first run's (which the lane kernel reads for what every run shares) and one reused for the others.
const GROUP_LANES = 10;
const GROUP_STEP_SLOTS = 11; // a lane group: the address of its kernel's step-varying slots (i32s)
const GROUP_STEP_COUNT = 12; // and how many
const GROUP_STRIDE = 13; // f64s from one step's row to the next: K for a plan, 0 for one row every step reads
const GROUP_SIZE = 64;

// @ts-ignore: decorator
@inline function gi(groups: usize, k: i32, field: i32): i32 {
  return load<i32>(groups + <usize>k * GROUP_SIZE + (<usize>field << 2));
}

/**
 * Runs nRuns trajectories of `steps` steps. tol < 0: no early stopping.
 * live: i32 per run, 0 for a padding run (a copy that only fills a group's
 * last vector): it is never evaluated, its gradient stays 0 and nothing of
 * it is recorded or reported.
 * work: scratch for 3·nRuns f64 + nRuns i32 (losses, previous losses, calm counters, active flags).
 * Outputs (f64 unless said): xOut, rows of dim numbers: steps + 1 per run for RECORD_ALL; else 2, the first
 * point and the one where the run stopped, copied once when it stops. lossOut: steps + 1 per run, or 2 for
 * RECORD_FINAL. stepsOut, reasonOut: i32 per run. reachOut: 0, or i32 per run: the first point t with
 * f − withinValue ≤ withinEps (Recorder's `within` in src/run.ts), −1 when none.
 */
// @ts-ignore: decorator
@inline function runBatch<T>(fnId: i32, fnParams: usize, dim: i32, nRuns: i32, x: usize, g: usize, groups: usize, nGroups: i32,
  steps: i32, tol: f64, patience: i32, record: i32, xOut: usize, lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize, live: usize,
  withinValue: f64, withinEps: f64, reachOut: usize): void {
  const loss = work;
  const prev = work + (<usize>nRuns << 3);
  const calm = work + (<usize>nRuns << 4);
  const active = calm + (<usize>nRuns << 2);
  const rowBytes = <usize>dim * sizeof<T>();
  const rows = record == RECORD_ALL ? steps + 1 : 2;
  const lossRows = record == RECORD_FINAL ? 2 : steps + 1;

  for (let r = 0; r < nRuns; r++) {
    if (!load<i32>(live + (<usize>r << 2))) {
      store<i32>(active + (<usize>r << 2), 0);
      continue;
    }
    const xr = x + <usize>r * rowBytes;
    const f = fnValueGrad<T>(fnId, fnParams, xr, g + <usize>r * rowBytes, dim);
    store<f64>(loss + (<usize>r << 3), f);
    store<f64>(prev + (<usize>r << 3), NaN);
    store<i32>(calm + (<usize>r << 2), 0);
    store<i32>(active + (<usize>r << 2), 1);
    copyPoint<T>(xr, dim, xOut + (<usize>r * <usize>rows * <usize>dim << 3));
    store<f64>(lossOut + (<usize>r * <usize>lossRows << 3), f);
    if (reachOut) store<i32>(reachOut + (<usize>r << 2), f - withinValue <= withinEps ? 0 : -1);
  }

  // The stop check of point t (StopRule.check before step t + 1) is made right after the point is evaluated,
  // in the same pass: no other run's state enters it. The last point's check is the final loop's.
  let left = 0;
  if (steps > 0) {
    for (let r = 0; r < nRuns; r++) {
      if (load<i32>(active + (<usize>r << 2)) && !stops<T>(r, 0, loss, prev, calm, tol, patience, active, reasonOut, stepsOut, x, rowBytes, dim, record, xOut, lossOut)) left++;
    }
  }
  let t = 0;
  for (; t < steps && left > 0; t++) {
    for (let k = 0; k < nGroups; k++) {
      const first = gi(groups, k, GROUP_FIRST);
      const off = <usize>first * rowBytes;
      const kernel = gi(groups, k, GROUP_KERNEL);
      const K = gi(groups, k, GROUP_ROW);
      const inputs = <usize>gi(groups, k, GROUP_INPUTS), powers = <usize>gi(groups, k, GROUP_POWERS);
      const n = (gi(groups, k, GROUP_END) - first) * dim;
      let row = <usize>gi(groups, k, GROUP_PLAN);
      const laneRows = <usize>gi(groups, k, GROUP_LANES);
      if (laneRows) {
        writeLanes<T>(kernel, t + 1, gi(groups, k, GROUP_END) - first, dim, K, n, row, inputs, gi(groups, k, GROUP_NIN), powers, gi(groups, k, GROUP_NPOW), laneRows,
          <usize>gi(groups, k, GROUP_STEP_SLOTS), gi(groups, k, GROUP_STEP_COUNT));
        optimizerStepLanes<T>(kernel, x + off, g + off, <usize>gi(groups, k, GROUP_BUFS), n, laneRows, row);
        continue;
      }
      if (inputs) optimizerCoefficients(kernel, t + 1, inputs, powers, row);
      else row += (<usize>t * <usize>gi(groups, k, GROUP_STRIDE)) << 3;
      optimizerStep<T>(kernel, x + off, g + off, <usize>gi(groups, k, GROUP_BUFS), n, row);
    }
    left = 0;
    for (let r = 0; r < nRuns; r++) {
      if (!load<i32>(active + (<usize>r << 2))) continue;
      const xr = x + <usize>r * rowBytes;
      const f = fnValueGrad<T>(fnId, fnParams, xr, g + <usize>r * rowBytes, dim);
      store<f64>(loss + (<usize>r << 3), f);
      if (record == RECORD_ALL) copyPoint<T>(xr, dim, xOut + ((<usize>r * <usize>rows + <usize>(t + 1)) * <usize>dim << 3));
      if (record != RECORD_FINAL) store<f64>(lossOut + ((<usize>r * <usize>lossRows + <usize>(t + 1)) << 3), f);
      if (reachOut) {
        const at = reachOut + (<usize>r << 2);
        if (load<i32>(at) < 0 && f - withinValue <= withinEps) store<i32>(at, t + 1);
      }
      if (t + 1 < steps && !stops<T>(r, t + 1, loss, prev, calm, tol, patience, active, reasonOut, stepsOut, x, rowBytes, dim, record, xOut, lossOut)) left++;
    }
  }
  for (let r = 0; r < nRuns; r++) {
    if (!load<i32>(active + (<usize>r << 2))) continue;
    store<i32>(stepsOut + (<usize>r << 2), t);
    const f = load<f64>(loss + (<usize>r << 3));
    const why = check(f, r, prev, calm, tol, patience);
    store<i32>(reasonOut + (<usize>r << 2), why == STOP_DIVERGED ? STOP_DIVERGED : STOP_STEPS);
    finish<T>(x + <usize>r * rowBytes, dim, f, r, t, record, xOut, lossOut);
  }
}

/**
 * Step t's rows of a lane group's runs, each from its own inputs and power tables, spread to one T per element:
 * slot s of element e of run r at lanes + (s·n + r·dim + e)·sizeof<T>. At step 1 every slot is spread; later
 * only the slots that change with the step (the declaration's stepScalars: the others keep their step-1 values).
 */
// @ts-ignore: decorator
@inline function writeLanes<T>(kernel: i32, t: i32, runs: i32, dim: i32, K: i32, n: i32, rows: usize, inputs: usize, nIn: i32,
  powers: usize, nPow: i32, lanes: usize, stepSlots: usize, stepCount: i32): void {
  const size = <usize>sizeof<T>();
  const stride = <usize>n * size;
  for (let r = 0; r < runs; r++) {
    // The first run keeps its own row (the lane kernel reads it); the others share one, hot in cache.
    const row = r == 0 ? rows : rows + (<usize>K << 3);
    optimizerCoefficients(kernel, t, inputs + ((<usize>r * <usize>nIn) << 3), powers + ((<usize>r * <usize>nPow) << 2), row);
    const base = lanes + <usize>r * <usize>dim * size;
    if (t == 1) {
      for (let s = 0; s < K; s++) spread<T>(base + <usize>s * stride, dim, <T>load<f64>(row + (<usize>s << 3)));
    } else {
      for (let j = 0; j < stepCount; j++) {
        const s = load<i32>(stepSlots + (<usize>j << 2));
        spread<T>(base + <usize>s * stride, dim, <T>load<f64>(row + (<usize>s << 3)));
      }
    }
  }
}

/** v in dim consecutive Ts at `at` (a run's elements; 1 and 2 written out, the common cases). */
// @ts-ignore: decorator
@inline function spread<T>(at: usize, dim: i32, v: T): void {
  if (dim == 1) store<T>(at, v);
  else if (dim == 2) {
    store<T>(at, v);
    store<T>(at, v, sizeof<T>());
  } else for (let e = 0; e < dim; e++) store<T>(at + <usize>e * sizeof<T>(), v);
}

/** The stop check of run r at point t: true when it stops there (then it is ended: reason, steps, its last point). */
// @ts-ignore: decorator
@inline function stops<T>(r: i32, t: i32, loss: usize, prev: usize, calm: usize, tol: f64, patience: i32, active: usize, reasonOut: usize,
  stepsOut: usize, x: usize, rowBytes: usize, dim: i32, record: i32, xOut: usize, lossOut: usize): bool {
  const f = load<f64>(loss + (<usize>r << 3));
  const why = check(f, r, prev, calm, tol, patience);
  if (why == STOP_STEPS) return false;
  store<i32>(active + (<usize>r << 2), 0);
  store<i32>(reasonOut + (<usize>r << 2), why);
  store<i32>(stepsOut + (<usize>r << 2), t);
  finish<T>(x + <usize>r * rowBytes, dim, f, r, t, record, xOut, lossOut);
  return true;
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

/** Recorder.finish of src/run.ts: unless every point is kept, the last point (and, for RECORD_FINAL, its loss) goes to row 1. */
// @ts-ignore: decorator
@inline function finish<T>(xr: usize, dim: i32, f: f64, r: i32, taken: i32, record: i32, xOut: usize, lossOut: usize): void {
  if (record == RECORD_ALL || taken == 0) return;
  copyPoint<T>(xr, dim, xOut + ((<usize>r * 2 + 1) * <usize>dim << 3));
  if (record == RECORD_FINAL) store<f64>(lossOut + ((<usize>r * 2 + 1) << 3), f);
}

/** The dim elements of T at xr, widened to f64 at dst. */
// @ts-ignore: decorator
@inline function copyPoint<T>(xr: usize, dim: i32, dst: usize): void {
  // memory.copy is a call into the engine: for a few coordinates (a 2-D race) plain loads and stores are faster.
  if (sizeof<T>() == 8 && dim > 8) {
    memory.copy(dst, xr, <usize>dim << 3);
    return;
  }
  for (let j = 0; j < dim; j++) store<f64>(dst + (<usize>j << 3), <f64>load<T>(xr + (<usize>j * sizeof<T>())));
}

export function runBatchF32(fnId: i32, fnParams: usize, dim: i32, nRuns: i32, x: usize, g: usize, groups: usize, nGroups: i32,
  steps: i32, tol: f64, patience: i32, record: i32, xOut: usize, lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize, live: usize,
  withinValue: f64, withinEps: f64, reachOut: usize): void {
  runBatch<f32>(fnId, fnParams, dim, nRuns, x, g, groups, nGroups, steps, tol, patience, record, xOut, lossOut, stepsOut, reasonOut, work, live,
    withinValue, withinEps, reachOut);
}
export function runBatchF64(fnId: i32, fnParams: usize, dim: i32, nRuns: i32, x: usize, g: usize, groups: usize, nGroups: i32,
  steps: i32, tol: f64, patience: i32, record: i32, xOut: usize, lossOut: usize, stepsOut: usize, reasonOut: usize, work: usize, live: usize,
  withinValue: f64, withinEps: f64, reachOut: usize): void {
  runBatch<f64>(fnId, fnParams, dim, nRuns, x, g, groups, nGroups, steps, tol, patience, record, xOut, lossOut, stepsOut, reasonOut, work, live,
    withinValue, withinEps, reachOut);
}
