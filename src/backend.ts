/**
 * The Backend interface: everything a user computes with, behind one object,
 * so a caller can switch between the reference ("js") and the WebAssembly
 * core ("wasm") without changing code. This file holds the reference one.
 */
import type { DType, FloatArray, Param } from "./api.js";
import { allocate } from "./api.js";
import { check, rangeError } from "./errors.js";
import { createFunction, grid, type FunctionSpec, type TestFunction } from "./functions/index.js";
import { createOptimizer, type OptimizerName } from "./optim/index.js";
import type { Optimizer } from "./optim/optimizer.js";
import { normalizeSpec, runReference, type BackendName, type RunResult, type RunSpec } from "./run.js";
import { under } from "./errors.js";

export interface Backend {
  readonly name: BackendName;
  /** A zeroed array (or a copy of `data`) in memory the backend's kernels can use. */
  array(dtype: DType, lengthOrData: number | ArrayLike<number>): FloatArray;
  createOptimizer(name: OptimizerName, params: Param[], options?: Record<string, unknown>): Optimizer;
  createFunction(spec: FunctionSpec, dim?: number): TestFunction;
  /** f over an nx × ny grid, row-major with y outer (see `grid` in functions). */
  grid(fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): Float64Array;
  run(spec: RunSpec): RunResult;
  runMany(specs: RunSpec[]): RunResult[];
}

/** The pure-TypeScript reference backend. */
export const jsBackend: Backend = {
  name: "js",
  array(dtype, lengthOrData) {
    if (typeof lengthOrData === "number") {
      check.number("length", lengthOrData, { min: 0, integer: true });
      return allocate(dtype, lengthOrData);
    }
    if (lengthOrData == null || typeof lengthOrData.length !== "number") throw rangeError("data", "must be a length or an array of numbers");
    const a = allocate(dtype, lengthOrData.length);
    a.set(lengthOrData);
    return a;
  },
  createOptimizer,
  createFunction,
  grid,
  run: (spec) => runReference(normalizeSpec(spec)),
  runMany: (specs) => check.array("specs", specs).map((s, i) => under(`specs[${i}]`, () => normalizeSpec(s))).map(runReference),
};
