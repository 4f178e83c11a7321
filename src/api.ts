/**
 * Shared types of optimlab. Defaults of optimizers live in their schemas
 * (`src/optim/*.ts`); defaults of runs live here.
 *
 * @packageDocumentation
 */

/** Element type of parameters, gradients and optimizer state. */
export type DType = "f32" | "f64";

/** A dense vector of either precision. */
export type FloatArray = Float32Array | Float64Array;

/**
 * One parameter tensor and its gradient: two flat arrays of the same length
 * and the same dtype. The optimizer updates `data` in place from `grad`.
 */
export interface Param {
  data: FloatArray;
  grad: FloatArray;
}

/** The dtype of a typed array, or `undefined` for anything else. */
export function dtypeOf(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Float64Array) return "f64";
  return undefined;
}

/** A new zeroed array of the given dtype. */
export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === "f32" ? new Float32Array(length) : new Float64Array(length);
}

/**
 * Rounding applied after every arithmetic operation of a reference update:
 * `Math.fround` for f32 (which gives exactly the IEEE single-precision result
 * for + − × ÷ √, the same as a wasm f32x4 lane), identity for f64.
 */
export type Round = (x: number) => number;

export const identity: Round = (x) => x;

export function roundFor(dtype: DType): Round {
  return dtype === "f32" ? Math.fround : identity;
}

/** Run defaults (see {@link RunSpec}). */
export const RUN_DEFAULTS = {
  dtype: "f32" as DType,
  record: "all" as RecordMode,
  patience: 1,
} as const;

/** What a run keeps: every point, every loss but only the first and last point, or only the first and last. */
export type RecordMode = "all" | "loss" | "final";

/** Why a run ended (`evals`: its `maxEvals` budget of function evaluations was reached). */
export type StopReason = "steps" | "tol" | "diverged" | "evals";

/**
 * An array owned by a backend. `data` is a view that is always current: on
 * the wasm backend, memory may move when it grows, so read `data` again after
 * any call into the backend instead of keeping an old view.
 */
export interface Tensor {
  readonly dtype: DType;
  readonly length: number;
  readonly data: FloatArray;
  readonly disposed: boolean;
  /** Frees the memory now (tensors that are forgotten are reclaimed later by the GC). Idempotent. */
  dispose(): void;
}

/** A parameter tensor owned by a backend: data and gradient, as {@link Param}. */
export interface ParamTensor extends Param {
  readonly dtype: DType;
  readonly length: number;
  readonly disposed: boolean;
  dispose(): void;
}
