/**
 * N-dimensional test functions. Same kernel convention as
 * `./polynomial2d.ts`; in addition, **every sum over i = 0 … n − 1 is four
 * partial sums**: pₖ accumulates, in increasing i, the terms with i ≡ k
 * (mod 4) (`pₖ += term` means `pₖ = pₖ + term`, each pₖ starting at 0), and
 * S = (p₀ + p₂) + (p₁ + p₃). That is exactly what two f64x2 accumulators
 * give (lanes i, i+1 and i+2, i+3 of each block of four), so the
 * WebAssembly kernels vectorise over the elements and stay bit-identical.
 * For n ≤ 2 it equals the plain left-to-right sum. A gradient component that
 * collects terms from two summands (Rosenbrock) is assembled in a local
 * before its single store. NaN/±Infinity propagate. Parameters arrive
 * validated (see `./index.ts`); `n` is the dimension.
 *
 * The four-sum loop is written out in each function on purpose: one shared
 * `sum4(count, term)` made its `term` call polymorphic across the functions
 * and the reference 2–4× slower at n = 1e6 (measured).
 */

import { TWO_PI } from "./constants.js";
import type { GradOut } from "./types.js";

/**
 * Quadratic f(x) = Σ wᵢxᵢ², term i computed as `(wᵢ * xᵢ) * xᵢ`.
 * ∂f/∂xᵢ = 2wᵢxᵢ (as `2 * (wᵢ * xᵢ)`). Polynomial.
 */
export function quadraticValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, w: ArrayLike<number>): number {
  const term = (i: number): number => {
    const xi = x[i];
    const wx = w[i] * xi;
    g[i] = 2 * wx;
    return wx * xi;
  };
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 += term(i);
    p1 += term(i + 1);
    p2 += term(i + 2);
    p3 += term(i + 3);
  }
  if (i < n) p0 += term(i);
  if (i + 1 < n) p1 += term(i + 1);
  if (i + 2 < n) p2 += term(i + 2);
  return p0 + p2 + (p1 + p3);
}

/**
 * Rosenbrock f(x) = Σ_{i<n−1} b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)² (n − 1 terms, summed as above).
 * With dᵢ = xᵢ₊₁ − xᵢ², eᵢ = a − xᵢ:
 * ∂f/∂xᵢ = 2b·dᵢ₋₁ (if i > 0) − 4b·xᵢ·dᵢ − 2eᵢ (if i < n − 1).
 * Term i is `b*d*d + e*e` as `(bd * d) + (e * e)` with `bd = b * d`;
 * the gradient is `(carry − 4 * bd * xᵢ) − 2 * e`, `carry = 2 * bd` from the previous term (0 at i = 0),
 * and the last component is the final carry. Polynomial. Requires n ≥ 2.
 */
export function rosenbrockValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, a: number, b: number): number {
  let carry = 0;
  const term = (i: number): number => {
    const xi = x[i];
    const d = x[i + 1] - xi * xi;
    const e = a - xi;
    const bd = b * d;
    g[i] = carry - 4 * bd * xi - 2 * e;
    carry = 2 * bd;
    return bd * d + e * e;
  };
  const m = n - 1;
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    p0 += term(i);
    p1 += term(i + 1);
    p2 += term(i + 2);
    p3 += term(i + 3);
  }
  if (i < m) p0 += term(i);
  if (i + 1 < m) p1 += term(i + 1);
  if (i + 2 < m) p2 += term(i + 2);
  g[n - 1] = carry;
  return p0 + p2 + (p1 + p3);
}

/**
 * Styblinski–Tang f(x) = ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ), term as `(x2 * x2 − 16 * x2) + 5 * xᵢ`, the ½ applied to the sum.
 * ∂f/∂xᵢ = 2xᵢ³ − 16xᵢ + 2.5 (as `(2 * x2 * xᵢ − 16 * xᵢ) + 2.5`). Polynomial.
 */
export function styblinskiTangValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number): number {
  const term = (i: number): number => {
    const xi = x[i];
    const x2 = xi * xi;
    g[i] = 2 * x2 * xi - 16 * xi + 2.5;
    return x2 * x2 - 16 * x2 + 5 * xi;
  };
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 += term(i);
    p1 += term(i + 1);
    p2 += term(i + 2);
    p3 += term(i + 3);
  }
  if (i < n) p0 += term(i);
  if (i + 1 < n) p1 += term(i + 1);
  if (i + 2 < n) p2 += term(i + 2);
  return 0.5 * (p0 + p2 + (p1 + p3));
}

/**
 * Rastrigin f(x) = A·n + Σ (xᵢ² − A cos(2πxᵢ)), as `A * n + S` with S the sum above.
 * ∂f/∂xᵢ = 2xᵢ + 2πA sin(2πxᵢ) (as `2 * xᵢ + k * sin(TWO_PI * xᵢ)`, `k = TWO_PI * A`).
 */
export function rastriginValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, A: number): number {
  const k = TWO_PI * A;
  const term = (i: number): number => {
    const xi = x[i];
    const t = TWO_PI * xi;
    g[i] = 2 * xi + k * Math.sin(t);
    return xi * xi - A * Math.cos(t);
  };
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 += term(i);
    p1 += term(i + 1);
    p2 += term(i + 2);
    p3 += term(i + 3);
  }
  if (i < n) p0 += term(i);
  if (i + 1 < n) p1 += term(i + 1);
  if (i + 2 < n) p2 += term(i + 2);
  return A * n + (p0 + p2 + (p1 + p3));
}

/**
 * Ackley f(x) = −a·exp(−b·r) − exp(C/n) + a + e, r = √(Σxᵢ²/n), C = Σ cos(c·xᵢ)
 * (both sums as above), evaluated as `(a − a * E1) + (Math.E − E2)` with
 * E1 = exp(−b·r), E2 = exp(C/n), so that f(0) is exactly 0.
 * ∂f/∂xᵢ = k1·xᵢ + k2·sin(c·xᵢ) with k1 = a·b·E1/(n·r) (`(a * b * E1) / (n * r)`),
 * k2 = c·E2/n (`(c * E2) / n`). At r = 0 the first term's gradient is defined as 0
 * (k1 = 0), so ∇f(0) = 0 and is finite. Two passes: sums, then the gradient.
 */
export function ackleyValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, a: number, b: number, c: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i] * x[i];
    s1 += x[i + 1] * x[i + 1];
    s2 += x[i + 2] * x[i + 2];
    s3 += x[i + 3] * x[i + 3];
    c0 += Math.cos(c * x[i]);
    c1 += Math.cos(c * x[i + 1]);
    c2 += Math.cos(c * x[i + 2]);
    c3 += Math.cos(c * x[i + 3]);
  }
  if (i < n) {
    s0 += x[i] * x[i];
    c0 += Math.cos(c * x[i]);
  }
  if (i + 1 < n) {
    s1 += x[i + 1] * x[i + 1];
    c1 += Math.cos(c * x[i + 1]);
  }
  if (i + 2 < n) {
    s2 += x[i + 2] * x[i + 2];
    c2 += Math.cos(c * x[i + 2]);
  }
  const s = s0 + s2 + (s1 + s3);
  const cs = c0 + c2 + (c1 + c3);
  const r = Math.sqrt(s / n);
  const e1 = Math.exp(-b * r);
  const e2 = Math.exp(cs / n);
  const k1 = r === 0 ? 0 : (a * b * e1) / (n * r);
  const k2 = (c * e2) / n;
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    g[j] = k1 * xj + k2 * Math.sin(c * xj);
  }
  return a - a * e1 + (Math.E - e2);
}
