/**
 * Test functions for the optimizers: value and analytic gradient in one
 * pass, closed-form minima, plotting windows, start points and grids.
 *
 * The registry below is table-driven: one {@link Entry} per function holds
 * its metadata and binds the kernel (in `./polynomial2d.ts`,
 * `./transcendental2d.ts`, `./nd.ts`) to the resolved parameters. Kernels
 * follow one operation-order convention so the AssemblyScript port can match
 * them bit for bit; see the header of `./polynomial2d.ts`.
 *
 * @packageDocumentation
 */

import { check, checkKnownKeys, rangeError, show, typeError } from "../errors.js";
import { ackleyValueAndGrad, quadraticValueAndGrad, rastriginValueAndGrad, rosenbrockValueAndGrad, styblinskiTangValueAndGrad } from "./nd.js";
import {
  bealeValueAndGrad,
  boothValueAndGrad,
  cubicValueAndGrad,
  goldsteinPriceValueAndGrad,
  himmelblauValueAndGrad,
  matyasValueAndGrad,
  monkeySaddleValueAndGrad,
  saddleValueAndGrad,
  sixHumpCamelValueAndGrad,
  threeHumpCamelValueAndGrad,
} from "./polynomial2d.js";
import { easomValueAndGrad, levi13ValueAndGrad, mccormickValueAndGrad } from "./transcendental2d.js";
import { createFormulaFunction, functionTitle, isFormulaSpec, parseFormula } from "../expr/index.js";
import type { FunctionName, FunctionSpec, GradOut, Minimum, TestFunction } from "./types.js";

export type { FormulaSpec, FunctionName, FunctionSpec, GradOut, Minimum, TestFunction } from "./types.js";
export { functionTitle, isFormulaSpec } from "../expr/index.js";

/** Resolved parameters of an instance. */
type Params = Record<string, number | number[]>;
/** A kernel bound to its dimension and parameters. */
type Kernel = (x: ArrayLike<number>, g: GradOut) => number;
type Window = { x: [number, number]; y: [number, number] };

/** A scalar parameter: default and allowed range (always finite). */
interface NumberParam {
  readonly default: number;
  readonly min?: number;
  readonly minExclusive?: boolean;
}

/** One registry row. */
interface Entry {
  /** Dimension chosen by the caller (N-D, at least `minDim`) or fixed at 2. */
  readonly nd: boolean;
  readonly minDim: number;
  readonly polynomial: boolean;
  /** Scalar parameters (empty for most 2-D functions). */
  readonly params: Readonly<Record<string, NumberParam>>;
  /** Non-scalar parameters resolved by hand (quadratic `weights`); returns the dimension too. */
  readonly resolve?: (raw: Record<string, unknown>, dim: number | undefined) => { dim: number; params: Params };
  readonly domain: Window;
  readonly start: (dim: number) => number[];
  readonly minima: (dim: number, p: Params) => Minimum[];
  readonly bind: (dim: number, p: Params) => Kernel;
}

/** The first coordinates from `head`, then `fill` (truncated to `dim`). */
function padded(head: readonly number[], fill = 0): (dim: number) => number[] {
  return (dim) => {
    const out: number[] = [];
    for (let i = 0; i < dim; i++) out.push(i < head.length ? head[i] : fill);
    return out;
  };
}

/** `pattern` repeated to length `dim`. */
function cycled(pattern: readonly number[]): (dim: number) => number[] {
  return (dim) => {
    const out: number[] = [];
    for (let i = 0; i < dim; i++) out.push(pattern[i % pattern.length]);
    return out;
  };
}

const square = (lo: number, hi: number): Window => ({ x: [lo, hi], y: [lo, hi] });
const glob = (x: number[], value: number): Minimum => ({ x, value, kind: "global" });
const loc = (x: number[], value: number): Minimum => ({ x, value, kind: "local" });
const none = (): Minimum[] => [];
const fill = (dim: number, v: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < dim; i++) out.push(v);
  return out;
};

/** Root of 4x³ − 32x + 5 near −2.9: the Styblinski–Tang coordinate of the global minimum. */
const ST_X = -2.903534027771177;
/** ½(x⁴ − 16x² + 5x) at {@link ST_X}: the minimum value per coordinate. */
const ST_VALUE = -39.16616570377142;

/** 2-D entry without parameters. */
function fixed2d(polynomial: boolean, kernel: Kernel, domain: Window, start: [number, number], minima: () => Minimum[]): Entry {
  return { nd: false, minDim: 2, polynomial, params: {}, domain, start: padded(start), minima, bind: () => kernel };
}

const num = (p: Params, k: string): number => p[k] as number;

