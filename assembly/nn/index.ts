// The network kernels' exports (pointers, i32 counts and f64 scalars only), one
// F32 and one F64 instance of each generic kernel. Buffers are feature-major
// with S columns (a multiple of 4 for f32, of 2 for f64); see dense.ts.
import { actBackward, actForward } from "./act";
import { rowsProduct, weightGrad } from "./dense";
import { gather } from "./gather";
import { lossForward } from "./loss";

export { nnMathF64 } from "./gather";

/** Z = W·A + b (W: nOut × nIn row-major, A: nIn × S, Z: nOut × S). */
export function nnDenseForwardF32(w: usize, b: usize, a: usize, z: usize, nIn: i32, nOut: i32, S: i32): void {
  rowsProduct<f32>(w, nIn, 1, b, a, z, nOut, nIn, S);
}
export function nnDenseForwardF64(w: usize, b: usize, a: usize, z: usize, nIn: i32, nOut: i32, S: i32): void {
  rowsProduct<f64>(w, nIn, 1, b, a, z, nOut, nIn, S);
}

/** dA = Wᵀ·dZ (dA: nIn × S). */
export function nnDenseBackwardInputF32(w: usize, dz: usize, da: usize, nIn: i32, nOut: i32, S: i32): void {
  rowsProduct<f32>(w, 1, nIn, 0, dz, da, nIn, nOut, S);
}
export function nnDenseBackwardInputF64(w: usize, dz: usize, da: usize, nIn: i32, nOut: i32, S: i32): void {
  rowsProduct<f64>(w, 1, nIn, 0, dz, da, nIn, nOut, S);
}

/** dW = dZ·Aᵀ, db = dZ·1 (written, not accumulated). */
export function nnWeightGradF32(dz: usize, a: usize, dw: usize, db: usize, nIn: i32, nOut: i32, S: i32): void {
  weightGrad<f32>(dz, a, dw, db, nIn, nOut, S);
}
export function nnWeightGradF64(dz: usize, a: usize, dw: usize, db: usize, nIn: i32, nOut: i32, S: i32): void {
  weightGrad<f64>(dz, a, dw, db, nIn, nOut, S);
}

/** A = act(Z), padding +0. */
export function nnActForwardF32(act: i32, z: usize, a: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  actForward<f32>(act, z, a, rows, n, S, tab);
}
export function nnActForwardF64(act: i32, z: usize, a: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  actForward<f64>(act, z, a, rows, n, S, tab);
}

/** dZ = dA ⊙ act′(Z, A), padding +0. */
export function nnActBackwardF32(act: i32, da: usize, z: usize, a: usize, dz: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  actBackward<f32>(act, da, z, a, dz, rows, n, S, tab);
}
export function nnActBackwardF64(act: i32, da: usize, z: usize, a: usize, dz: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  actBackward<f64>(act, da, z, a, dz, rows, n, S, tab);
}

/** Mean loss of n columns; gradient into dz (scaled by g) unless dz = 0. */
export function nnLossF32(loss: i32, z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: f64): f64 {
  return lossForward<f32>(loss, z, y, dz, K, n, S, g);
}
export function nnLossF64(loss: i32, z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: f64): f64 {
  return lossForward<f64>(loss, z, y, dz, K, n, S, g);
}

/** dst[r, c] = src[r, idx[c]] (c < n), padding +0. */
export function nnGatherF32(src: usize, srcStride: i32, idx: usize, dst: usize, rows: i32, n: i32, S: i32): void {
  gather<f32>(src, srcStride, idx, dst, rows, n, S);
}
export function nnGatherF64(src: usize, srcStride: i32, idx: usize, dst: usize, rows: i32, n: i32, S: i32): void {
  gather<f64>(src, srcStride, idx, dst, rows, n, S);
}
