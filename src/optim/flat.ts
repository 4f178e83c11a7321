/**
 * Vector operations over flat arrays of one dtype: what L-BFGS does to its
 * direction, history and gradients (src/optim/lbfgs.ts). Element-wise results
 * are rounded to the dtype after every operation (`fr`), scalars entering as
 * `fr(c)`; reductions accumulate in f64 in the lane order of the kernel
 * interface: four partial sums pₖ of the terms with index i ≡ k (mod 4), in
 * increasing i, combined as (p₀ + p₂) + (p₁ + p₃). Products of two f32
 * values are exact in f64, so an f32 dot product rounds only in its sums.
 */
import type { FloatArray, Round } from "../api.js";
import { combineLanes } from "./def.js";

/** Σ aᵢ·bᵢ in f64, lane order. */
export function dot(a: FloatArray, b: FloatArray): number {
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 += a[i] * b[i];
    p1 += a[i + 1] * b[i + 1];
    p2 += a[i + 2] * b[i + 2];
    p3 += a[i + 3] * b[i + 3];
  }
  if (i < n) p0 += a[i] * b[i];
  if (i + 1 < n) p1 += a[i + 1] * b[i + 1];
  if (i + 2 < n) p2 += a[i + 2] * b[i + 2];
  return combineLanes(p0, p1, p2, p3);
}

/** Σ |aᵢ| in f64, lane order. */
export function sumAbs(a: FloatArray): number {
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    p0 += Math.abs(a[i]);
    p1 += Math.abs(a[i + 1]);
    p2 += Math.abs(a[i + 2]);
    p3 += Math.abs(a[i + 3]);
  }
  if (i < n) p0 += Math.abs(a[i]);
  if (i + 1 < n) p1 += Math.abs(a[i + 1]);
  if (i + 2 < n) p2 += Math.abs(a[i + 2]);
  return combineLanes(p0, p1, p2, p3);
}

/** max |aᵢ| (NaN if any element is NaN, as torch's max; 0 for an empty array). */
export function maxAbs(a: FloatArray): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** max |fr(aᵢ·fr(c))|: torch's `a.mul(c).abs().max()` (0 for an empty array). */
export function maxAbsScaled(a: FloatArray, c: number, fr: Round): number {
  const s = fr(c);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(fr(a[i] * s)));
  return m;
}

/** out ← −a. */
export function neg(out: FloatArray, a: FloatArray): void {
  for (let i = 0; i < a.length; i++) out[i] = -a[i];
}

/** out ← a − b. */
export function sub(out: FloatArray, a: FloatArray, b: FloatArray, fr: Round): void {
  for (let i = 0; i < a.length; i++) out[i] = fr(a[i] - b[i]);
}

/** out ← a·c. */
export function scale(out: FloatArray, a: FloatArray, c: number, fr: Round): void {
  const s = fr(c);
  for (let i = 0; i < a.length; i++) out[i] = fr(a[i] * s);
}

/** y ← y + c·x (torch's `y.add_(x, alpha=c)`, without the FMA torch's f32 kernel uses). */
export function axpy(y: FloatArray, c: number, x: FloatArray, fr: Round, xOffset = 0): void {
  const s = fr(c);
  for (let i = 0; i < y.length; i++) y[i] = fr(y[i] + fr(s * x[xOffset + i]));
}