const registry: Readonly<Record<FunctionName, Entry>> = {
  // Σ wᵢxᵢ²: 0.2x₁²+2x₂² is weights [0.2, 2]; the saddle −x²/2+y² is [-0.5, 1].
  // Start (3, 4), then 1 in every further coordinate.
  quadratic: {
    nd: true,
    minDim: 1,
    polynomial: true,
    params: {},
    resolve: (raw, dim) => {
      if (raw.weights === undefined) {
        const n = dim ?? 2;
        return { dim: n, params: { weights: fill(n, 1) } };
      }
      const v = raw.weights;
      if (!Array.isArray(v) && !(v instanceof Float64Array) && !(v instanceof Float32Array)) {
        throw typeError("weights", `must be an array of finite numbers; got ${show(v)}`);
      }
      const w = Array.from(v as ArrayLike<unknown>, (wi, i) => check.finite(`weights[${i}]`, wi));
      if (w.length === 0) throw rangeError("weights", "must have at least one element; got []");
      if (dim !== undefined && dim !== w.length) {
        throw rangeError("dim", `must equal weights.length (${w.length}) when both are given; got ${dim}`);
      }
      return { dim: w.length, params: { weights: w } };
    },
    domain: square(-5, 5),
    start: padded([3, 4], 1),
    minima: (dim, p) => ((p.weights as number[]).every((w) => w > 0) ? [glob(fill(dim, 0), 0)] : []),
    bind: (dim, p) => {
      const w = Float64Array.from(p.weights as number[]);
      return (x, g) => quadraticValueAndGrad(x, g, dim, w);
    },
  },
  cubic: fixed2d(true, cubicValueAndGrad, square(-3, 3), [2, 3], () => [loc([0, 0], 0)]),
  // Classic start (−1.2, 1), then 1 in every further coordinate.
  rosenbrock: {
    nd: true,
    minDim: 2,
    polynomial: true,
    params: { a: { default: 1 }, b: { default: 100, min: 0, minExclusive: true } },
    domain: { x: [-2, 2], y: [-1, 3] },
    start: padded([-1.2, 1], 1),
    minima: (dim, p) => {
      const a = num(p, "a");
      if (dim === 2) return [glob([a, a * a], 0)];
      // For n > 2 the all-a point is stationary only when a = a² (a = 0 or 1).
      return a === 0 || a === 1 ? [glob(fill(dim, a), 0)] : [];
    },
    bind: (dim, p) => {
      const a = num(p, "a");
      const b = num(p, "b");
      return (x, g) => rosenbrockValueAndGrad(x, g, dim, a, b);
    },
  },
  beale: fixed2d(true, bealeValueAndGrad, square(-4.5, 4.5), [1, 1], () => [glob([3, 0.5], 0)]),
  booth: fixed2d(true, boothValueAndGrad, square(-10, 10), [0, 0], () => [glob([1, 3], 0)]),
  matyas: fixed2d(true, matyasValueAndGrad, square(-10, 10), [8, 6], () => [glob([0, 0], 0)]),
  himmelblau: fixed2d(true, himmelblauValueAndGrad, square(-5, 5), [0, 0], () => [
    glob([3, 2], 0),
    glob([-2.8051180869527449, 3.131312518250573], 0),
    glob([-3.7793102533777469, -3.2831859912861694], 0),
    glob([3.5844283403304917, -1.8481265269644036], 0),
  ]),
  // Local minima at ±(x*, −x*/2), x* = √((4.2 + √3.64)/2).
  threeHumpCamel: fixed2d(true, threeHumpCamelValueAndGrad, square(-2, 2), [1.5, 1.5], () => [
    glob([0, 0], 0),
    loc([1.7475523458302889, -0.87377617291514445], 0.29863844223685982),
    loc([-1.7475523458302889, 0.87377617291514445], 0.29863844223685982),
  ]),
  // All six minima (Newton-solved to 40 digits, rounded to f64).
  sixHumpCamel: fixed2d(true, sixHumpCamelValueAndGrad, { x: [-3, 3], y: [-2, 2] }, [0.5, 1], () => [
    glob([0.089842013100318062, -0.71265640302073963], -1.0316284534898774),
    glob([-0.089842013100318062, 0.71265640302073963], -1.0316284534898774),
    loc([-1.7036067149699808, 0.79608356867262512], -0.21546382438371764),
    loc([1.7036067149699808, -0.79608356867262512], -0.21546382438371764),
    loc([1.6071047529201972, 0.56865145488413137], 2.1042503103112583),
    loc([-1.6071047529201972, -0.56865145488413137], 2.1042503103112583),
  ]),
  goldsteinPrice: fixed2d(true, goldsteinPriceValueAndGrad, square(-2, 2), [0.5, 0.5], () => [
    glob([0, -1], 3),
    loc([-0.6, -0.4], 30),
    loc([1.8, 0.2], 84),
    loc([1.2, 0.8], 840),
  ]),
  // Only the global minimum is listed (the local ones form a lattice).
  rastrigin: {
    nd: true,
    minDim: 1,
    polynomial: false,
    params: { A: { default: 10, min: 0 } },
    domain: square(-5.12, 5.12),
    start: cycled([-2, 3.5]),
    minima: (dim) => [glob(fill(dim, 0), 0)],
    bind: (dim, p) => {
      const A = num(p, "A");
      return (x, g) => rastriginValueAndGrad(x, g, dim, A);
    },
  },
  // Literature search domain is [−32.768, 32.768]ⁿ; the window shows the central well.
  ackley: {
    nd: true,
    minDim: 1,
    polynomial: false,
    params: { a: { default: 20, min: 0 }, b: { default: 0.2, min: 0, minExclusive: true }, c: { default: 2 * Math.PI } },
    domain: square(-5, 5),
    start: cycled([-3.3, 2.7]),
    minima: (dim) => [glob(fill(dim, 0), 0)],
    bind: (dim, p) => {
      const a = num(p, "a");
      const b = num(p, "b");
      const c = num(p, "c");
      return (x, g) => ackleyValueAndGrad(x, g, dim, a, b, c);
    },
  },
  // Only the global minimum is listed (2ⁿ − 1 local minima mix −2.9035… and 2.7468…).
  styblinskiTang: {
    nd: true,
    minDim: 1,
    polynomial: true,
    params: {},
    domain: square(-5, 5),
    start: cycled([4, -1]),
    minima: (dim) => [glob(fill(dim, ST_X), ST_VALUE * dim)],
    bind: (dim) => (x, g) => styblinskiTangValueAndGrad(x, g, dim),
  },
  // Only the global minimum is listed (many local minima).
  levi13: fixed2d(false, levi13ValueAndGrad, square(-10, 10), [-4, 5], () => [glob([1, 1], 0)]),
  // Literature search domain is [−100, 100]²; the window shows the well around (π, π).
  easom: fixed2d(false, easomValueAndGrad, square(-1, 7), [2, 2], () => [glob([Math.PI, Math.PI], -1)]),
  // Minima at x − y = 1, x + y = −2π/3 + 2kπ. k = 0 is the global minimum on the customary
  // domain (f is unbounded below on ℝ²); k = 1 is the other minimum inside the window.
  mccormick: fixed2d(false, mccormickValueAndGrad, { x: [-1.5, 4], y: [-3, 4] }, [-1, 3], () => [
    glob([0.5 - Math.PI / 3, -0.5 - Math.PI / 3], -Math.PI / 3 - Math.sqrt(3) / 2),
    loc([0.5 + (2 * Math.PI) / 3, -0.5 + (2 * Math.PI) / 3], (2 * Math.PI) / 3 - Math.sqrt(3) / 2),
  ]),
  // Start just off the stable manifold y = 0.
  saddle: fixed2d(true, saddleValueAndGrad, square(-2, 2), [1, 1e-3], none),
  monkeySaddle: fixed2d(true, monkeySaddleValueAndGrad, square(-2, 2), [1, 0.5], none),
};

