// N-dimensional test functions: the loops of src/functions/nd.ts, sums in
// order i = 0 … n − 1 into one f64 accumulator, each gradient component
// stored once. x is read with ldx<V, T> (assembly/fns/lane.ts): with V = f64
// it is the T array at x; with V = v128 (the SIMD grid, polynomial functions
// only) element i is the f64x2 of coordinate i of two points. The gradient
// exists only for V = f64 and g != 0 (g = 0 is the value-only path).
// Parameters arrive validated by the bindings; n is the dimension.
import { st } from "../simd";
import { TWO_PI } from "./constants";
import { add, ldx, mul, num, sub } from "./lane";

/** Quadratic Σ wᵢxᵢ², term `(wᵢ * xᵢ) * xᵢ`; ∂f/∂xᵢ = `2 * (wᵢ * xᵢ)`. w: n f64 weights. */
// @ts-ignore: decorator
@inline export function quadratic<V, T>(x: usize, g: usize, n: i32, w: usize): V {
  let f = num<V>(0);
  for (let i = 0; i < n; i++) {
    const xi = ldx<V, T>(x, i);
    const wx = mul(num<V>(load<f64>(w + (<usize>i << 3))), xi);
    f = add(f, mul(wx, xi));
    if (!isVector<V>()) {
      if (g != 0) {
        const gi: f64 = 2 * wx;
        st<T>(g, i, <T>gi);
      }
    }
  }
  return f;
}

/**
 * Rosenbrock Σ_{i<n−1} b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)², term `(bd * d) + (e * e)`
 * with d = xᵢ₊₁ − xᵢ², e = a − xᵢ, bd = b * d; gradient `(carry − 4 * bd * xᵢ) − 2 * e`
 * with carry = 2 * bd of the previous term (0 at i = 0); the last component is
 * the final carry. Requires n ≥ 2.
 */
// @ts-ignore: decorator
@inline export function rosenbrock<V, T>(x: usize, g: usize, n: i32, a: f64, b: f64): V {
  const va = num<V>(a);
  const vb = num<V>(b);
  let f = num<V>(0);
  let carry: f64 = 0;
  let xi = ldx<V, T>(x, 0);
  for (let i = 0; i < n - 1; i++) {
    const xn = ldx<V, T>(x, i + 1);
    const d = sub(xn, mul(xi, xi));
    const e = sub(va, xi);
    const bd = mul(vb, d);
    f = add(f, add(mul(bd, d), mul(e, e)));
    if (!isVector<V>()) {
      if (g != 0) {
        const gi: f64 = carry - 4 * bd * xi - 2 * e;
        st<T>(g, i, <T>gi);
        carry = 2 * bd;
      }
    }
    xi = xn;
  }
  if (!isVector<V>()) {
    if (g != 0) st<T>(g, n - 1, <T>carry);
  }
  return f;
}

/** Styblinski–Tang ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ), term `(x2 * x2 − 16 * x2) + 5 * xᵢ`; ∂f/∂xᵢ = `(2 * x2 * xᵢ − 16 * xᵢ) + 2.5`. */
// @ts-ignore: decorator
@inline export function styblinskiTang<V, T>(x: usize, g: usize, n: i32): V {
  let s = num<V>(0);
  for (let i = 0; i < n; i++) {
    const xi = ldx<V, T>(x, i);
    const x2 = mul(xi, xi);
    s = add(s, add(sub(mul(x2, x2), mul(num<V>(16), x2)), mul(num<V>(5), xi)));
    if (!isVector<V>()) {
      if (g != 0) {
        const gi: f64 = 2 * x2 * xi - 16 * xi + 2.5;
        st<T>(g, i, <T>gi);
      }
    }
  }
  return mul(num<V>(0.5), s);
}

/** Rastrigin A·n + Σ (xᵢ² − A cos(2πxᵢ)); ∂f/∂xᵢ = `2 * xᵢ + k * sin(TWO_PI * xᵢ)`, k = TWO_PI * A. Scalar only. */
// @ts-ignore: decorator
@inline export function rastrigin<T>(x: usize, g: usize, n: i32, A: f64): f64 {
  const k = TWO_PI * A;
  let f = A * <f64>n;
  for (let i = 0; i < n; i++) {
    const xi = ldx<f64, T>(x, i);
    const t = TWO_PI * xi;
    f += xi * xi - A * Math.cos(t);
    if (g != 0) {
      const gi: f64 = 2 * xi + k * Math.sin(t);
      st<T>(g, i, <T>gi);
    }
  }
  return f;
}

/**
 * Ackley `(a − a * E1) + (Math.E − E2)`, E1 = exp(−b·r), r = √(Σxᵢ²/n),
 * E2 = exp(Σcos(c·xᵢ)/n); ∂f/∂xᵢ = k1·xᵢ + k2·sin(c·xᵢ), k1 = `(a * b * E1) / (n * r)`
 * (0 at r = 0), k2 = `(c * E2) / n`. Two passes: sums, then the gradient. Scalar only.
 */
// @ts-ignore: decorator
@inline export function ackley<T>(x: usize, g: usize, n: i32, a: f64, b: f64, c: f64): f64 {
  let s: f64 = 0;
  let cs: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = ldx<f64, T>(x, i);
    s += xi * xi;
    cs += Math.cos(c * xi);
  }
  const r = Math.sqrt(s / <f64>n);
  const e1 = Math.exp(-b * r);
  const e2 = Math.exp(cs / <f64>n);
  if (g != 0) {
    const k1: f64 = r == 0 ? 0 : (a * b * e1) / (<f64>n * r);
    const k2: f64 = (c * e2) / <f64>n;
    for (let i = 0; i < n; i++) {
      const xi = ldx<f64, T>(x, i);
      const gi: f64 = k1 * xi + k2 * Math.sin(c * xi);
      st<T>(g, i, <T>gi);
    }
  }
  return a - a * e1 + (Math.E - e2);
}
