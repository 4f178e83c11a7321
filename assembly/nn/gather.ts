// Moving samples into the feature-major layout, and the math test kernel.
import { MATH_ERF, MATH_EXP, MATH_EXPM1, MATH_LOG, MATH_LOG1P, MATH_SIGMOID, MATH_TANH } from "../../src/models/kernelIds";
import { ld, st } from "../simd";
import { verf, vexp, vexpm1, vlog, vlog1p, vsigmoid, vtanh } from "./math";

/**
 * dst[r, c] = src[r, idx[c]] for c < n and +0 for n ≤ c < S, r < rows
 * (src rows of srcStride elements, dst rows of S, idx an i32 array).
 */
// @ts-ignore: decorator
@inline export function gather<T>(src: usize, srcStride: i32, idx: usize, dst: usize, rows: i32, n: i32, S: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = r * srcStride, d = r * S;
    for (let c = 0; c < n; c++) st<T>(dst, d + c, ld<T>(src, s + load<i32>(idx + (<usize>c << 2))));
    for (let c = n; c < S; c++) st<T>(dst, d + c, <T>0);
  }
}

/** y = f(x) over n doubles (n even), f one of the MATH_* ids; tab: the erf table. */
export function nnMathF64(fn: i32, x: usize, y: usize, n: i32, tab: usize): void {
  for (let i = 0; i < n; i += 2) {
    const v = v128.load(x + (<usize>i << 3));
    let r: v128;
    if (fn == MATH_EXP) r = vexp(v);
    else if (fn == MATH_EXPM1) r = vexpm1(v);
    else if (fn == MATH_LOG) r = vlog(v);
    else if (fn == MATH_LOG1P) r = vlog1p(v);
    else if (fn == MATH_TANH) r = vtanh(v);
    else if (fn == MATH_ERF) r = verf(v, tab);
    else if (fn == MATH_SIGMOID) r = vsigmoid(v);
    else r = f64x2.splat(NaN);
    v128.store(y + (<usize>i << 3), r);
  }
}