/** All function names, in registry order. */
export const functionNames: readonly FunctionName[] = Object.freeze(Object.keys(registry) as FunctionName[]);

/**
 * An instance of a test function.
 *
 * `spec` is a name, `{ name, ...params }` or a formula `{ expr, ... }` (see
 * src/expr/index.ts); `dim` is needed only for N-D
 * functions (default 2, or the length of `weights` for quadratic). 2-D
 * functions accept only `dim` 2; Rosenbrock needs `dim ≥ 2`, the other N-D
 * functions `dim ≥ 1`.
 *
 * @throws TypeError (field `name`) for an unknown function, (field = the
 *   parameter) for an unknown parameter; RangeError for a bad parameter
 *   value (field = the parameter) or dimension (field `dim`).
 */
export function createFunction(spec: FunctionSpec, dim?: number): TestFunction {
  if (isFormulaSpec(spec)) return createFormulaFunction(spec, dim);
  let name: unknown;
  let raw: Record<string, unknown>;
  if (typeof spec === "string") {
    name = spec;
    raw = {};
  } else if (typeof spec === "object" && spec !== null && !Array.isArray(spec)) {
    ({ name, ...raw } = spec as Record<string, unknown>);
  } else {
    throw typeError("", `a function spec must be a name, { name, ...params } or { expr, ... }; got ${show(spec)}`);
  }
  if (name === undefined) throw typeError("name", `is required: one of ${functionNames.join(", ")}`);
  if (typeof name !== "string" || !Object.hasOwn(registry, name)) {
    throw typeError("name", `unknown function ${show(name)}; allowed: ${functionNames.join(", ")} (or a formula: { expr })`);
  }
  const fname = name as FunctionName;
  const entry = registry[fname];
  const allowed = entry.resolve ? ["weights"] : Object.keys(entry.params);
  if (allowed.length === 0) {
    const extra = Object.keys(raw);
    if (extra.length > 0) throw typeError(extra[0], `unknown option of ${fname}; ${fname} has no parameters`);
  }
  checkKnownKeys(raw, allowed, fname);

  if (dim !== undefined) {
    if (entry.nd) check.number("dim", dim, { integer: true, min: entry.minDim });
    else if (dim !== 2) throw (typeof dim === "number" ? rangeError : typeError)("dim", `${fname} is 2-D, so dim must be 2; got ${show(dim)}`);
  }

  let n: number;
  let params: Params;
  if (entry.resolve) {
    ({ dim: n, params } = entry.resolve(raw, dim));
  } else {
    n = entry.nd ? (dim ?? 2) : 2;
    params = {};
    for (const [k, ps] of Object.entries(entry.params)) {
      const v = raw[k] === undefined ? ps.default : raw[k];
      params[k] = check.number(k, v, { min: ps.min, minExclusive: ps.minExclusive });
    }
  }
  for (const v of Object.values(params)) if (Array.isArray(v)) Object.freeze(v);
  Object.freeze(params);

  const kernel = entry.bind(n, params);
  const scratch = new Float64Array(n);
  const memos: { minima?: readonly Minimum[]; start?: number[] } = {};
  const fn: TestFunction = {
    name: fname,
    dim: n,
    params,
    polynomial: entry.polynomial,
    // minima and start are built on first read: an n-D run from a given x0 never needs them.
    get minima() {
      return (memos.minima ??= Object.freeze(entry.minima(n, params)));
    },
    domain: { x: [...entry.domain.x], y: [...entry.domain.y] },
    get start() {
      return (memos.start ??= Object.freeze(entry.start(n)) as number[]);
    },
    valueAndGrad(x, grad) {
      if (x.length !== n) throw rangeError("x", `must have length ${n} (the dimension of ${fname}); got ${x.length}`);
      if (grad.length < n) throw rangeError("grad", `must have length at least ${n}; got ${grad.length}`);
      return kernel(x, grad);
    },
    value(x) {
      if (x.length !== n) throw rangeError("x", `must have length ${n} (the dimension of ${fname}); got ${x.length}`);
      return kernel(x, scratch);
    },
  };
  return Object.freeze(fn);
}

