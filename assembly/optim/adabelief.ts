// AdaBelief (adabelief-pytorch 0.2.1); the operation order of src/optim/adabelief.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmax, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdabeliefBuf, AdabeliefRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, s: usize, sm: usize,
  b1: v128, omb1: v128, b2: v128, omb2: v128, eps: v128, wd: v128, decay: v128, bc2s: v128, value: v128,
  mode: f64, hasWd: bool, hasDecay: bool, amsgrad: bool, maximize: bool): void {
  let pi = vload<T>(p, 0);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasDecay) pi = vmul<T>(pi, decay);
  else if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const mi = vadd<T>(vmul<T>(vload<T>(m, 0), b1), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  const r = vsub<T>(gi, mi);
  const si = vadd<T>(vadd<T>(vmul<T>(vload<T>(s, 0), b2), vmul<T>(vmul<T>(omb2, r), r)), eps);
  vstore<T>(s, 0, si);
  let sd = si;
  if (amsgrad) {
    sd = vmax<T>(vload<T>(sm, 0), si);
    vstore<T>(sm, 0, sd);
  }
  if (mode == 0) pi = vadd<T>(pi, vdiv<T>(vmul<T>(value, mi), vadd<T>(vdiv<T>(vsqrt<T>(sd), bc2s), eps)));
  else if (mode == 1) pi = vadd<T>(pi, vdiv<T>(vmul<T>(value, mi), vadd<T>(vsqrt<T>(si), eps)));
  else if (mode == 2) pi = vadd<T>(pi, vmul<T>(value, mi));
  vstore<T>(p, 0, pi);
}

/**
 * AdaBelief step over n elements of T: p, g, expAvg, expAvgVar, maxExpAvgVar
 * (0 unless amsgrad). mode: 0 plain, 1 rectified, 2 SGD phase, 3 no move.
 */
// @ts-ignore: decorator
@inline export function adabeliefStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, AdabeliefBuf.expAvg), s = bufAt(bufs, AdabeliefBuf.expAvgVar), sm = bufAt(bufs, AdabeliefBuf.maxExpAvgVar);
  const beta1 = sc(row, AdabeliefRow.beta1), oneMinusBeta1 = sc(row, AdabeliefRow.oneMinusBeta1), beta2 = sc(row, AdabeliefRow.beta2);
  const oneMinusBeta2 = sc(row, AdabeliefRow.oneMinusBeta2), eps = sc(row, AdabeliefRow.eps), weightDecay = sc(row, AdabeliefRow.weightDecay);
  const decay = sc(row, AdabeliefRow.decay), biasCorrection2Sqrt = sc(row, AdabeliefRow.biasCorrection2Sqrt), mode = sc(row, AdabeliefRow.mode);
  const value = sc(row, AdabeliefRow.value), amsgrad = flag(row, AdabeliefRow.amsgrad), maximize = flag(row, AdabeliefRow.maximize);
  const vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const veps = splat<T>(eps), vwd = splat<T>(weightDecay), vdecay = splat<T>(decay), vbc2s = splat<T>(biasCorrection2Sqrt), vvalue = splat<T>(value);
  const hasWd = weightDecay != 0, hasDecay = decay != 1, ams = amsgrad, max = maximize;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, m + o, s + o, ams ? sm + o : 0, vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc2s, vvalue, mode, hasWd, hasDecay, ams, max);
  }
  const k = n - full;
  if (k > 0) {
    const smv = ams ? sm : 0;
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, s, full, k), tailIn<T>(4, smv, full, k),
      vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc2s, vvalue, mode, hasWd, hasDecay, ams, max);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, s, full, k);
    tailOut<T>(4, smv, full, k);
  }
}
