/**
 * The Backend interface: everything a user computes with, behind one object,
 * so a caller can switch between the reference ("js") and the WebAssembly
 * core ("wasm") without changing code. This file holds the reference one.
 */
import type { DType, FloatArray, Param, ParamTensor, Tensor } from "./api.js";
import { allocate } from "./api.js";
import { check, rangeError, show, typeError } from "./errors.js";
import { createFunction, grid, type FunctionSpec, type TestFunction } from "./functions/index.js";
import { TensorLedger, type MemoryInfo } from "./ledger.js";
import { createTrainer, train, type Trainer, type TrainResult, type TrainSpec } from "./models/index.js";
import { createOptimizer, type OptimizerName, type OptionsOf } from "./optim/index.js";
import type { Optimizer } from "./optim/optimizer.js";
import { checkWithin, normalizeSpec, normalizeSpecs, runReference, type BackendName, type RunManyOptions, type RunResult, type RunSpec } from "./run.js";

export interface Backend {
  readonly name: BackendName;
  /**
   * A tensor holding a copy of `values` (a flat vector: tensors here have a
   * length, not a shape).
   * @example backend.fromValues("f32", [3, 4]) // two values, 3 and 4
   */
  fromValues(dtype: DType, values: ArrayLike<number>): Tensor;
  /** A tensor of `length` zeros. @example backend.zeros("f64", 1000) */
  zeros(dtype: DType, length: number): Tensor;
  /** A parameter (data + zero gradient) holding a copy of `values`: what optimizers update fastest. */
  paramFromValues(dtype: DType, values: ArrayLike<number>): ParamTensor;
  /** A parameter of `length` zeros with a zero gradient. */
  paramZeros(dtype: DType, length: number): ParamTensor;
  /**
   * A tensor from a length (zeros) or from values: `tensor("f32", 3)` is
   * three zeros, `tensor("f32", [3, 4])` the values 3 and 4. Prefer
   * {@link fromValues} and {@link zeros}, which cannot be misread as a shape.
   */
  tensor(dtype: DType, init: number | ArrayLike<number>): Tensor;
  /** A parameter from a length or from values, as {@link tensor}; prefer {@link paramFromValues} and {@link paramZeros}. */
  param(dtype: DType, init: number | ArrayLike<number>): ParamTensor;
  /** Live tensors made by this backend, their bytes, and the size of the wasm memory (0 on js). */
  memory(): MemoryInfo;
  /**
   * Runs `fn` and disposes the tensors and params it made and did not
   * return (returned ones, also inside arrays and plain objects, survive and
   * belong to an enclosing tidy). Nests; synchronous functions only.
   * Optimizers' own state is not a tensor here: dispose optimizers yourself.
   */
  tidy<T>(fn: () => T): T;
  /** An optimizer over `params`, options typed from its schema (see `OptionsOf`). */
  createOptimizer<N extends OptimizerName>(name: N, params: Param[], options?: OptionsOf<N>): Optimizer;
  createFunction(spec: FunctionSpec, dim?: number): TestFunction;
  /** f over an nx × ny grid, row-major with y outer (see `grid` in functions). */
  grid(fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): Float64Array;
  run(spec: RunSpec): RunResult;
  /** Runs every spec (validated first); `options.within` also finds each run's first step within ε of a value (`RunResult.reached`). */
  runMany(specs: RunSpec[], options?: RunManyOptions): RunResult[];
  /** A network trainer on this backend (src/models/trainer.ts): step it, read it, dispose it. */
  createTrainer(spec: TrainSpec): Trainer;
  /** Validates and runs a whole training (the `optimlab train` contract). */
  train(spec: TrainSpec): TrainResult;
}

/** Checks `values` of fromValues (an array, not a length); returns it. */
export function valuesArg(values: unknown): ArrayLike<number> {
  if (typeof values === "number")
    throw typeError("values", `must be an array of numbers; got the number ${values} (zeros(dtype, length) makes ${values} zeros)`);
  if (values == null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    throw typeError("values", `must be an array of numbers; got ${show(values)}`);
  }
  return values as ArrayLike<number>;
}

/** Checks `length` of zeros (a number, not a shape); returns it. */
export function lengthArg(length: unknown): number {
  if (typeof length !== "number") {
    throw typeError(
      "length",
      `must be a number: tensors are flat, so give a length, not a shape; got ${show(length)}${Array.isArray(length) ? " (fromValues(dtype, values) copies values)" : ""}`,
    );
  }
  return check.number("length", length, { min: 0, max: 2 ** 30, integer: true });
}

const jsLedger = new TensorLedger();

function jsParam(dtype: DType, init: number | ArrayLike<number>): ParamTensor {
  const data = new JsTensor(dtype, init);
  const grad = new JsTensor(dtype, data.length);
  const p: ParamTensor = {
    dtype,
    length: data.length,
    get data() {
      return data.data;
    },
    get grad() {
      return grad.data;
    },
    get disposed() {
      return data.disposed;
    },
    dispose() {
      if (data.disposed) return;
      jsLedger.removed(p);
      data.dispose();
      grad.dispose();
    },
  };
  return jsLedger.add(p, 2 * data.data.byteLength);
}

function jsTensor(dtype: DType, init: number | ArrayLike<number>): Tensor {
  const t = new JsTensor(dtype, init, jsLedger);
  return jsLedger.add(t, t.data.byteLength);
}

/** The pure-TypeScript reference backend. */
export const jsBackend: Backend = {
  name: "js",
  fromValues: (dtype, values) => jsTensor(dtype, valuesArg(values)),
  zeros: (dtype, length) => jsTensor(dtype, lengthArg(length)),
  paramFromValues: (dtype, values) => jsParam(dtype, valuesArg(values)),
  paramZeros: (dtype, length) => jsParam(dtype, lengthArg(length)),
  tensor: jsTensor,
  param: jsParam,
  memory: () => ({ tensors: jsLedger.tensors, bytes: jsLedger.bytes, wasmBytes: 0 }),
  tidy: (fn) => jsLedger.tidy(fn),
  createOptimizer,
  createFunction,
  grid,
  run: (spec) => runReference(normalizeSpec(spec)),
  runMany: (specs, options) => {
    const within = checkWithin(options);
    return normalizeSpecs(specs).map((s) => runReference(s, within));
  },
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
  constructor(
    dtype: DType,
    init: number | ArrayLike<number>,
    private readonly ledger?: TensorLedger,
  ) {
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
    if (!this.a) return;
    this.ledger?.removed(this);
    this.a = undefined;
  }
}
