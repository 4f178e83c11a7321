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

/** Input `slot` of a core coefficient function's inputs (f64s at the slots of the generated `…In` namespace). */
// @ts-ignore: decorator
@inline export function inp(inputs: usize, slot: i32): f64 {
  return load<f64>(inputs + (<usize>slot << 3));
}

/** Power table `k` at step t: Math.pow(its base, t), computed in JS (see KernelDecl.powers). */
// @ts-ignore: decorator
@inline export function pw(powers: usize, k: i32, t: i32): f64 {
  return load<f64>(load<usize>(powers + (<usize>k << alignof<usize>())) + (<usize>t << 3));
}

/** Writes scalar `slot` of the row at `row`. */
// @ts-ignore: decorator
@inline export function put(row: usize, slot: i32, v: f64): void {
  store<f64>(row + (<usize>slot << 3), v);
}
