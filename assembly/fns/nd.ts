// N-dimensional test functions: the loops of src/functions/nd.ts. Every sum
// over i is four partial sums pₖ (the terms with i ≡ k mod 4, in increasing
// i) combined as (p₀ + p₂) + (p₁ + p₃): two f64x2 accumulators, A holding
// (p₀, p₁) and B holding (p₂, p₃), over blocks of four elements, then the
// tail scalar into the pₖ its index names. Functions are evaluated in f64
// whatever T is (f32 points are widened exactly, gradients rounded to f32
// once on store), so both dtypes use f64x2 lanes. Each gradient component is
// stored once; g = 0 is the value-only path.
//
// The generic <V, T> forms at the end serve the 2-D SIMD grid (V = v128: two
// points per lane pair). For n = 2 the sum is (0 + t₀) + (0 + t₁), which is
// the same number as the partial-sum form (a pₖ = 0 + t is never −0, so
// adding an empty pₖ changes nothing).
// Parameters arrive validated by the bindings; n is the dimension.
import { ld, st } from "../simd";
import { TWO_PI } from "./constants";
import { add, mul, num, sub } from "./lane";

/** Elements i, i + 1 of the T array at p, as f64x2 (f32 widened exactly). */
// @ts-ignore: decorator
@inline function ld2<T>(p: usize, i: i32): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
  return v128.load(p + (<usize>i << 3));
}

/** Stores the f64x2 v as elements i, i + 1 of the T array at p (rounded to nearest for f32, as a Float32Array store). */
// @ts-ignore: decorator
@inline function st2<T>(p: usize, i: i32, v: v128): void {
  if (sizeof<T>() == 4) v128.store64_lane(p + (<usize>i << 2), f32x4.demote_f64x2_zero(v), 0);
  else v128.store(p + (<usize>i << 3), v);
}

/** Element i of the T array at p, widened to f64. */
// @ts-ignore: decorator
@inline function ldf<T>(p: usize, i: i32): f64 {
  return <f64>ld<T>(p, i);
}

/** (p₀ + p₂) + (p₁ + p₃) of the accumulators A = (p₀, p₁), B = (p₂, p₃) and the scalar tail partials. */
// @ts-ignore: decorator
@inline function combine(p0: f64, p1: f64, p2: f64, p3: f64): f64 {
  return (p0 + p2) + (p1 + p3);
}

/** Quadratic Σ wᵢxᵢ², term `(wᵢ * xᵢ) * xᵢ`; ∂f/∂xᵢ = `2 * (wᵢ * xᵢ)`. w: n f64 weights. */
export function quadraticNd<T>(x: usize, g: usize, n: i32, w: usize): f64 {
  let A = f64x2.splat(0), B = f64x2.splat(0);
  const two = f64x2.splat(2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const xa = ld2<T>(x, i), xb = ld2<T>(x, i + 2);
    const wxa = f64x2.mul(v128.load(w + (<usize>i << 3)), xa);
    const wxb = f64x2.mul(v128.load(w + (<usize>i << 3), 16), xb);
    A = f64x2.add(A, f64x2.mul(wxa, xa));
    B = f64x2.add(B, f64x2.mul(wxb, xb));
    if (g != 0) {
      st2<T>(g, i, f64x2.mul(two, wxa));
      st2<T>(g, i + 2, f64x2.mul(two, wxb));
    }
  }
  let p0 = f64x2.extract_lane(A, 0), p1 = f64x2.extract_lane(A, 1), p2 = f64x2.extract_lane(B, 0), p3 = f64x2.extract_lane(B, 1);
  for (let k = 0; i + k < n; k++) {
    const j = i + k;
    const xj = ldf<T>(x, j);
    const wx = load<f64>(w + (<usize>j << 3)) * xj;
    if (g != 0) st<T>(g, j, <T>(2 * wx));
    const t = wx * xj;
    if (k == 0) p0 += t;
    else if (k == 1) p1 += t;
    else p2 += t;
  }
  return combine(p0, p1, p2, p3);
}

/**
 * Rosenbrock Σ_{i<n−1} b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)², term `(bd * d) + (e * e)`
 * with d = xᵢ₊₁ − xᵢ², e = a − xᵢ, bd = b * d; gradient `(carry − 4 * bd * xᵢ) − 2 * e`
 * with carry = 2 * bd of the previous term (0 at i = 0); the last component is
 * the final carry. Requires n ≥ 2.
 */
