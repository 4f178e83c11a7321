// Shared pieces of the network kernels: the f64 math applied to either dtype,
// the padded-lane mask and the fixed order in which lane-partial sums are
// combined (src/models/kernels.ts follows the same order).
//
// Layout: every activation, gradient and data buffer is feature-major, one row
// per feature (or output) and S columns, one per sample; S is n rounded up to
// whole vectors, and the columns from n to S are padding. Kernels write +0 to
// the padding of every buffer that a sum over samples reads (activations and
// output gradients), so the padded lanes add exactly nothing.
import { lanes } from "../simd";
import { demote2, promoteHi, promoteLo, verf, vexp, vlog, vlog1p, vtanh } from "./math";

/** exp in T: f64 lanes directly; f32 lanes promoted, computed in f64, rounded once. */
// @ts-ignore: decorator
@inline export function expT<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return vexp(v);
  return demote2(vexp(promoteLo(v)), vexp(promoteHi(v)));
}
// @ts-ignore: decorator
@inline export function logT<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return vlog(v);
  return demote2(vlog(promoteLo(v)), vlog(promoteHi(v)));
}
// @ts-ignore: decorator
@inline export function log1pT<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return vlog1p(v);
  return demote2(vlog1p(promoteLo(v)), vlog1p(promoteHi(v)));
}
// @ts-ignore: decorator
@inline export function tanhT<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return vtanh(v);
  return demote2(vtanh(promoteLo(v)), vtanh(promoteHi(v)));
}
// @ts-ignore: decorator
@inline export function erfT<T>(v: v128, tab: usize): v128 {
  if (sizeof<T>() == 8) return verf(v, tab);
  return demote2(verf(promoteLo(v), tab), verf(promoteHi(v), tab));
}

/** All-ones in the lanes below `count` (0 … L), zeros above: keeps the real samples of a vector. */
// @ts-ignore: decorator
@inline export function laneMask<T>(count: i32): v128 {
  if (sizeof<T>() == 4) return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
  return i64x2.lt_s(i64x2(0, 1), i64x2.splat(<i64>count));
}

/** The mask of a row's last vector for n real columns (all ones when n fills it). */
// @ts-ignore: decorator
@inline export function lastMask<T>(n: i32): v128 {
  const L = lanes<T>();
  const r = n & (L - 1);
  return laneMask<T>(r == 0 ? L : r);
}

/** Sum of the lanes: f32 (l0 + l2) + (l1 + l3), f64 l0 + l1. */
// @ts-ignore: decorator
@inline export function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    const t = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    return <T>(f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1));
  }
  return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
}

/** f32: [hsum a, hsum b, hsum c, hsum d] in one vector, each in hsum's order. */
// @ts-ignore: decorator
@inline export function hsum4F32(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(i32x4.shuffle(a, b, 0, 1, 4, 5), i32x4.shuffle(a, b, 2, 3, 6, 7));
  const cd = f32x4.add(i32x4.shuffle(c, d, 0, 1, 4, 5), i32x4.shuffle(c, d, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(ab, cd, 0, 2, 4, 6), i32x4.shuffle(ab, cd, 1, 3, 5, 7));
}

/** f64: [hsum a, hsum b]. */
// @ts-ignore: decorator
@inline export function hsum2F64(a: v128, b: v128): v128 {
  return f64x2.add(i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
}
