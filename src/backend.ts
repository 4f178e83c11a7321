/**
 * The Backend interface: everything a user computes with, behind one object,
 * so a caller can switch between the reference ("js") and the WebAssembly
 * core ("wasm") without changing code. This file holds the reference one.
 */
import type { DType, FloatArray, Param, ParamTensor, Tensor } from "./api.js";
import { allocate } from "./api.js";
import { check, rangeError } from "./errors.js";
import { createFunction, grid, type FunctionSpec, type TestFunction } from "./functions/index.js";
import { createTrainer, train, type Trainer, type TrainResult, type TrainSpec } from "./models/index.js";
import { createOptimizer, type OptimizerName } from "./optim/index.js";
import type { Optimizer } from "./optim/optimizer.js";
import { normalizeSpec, normalizeSpecs, runReference, type BackendName, type RunResult, type RunSpec } from "./run.js";

export interface Backend {
  readonly name: BackendName;
  /** A tensor in the backend's memory: zeros of a length, or a copy of values. */
  tensor(dtype: DType, init: number | ArrayLike<number>): Tensor;
  /** A parameter (data from `init`, zero gradient) in the backend's memory: what its optimizers update fastest. */
  param(dtype: DType, init: number | ArrayLike<number>): ParamTensor;
  createOptimizer(name: OptimizerName, params: Param[], options?: Record<string, unknown>): Optimizer;
  createFunction(spec: FunctionSpec, dim?: number): TestFunction;
  /** f over an nx × ny grid, row-major with y outer (see `grid` in functions). */
  grid(fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): Float64Array;
  run(spec: RunSpec): RunResult;
  runMany(specs: RunSpec[]): RunResult[];
  /** A network trainer on this backend (src/models/trainer.ts): step it, read it, dispose it. */
  createTrainer(spec: TrainSpec): Trainer;
  /** Validates and runs a whole training (the `optimlab train` contract). */
  train(spec: TrainSpec): TrainResult;
}

/** The pure-TypeScript reference backend. */
export const jsBackend: Backend = {
  name: "js",
  tensor: (dtype, init) => new JsTensor(dtype, init),
  param(dtype, init) {
    const data = new JsTensor(dtype, init);
    const grad = new JsTensor(dtype, data.length);
    return {
      dtype,
      length: data.length,
      get data() { return data.data; },
      get grad() { return grad.data; },
      get disposed() { return data.disposed; },
      dispose() { data.dispose(); grad.dispose(); },
    };
  },
  createOptimizer,
  createFunction,
  grid,
  run: (spec) => runReference(normalizeSpec(spec)),
  runMany: (specs) => normalizeSpecs(specs).map(runReference),
  createTrainer,
  train,
};

/** Checks a tensor's initialiser: a length, or values; returns the length. */
export function tensorLength(init: unknown): number {
  if (typeof init === "number") return check.number("length", init, { min: 0, max: 2 ** 30, integer: true });
  if (init == null || typeof (init as ArrayLike<number>).length !== "number") throw rangeError("data", "must be a length or an array of numbers");
  return (init as ArrayLike<number>).length;
}

/** A tensor of the reference backend: a plain typed array (dispose only marks it). */
class JsTensor implements Tensor {
  readonly dtype: DType;
  readonly length: number;
  private a: FloatArray | undefined;
  constructor(dtype: DType, init: number | ArrayLike<number>) {
    this.dtype = check.oneOf("dtype", dtype, ["f32", "f64"] as const);
    this.length = tensorLength(init);
    this.a = allocate(dtype, this.length);
    if (typeof init !== "number") this.a.set(init);
  }
  get data(): FloatArray {
    if (!this.a) throw new Error("this tensor was disposed");
    return this.a;
  }
  get disposed(): boolean {
    return !this.a;
  }
  dispose(): void {
    this.a = undefined;
  }
}
