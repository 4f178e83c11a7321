// Lane-generic SIMD helpers. Every kernel is written once over T ∈ {f32, f64};
// `sizeof<T>() == 4` is a compile-time constant, so each helper folds to one
// f32x4 or f64x2 instruction. All operations are plain IEEE (no FMA, no
// relaxed SIMD), which is what lets the kernels agree bit for bit with the
// TypeScript reference (Math.fround after every operation for f32).

/** Elements per v128 for T. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 { return 16 / <i32>sizeof<T>(); }

/** log2(sizeof<T>()), to turn an index into a byte offset. */
// @ts-ignore: decorator
@inline export function shift<T>(): usize { return sizeof<T>() == 4 ? 2 : 3; }

// @ts-ignore: decorator
@inline export function splat<T>(x: f64): v128 { return sizeof<T>() == 4 ? f32x4.splat(<f32>x) : f64x2.splat(x); }
// @ts-ignore: decorator
@inline export function vadd<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.add(a, b) : f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function vsub<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.sub(a, b) : f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function vmul<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.mul(a, b) : f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline export function vdiv<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.div(a, b) : f64x2.div(a, b); }
// @ts-ignore: decorator
@inline export function vsqrt<T>(a: v128): v128 { return sizeof<T>() == 4 ? f32x4.sqrt(a) : f64x2.sqrt(a); }
/** NaN-propagating maximum, like Math.max (not pmax). */
// @ts-ignore: decorator
@inline export function vmax<T>(a: v128, b: v128): v128 { return sizeof<T>() == 4 ? f32x4.max(a, b) : f64x2.max(a, b); }
// @ts-ignore: decorator
@inline export function vneg<T>(a: v128): v128 { return sizeof<T>() == 4 ? f32x4.neg(a) : f64x2.neg(a); }
// @ts-ignore: decorator
@inline export function vabs<T>(a: v128): v128 { return sizeof<T>() == 4 ? f32x4.abs(a) : f64x2.abs(a); }

/** Whether any lane of a differs from b (false for NaN lanes only when b is NaN too, as `!=` is true for NaN). */
// @ts-ignore: decorator
@inline export function vanyNe<T>(a: v128, b: v128): bool { return v128.any_true(sizeof<T>() == 4 ? f32x4.ne(a, b) : f64x2.ne(a, b)); }

/** v128 at element i of the T array at p. */
// @ts-ignore: decorator
@inline export function vload<T>(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << shift<T>())); }
// @ts-ignore: decorator
@inline export function vstore<T>(p: usize, i: i32, v: v128): void { v128.store(p + (<usize>i << shift<T>()), v); }

/** Scalar element i of the T array at p. */
// @ts-ignore: decorator
@inline export function ld<T>(p: usize, i: i32): T { return load<T>(p + (<usize>i << shift<T>())); }
// @ts-ignore: decorator
@inline export function st<T>(p: usize, i: i32, v: T): void { store<T>(p + (<usize>i << shift<T>()), v); }
