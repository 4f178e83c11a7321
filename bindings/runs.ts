/**
 * Runs inside WebAssembly. Specs that share a function, dimension, dtype,
 * algorithm, step count and recording rules form one batch: one call into the
 * core runs all of them to the end. Within a batch, specs with the same
 * optimizer and scheduler options form a group that shares one coefficient
 * plan (computed by the reference's own Optimizer and scheduler code, see
 * src/plan.ts); each group is padded to a multiple of the SIMD lane count so
 * a v128 never mixes plans, and its lanes carry independent runs.
 *
 * Specs with `reduceLROnPlateau` (its lr depends on the losses) run step by
 * step: wasm kernels, driven from JS.
 */
import type { FloatArray } from "../src/api.js";
import { createFunction } from "../src/functions/index.js";
import { resolveOptimizer } from "../src/optim/index.js";
import { coefficientPlan, plannable, type CoefficientPlan } from "../src/plan.js";
import { drive, type NormalizedSpec, type RunResult } from "../src/run.js";
import { createScheduler } from "../src/schedulers/index.js";
import type { StopReason } from "../src/api.js";
import { functionArgs, wasmFunction } from "./functions.js";
import { KERNEL_TABLE } from "./kernels.js";
import type { Core } from "./module.js";
import { WasmOptimizer } from "./optimizer.js";
import { initTensor, WasmParam } from "./tensor.js";

const RECORD_CODE = { all: 0, loss: 1, final: 2 } as const;
const REASONS: StopReason[] = ["steps", "tol", "diverged"];

type Kernel = (...args: number[]) => void;

/** Runs every spec; results in the order of `specs`. */
export function wasmRunMany(core: Core, specs: NormalizedSpec[]): RunResult[] {
  const results: RunResult[] = new Array(specs.length);
  const batches = new Map<string, number[]>();
  specs.forEach((s, i) => {
    if (!plannable(s)) {
      results[i] = runStepwise(core, s);
      return;
    }
    const fn = createFunction(s.function, s.x0.length);
    const key = JSON.stringify([fn.name, fn.params, fn.dim, s.dtype, resolveOptimizer(s.optimizer.name, {}).def.name, s.steps, s.record, s.tol ?? null, s.patience ?? null]);
    const list = batches.get(key);
    if (list) list.push(i);
    else batches.set(key, [i]);
  });
  for (const indices of batches.values()) {
    const out = runBatch(core, indices.map((i) => specs[i]));
    indices.forEach((i, k) => (results[i] = out[k]));
  }
  return results;
}

/** One step at a time, for specs whose coefficients cannot be planned. */
export function runStepwise(core: Core, spec: NormalizedSpec): RunResult {
  const fn = createFunction(spec.function, spec.x0.length);
  const p = initTensor(new WasmParam(core, spec.dtype, fn.dim), spec.x0);
  const { name, ...options } = spec.optimizer;
  const r = resolveOptimizer(name, options);
  const opt = new WasmOptimizer(core, name, r.def, [p], r.options);
  try {
    const sched = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
    return drive(spec, wasmFunction(core, spec.function, fn.dim), p, opt, sched);
  } finally {
    opt.dispose();
    p.dispose();
  }
}

