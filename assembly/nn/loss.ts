// Losses on the output Z (K × S, feature-major) against targets Y, with their
// gradients, in the operation order of src/models/kernels.ts (lossForward).
// The mean's sum: one vector accumulator starting at +0, lane ℓ adding the
// values of columns ≡ ℓ (mod L), rows in order, columns in order; then the
// lanes combined by hsum; then divided by the count (in T).
import { LOSS_BCE, LOSS_MSE } from "../../src/models/kernelIds";
import { lanes, shift, splat, vabs, vadd, vdiv, vload, vmax, vmul, vneg, vstore, vsub } from "../simd";
import { expT, hsum, lastMask, log1pT, logT } from "./common";

/** (z − y)², gradient (z − y)·g. */
// @ts-ignore: decorator
@inline function mse<T>(z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: v128): v128 {
  const L = lanes<T>();
  const mask = lastMask<T>(n);
  let acc = splat<T>(0);
  for (let k = 0; k < K; k++) {
    const o = <usize>(k * S) << shift<T>();
    for (let i = 0; i < S; i += L) {
      const m = i + L >= S ? mask : i32x4.splat(-1);
      const d = vsub<T>(vload<T>(z + o, i), vload<T>(y + o, i));
      acc = vadd<T>(acc, v128.and(vmul<T>(d, d), m));
      if (dz) vstore<T>(dz + o, i, v128.and(vmul<T>(d, g), m));
    }
  }
  return acc;
}

/** max(z, 0) − z·y + log1p(e^(−|z|)), gradient (σ(z) − y)·g with σ from the same e^(−|z|). */
// @ts-ignore: decorator
@inline function bce<T>(z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: v128): v128 {
  const L = lanes<T>();
  const mask = lastMask<T>(n);
  const zero = splat<T>(0), one = splat<T>(1);
  let acc = zero;
  for (let k = 0; k < K; k++) {
    const o = <usize>(k * S) << shift<T>();
    for (let i = 0; i < S; i += L) {
      const m = i + L >= S ? mask : i32x4.splat(-1);
      const zi = vload<T>(z + o, i), yi = vload<T>(y + o, i);
      const e = expT<T>(vneg<T>(vabs<T>(zi)));
      const l = vadd<T>(vsub<T>(vmax<T>(zi, zero), vmul<T>(zi, yi)), log1pT<T>(e));
      acc = vadd<T>(acc, v128.and(l, m));
      if (dz) {
        const d = vadd<T>(one, e);
        const nonneg = sizeof<T>() == 4 ? f32x4.ge(zi, zero) : f64x2.ge(zi, zero);
        const s = v128.bitselect(vdiv<T>(one, d), vdiv<T>(e, d), nonneg);
        vstore<T>(dz + o, i, v128.and(vmul<T>(vsub<T>(s, yi), g), m));
      }
    }
  }
  return acc;
}

/**
 * Softmax cross-entropy per column: m = max_j z_j, s = Σ_j e^(z_j − m) (j in
 * order from +0), loss = (m + log s) − z_y; gradient (e^(z_j − m)/s − [j = y])·g.
 * y holds class indices (one row).
 */
// @ts-ignore: decorator
@inline function ce<T>(z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: v128): v128 {
  const L = lanes<T>();
  const mask = lastMask<T>(n);
  const rowBytes = <usize>S << shift<T>();
  let acc = splat<T>(0);
  for (let i = 0; i < S; i += L) {
    const m = i + L >= S ? mask : i32x4.splat(-1);
    const yi = vload<T>(y, i);
    let mx = vload<T>(z, i);
    for (let j = 1; j < K; j++) mx = vmax<T>(mx, vload<T>(z + <usize>j * rowBytes, i));
    let s = splat<T>(0), zy = splat<T>(0);
    for (let j = 0; j < K; j++) {
      const zj = vload<T>(z + <usize>j * rowBytes, i);
      const e = expT<T>(vsub<T>(zj, mx));
      s = vadd<T>(s, e);
      if (dz) vstore<T>(dz + <usize>j * rowBytes, i, e);
      const hit = sizeof<T>() == 4 ? f32x4.eq(yi, splat<T>(<f64>j)) : f64x2.eq(yi, splat<T>(<f64>j));
      zy = v128.bitselect(zj, zy, hit);
    }
    const l = vsub<T>(vadd<T>(mx, logT<T>(s)), zy);
    acc = vadd<T>(acc, v128.and(l, m));
    if (dz) {
      for (let j = 0; j < K; j++) {
        const p = dz + <usize>j * rowBytes;
        const hit = sizeof<T>() == 4 ? f32x4.eq(yi, splat<T>(<f64>j)) : f64x2.eq(yi, splat<T>(<f64>j));
        const onehot = v128.and(splat<T>(1), hit);
        vstore<T>(p, i, v128.and(vmul<T>(vsub<T>(vdiv<T>(vload<T>(p, i), s), onehot), g), m));
      }
    }
  }
  return acc;
}

/**
 * The mean loss of n samples (columns) of Z against Y; when dz ≠ 0 also the
 * gradient, scaled by g (2/N for mse, 1/N for bce, 1/n for ce; N = K·n),
 * padding written +0. Returns the loss (a value of T).
 */
// @ts-ignore: decorator
@inline export function lossForward<T>(loss: i32, z: usize, y: usize, dz: usize, K: i32, n: i32, S: i32, g: f64): f64 {
  const gv = splat<T>(g);
  let count: i32;
  let acc: v128;
  if (loss == LOSS_MSE) {
    acc = mse<T>(z, y, dz, K, n, S, gv);
    count = K * n;
  } else if (loss == LOSS_BCE) {
    acc = bce<T>(z, y, dz, K, n, S, gv);
    count = K * n;
  } else {
    acc = ce<T>(z, y, dz, K, n, S, gv);
    count = n;
  }
  return <f64>(hsum<T>(acc) / <T>count);
}
