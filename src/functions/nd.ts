/**
 * N-dimensional test functions. Same kernel convention as
 * `./polynomial2d.ts`; in addition, sums run over i = 0, 1, …, n − 1 in
 * order into one f64 accumulator (`f += term` means `f = f + term`), and a
 * gradient component that collects terms from two summands (Rosenbrock) is
 * assembled in a local before its single store. NaN/±Infinity propagate.
 * Parameters arrive validated (see `./index.ts`); `n` is the dimension.
 */

import { TWO_PI } from "./constants.js";
import type { GradOut } from "./types.js";

/**
 * Quadratic f(x) = Σ wᵢxᵢ², term i computed as `(wᵢ * xᵢ) * xᵢ`.
 * ∂f/∂xᵢ = 2wᵢxᵢ (as `2 * (wᵢ * xᵢ)`). Polynomial.
 */
export function quadraticValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, w: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const wx = w[i] * xi;
    f += wx * xi;
    g[i] = 2 * wx;
  }
  return f;
}

/**
 * Rosenbrock f(x) = Σ_{i<n−1} b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)².
 * With dᵢ = xᵢ₊₁ − xᵢ², eᵢ = a − xᵢ:
 * ∂f/∂xᵢ = 2b·dᵢ₋₁ (if i > 0) − 4b·xᵢ·dᵢ − 2eᵢ (if i < n − 1).
 * Term i is `b*d*d + e*e` as `(bd * d) + (e * e)` with `bd = b * d`;
 * the gradient is `(carry − 4 * bd * xᵢ) − 2 * e`, `carry = 2 * bd` from the previous term (0 at i = 0),
 * and the last component is the final carry. Polynomial. Requires n ≥ 2.
 */
export function rosenbrockValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, a: number, b: number): number {
  let f = 0;
  let carry = 0;
  let xi = x[0];
  for (let i = 0; i < n - 1; i++) {
    const xn = x[i + 1];
    const d = xn - xi * xi;
    const e = a - xi;
    const bd = b * d;
    f += bd * d + e * e;
    g[i] = carry - 4 * bd * xi - 2 * e;
    carry = 2 * bd;
    xi = xn;
  }
  g[n - 1] = carry;
  return f;
}

/**
 * Styblinski–Tang f(x) = ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ), term as `(x2 * x2 − 16 * x2) + 5 * xᵢ`, the ½ applied to the sum.
 * ∂f/∂xᵢ = 2xᵢ³ − 16xᵢ + 2.5 (as `(2 * x2 * xᵢ − 16 * xᵢ) + 2.5`). Polynomial.
 */
export function styblinskiTangValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const x2 = xi * xi;
    s += x2 * x2 - 16 * x2 + 5 * xi;
    g[i] = 2 * x2 * xi - 16 * xi + 2.5;
  }
  return 0.5 * s;
}

/**
 * Rastrigin f(x) = A·n + Σ (xᵢ² − A cos(2πxᵢ)); the accumulator starts at `A * n`.
 * ∂f/∂xᵢ = 2xᵢ + 2πA sin(2πxᵢ) (as `2 * xᵢ + k * sin(TWO_PI * xᵢ)`, `k = TWO_PI * A`).
 */
export function rastriginValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, A: number): number {
  const k = TWO_PI * A;
  let f = A * n;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const t = TWO_PI * xi;
    f += xi * xi - A * Math.cos(t);
    g[i] = 2 * xi + k * Math.sin(t);
  }
  return f;
}

/**
 * Ackley f(x) = −a·exp(−b·r) − exp(C/n) + a + e, r = √(Σxᵢ²/n), C = Σ cos(c·xᵢ),
 * evaluated as `(a − a * E1) + (Math.E − E2)` with E1 = exp(−b·r), E2 = exp(C/n),
 * so that f(0) is exactly 0.
 * ∂f/∂xᵢ = k1·xᵢ + k2·sin(c·xᵢ) with k1 = a·b·E1/(n·r) (`(a * b * E1) / (n * r)`),
 * k2 = c·E2/n (`(c * E2) / n`). At r = 0 the first term's gradient is defined as 0
 * (k1 = 0), so ∇f(0) = 0 and is finite. Two passes: sums, then the gradient.
 */
export function ackleyValueAndGrad(x: ArrayLike<number>, g: GradOut, n: number, a: number, b: number, c: number): number {
  let s = 0;
  let cs = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    s += xi * xi;
    cs += Math.cos(c * xi);
  }
  const r = Math.sqrt(s / n);
  const e1 = Math.exp(-b * r);
  const e2 = Math.exp(cs / n);
  const k1 = r === 0 ? 0 : (a * b * e1) / (n * r);
  const k2 = (c * e2) / n;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    g[i] = k1 * xi + k2 * Math.sin(c * xi);
  }
  return a - a * e1 + (Math.E - e2);
}
