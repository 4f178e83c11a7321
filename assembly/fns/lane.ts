// Arithmetic over a lane type V ∈ {f64, v128}: V = f64 is one point, V = v128
// is two points (f64x2, one per lane). Each helper folds at compile time to
// one scalar f64 or one f64x2 instruction (via assembly/simd.ts), so a value
// written once with them serves the scalar kernels and the SIMD grid, and
// each lane is the same IEEE operation as the scalar code: bit-identical.
// Written as calls, an expression keeps its tree visibly: `a + b + c` of the
// reference is add(add(a, b), c).
import { ld, splat, vadd, vmul, vsub } from "../simd";

/** The constant c in every lane. */
// @ts-ignore: decorator
@inline export function num<V>(c: f64): V {
  if (isVector<V>()) return <V>splat<f64>(c);
  else return <V>c;
}
// @ts-ignore: decorator
@inline export function add<V>(a: V, b: V): V {
  if (isVector<V>()) return <V>vadd<f64>(a, b);
  else return a + b;
}
// @ts-ignore: decorator
@inline export function sub<V>(a: V, b: V): V {
  if (isVector<V>()) return <V>vsub<f64>(a, b);
  else return a - b;
}
// @ts-ignore: decorator
@inline export function mul<V>(a: V, b: V): V {
  if (isVector<V>()) return <V>vmul<f64>(a, b);
  else return a * b;
}

/**
 * Coordinate i of the input at p. V = f64: element i of the T array at p,
 * widened exactly to f64. V = v128: the i-th f64x2 at p (coordinate i of two
 * points; p is then an f64 array of 2·n elements, point-interleaved).
 */
// @ts-ignore: decorator
@inline export function ldx<V, T>(p: usize, i: i32): V {
  if (isVector<V>()) return <V>v128.load(p + (<usize>i << 4));
  else return <V><f64>ld<T>(p, i);
}
