// Hidden activations, forward and backward, in the operation order of
// src/models/kernels.ts (actForward, actBackward). Transcendental parts
// (tanh, exp, erf) are evaluated in f64 and rounded once to T; every other
// operation is one IEEE operation of T.
import { ACT_GELU, ACT_RELU, ACT_SIGMOID, ACT_TANH } from "../../src/models/kernelIds";
import { INV_SQRT_2PI, SQRT1_2 } from "../../src/models/mathConstants";
import { lanes, shift, splat, vadd, vdiv, vload, vmax, vmul, vneg, vstore, vsub } from "../simd";
import { erfT, expT, lastMask, tanhT } from "./common";

// @ts-ignore: decorator
@inline function forwardValue<T>(act: i32, z: v128, tab: usize): v128 {
  if (act == ACT_TANH) return tanhT<T>(z);
  if (act == ACT_RELU) return vmax<T>(z, splat<T>(0));
  if (act == ACT_SIGMOID) return vdiv<T>(splat<T>(1), vadd<T>(splat<T>(1), expT<T>(vneg<T>(z))));
  // gelu, torch's exact form: (x·½)·(1 + erf(x·(1/√2)))
  return vmul<T>(vmul<T>(z, splat<T>(0.5)), vadd<T>(splat<T>(1), erfT<T>(vmul<T>(z, splat<T>(SQRT1_2)), tab)));
}

// @ts-ignore: decorator
@inline function backwardValue<T>(act: i32, da: v128, z: v128, a: v128, tab: usize): v128 {
  if (act == ACT_TANH) return vmul<T>(da, vsub<T>(splat<T>(1), vmul<T>(a, a)));
  if (act == ACT_RELU) return v128.andnot(da, sizeof<T>() == 4 ? f32x4.le(a, splat<T>(0)) : f64x2.le(a, splat<T>(0)));
  if (act == ACT_SIGMOID) return vmul<T>(vmul<T>(da, vsub<T>(splat<T>(1), a)), a);
  // gelu: dy·(cdf + x·pdf), cdf = ½(1 + erf(x/√2)), pdf = e^(−x²/2)/√(2π)
  const cdf = vmul<T>(splat<T>(0.5), vadd<T>(splat<T>(1), erfT<T>(vmul<T>(z, splat<T>(SQRT1_2)), tab)));
  const pdf = vmul<T>(splat<T>(INV_SQRT_2PI), expT<T>(vmul<T>(vmul<T>(z, z), splat<T>(-0.5))));
  return vmul<T>(da, vadd<T>(cdf, vmul<T>(z, pdf)));
}

// @ts-ignore: decorator
@inline function forwardLoop<T>(act: i32, z: usize, a: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  const L = lanes<T>();
  const last = S - L;
  const mask = lastMask<T>(n);
  for (let r = 0; r < rows; r++) {
    const zr = z + (<usize>(r * S) << shift<T>()), ar = a + (<usize>(r * S) << shift<T>());
    for (let i = 0; i < last; i += L) vstore<T>(ar, i, forwardValue<T>(act, vload<T>(zr, i), tab));
    if (S > 0) vstore<T>(ar, last, v128.and(forwardValue<T>(act, vload<T>(zr, last), tab), mask));
  }
}

// @ts-ignore: decorator
@inline function backwardLoop<T>(act: i32, da: usize, z: usize, a: usize, dz: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  const L = lanes<T>();
  const last = S - L;
  const mask = lastMask<T>(n);
  for (let r = 0; r < rows; r++) {
    const o = <usize>(r * S) << shift<T>();
    for (let i = 0; i < last; i += L) {
      vstore<T>(dz + o, i, backwardValue<T>(act, vload<T>(da + o, i), vload<T>(z + o, i), vload<T>(a + o, i), tab));
    }
    if (S > 0) vstore<T>(dz + o, last, v128.and(backwardValue<T>(act, vload<T>(da + o, last), vload<T>(z + o, last), vload<T>(a + o, last), tab), mask));
  }
}

/**
 * A = act(Z) over rows × S (S a multiple of the lane count, n ≤ S real
 * columns; the padding of A is written +0). tab: the erf table (gelu).
 */
// @ts-ignore: decorator
@inline export function actForward<T>(act: i32, z: usize, a: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  if (act == ACT_TANH) forwardLoop<T>(ACT_TANH, z, a, rows, n, S, tab);
  else if (act == ACT_RELU) forwardLoop<T>(ACT_RELU, z, a, rows, n, S, tab);
  else if (act == ACT_SIGMOID) forwardLoop<T>(ACT_SIGMOID, z, a, rows, n, S, tab);
  else forwardLoop<T>(ACT_GELU, z, a, rows, n, S, tab);
}

/**
 * dZ = dA ⊙ act′ over rows × S, from Z (gelu) or A (the others); dZ may be
 * dA (in place). The padding of dZ is written +0.
 */
// @ts-ignore: decorator
@inline export function actBackward<T>(act: i32, da: usize, z: usize, a: usize, dz: usize, rows: i32, n: i32, S: i32, tab: usize): void {
  if (act == ACT_TANH) backwardLoop<T>(ACT_TANH, da, z, a, dz, rows, n, S, tab);
  else if (act == ACT_RELU) backwardLoop<T>(ACT_RELU, da, z, a, dz, rows, n, S, tab);
  else if (act == ACT_SIGMOID) backwardLoop<T>(ACT_SIGMOID, da, z, a, dz, rows, n, S, tab);
  else backwardLoop<T>(ACT_GELU, da, z, a, dz, rows, n, S, tab);
}
