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

/**
 * A formula as a test function (see the README's "Your own function"):
 * `expr` in x, y (2-D) or x1 … xn (n-D); the rest optional.
 */
export interface FormulaSpec {
  expr: string;
  /** Shown in legends and titles (default: the formula's text). */
  label?: string;
  /** Plotting window of the first two coordinates; default [−4, 4] on both, grown to include the start. */
  domain?: { x: [number, number]; y: [number, number] };
  /** Default (−2, 2), or −2 in every coordinate of an x1 … xn formula. */
  start?: number[];
  /** Known minima; each value is computed from the formula. `kind` defaults to "global". */
  minima?: { x: number[]; kind?: "global" | "local" }[];
  /** Dimension of an x1 … xn formula when larger than its highest index. */
  dim?: number;
}

/** A function name, `{ name, ...params }` (e.g. `{ name: "rosenbrock", a: 1, b: 10 }`), or a formula `{ expr, ... }`. */
export type FunctionSpec = FunctionName | { name: FunctionName; [param: string]: unknown } | FormulaSpec;

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
  /** The built-in's name, or `"expr"` for a formula. */
  readonly name: FunctionName | "expr";
  /** Dimension of this instance. */
  readonly dim: number;
  /**
   * Resolved parameters including defaults, e.g. `{ a: 1, b: 100 }`; `{}` for
   * functions without parameters. A formula's is `{ tape }`: its compiled
   * form, the f64 array both interpreters read (src/expr/tape.ts).
   */
  readonly params: Readonly<Record<string, number | number[]>>;
  /**
   * True when value and gradient use only + − × (no `Math.cos`/`exp`/`sqrt`/`pow`);
   * for a formula: only + − × ÷, sqrt, abs, sign, min, max and integer powers
   * (IEEE-exact operations, so both backends agree bit for bit).
   */
  readonly polynomial: boolean;
  /** A formula's text (undefined for the built-ins). */
  readonly expr?: string;
  /** What legends and titles call a formula: its `label`, else its text (undefined for the built-ins). */
  readonly label?: string;
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