/**
 * The dimensions a valid function spec accepts: exactly `min` (the 2-D
 * functions, a quadratic whose weights are given) or `min` and more (the
 * N-D functions).
 */
export function functionDimensions(spec: FunctionSpec): { name: string; fixed: boolean; min: number } {
  const fn = createFunction(spec);
  if (isFormulaSpec(spec)) {
    // x, y formulas are 2-D; x1 … xn ones take n or more (n: the highest index, or their own dim).
    const own = (spec as { dim?: unknown }).dim !== undefined;
    return { name: functionTitle(fn), fixed: own || parseFormula(spec.expr).form === "xy", min: fn.dim };
  }
  const entry = registry[fn.name as FunctionName];
  const weights = typeof spec === "object" && (spec as { weights?: unknown }).weights !== undefined;
  if (!entry.nd || weights) return { name: fn.name, fixed: true, min: fn.dim };
  return { name: fn.name, fixed: false, min: entry.minDim };
}

/**
 * f over an nx × ny grid, row-major with y outer:
 * `out[j * nx + i] = f(xᵢ, yⱼ)`, `xᵢ = x[0] + (i * (x[1] − x[0])) / (nx − 1)`,
 * `yⱼ = y[0] + (j * (y[1] − y[0])) / (ny − 1)` (so both endpoints are included).
 * 2-D instances only; nx, ny are integers ≥ 2. Values are `fn.value` at each point.
 */
export function grid(fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): Float64Array {
  if (fn.dim !== 2) throw rangeError("fn", `grid needs a 2-D function; ${fn.name} has dim ${fn.dim}`);
  const x0 = check.finite("x[0]", x[0]);
  const x1 = check.finite("x[1]", x[1]);
  const y0 = check.finite("y[0]", y[0]);
  const y1 = check.finite("y[1]", y[1]);
  check.number("nx", nx, { integer: true, min: 2 });
  check.number("ny", ny, { integer: true, min: 2 });
  const dx = x1 - x0;
  const dy = y1 - y0;
  const out = new Float64Array(nx * ny);
  const p = new Float64Array(2);
  for (let j = 0; j < ny; j++) {
    p[1] = y0 + (j * dy) / (ny - 1);
    for (let i = 0; i < nx; i++) {
      p[0] = x0 + (i * dx) / (nx - 1);
      out[j * nx + i] = fn.value(p);
    }
  }
  return out;
}
