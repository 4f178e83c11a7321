// ADOPT; the operation order of src/optim/adopt.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmax, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdoptBuf, AdoptRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";
import { vclamp } from "./select";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize, clip: v128, negClip: v128, negLr: v128, dd: v128, wd: v128, w: v128, omw: v128,
  b2: v128, omb2: v128, eps: v128, first: bool, useClip: bool, decoupled: bool, hasWd: bool, small: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  let pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const vi = vload<T>(v, 0);
  if (first) {
    vstore<T>(v, 0, vadd<T>(vi, vmul<T>(gi, gi)));
    return;
  }
  if (decoupled) pi = vadd<T>(pi, vmul<T>(dd, pi));
  let u = vdiv<T>(gi, vmax<T>(vsqrt<T>(vi), eps));
  if (useClip) u = vclamp<T>(u, negClip, clip);
  const mi0 = vload<T>(m, 0);
  const d = vsub<T>(u, mi0);
  const mi = small ? vadd<T>(mi0, vmul<T>(w, d)) : vsub<T>(u, vmul<T>(d, omw));
  vstore<T>(m, 0, mi);
  vstore<T>(p, 0, vadd<T>(pi, vmul<T>(negLr, mi)));
  vstore<T>(v, 0, vadd<T>(vmul<T>(vi, b2), vmul<T>(vmul<T>(omb2, gi), gi)));
}

/** The weight as the dtype holds it (torch's lerp picks its form by the rounded weight). */
// @ts-ignore: decorator
@inline function rounded<T>(x: f64): f64 { return sizeof<T>() == 4 ? <f64><f32>x : x; }

/** ADOPT step over n elements of T: p, g; buffers (AdoptBuf) expAvg, expAvgSq; scalars: the AdoptRow slots. */
// @ts-ignore: decorator
@inline export function adoptStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, AdoptBuf.expAvg), v = bufAt(bufs, AdoptBuf.expAvgSq);
  const clip = sc(row, AdoptRow.clip), negLr = sc(row, AdoptRow.negLr), decoupledDecay = sc(row, AdoptRow.decoupledDecay);
  const weightDecay = sc(row, AdoptRow.weightDecay), lerpWeight = sc(row, AdoptRow.lerpWeight);
  const beta2 = sc(row, AdoptRow.beta2), oneMinusBeta2 = sc(row, AdoptRow.oneMinusBeta2), eps = sc(row, AdoptRow.eps);
  const first = flag(row, AdoptRow.first), useClip = flag(row, AdoptRow.useClip), decoupled = flag(row, AdoptRow.decoupled);
  const maximize = flag(row, AdoptRow.maximize);
  const w = rounded<T>(lerpWeight);
  const vclip = splat<T>(clip), vnegClip = vneg<T>(vclip), vnegLr = splat<T>(negLr), vdd = splat<T>(decoupledDecay), vwd = splat<T>(weightDecay);
  const vw = splat<T>(w), vomw = splat<T>(rounded<T>(1 - w)), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2), veps = splat<T>(eps);
  const hasWd = weightDecay != 0, small = Math.abs(w) < 0.5;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, m + o, v + o, vclip, vnegClip, vnegLr, vdd, vwd, vw, vomw, vb2, vomb2, veps,
      first, useClip, decoupled, hasWd, small, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, v, full, k),
      vclip, vnegClip, vnegLr, vdd, vwd, vw, vomw, vb2, vomb2, veps, first, useClip, decoupled, hasWd, small, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, v, full, k);
  }
}
