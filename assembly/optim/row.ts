// Reading a kernel's inputs: scalars from its coefficient row (f64s at the
// slots of assembly/generated/layout.ts, generated from the TypeScript
// declarations) and state buffers from its pointer table.

/** Scalar at `slot` of the row at `row`. */
// @ts-ignore: decorator
@inline export function sc(row: usize, slot: i32): f64 {
  return load<f64>(row + (<usize>slot << 3));
}

/** A flag: nonzero is true, exactly as the reference tests `row[slot] !== 0`. */
// @ts-ignore: decorator
@inline export function flag(row: usize, slot: i32): bool {
  return load<f64>(row + (<usize>slot << 3)) != 0;
}

/** Pointer `k` of the buffer table at `bufs` (0 where the options need no such buffer). */
// @ts-ignore: decorator
@inline export function bufAt(bufs: usize, k: i32): usize {
  return load<usize>(bufs + (<usize>k << alignof<usize>()));
}
