/**
 * The WebAssembly backend: the reference's API with the hot loops in the
 * SIMD core. Functions, grids and runs use the core's kernels where it has
 * them and otherwise the reference code on wasm-backed arrays.
 */
import type { DType } from "../src/api.js";
import { tensorLength, type Backend } from "../src/backend.js";
import { check, under } from "../src/errors.js";
import { createFunction, grid } from "../src/functions/index.js";
import { resolveOptimizer, type OptimizerName } from "../src/optim/index.js";
import { drive, normalizeSpec, type NormalizedSpec, type RunResult } from "../src/run.js";
import { createScheduler } from "../src/schedulers.js";
import type { Core } from "./module.js";
import { WasmOptimizer } from "./optimizer.js";
import { initTensor, WasmParam, WasmTensor } from "./tensor.js";

export function wasmBackend(core: Core): Backend {
  const runOne = (spec: NormalizedSpec): RunResult => {
    const fn = createFunction(spec.function, spec.x0.length);
    const p = initTensor(new WasmParam(core, spec.dtype, fn.dim), spec.x0);
    const { name, ...options } = spec.optimizer;
    const r = resolveOptimizer(name, options);
    const opt = new WasmOptimizer(core, name, r.def, [p], r.options);
    try {
      const sched = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
      return drive(spec, fn, p, opt, sched);
    } finally {
      opt.dispose();
      p.dispose();
    }
  };
  return {
    name: "wasm",
    tensor: (dtype: DType, init) => initTensor(new WasmTensor(core, dtype, tensorLength(init)), init),
    param: (dtype: DType, init) => initTensor(new WasmParam(core, dtype, tensorLength(init)), init),
    createOptimizer(name: OptimizerName, params, options) {
      const r = resolveOptimizer(name, options ?? {});
      return new WasmOptimizer(core, name, r.def, params, r.options);
    },
    createFunction,
    grid,
    run: (spec) => runOne(normalizeSpec(spec)),
    runMany: (specs) => check.array("specs", specs).map((s, i) => under(`specs[${i}]`, () => normalizeSpec(s))).map(runOne),
  };
}
