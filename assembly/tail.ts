// The tail of an array (fewer than one vector of elements) is run through the
// same SIMD body as the main loop, on zero-padded copies in a static scratch
// area. Each lane of a v128 operation is the IEEE operation of its dtype, so
// this gives exactly what a scalar tail would, with one body per kernel
// instead of two copies of every formula.
import { shift } from "./simd";

/** 8 slots of 16 bytes, one per array a kernel touches. */
const SCRATCH: usize = memory.data(8 * 16, 16);

/** Copies elements [i, i+k) of the T array at `src` into slot `slot`, zero-padded; returns the slot's address. */
// @ts-ignore: decorator
@inline export function tailIn<T>(slot: i32, src: usize, i: i32, k: i32): usize {
  const dst = SCRATCH + (<usize>slot << 4);
  v128.store(dst, i64x2.splat(0));
  if (src != 0) memory.copy(dst, src + (<usize>i << shift<T>()), <usize>k << shift<T>());
  return dst;
}

/** Copies the first k elements of slot `slot` back to elements [i, i+k) of `dst`. */
// @ts-ignore: decorator
@inline export function tailOut<T>(slot: i32, dst: usize, i: i32, k: i32): void {
  if (dst != 0) memory.copy(dst + (<usize>i << shift<T>()), SCRATCH + (<usize>slot << 4), <usize>k << shift<T>());
}