export function rosenbrockNd<T>(x: usize, g: usize, n: i32, a: f64, b: f64): f64 {
  // The plane (what sweeps and races run): the general path below for n = 2, its zero accumulators and carry
  // written as the +0 they are, so every operation and its order stay the same.
  if (n == 2) {
    const x0 = ldf<T>(x, 0);
    const d = ldf<T>(x, 1) - x0 * x0;
    const e = a - x0;
    const bd = b * d;
    if (g != 0) {
      st<T>(g, 0, <T>(0.0 - 4 * bd * x0 - 2 * e));
      st<T>(g, 1, <T>(2 * bd));
    }
    return combine(0.0 + (bd * d + e * e), 0.0, 0.0, 0.0);
  }
  const m = n - 1;
  const va = f64x2.splat(a), vb = f64x2.splat(b), two = f64x2.splat(2), four = f64x2.splat(4);
  let A = f64x2.splat(0), B = f64x2.splat(0);
  // Lane 1 holds the carry into the next block (2·bd of its previous term).
  let prev = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xa = ld2<T>(x, i), xb = ld2<T>(x, i + 2);
    const da = f64x2.sub(ld2<T>(x, i + 1), f64x2.mul(xa, xa));
    const db = f64x2.sub(ld2<T>(x, i + 3), f64x2.mul(xb, xb));
    const ea = f64x2.sub(va, xa), eb = f64x2.sub(va, xb);
    const bda = f64x2.mul(vb, da), bdb = f64x2.mul(vb, db);
    A = f64x2.add(A, f64x2.add(f64x2.mul(bda, da), f64x2.mul(ea, ea)));
    B = f64x2.add(B, f64x2.add(f64x2.mul(bdb, db), f64x2.mul(eb, eb)));
    if (g != 0) {
      const ta = f64x2.mul(two, bda), tb = f64x2.mul(two, bdb);
      const ca = v128.shuffle<f64>(prev, ta, 1, 2), cb = v128.shuffle<f64>(ta, tb, 1, 2);
      st2<T>(g, i, f64x2.sub(f64x2.sub(ca, f64x2.mul(f64x2.mul(four, bda), xa)), f64x2.mul(two, ea)));
      st2<T>(g, i + 2, f64x2.sub(f64x2.sub(cb, f64x2.mul(f64x2.mul(four, bdb), xb)), f64x2.mul(two, eb)));
      prev = tb;
    }
  }
  let carry = f64x2.extract_lane(prev, 1);
  let p0 = f64x2.extract_lane(A, 0), p1 = f64x2.extract_lane(A, 1), p2 = f64x2.extract_lane(B, 0), p3 = f64x2.extract_lane(B, 1);
  for (let k = 0; i + k < m; k++) {
    const j = i + k;
    const xj = ldf<T>(x, j);
    const d = ldf<T>(x, j + 1) - xj * xj;
    const e = a - xj;
    const bd = b * d;
    if (g != 0) {
      st<T>(g, j, <T>(carry - 4 * bd * xj - 2 * e));
      carry = 2 * bd;
    }
    const t = bd * d + e * e;
    if (k == 0) p0 += t;
    else if (k == 1) p1 += t;
    else p2 += t;
  }
  if (g != 0) st<T>(g, n - 1, <T>carry);
  return combine(p0, p1, p2, p3);
}

/** Styblinski–Tang ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ), term `(x2 * x2 − 16 * x2) + 5 * xᵢ`; ∂f/∂xᵢ = `(2 * x2 * xᵢ − 16 * xᵢ) + 2.5`. */
export function styblinskiTangNd<T>(x: usize, g: usize, n: i32): f64 {
  const two = f64x2.splat(2), five = f64x2.splat(5), sixteen = f64x2.splat(16), half5 = f64x2.splat(2.5);
  let A = f64x2.splat(0), B = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const xa = ld2<T>(x, i), xb = ld2<T>(x, i + 2);
    const qa = f64x2.mul(xa, xa), qb = f64x2.mul(xb, xb);
    A = f64x2.add(A, f64x2.add(f64x2.sub(f64x2.mul(qa, qa), f64x2.mul(sixteen, qa)), f64x2.mul(five, xa)));
    B = f64x2.add(B, f64x2.add(f64x2.sub(f64x2.mul(qb, qb), f64x2.mul(sixteen, qb)), f64x2.mul(five, xb)));
    if (g != 0) {
      st2<T>(g, i, f64x2.add(f64x2.sub(f64x2.mul(f64x2.mul(two, qa), xa), f64x2.mul(sixteen, xa)), half5));
      st2<T>(g, i + 2, f64x2.add(f64x2.sub(f64x2.mul(f64x2.mul(two, qb), xb), f64x2.mul(sixteen, xb)), half5));
    }
  }
  let p0 = f64x2.extract_lane(A, 0), p1 = f64x2.extract_lane(A, 1), p2 = f64x2.extract_lane(B, 0), p3 = f64x2.extract_lane(B, 1);
  for (let k = 0; i + k < n; k++) {
    const j = i + k;
    const xj = ldf<T>(x, j);
    const x2 = xj * xj;
    if (g != 0) st<T>(g, j, <T>(2 * x2 * xj - 16 * xj + 2.5));
    const t = x2 * x2 - 16 * x2 + 5 * xj;
    if (k == 0) p0 += t;
    else if (k == 1) p1 += t;
    else p2 += t;
  }
  return 0.5 * combine(p0, p1, p2, p3);
}

