/**
 * Two-dimensional test functions with transcendental parts (`Math.sin`,
 * `Math.cos`, `Math.exp` only). Same kernel convention as
 * `./polynomial2d.ts`: inputs read first, expressions evaluated exactly as
 * written, each gradient component stored once, NaN/±Infinity propagate.
 */

import { FOUR_PI, SIX_PI, THREE_PI, TWO_PI } from "./constants.js";
import type { GradOut } from "./types.js";

/**
 * Lévi N.13 f(x, y) = sin²(3πx) + (x − 1)²(1 + sin²(3πy)) + (y − 1)²(1 + sin²(2πy)).
 * ∂f/∂x = 6π sin(3πx)cos(3πx) + 2(x − 1)(1 + sin²(3πy));
 * ∂f/∂y = 6π(x − 1)² sin(3πy)cos(3πy) + 2(y − 1)(1 + sin²(2πy)) + 4π(y − 1)² sin(2πy)cos(2πy).
 */
export function levi13ValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const sx = Math.sin(THREE_PI * x0);
  const cx = Math.cos(THREE_PI * x0);
  const sy = Math.sin(THREE_PI * x1);
  const cy = Math.cos(THREE_PI * x1);
  const sz = Math.sin(TWO_PI * x1);
  const cz = Math.cos(TWO_PI * x1);
  const dx = x0 - 1;
  const dy = x1 - 1;
  const dx2 = dx * dx;
  const dy2 = dy * dy;
  const py = 1 + sy * sy;
  const qy = 1 + sz * sz;
  g[0] = SIX_PI * sx * cx + 2 * dx * py;
  g[1] = SIX_PI * dx2 * sy * cy + 2 * dy * qy + FOUR_PI * dy2 * sz * cz;
  return sx * sx + dx2 * py + dy2 * qy;
}

/**
 * Easom f(x, y) = −cos x · cos y · E, E = exp(−((x − π)² + (y − π)²)).
 * ∂f/∂x = (sin x + 2(x − π)cos x)·cos y·E; ∂f/∂y = (sin y + 2(y − π)cos y)·cos x·E.
 */
export function easomValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const dx = x0 - Math.PI;
  const dy = x1 - Math.PI;
  const e = Math.exp(-(dx * dx + dy * dy));
  const c0 = Math.cos(x0);
  const s0 = Math.sin(x0);
  const c1 = Math.cos(x1);
  const s1 = Math.sin(x1);
  g[0] = (s0 + 2 * dx * c0) * c1 * e;
  g[1] = (s1 + 2 * dy * c1) * c0 * e;
  return -(c0 * c1 * e);
}

/**
 * McCormick f(x, y) = sin(x + y) + (x − y)² − 1.5x + 2.5y + 1.
 * ∇f = (cos(x + y) + 2(x − y) − 1.5, cos(x + y) − 2(x − y) + 2.5).
 */
export function mccormickValueAndGrad(x: ArrayLike<number>, g: GradOut): number {
  const x0 = x[0];
  const x1 = x[1];
  const s = Math.sin(x0 + x1);
  const c = Math.cos(x0 + x1);
  const d = x0 - x1;
  g[0] = c + 2 * d - 1.5;
  g[1] = c - 2 * d + 2.5;
  return s + d * d - 1.5 * x0 + 2.5 * x1 + 1;
}
