// Two-dimensional polynomial test functions: the expression trees of
// src/functions/polynomial2d.ts, operation for operation (no FMA, no
// reassociation), so every result is bit-identical to the reference.
//
// Each function is written once, generic over
// - V, the lane type (assembly/fns/lane.ts): f64 for one point, v128 for two
//   points (the SIMD grid). The value and every local it shares with the
//   gradient are written with the lane helpers: add(add(a, b), c) is the
//   reference's `a + b + c`;
// - T, the dtype of the gradient array (f32 rounds each component once on store).
// The gradient exists only for V = f64 and only when g != 0 (g = 0 is the
// value-only path); each component is computed in an f64 local, as in the
// reference, then stored once. Non-finite inputs propagate by IEEE rules.
import { st } from "../simd";
import { ONE_SIXTH, ONE_THIRD } from "./constants";
import { add, mul, num, sub } from "./lane";

/** Cubic x² + y² + y³ + xy; ∇ = (2x + y, 2y + 3y² + x). */
// @ts-ignore: decorator
@inline export function cubic<V, T>(x0: V, x1: V, g: usize): V {
  const y2 = mul(x1, x1);
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 2 * x0 + x1;
      const g1: f64 = 2 * x1 + 3 * y2 + x0;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(add(add(mul(x0, x0), y2), mul(y2, x1)), mul(x0, x1));
}

