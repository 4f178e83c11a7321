/**
 * Types of the test-function library (re-exported by `./index.ts`).
 *
 * @packageDocumentation
 */

/** Names of the test functions, one per registry entry. */
export type FunctionName =
  | "quadratic"
  | "cubic"
  | "rosenbrock"
  | "beale"
  | "booth"
  | "matyas"
  | "himmelblau"
  | "threeHumpCamel"
  | "sixHumpCamel"
  | "goldsteinPrice"
  | "rastrigin"
  | "ackley"
  | "styblinskiTang"
  | "levi13"
  | "easom"
  | "mccormick"
  | "saddle"
  | "monkeySaddle";

/** A function name, or `{ name, ...params }` (e.g. `{ name: "rosenbrock", a: 1, b: 10 }`). */
export type FunctionSpec = FunctionName | { name: FunctionName; [param: string]: unknown };

/** A minimum of a test function, in closed form or to full double precision. */
export interface Minimum {
  x: number[];
  value: number;
  kind: "global" | "local";
}

/** Where a gradient is written: any indexable, e.g. `number[]`, `Float64Array`, `Float32Array`. */
export interface GradOut {
  [i: number]: number;
  readonly length: number;
}

/** One instance of a test function: a name, resolved parameters, a dimension. */
export interface TestFunction {
  readonly name: FunctionName;
  /** Dimension of this instance. */
  readonly dim: number;
  /** Resolved parameters including defaults, e.g. `{ a: 1, b: 100 }`; `{}` for functions without parameters. */
  readonly params: Readonly<Record<string, number | number[]>>;
  /** True when value and gradient use only + − × (no `Math.cos`/`exp`/`sqrt`/`pow`). */
  readonly polynomial: boolean;
  /** Every known minimum of this instance in closed form (may be empty). */
  readonly minima: readonly Minimum[];
  /** Recommended 2-D plotting window (first two coordinates). */
  readonly domain: { x: [number, number]; y: [number, number] };
  /** Customary start point, length `dim`; never a minimum. */
  readonly start: number[];
  /**
   * f(x), with ∇f(x) written into `grad[0..dim)`. Always computed in f64,
   * whatever the arrays' type (a `Float32Array` grad rounds on store).
   * Non-finite coordinates are not rejected: NaN and ±Infinity propagate by
   * IEEE rules into the value and the gradient; this never throws for them.
   * @throws RangeError (field `x`) if `x.length !== dim`, (field `grad`) if `grad.length < dim`.
   */
  valueAndGrad(x: ArrayLike<number>, grad: GradOut): number;
  /** f(x); bit-identical to the value returned by {@link valueAndGrad}. */
  value(x: ArrayLike<number>): number;
}
