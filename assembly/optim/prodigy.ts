// Prodigy (konstmish/prodigy); the operation order of src/optim/prodigy.ts.
// prodigyReduce is phase A (moments, s and the two sums), prodigyStep phase B.
import { lanes, ld, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { ProdigyBuf, ProdigyRow, ProdigySum } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";
import { combine } from "./sums";

/** g as phase A and B use it: negated for maximize, plus the coupled L2 term. */
// @ts-ignore: decorator
@inline function grad<T>(p: usize, g: usize, wd: v128, hasWd: bool, maximize: bool): v128 {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, vload<T>(p, 0)));
  return gi;
}

/** Phase A's element-wise part on one vector: m, v, s updated in place. */
// @ts-ignore: decorator
@inline function moments<T>(gi: v128, s: usize, m: usize, v: usize, b1: v128, b2: v128, b3: v128, cm: v128, cv: v128, cs: v128, useAvg: bool): void {
  if (useAvg) vstore<T>(m, 0, vadd<T>(vmul<T>(vload<T>(m, 0), b1), vmul<T>(cm, gi)));
  vstore<T>(v, 0, vadd<T>(vmul<T>(vload<T>(v, 0), b2), vmul<T>(vmul<T>(cv, gi), gi)));
  vstore<T>(s, 0, vadd<T>(vmul<T>(vload<T>(s, 0), b3), vmul<T>(cs, gi)));
}

/** Lanes 2, 3 of an f32x4 as f64x2. */
// @ts-ignore: decorator
@inline function high(a: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 2, 3));
}

/**
 * Phase A over one tensor (skipped but for p0 ← p on the first step when lr ≤ 0):
 * sums[dot] += dotCoef·Σ g·(p0 − p), sums[absS] += Σ |s| with the updated s,
 * each a lane-order f64 sum (assembly/optim/sums.ts) of terms formed from
 * the dtype's values widened exactly.
 */
