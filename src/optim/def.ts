/**
 * What one optimizer is: an options schema, a coefficient function and an
 * element-wise update. The coefficient function computes, once per step and
 * in f64, every scalar that does not depend on the element (bias corrections,
 * step sizes, flags); both backends use it, so both see identical numbers.
 * The update is the readable reference of the algorithm; the WebAssembly
 * kernel repeats it operation for operation.
 */
import type { FloatArray, Round } from "../api.js";
import type { Options, Schema } from "./schema.js";

/** Per-step scalars, all plain numbers (flags as 0/1) so they can cross into wasm as f64. */
export type Coefficients = Record<string, number>;

/** Per-element state buffers of one parameter tensor, by name (`expAvg`, `expAvgSq`, …). */
export type Buffers = Record<string, FloatArray>;

export interface OptimizerDef<O extends Options = Options, C extends Coefficients = Coefficients> {
  /** Algorithm name (lower case, as in the CLI). */
  readonly name: string;
  readonly schema: Schema<O>;
  /** Which option OneCycleLR's momentum cycling writes (`betas` cycles β1). */
  readonly momentumOption: "momentum" | "betas" | undefined;
  /** Cross-option checks (e.g. Nesterov needs momentum and no dampening). */
  validate?(o: O): void;
  /** Names of the per-element buffers these options need, in a fixed order. */
  buffers(o: O): readonly string[];
  /** Initial value of a buffer's elements (0 unless said). */
  initialValue?(buffer: string, o: O): number;
  /** Optimizer-wide scalar state and its initial value (e.g. NAdam's μ product). */
  initialScalars?(): Record<string, number>;
  /**
   * Scalars for step `step` (1-based, counted like PyTorch's `state["step"]`).
   * May advance `scalars` (it is called exactly once per step).
   */
  coefficients(o: O, step: number, scalars: Record<string, number>): C;
  /** Reference update of one tensor, rounding with `fr` after every operation. */
  update(p: FloatArray, g: FloatArray, b: Buffers, c: C, fr: Round): void;
}

/** Identity for a definition, keeping its precise types. */
export function defineOptimizer<O extends Options, C extends Coefficients>(d: OptimizerDef<O, C>): OptimizerDef<O, C> {
  return d;
}
