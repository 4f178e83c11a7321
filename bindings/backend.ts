/**
 * The WebAssembly backend: the reference's API with the hot loops in the
 * SIMD core: optimizer steps, test functions, grids, and whole runs (see
 * runs.ts).
 */
import type { DType } from "../src/api.js";
import { lengthArg, tensorLength, valuesArg, type Backend } from "../src/backend.js";
import { isClosureDef, resolveOptimizer, type OptimizerName } from "../src/optim/index.js";
import { createTrainerWith, trainNormalized } from "../src/models/index.js";
import { normalizeTrainSpec } from "../src/models/spec.js";
import { checkWithin, normalizeSpec, normalizeSpecs } from "../src/run.js";
import { wasmFunction, wasmGrid } from "./functions.js";
import type { Core } from "./module.js";
import { wasmTrainerBackend } from "./models.js";
import { WasmOptimizer } from "./optimizer.js";
import { wasmRunMany } from "./runs.js";
import { initTensor, WasmParam, WasmTensor } from "./tensor.js";

export function wasmBackend(core: Core): Backend {
  const tensor = (dtype: DType, init: number | ArrayLike<number>) => initTensor(new WasmTensor(core, dtype, tensorLength(init), core.ledger), init);
  const param = (dtype: DType, init: number | ArrayLike<number>) => initTensor(new WasmParam(core, dtype, tensorLength(init), core.ledger), init);
  const backend: Backend = {
    name: "wasm",
    fromValues: (dtype, values) => tensor(dtype, valuesArg(values)),
    zeros: (dtype, length) => tensor(dtype, lengthArg(length)),
    paramFromValues: (dtype, values) => param(dtype, valuesArg(values)),
    paramZeros: (dtype, length) => param(dtype, lengthArg(length)),
    tensor,
    param,
    memory: () => ({ tensors: core.ledger.tensors, bytes: core.ledger.bytes, wasmBytes: core.memory.buffer.byteLength }),
    tidy: (fn) => core.ledger.tidy(fn),
    createOptimizer(name: OptimizerName, params, options) {
      const r = resolveOptimizer(name, (options ?? {}) as Record<string, unknown>);
      // A closure optimizer (L-BFGS) is the reference's own object over these params (see README, "L-BFGS on the wasm backend").
      return isClosureDef(r.def) ? r.def.create(name, params, r.options) : new WasmOptimizer(core, name, r.def, params, r.options);
    },
    createFunction: (spec, dim) => wasmFunction(core, spec, dim),
    grid: (fn, x, y, nx, ny) => wasmGrid(core, fn, x, y, nx, ny),
    run: (spec) => wasmRunMany(core, [normalizeSpec(spec)])[0],
    runMany: (specs, options) => {
      const within = checkWithin(options);
      return wasmRunMany(core, normalizeSpecs(specs), within);
    },
    createTrainer: (spec) => createTrainerWith(wasmTrainerBackend(core, backend), spec),
    train: (spec) => trainNormalized(wasmTrainerBackend(core, backend), normalizeTrainSpec(spec)),
  };
  return backend;
}
