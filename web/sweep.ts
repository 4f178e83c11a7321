/** Messages between the page and the sweep worker. */
import type { FunctionSpec, OptimizerName } from "optimlab";

export interface SweepRequest {
  id: number;
  backend: "wasm" | "js";
  fn: FunctionSpec;
  x0: [number, number];
  steps: number;
  dtype: "f32" | "f64";
  optimizer: { name: OptimizerName; options: Record<string, unknown> };
  y: "beta1" | "momentum" | "alpha" | "rho";
  beta2Default: [number, number];
  lrs: number[];
  ys: number[];
}

export type SweepMessage =
  | { id: number; type: "progress"; done: number; total: number }
  | { id: number; type: "done"; losses: Float64Array; ms: number; steps: number; backend: string }
  | { id: number; type: "error"; message: string };

/** n learning rates, log-spaced over [lo, hi]. */
export function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}

/** n cell centres over [lo, hi). */
export function cellCentres(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => lo + ((j + 0.5) * (hi - lo)) / n);
}