// @ts-ignore: decorator
@inline export function prodigyReduce<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize, sums: usize): void {
  const s = bufAt(bufs, ProdigyBuf.s), p0 = bufAt(bufs, ProdigyBuf.p0), m = bufAt(bufs, ProdigyBuf.expAvg), v = bufAt(bufs, ProdigyBuf.expAvgSq);
  const sh = shift<T>();
  if (flag(row, ProdigyRow.first)) memory.copy(p0, p, <usize>n << sh);
  if (!flag(row, ProdigyRow.active)) return;
  const maximize = flag(row, ProdigyRow.maximize), weightDecay = sc(row, ProdigyRow.weightDecay), useAvg = flag(row, ProdigyRow.useAvg);
  const hasWd = weightDecay != 0;
  const wd = splat<T>(weightDecay), b1 = splat<T>(sc(row, ProdigyRow.beta1)), b2 = splat<T>(sc(row, ProdigyRow.beta2));
  const b3 = splat<T>(sc(row, ProdigyRow.beta3)), cm = splat<T>(sc(row, ProdigyRow.gradCoef)), cv = splat<T>(sc(row, ProdigyRow.sqCoef));
  const cs = splat<T>(sc(row, ProdigyRow.sCoef));
  // dA, aA: partials (p₀, p₁) of the dot and |s| sums; dB, aB: (p₂, p₃).
  let dA = f64x2.splat(0), dB = f64x2.splat(0), aA = f64x2.splat(0), aB = f64x2.splat(0);
  const L = lanes<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    const gi = grad<T>(p + o, g + o, wd, hasWd, maximize);
    moments<T>(gi, s + o, m + o, v + o, b1, b2, b3, cm, cv, cs, useAvg);
    const diff = vsub<T>(vload<T>(p0 + o, 0), vload<T>(p + o, 0));
    const sv = vload<T>(s + o, 0);
    if (sizeof<T>() == 4) {
      dA = f64x2.add(dA, f64x2.mul(f64x2.promote_low_f32x4(gi), f64x2.promote_low_f32x4(diff)));
      dB = f64x2.add(dB, f64x2.mul(high(gi), high(diff)));
      aA = f64x2.add(aA, f64x2.abs(f64x2.promote_low_f32x4(sv)));
      aB = f64x2.add(aB, f64x2.abs(high(sv)));
    } else if ((i & 3) == 0) {
      dA = f64x2.add(dA, f64x2.mul(gi, diff));
      aA = f64x2.add(aA, f64x2.abs(sv));
    } else {
      dB = f64x2.add(dB, f64x2.mul(gi, diff));
      aB = f64x2.add(aB, f64x2.abs(sv));
    }
  }
  let d0 = f64x2.extract_lane(dA, 0), d1 = f64x2.extract_lane(dA, 1), d2 = f64x2.extract_lane(dB, 0), d3 = f64x2.extract_lane(dB, 1);
  let a0 = f64x2.extract_lane(aA, 0), a1 = f64x2.extract_lane(aA, 1), a2 = f64x2.extract_lane(aB, 0), a3 = f64x2.extract_lane(aB, 1);
  const k = n - full;
  if (k > 0) {
    const gt = tailIn<T>(1, g, full, k), pt = tailIn<T>(0, p, full, k);
    const gi = grad<T>(pt, gt, wd, hasWd, maximize);
    const st = tailIn<T>(2, s, full, k), mt = tailIn<T>(3, useAvg ? m : 0, full, k), vt = tailIn<T>(4, v, full, k);
    moments<T>(gi, st, mt, vt, b1, b2, b3, cm, cv, cs, useAvg);
    const p0t = tailIn<T>(5, p0, full, k);
    vstore<T>(gt, 0, gi);
    vstore<T>(p0t, 0, vsub<T>(vload<T>(p0t, 0), vload<T>(pt, 0)));
    // Only the k real lanes enter the sums, each into the partial of its index.
    for (let j = 0; j < k; j++) {
      const dt = <f64>ld<T>(gt, j) * <f64>ld<T>(p0t, j), at = Math.abs(<f64>ld<T>(st, j));
      const lane = (full + j) & 3;
      if (lane == 0) { d0 += dt; a0 += at; }
      else if (lane == 1) { d1 += dt; a1 += at; }
      else if (lane == 2) { d2 += dt; a2 += at; }
      else { d3 += dt; a3 += at; }
    }
    tailOut<T>(2, s, full, k);
    tailOut<T>(3, useAvg ? m : 0, full, k);
    tailOut<T>(4, v, full, k);
  }
  const dot = sums + (<usize>ProdigySum.dot << 3), abs = sums + (<usize>ProdigySum.absS << 3);
  store<f64>(dot, load<f64>(dot) + sc(row, ProdigyRow.dotCoef) * combine(d0, d1, d2, d3));
  store<f64>(abs, load<f64>(abs) + combine(a0, a1, a2, a3));
}

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize, wd: v128, dEps: v128, decayValue: v128, stepValue: v128,
  hasWd: bool, maximize: bool, useAvg: bool, decoupled: bool): void {
  let pi = vload<T>(p, 0);
  const denom = vadd<T>(vsqrt<T>(vload<T>(v, 0)), dEps);
  if (decoupled) pi = vadd<T>(pi, vmul<T>(decayValue, pi));
  const x = useAvg ? vload<T>(m, 0) : grad<T>(p, g, wd, hasWd, maximize);
  vstore<T>(p, 0, vadd<T>(pi, vdiv<T>(vmul<T>(stepValue, x), denom)));
}

/** Phase B over n elements of T: p, g, s, p0, expAvg (0 when β1 = 0), expAvgSq. */
// @ts-ignore: decorator
@inline export function prodigyStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, ProdigyBuf.expAvg), v = bufAt(bufs, ProdigyBuf.expAvgSq);
  const maximize = flag(row, ProdigyRow.maximize), weightDecay = sc(row, ProdigyRow.weightDecay), useAvg = flag(row, ProdigyRow.useAvg);
  const decoupled = flag(row, ProdigyRow.decoupledDecay);
  const wd = splat<T>(weightDecay), dEps = splat<T>(sc(row, ProdigyRow.dEps)), decayValue = splat<T>(sc(row, ProdigyRow.decayValue));
  const stepValue = splat<T>(sc(row, ProdigyRow.stepValue));
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, useAvg ? m + o : 0, v + o, wd, dEps, decayValue, stepValue, hasWd, maximize, useAvg, decoupled);
  }
  const k = n - full;
  if (k > 0) {
    const mm = useAvg ? m : 0;
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, mm, full, k), tailIn<T>(3, v, full, k), wd, dEps, decayValue, stepValue,
      hasWd, maximize, useAvg, decoupled);
    tailOut<T>(0, p, full, k);
  }
}
