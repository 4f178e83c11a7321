/**
 * The reference kernel set: plain typed arrays and the kernels of
 * src/models/kernels.ts, f32 rounded with Math.fround after every operation.
 */
import { allocate, roundFor, type DType, type FloatArray } from "../api.js";
import * as K from "./kernels.js";
import type { KernelSet } from "./network.js";

export function referenceKernels(dtype: DType): KernelSet<FloatArray, Int32Array> {
  const r = roundFor(dtype);
  const L = dtype === "f32" ? 4 : 2;
  return {
    dtype,
    lanes: L,
    alloc: (length) => allocate(dtype, length),
    free: () => {},
    write: (b, values) => b.set(values),
    view: (b, length) => b.subarray(0, length),
    allocIndex: (length) => new Int32Array(length),
    freeIndex: () => {},
    writeIndex: (i, values) => i.set(values),
    denseForward: (W, b, A, Z, nIn, nOut, n, S) => K.denseForward(W, b, A, Z, nIn, nOut, n, S, r),
    denseBackwardInput: (W, dZ, dA, nIn, nOut, n, S) => K.denseBackwardInput(W, dZ, dA, nIn, nOut, n, S, r),
    weightGrad: (dZ, A, dW, db, nIn, nOut, n, S) => K.weightGrad(dZ, A, dW, db, nIn, nOut, n, S, L, r),
    actForward: (act, Z, A, rows, n, S) => K.actForward(act, Z, A, rows, n, S, r),
    actBackward: (act, dA, Z, A, dZ, rows, n, S) => K.actBackward(act, dA, Z, A, dZ, rows, n, S, r),
    loss: (loss, Z, Y, dZ, Kout, n, S, g) => K.lossForward(loss, Z, Y, dZ, Kout, n, S, g, L, r),
    gather: (src, srcStride, idx, from, dst, rows, n, S) => K.gather(src, srcStride, idx, from, dst, rows, n, S),
  };
}
