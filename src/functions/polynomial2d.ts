/**
 * Two-dimensional polynomial test functions: value and analytic gradient in
 * one pass, using only f64 `+ − ×` (constant divisions such as x⁶/6 are
 * multiplications by a constant from `./constants.ts`).
 *
 * Kernel convention (shared by every file in `src/functions/`, mirrored
 * line-for-line by the AssemblyScript kernels):
 * - read every input coordinate into a local first, then compute;
 * - expressions evaluate left to right with the usual precedence, exactly as
 *   written: `a + b + c` is `(a + b) + c`, `2 * t * u` is `(2 * t) * u`;
 *   a port keeps the same expression trees (no reassociation, no FMA);
 * - each gradient component is computed in an f64 local and stored once
 *   (`g[i] = …`), so a `Float32Array` grad rounds exactly once per component;
 * - the value is returned as an f64.
 * Non-finite inputs are not checked: NaN/±Infinity propagate by IEEE rules.
 */

import { ONE_SIXTH, ONE_THIRD } from "./constants.js";
import type { GradOut } from "./types.js";

/**
 * Cubic f(x, y) = x² + y² + y³ + xy.
 * ∇f = (2x + y, 2y + 3y² + x). Local minimum at the origin; unbounded below as y → −∞.
 */
export function cubicValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const y2 = x1 * x1;
  g[0] = 2 * x0 + x1;
  g[1] = 2 * x1 + 3 * y2 + x0;
  return x0 * x0 + y2 + y2 * x1 + x0 * x1;
}

/**
 * Beale f(x, y) = t₁² + t₂² + t₃² with t₁ = 1.5 − x + xy, t₂ = 2.25 − x + xy², t₃ = 2.625 − x + xy³.
 * ∂f/∂x = 2t₁(y − 1) + 2t₂(y² − 1) + 2t₃(y³ − 1); ∂f/∂y = 2t₁x + 4t₂xy + 6t₃xy².
 */
export function bealeValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const y2 = x1 * x1;
  const y3 = y2 * x1;
  const t1 = 1.5 - x0 + x0 * x1;
  const t2 = 2.25 - x0 + x0 * y2;
  const t3 = 2.625 - x0 + x0 * y3;
  g[0] = 2 * t1 * (x1 - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
  g[1] = 2 * t1 * x0 + 4 * t2 * x0 * x1 + 6 * t3 * x0 * y2;
  return t1 * t1 + t2 * t2 + t3 * t3;
}

/**
 * Booth f(x, y) = u² + v² with u = x + 2y − 7, v = 2x + y − 5.
 * ∇f = (2u + 4v, 4u + 2v).
 */
export function boothValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const u = x0 + 2 * x1 - 7;
  const v = 2 * x0 + x1 - 5;
  g[0] = 2 * u + 4 * v;
  g[1] = 4 * u + 2 * v;
  return u * u + v * v;
}

/**
 * Matyas f(x, y) = 0.26(x² + y²) − 0.48xy.
 * ∇f = (0.52x − 0.48y, 0.52y − 0.48x).
 */
export function matyasValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  g[0] = 0.52 * x0 - 0.48 * x1;
  g[1] = 0.52 * x1 - 0.48 * x0;
  return 0.26 * (x0 * x0 + x1 * x1) - 0.48 * x0 * x1;
}

/**
 * Himmelblau f(x, y) = u² + v² with u = x² + y − 11, v = x + y² − 7.
 * ∇f = (4xu + 2v, 2u + 4yv).
 */
export function himmelblauValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const u = x0 * x0 + x1 - 11;
  const v = x0 + x1 * x1 - 7;
  g[0] = 4 * x0 * u + 2 * v;
  g[1] = 2 * u + 4 * x1 * v;
  return u * u + v * v;
}

/**
 * Three-hump camel f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y² (x⁶/6 computed as `ONE_SIXTH * x⁴ * x²`).
 * ∇f = (4x − 4.2x³ + x⁵ + y, x + 2y).
 */
export function threeHumpCamelValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const x2 = x0 * x0;
  const x4 = x2 * x2;
  g[0] = 4 * x0 - 4.2 * x2 * x0 + x4 * x0 + x1;
  g[1] = x0 + 2 * x1;
  return 2 * x2 - 1.05 * x4 + ONE_SIXTH * x4 * x2 + x0 * x1 + x1 * x1;
}

/**
 * Six-hump camel f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y², computed expanded:
 * 4x² − 2.1x⁴ + x⁶/3 + xy − 4y² + 4y⁴ (x⁶/3 as `ONE_THIRD * x⁴ * x²`).
 * ∇f = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³).
 */
export function sixHumpCamelValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const x2 = x0 * x0;
  const x4 = x2 * x2;
  const y2 = x1 * x1;
  g[0] = 8 * x0 - 8.4 * x2 * x0 + 2 * x4 * x0 + x1;
  g[1] = x0 - 8 * x1 + 16 * y2 * x1;
  return 4 * x2 - 2.1 * x4 + ONE_THIRD * x4 * x2 + x0 * x1 - 4 * y2 + 4 * y2 * y2;
}

/**
 * Goldstein–Price f(x, y) = A·B with
 * A = 1 + s²P, s = x + y + 1, P = 19 − 14x + 3x² − 14y + 6xy + 3y²;
 * B = 30 + t²Q, t = 2x − 3y, Q = 18 − 32x + 12x² + 48y − 36xy + 27y².
 * ∂A/∂x = ∂A/∂y = 2sP + s²(−14 + 6x + 6y);
 * ∂B/∂x = 4tQ + t²(−32 + 24x − 36y); ∂B/∂y = −6tQ + t²(48 − 36x + 54y);
 * ∇f = (A′·B + A·∂B/∂x, A′·B + A·∂B/∂y).
 */
export function goldsteinPriceValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const s = x0 + x1 + 1;
  const s2 = s * s;
  const p = 19 - 14 * x0 + 3 * x0 * x0 - 14 * x1 + 6 * x0 * x1 + 3 * x1 * x1;
  const dp = -14 + 6 * x0 + 6 * x1;
  const a = 1 + s2 * p;
  const da = 2 * s * p + s2 * dp;
  const t = 2 * x0 - 3 * x1;
  const t2 = t * t;
  const q = 18 - 32 * x0 + 12 * x0 * x0 + 48 * x1 - 36 * x0 * x1 + 27 * x1 * x1;
  const qx = -32 + 24 * x0 - 36 * x1;
  const qy = 48 - 36 * x0 + 54 * x1;
  const b = 30 + t2 * q;
  const bx = 4 * t * q + t2 * qx;
  const by = -6 * t * q + t2 * qy;
  g[0] = da * b + a * bx;
  g[1] = da * b + a * by;
  return a * b;
}

/**
 * Saddle f(x, y) = x² − y².
 * ∇f = (2x, −2y). No minima.
 */
export function saddleValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  g[0] = 2 * x0;
  g[1] = -2 * x1;
  return x0 * x0 - x1 * x1;
}

/**
 * Monkey saddle f(x, y) = x³ − 3xy².
 * ∇f = (3x² − 3y², −6xy). No minima.
 */
export function monkeySaddleValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const x2 = x0 * x0;
  const y2 = x1 * x1;
  g[0] = 3 * x2 - 3 * y2;
  g[1] = -6 * x0 * x1;
  return x2 * x0 - 3 * x0 * y2;
}
