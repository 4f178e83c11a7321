/**
 * Small dense networks trained by optimlab's optimizers: models, losses,
 * data sets, training specs and the reference engine. The wasm backend runs
 * the same trainer on its SIMD kernels (`backend.createTrainer`,
 * `backend.train`).
 *
 * @packageDocumentation
 */
import { allocate, type DType, type FloatArray, type ParamTensor } from "../api.js";
import { createOptimizer } from "../optim/index.js";
import { referenceKernels } from "./reference.js";
import { normalizeTrainSpec, type NormalizedTrainSpec, type TrainSpec } from "./spec.js";
import { createTrainerWith, Trainer, type TrainerBackend, type TrainResult } from "./trainer.js";

export * from "./spec.js";
export * from "./trainer.js";
export {
  datasetNames,
  generateDataset,
  explicitDataset,
  DATA_DEFAULTS,
  type DatasetName,
  type DataSpec,
  type Dataset,
  type DataSplit,
  type GeneratedDataSpec,
  type ExplicitDataSpec,
} from "./data.js";
export { initSchemes, initialParams, paramShapes, type InitScheme } from "./init.js";
export type { KernelSet, LayerParams } from "./network.js";
export { referenceKernels } from "./reference.js";

/** A parameter tensor of plain typed arrays (what the reference trainer updates). */
function plainParam(dtype: DType, init: number | ArrayLike<number>): ParamTensor {
  let data: FloatArray | undefined = allocate(dtype, typeof init === "number" ? init : init.length);
  let grad: FloatArray | undefined = allocate(dtype, data.length);
  if (typeof init !== "number") data.set(init);
  const length = data.length;
  return {
    dtype,
    length,
    get data() {
      if (!data) throw new Error("this tensor was disposed");
      return data;
    },
    get grad() {
      if (!grad) throw new Error("this tensor was disposed");
      return grad;
    },
    get disposed() {
      return !data;
    },
    dispose() {
      data = grad = undefined;
    },
  };
}

/** The reference engine's parts: plain typed arrays, the reference optimizers and kernels. */
export const referenceTrainerBackend: TrainerBackend<FloatArray, Int32Array> = {
  param: plainParam,
  createOptimizer,
  kernels: referenceKernels,
  paramBuffers: (p) => ({ data: p.data, grad: p.grad }),
};

/** A trainer on the reference engine (pure TypeScript). */
export function createTrainer(spec: TrainSpec): Trainer<FloatArray, Int32Array> {
  return createTrainerWith(referenceTrainerBackend, spec);
}

/** Validates and runs a whole training on the reference engine. */
export function train(spec: TrainSpec): TrainResult {
  return trainNormalized(referenceTrainerBackend, normalizeTrainSpec(spec));
}

/** Runs a validated spec on the given backend parts and frees everything after. */
export function trainNormalized<B, I>(backend: TrainerBackend<B, I>, spec: NormalizedTrainSpec): TrainResult {
  const t = new Trainer(spec, backend);
  try {
    return t.run();
  } finally {
    t.dispose();
  }
}