/** Rastrigin `A * n + S`, terms xᵢ² − A cos(2πxᵢ); ∂f/∂xᵢ = `2 * xᵢ + k * sin(TWO_PI * xᵢ)`, k = TWO_PI * A. Scalar (Math.sin/cos), same partial sums. */
export function rastriginNd<T>(x: usize, g: usize, n: i32, A: f64): f64 {
  const k = TWO_PI * A;
  let p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = ldf<T>(x, i);
    const t = TWO_PI * xi;
    if (g != 0) st<T>(g, i, <T>(2 * xi + k * Math.sin(t)));
    const term = xi * xi - A * Math.cos(t);
    const lane = i & 3;
    if (lane == 0) p0 += term;
    else if (lane == 1) p1 += term;
    else if (lane == 2) p2 += term;
    else p3 += term;
  }
  return A * <f64>n + combine(p0, p1, p2, p3);
}

/**
 * Ackley `(a − a * E1) + (Math.E − E2)`, E1 = exp(−b·r), r = √(Σxᵢ²/n),
 * E2 = exp(Σcos(c·xᵢ)/n) (both sums as partial sums); ∂f/∂xᵢ = k1·xᵢ + k2·sin(c·xᵢ),
 * k1 = `(a * b * E1) / (n * r)` (0 at r = 0), k2 = `(c * E2) / n`. Two passes: sums, then the gradient. Scalar.
 */
export function ackleyNd<T>(x: usize, g: usize, n: i32, a: f64, b: f64, c: f64): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let c0: f64 = 0, c1: f64 = 0, c2: f64 = 0, c3: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = ldf<T>(x, i);
    const sq = xi * xi;
    const cs = Math.cos(c * xi);
    const lane = i & 3;
    if (lane == 0) { s0 += sq; c0 += cs; }
    else if (lane == 1) { s1 += sq; c1 += cs; }
    else if (lane == 2) { s2 += sq; c2 += cs; }
    else { s3 += sq; c3 += cs; }
  }
  const s = combine(s0, s1, s2, s3);
  const cs = combine(c0, c1, c2, c3);
  const r = Math.sqrt(s / <f64>n);
  const e1 = Math.exp(-b * r);
  const e2 = Math.exp(cs / <f64>n);
  if (g != 0) {
    const k1: f64 = r == 0 ? 0 : (a * b * e1) / (<f64>n * r);
    const k2: f64 = (c * e2) / <f64>n;
    for (let i = 0; i < n; i++) {
      const xi = ldf<T>(x, i);
      st<T>(g, i, <T>(k1 * xi + k2 * Math.sin(c * xi)));
    }
  }
  return a - a * e1 + (Math.E - e2);
}

// ---------------------------------------------------------------------------
// 2-D forms for the SIMD grid (value only; V = v128 is two points).

/** Rosenbrock at n = 2: one term, `0 + ((bd * d) + (e * e))`. */
// @ts-ignore: decorator
@inline export function rosenbrock2<V>(x0: V, x1: V, a: f64, b: f64): V {
  const d = sub(x1, mul(x0, x0));
  const e = sub(num<V>(a), x0);
  const bd = mul(num<V>(b), d);
  return add(num<V>(0), add(mul(bd, d), mul(e, e)));
}

/** Styblinski–Tang at n = 2: `0.5 * ((0 + t₀) + (0 + t₁))`. */
// @ts-ignore: decorator
@inline export function styblinskiTang2<V>(x0: V, x1: V): V {
  return mul(num<V>(0.5), add(add(num<V>(0), styblinskiTerm<V>(x0)), add(num<V>(0), styblinskiTerm<V>(x1))));
}

// @ts-ignore: decorator
@inline function styblinskiTerm<V>(xi: V): V {
  const x2 = mul(xi, xi);
  return add(sub(mul(x2, x2), mul(num<V>(16), x2)), mul(num<V>(5), xi));
}
