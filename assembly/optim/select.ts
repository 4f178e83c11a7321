// Lane-generic comparisons, selection and the helpers built on them that the
// zoo kernels share (sign, clamp). Each folds to one f32x4 or f64x2
// instruction per operation, like assembly/simd.ts; comparisons give all-ones
// lanes where true, and `vselect` takes `a` there.

/** NaN-propagating minimum, like Math.min (not pmin). */
// @ts-ignore: decorator
@inline export function vmin<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.min(a, b) : f64x2.min(a, b); }
// @ts-ignore: decorator
@inline export function vgt<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.gt(a, b) : f64x2.gt(a, b); }
// @ts-ignore: decorator
@inline export function vlt<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.lt(a, b) : f64x2.lt(a, b); }
// @ts-ignore: decorator
@inline export function veq<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.eq(a, b) : f64x2.eq(a, b); }

/** `a` where `mask` is set, else `b` (bitwise). */
// @ts-ignore: decorator
@inline export function vselect(a: v128, b: v128, mask: v128): v128 { return v128.bitselect(a, b, mask); }

/**
 * torch's sign: 1, −1, +0 for ±0, NaN for NaN. `x − x` is +0 for every
 * finite x and NaN for NaN (and for ±∞, which the comparisons replace), as the
 * reference's `x === 0 ? 0 : NaN`.
 */
// @ts-ignore: decorator
@inline export function vsign<T>(x: v128, zero: v128, one: v128, minusOne: v128): v128 {
  const base = sizeof<T>() == 4 ? f32x4.sub(x, x) : f64x2.sub(x, x);
  return vselect(one, vselect(minusOne, base, vlt<T>(x, zero)), vgt<T>(x, zero));
}

/** min(max(x, lo), hi), NaN-propagating like the reference's Math.min(Math.max(…)). */
// @ts-ignore: decorator
@inline export function vclamp<T>(x: v128, lo: v128, hi: v128): v128 {
  return vmin<T>(sizeof<T>() == 4 ? f32x4.max(x, lo) : f64x2.max(x, lo), hi);
}
