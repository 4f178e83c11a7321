// Schedule-free AdamW; the operation order of src/optim/sfadamw.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { SfadamwBuf, SfadamwRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, z: usize, v: usize, x: usize, m: usize, negLr: v128, lrWd: v128, b2: v128, omb2: v128, eps: v128,
  mu: v128, omMu: v128, bcm: v128, omc: v128, c: v128, b1: v128, omb1: v128, first: bool, hasWd: bool, atZ: bool, inner: bool, maximize: bool): void {
  const y = vload<T>(p, 0);
  let zi = first ? y : vload<T>(z, 0);
  let xi = first ? y : vload<T>(x, 0);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) zi = vsub<T>(zi, vmul<T>(lrWd, atZ ? zi : y));
  const vi = vadd<T>(vmul<T>(vload<T>(v, 0), b2), vmul<T>(vmul<T>(omb2, gi), gi));
  vstore<T>(v, 0, vi);
  const den = vadd<T>(vsqrt<T>(vi), eps);
  let num = gi;
  if (inner) {
    const mi = vadd<T>(vmul<T>(vload<T>(m, 0), mu), vmul<T>(omMu, gi));
    vstore<T>(m, 0, mi);
    num = vdiv<T>(mi, bcm);
  }
  zi = vadd<T>(zi, vdiv<T>(vmul<T>(negLr, num), den));
  xi = vadd<T>(vmul<T>(xi, omc), vmul<T>(c, zi));
  vstore<T>(z, 0, zi);
  vstore<T>(x, 0, xi);
  vstore<T>(p, 0, vadd<T>(vmul<T>(xi, b1), vmul<T>(omb1, zi)));
}

/**
 * Schedule-free AdamW step over n elements of T: p (= y), g; buffers
 * (SfadamwBuf) z, expAvgSq, x, expAvg (0 without innerMomentum); scalars: the SfadamwRow slots.
 */
// @ts-ignore: decorator
@inline export function sfadamwStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const z = bufAt(bufs, SfadamwBuf.z), v = bufAt(bufs, SfadamwBuf.expAvgSq), x = bufAt(bufs, SfadamwBuf.x), m = bufAt(bufs, SfadamwBuf.expAvg);
  const negLr = sc(row, SfadamwRow.negLr), lrWd = sc(row, SfadamwRow.lrWd), weightDecay = sc(row, SfadamwRow.weightDecay);
  const beta2 = sc(row, SfadamwRow.beta2), oneMinusBeta2 = sc(row, SfadamwRow.oneMinusBeta2), eps = sc(row, SfadamwRow.eps);
  const innerMomentum = sc(row, SfadamwRow.innerMomentum), oneMinusInnerMomentum = sc(row, SfadamwRow.oneMinusInnerMomentum);
  const innerCorrection = sc(row, SfadamwRow.innerCorrection), oneMinusC = sc(row, SfadamwRow.oneMinusC), c = sc(row, SfadamwRow.c);
  const beta1 = sc(row, SfadamwRow.beta1), oneMinusBeta1 = sc(row, SfadamwRow.oneMinusBeta1);
  const first = flag(row, SfadamwRow.first), decayAtZ = flag(row, SfadamwRow.decayAtZ), maximize = flag(row, SfadamwRow.maximize);
  const vnegLr = splat<T>(negLr), vlrWd = splat<T>(lrWd), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2), veps = splat<T>(eps);
  const vmu = splat<T>(innerMomentum), vomMu = splat<T>(oneMinusInnerMomentum), vbcm = splat<T>(innerCorrection);
  const vomc = splat<T>(oneMinusC), vc = splat<T>(c), vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1);
  const hasWd = weightDecay != 0, inner = innerMomentum != 0;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, z + o, v + o, x + o, inner ? m + o : 0, vnegLr, vlrWd, vb2, vomb2, veps, vmu, vomMu, vbcm, vomc, vc, vb1, vomb1,
      first, hasWd, decayAtZ, inner, maximize);
  }
  const k = n - full;
  if (k > 0) {
    const mm = inner ? m : 0;
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, z, full, k), tailIn<T>(3, v, full, k), tailIn<T>(4, x, full, k),
      tailIn<T>(5, mm, full, k), vnegLr, vlrWd, vb2, vomb2, veps, vmu, vomMu, vbcm, vomc, vc, vb1, vomb1, first, hasWd, decayAtZ, inner, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, z, full, k);
    tailOut<T>(3, v, full, k);
    tailOut<T>(4, x, full, k);
    tailOut<T>(5, mm, full, k);
  }
}