/** Beale t₁² + t₂² + t₃², t₁ = 1.5 − x + xy, t₂ = 2.25 − x + xy², t₃ = 2.625 − x + xy³. */
// @ts-ignore: decorator
@inline export function beale<V, T>(x0: V, x1: V, g: usize): V {
  const y2 = mul(x1, x1);
  const y3 = mul(y2, x1);
  const t1 = add(sub(num<V>(1.5), x0), mul(x0, x1));
  const t2 = add(sub(num<V>(2.25), x0), mul(x0, y2));
  const t3 = add(sub(num<V>(2.625), x0), mul(x0, y3));
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 2 * t1 * (x1 - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
      const g1: f64 = 2 * t1 * x0 + 4 * t2 * x0 * x1 + 6 * t3 * x0 * y2;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(add(mul(t1, t1), mul(t2, t2)), mul(t3, t3));
}

/** Booth u² + v², u = x + 2y − 7, v = 2x + y − 5; ∇ = (2u + 4v, 4u + 2v). */
// @ts-ignore: decorator
@inline export function booth<V, T>(x0: V, x1: V, g: usize): V {
  const u = sub(add(x0, mul(num<V>(2), x1)), num<V>(7));
  const v = sub(add(mul(num<V>(2), x0), x1), num<V>(5));
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 2 * u + 4 * v;
      const g1: f64 = 4 * u + 2 * v;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(mul(u, u), mul(v, v));
}

/** Matyas 0.26(x² + y²) − 0.48xy; ∇ = (0.52x − 0.48y, 0.52y − 0.48x). */
// @ts-ignore: decorator
@inline export function matyas<V, T>(x0: V, x1: V, g: usize): V {
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 0.52 * x0 - 0.48 * x1;
      const g1: f64 = 0.52 * x1 - 0.48 * x0;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return sub(mul(num<V>(0.26), add(mul(x0, x0), mul(x1, x1))), mul(mul(num<V>(0.48), x0), x1));
}

/** Himmelblau u² + v², u = x² + y − 11, v = x + y² − 7; ∇ = (4xu + 2v, 2u + 4yv). */
// @ts-ignore: decorator
@inline export function himmelblau<V, T>(x0: V, x1: V, g: usize): V {
  const u = sub(add(mul(x0, x0), x1), num<V>(11));
  const v = sub(add(x0, mul(x1, x1)), num<V>(7));
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 4 * x0 * u + 2 * v;
      const g1: f64 = 2 * u + 4 * x1 * v;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(mul(u, u), mul(v, v));
}

/** Three-hump camel 2x² − 1.05x⁴ + x⁶/6 + xy + y² (x⁶/6 as ONE_SIXTH·x⁴·x²); ∇ = (4x − 4.2x³ + x⁵ + y, x + 2y). */
// @ts-ignore: decorator
@inline export function threeHumpCamel<V, T>(x0: V, x1: V, g: usize): V {
  const x2 = mul(x0, x0);
  const x4 = mul(x2, x2);
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 4 * x0 - 4.2 * x2 * x0 + x4 * x0 + x1;
      const g1: f64 = x0 + 2 * x1;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(add(add(sub(mul(num<V>(2), x2), mul(num<V>(1.05), x4)), mul(mul(num<V>(ONE_SIXTH), x4), x2)), mul(x0, x1)), mul(x1, x1));
}

/** Six-hump camel 4x² − 2.1x⁴ + x⁶/3 + xy − 4y² + 4y⁴; ∇ = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³). */
// @ts-ignore: decorator
@inline export function sixHumpCamel<V, T>(x0: V, x1: V, g: usize): V {
  const x2 = mul(x0, x0);
  const x4 = mul(x2, x2);
  const y2 = mul(x1, x1);
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 8 * x0 - 8.4 * x2 * x0 + 2 * x4 * x0 + x1;
      const g1: f64 = x0 - 8 * x1 + 16 * y2 * x1;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return add(
    sub(add(add(sub(mul(num<V>(4), x2), mul(num<V>(2.1), x4)), mul(mul(num<V>(ONE_THIRD), x4), x2)), mul(x0, x1)), mul(num<V>(4), y2)),
    mul(mul(num<V>(4), y2), y2),
  );
}

/**
 * Goldstein–Price A·B, A = 1 + s²P, s = x + y + 1, P = 19 − 14x + 3x² − 14y + 6xy + 3y²;
 * B = 30 + t²Q, t = 2x − 3y, Q = 18 − 32x + 12x² + 48y − 36xy + 27y².
 */
// @ts-ignore: decorator
@inline export function goldsteinPrice<V, T>(x0: V, x1: V, g: usize): V {
  const s = add(add(x0, x1), num<V>(1));
  const s2 = mul(s, s);
  const p = add(
    add(sub(add(sub(num<V>(19), mul(num<V>(14), x0)), mul(mul(num<V>(3), x0), x0)), mul(num<V>(14), x1)), mul(mul(num<V>(6), x0), x1)),
    mul(mul(num<V>(3), x1), x1),
  );
  const a = add(num<V>(1), mul(s2, p));
  const t = sub(mul(num<V>(2), x0), mul(num<V>(3), x1));
  const t2 = mul(t, t);
  const q = add(
    sub(add(add(sub(num<V>(18), mul(num<V>(32), x0)), mul(mul(num<V>(12), x0), x0)), mul(num<V>(48), x1)), mul(mul(num<V>(36), x0), x1)),
    mul(mul(num<V>(27), x1), x1),
  );
  const b = add(num<V>(30), mul(t2, q));
  if (!isVector<V>()) {
    if (g != 0) {
      const dp: f64 = -14 + 6 * x0 + 6 * x1;
      const da: f64 = 2 * s * p + s2 * dp;
      const qx: f64 = -32 + 24 * x0 - 36 * x1;
      const qy: f64 = 48 - 36 * x0 + 54 * x1;
      const bx: f64 = 4 * t * q + t2 * qx;
      const by: f64 = -6 * t * q + t2 * qy;
      const g0: f64 = da * b + a * bx;
      const g1: f64 = da * b + a * by;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return mul(a, b);
}

/** Saddle x² − y²; ∇ = (2x, −2y). */
// @ts-ignore: decorator
@inline export function saddle<V, T>(x0: V, x1: V, g: usize): V {
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 2 * x0;
      const g1: f64 = -2 * x1;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return sub(mul(x0, x0), mul(x1, x1));
}

/** Monkey saddle x³ − 3xy²; ∇ = (3x² − 3y², −6xy). */
// @ts-ignore: decorator
@inline export function monkeySaddle<V, T>(x0: V, x1: V, g: usize): V {
  const x2 = mul(x0, x0);
  const y2 = mul(x1, x1);
  if (!isVector<V>()) {
    if (g != 0) {
      const g0: f64 = 3 * x2 - 3 * y2;
      const g1: f64 = -6 * x0 * x1;
      st<T>(g, 0, <T>g0);
      st<T>(g, 1, <T>g1);
    }
  }
  return sub(mul(x2, x0), mul(mul(num<V>(3), x0), y2));
}
