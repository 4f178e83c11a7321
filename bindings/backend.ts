/**
 * The WebAssembly backend: the reference's API with the hot loops in the
 * SIMD core: optimizer steps, test functions, grids, and whole runs (see
 * runs.ts).
 */
import type { DType } from "../src/api.js";
import { tensorLength, type Backend } from "../src/backend.js";
import { isClosureDef, resolveOptimizer, type OptimizerName } from "../src/optim/index.js";
import { normalizeSpec, normalizeSpecs } from "../src/run.js";
import { wasmFunction, wasmGrid } from "./functions.js";
import type { Core } from "./module.js";
import { WasmOptimizer } from "./optimizer.js";
import { wasmRunMany } from "./runs.js";
import { initTensor, WasmParam, WasmTensor } from "./tensor.js";

export function wasmBackend(core: Core): Backend {
  return {
    name: "wasm",
    tensor: (dtype: DType, init) => initTensor(new WasmTensor(core, dtype, tensorLength(init)), init),
    param: (dtype: DType, init) => initTensor(new WasmParam(core, dtype, tensorLength(init)), init),
    createOptimizer(name: OptimizerName, params, options) {
      const r = resolveOptimizer(name, options ?? {});
      // A closure optimizer (L-BFGS) is the reference's own object over these params (see README, "L-BFGS on the wasm backend").
      return isClosureDef(r.def) ? r.def.create(name, params, r.options) : new WasmOptimizer(core, name, r.def, params, r.options);
    },
    createFunction: (spec, dim) => wasmFunction(core, spec, dim),
    grid: (fn, x, y, nx, ny) => wasmGrid(core, fn, x, y, nx, ny),
    run: (spec) => wasmRunMany(core, [normalizeSpec(spec)])[0],
    runMany: (specs) => wasmRunMany(core, normalizeSpecs(specs)),
  };
}
