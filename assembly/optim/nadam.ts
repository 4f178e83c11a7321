// NAdam (PyTorch ≥ 2.0); the operation order of src/optim/nadam.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { NadamBuf, NadamRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize,
  b1: v128, omb1: v128, b2: v128, omb2: v128, eps: v128, wd: v128, decay: v128, bc2: v128, bc2s: v128, gs: v128, as: v128,
  mode: f64, hasWd: bool, hasDecay: bool, maximize: bool): void {
  let pi = vload<T>(p, 0);
  if (hasDecay) pi = vmul<T>(pi, decay);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const mi = vadd<T>(vmul<T>(b1, vload<T>(m, 0)), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  const vi = vadd<T>(vmul<T>(b2, vload<T>(v, 0)), vmul<T>(omb2, vmul<T>(gi, gi)));
  vstore<T>(v, 0, vi);
  const d = mode == 0 ? vadd<T>(vsqrt<T>(vdiv<T>(vi, bc2)), eps)
    : mode == 1 ? vsqrt<T>(vadd<T>(vdiv<T>(vi, bc2), eps))
    : vdiv<T>(vadd<T>(vsqrt<T>(vi), eps), bc2s);
  pi = vsub<T>(pi, vmul<T>(gs, vdiv<T>(gi, d)));
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(as, vdiv<T>(mi, d))));
}

/** NAdam step over n elements of T: p, g, expAvg, expAvgSq. mode: 0 outside, 1 inside, 2 hat. */
// @ts-ignore: decorator
@inline export function nadamStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, NadamBuf.expAvg), v = bufAt(bufs, NadamBuf.expAvgSq);
  const beta1 = sc(row, NadamRow.beta1), oneMinusBeta1 = sc(row, NadamRow.oneMinusBeta1), beta2 = sc(row, NadamRow.beta2);
  const oneMinusBeta2 = sc(row, NadamRow.oneMinusBeta2), eps = sc(row, NadamRow.eps), mode = sc(row, NadamRow.mode);
  const weightDecay = sc(row, NadamRow.weightDecay), decay = sc(row, NadamRow.decay), biasCorrection2 = sc(row, NadamRow.biasCorrection2);
  const biasCorrection2Sqrt = sc(row, NadamRow.biasCorrection2Sqrt), gradStep = sc(row, NadamRow.gradStep), avgStep = sc(row, NadamRow.avgStep);
  const maximize = flag(row, NadamRow.maximize);
  const vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const veps = splat<T>(eps), vwd = splat<T>(weightDecay), vdecay = splat<T>(decay);
  const vbc2 = splat<T>(biasCorrection2), vbc2s = splat<T>(biasCorrection2Sqrt), vgs = splat<T>(gradStep), vas = splat<T>(avgStep);
  const hasWd = weightDecay != 0, hasDecay = decay != 1, max = maximize;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, m + o, v + o, vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc2, vbc2s, vgs, vas, mode, hasWd, hasDecay, max);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, v, full, k),
      vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc2, vbc2s, vgs, vas, mode, hasWd, hasDecay, max);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, v, full, k);
  }
}
