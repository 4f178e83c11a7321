// Two-dimensional test functions with sin/cos/exp: the expression trees of
// src/functions/transcendental2d.ts with AssemblyScript's own Math (musl/fdlibm
// ports compiled into the module, no host import), so they run inside
// whole-trajectory loops. They differ from V8's Math by a few ULP at most:
// test/wasm-functions.test.ts measures it. Scalar only (V = f64); T is the
// gradient's dtype; g = 0 is the value-only path, which skips the cosines
// and sines only the gradient needs.
import { st } from "../simd";
import { FOUR_PI, SIX_PI, THREE_PI, TWO_PI } from "./constants";

/** Lévi N.13 sin²(3πx) + (x − 1)²(1 + sin²(3πy)) + (y − 1)²(1 + sin²(2πy)). */
// @ts-ignore: decorator
@inline export function levi13<T>(x0: f64, x1: f64, g: usize): f64 {
  const sx = Math.sin(THREE_PI * x0);
  const sy = Math.sin(THREE_PI * x1);
  const sz = Math.sin(TWO_PI * x1);
  const dx = x0 - 1;
  const dy = x1 - 1;
  const dx2 = dx * dx;
  const dy2 = dy * dy;
  const py = 1 + sy * sy;
  const qy = 1 + sz * sz;
  if (g != 0) {
    const cx = Math.cos(THREE_PI * x0);
    const cy = Math.cos(THREE_PI * x1);
    const cz = Math.cos(TWO_PI * x1);
    const g0: f64 = SIX_PI * sx * cx + 2 * dx * py;
    const g1: f64 = SIX_PI * dx2 * sy * cy + 2 * dy * qy + FOUR_PI * dy2 * sz * cz;
    st<T>(g, 0, <T>g0);
    st<T>(g, 1, <T>g1);
  }
  return sx * sx + dx2 * py + dy2 * qy;
}

/** Easom −cos x · cos y · E, E = exp(−((x − π)² + (y − π)²)). */
// @ts-ignore: decorator
@inline export function easom<T>(x0: f64, x1: f64, g: usize): f64 {
  const dx = x0 - Math.PI;
  const dy = x1 - Math.PI;
  const e = Math.exp(-(dx * dx + dy * dy));
  const c0 = Math.cos(x0);
  const c1 = Math.cos(x1);
  if (g != 0) {
    const s0 = Math.sin(x0);
    const s1 = Math.sin(x1);
    const g0: f64 = (s0 + 2 * dx * c0) * c1 * e;
    const g1: f64 = (s1 + 2 * dy * c1) * c0 * e;
    st<T>(g, 0, <T>g0);
    st<T>(g, 1, <T>g1);
  }
  return -(c0 * c1 * e);
}

/** McCormick sin(x + y) + (x − y)² − 1.5x + 2.5y + 1. */
// @ts-ignore: decorator
@inline export function mccormick<T>(x0: f64, x1: f64, g: usize): f64 {
  const s = Math.sin(x0 + x1);
  const d = x0 - x1;
  if (g != 0) {
    const c = Math.cos(x0 + x1);
    const g0: f64 = c + 2 * d - 1.5;
    const g1: f64 = c - 2 * d + 2.5;
    st<T>(g, 0, <T>g0);
    st<T>(g, 1, <T>g1);
  }
  return s + d * d - 1.5 * x0 + 2.5 * x1 + 1;
}