/** Specs of one batch (same function, dim, dtype, algorithm, steps, record, tol, patience). */
function runBatch(core: Core, specs: NormalizedSpec[]): RunResult[] {
  const s0 = specs[0];
  const fn = createFunction(s0.function, s0.x0.length);
  const dim = fn.dim, steps = s0.steps, dtype = s0.dtype;
  const size = dtype === "f32" ? 4 : 8;
  const lanes = 16 / size;

  // Group by options; every group gets one plan and is padded to whole vectors.
  const groupsByKey = new Map<string, number[]>();
  specs.forEach((s, i) => {
    const key = JSON.stringify([s.optimizer, s.scheduler ?? null]);
    const g = groupsByKey.get(key);
    if (g) g.push(i);
    else groupsByKey.set(key, [i]);
  });
  const groups = [...groupsByKey.values()];
  const groupOf: number[] = new Array(specs.length);
  groups.forEach((grp, j) => grp.forEach((i) => (groupOf[i] = j)));
  const plans: CoefficientPlan[] = groups.map((g) => coefficientPlan(specs[g[0]]));
  const algorithm = plans[0].algorithm;
  const table = KERNEL_TABLE[algorithm];
  const K = table.scalars.length;
  /** Lane slot of every spec, and the spec each slot carries (padding repeats a group's first spec). */
  const slotOf: number[] = new Array(specs.length);
  const slotSpec: number[] = [];
  const bounds: number[] = [];
  for (const g of groups) {
    const first = slotSpec.length;
    g.forEach((i) => {
      slotOf[i] = slotSpec.length;
      slotSpec.push(i);
    });
    while (slotSpec.length % lanes) slotSpec.push(g[0]);
    bounds.push(first, slotSpec.length);
  }
  const nRuns = slotSpec.length;
  const rows = s0.record === "all" ? steps + 1 : 2;
  const lossRows = s0.record === "final" ? 2 : steps + 1;
  const usedBuffers = new Set(plans.flatMap((p) => p.buffers));

  const { arena, memory } = core;
  const blocks: number[] = [];
  const alloc = (bytes: number) => {
    const p = arena.alloc(bytes);
    blocks.push(p);
    return p;
  };
  try {
    const elems = nRuns * dim;
    const x = alloc(elems * size), g = alloc(elems * size);
    const bufPtrs = [0, 0, 0];
    table.buffers.forEach((b, k) => {
      if (usedBuffers.has(b)) bufPtrs[k] = alloc(elems * size);
    });
    const args = functionArgs(fn);
    const params = alloc(Math.max(1, args.params.length) * 8);
    const groupsPtr = alloc(bounds.length * 4);
    const coef = alloc(Math.max(1, groups.length * steps * K) * 8);
    const work = alloc(nRuns * (3 * 8 + 4));
    const xOut = alloc(nRuns * rows * dim * 8);
    const lossOut = alloc(nRuns * lossRows * 8);
    const stepsOut = alloc(nRuns * 4), reasonOut = alloc(nRuns * 4);

    // Every allocation is done: views made from here on stay valid until the kernel returns.
    const view = (ptr: number, n: number): FloatArray => (dtype === "f32" ? new Float32Array(memory.buffer, ptr, n) : new Float64Array(memory.buffer, ptr, n));
    const xs = view(x, elems);
    slotSpec.forEach((i, r) => xs.set(specs[i].x0, r * dim));
    view(g, elems).fill(0);
    table.buffers.forEach((b, k) => {
      if (!bufPtrs[k]) return;
      const v = view(bufPtrs[k], elems);
      groups.forEach((_g, j) => v.fill(plans[j].initialValues[b] ?? 0, bounds[2 * j] * dim, bounds[2 * j + 1] * dim));
    });
    new Float64Array(memory.buffer, params, args.params.length).set(args.params);
    new Int32Array(memory.buffer, groupsPtr, bounds.length).set(bounds);
    const c = new Float64Array(memory.buffer, coef, groups.length * steps * K);
    // Plain loops: this copy runs K times per step of every run, and closures per element cost a third of a short run.
    const scalars = table.scalars;
    for (let j = 0; j < plans.length; j++) {
      const rowsOfPlan = plans[j].coefficients;
      for (let t = 0; t < rowsOfPlan.length; t++) {
        const row = rowsOfPlan[t];
        const base = (j * steps + t) * K;
        for (let k = 0; k < K; k++) c[base + k] = row[scalars[k]];
      }
    }

    const kernel = (core.exports as unknown as Record<string, Kernel>)[dtype === "f32" ? "runBatchF32" : "runBatchF64"];
    kernel(args.id, params, dim, table.id, nRuns, x, g, bufPtrs[0], bufPtrs[1], bufPtrs[2], groupsPtr, groups.length, coef, K, steps,
      s0.tol ?? -1, s0.patience ?? 1, RECORD_CODE[s0.record], xOut, lossOut, stepsOut, reasonOut, work);

    const X = new Float64Array(memory.buffer, xOut, nRuns * rows * dim);
    const L = new Float64Array(memory.buffer, lossOut, nRuns * lossRows);
    const S = new Int32Array(memory.buffer, stepsOut, nRuns);
    const R = new Int32Array(memory.buffer, reasonOut, nRuns);
    return specs.map((_s, i) => {
      const r = slotOf[i];
      const j = groupOf[i];
      const taken = S[r];
      const points = s0.record === "all" ? taken + 1 : Math.min(2, taken + 1);
      const losses = s0.record === "final" ? Math.min(2, taken + 1) : taken + 1;
      const xRows: number[][] = [];
      for (let t = 0; t < points; t++) xRows.push(Array.from(X.subarray((r * rows + t) * dim, (r * rows + t + 1) * dim)));
      return {
        x: xRows,
        loss: Array.from(L.subarray(r * lossRows, r * lossRows + losses)),
        lr: plans[j].lr.slice(0, taken),
        steps: taken,
        stopReason: REASONS[R[r]],
      };
    });
  } finally {
    for (const p of blocks) arena.release(p);
  }
}
