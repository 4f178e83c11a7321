// RAdam; the operation order of src/optim/radam.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { RadamBuf, RadamRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize,
  lr: v128, b1: v128, omb1: v128, b2: v128, omb2: v128, eps: v128, wd: v128, decay: v128, bc1: v128, bc2: v128, bc2s: v128, rect: v128,
  mode: f64, hasWd: bool, hasDecay: bool, rectified: bool, maximize: bool): void {
  let pi = vload<T>(p, 0);
  if (hasDecay) pi = vmul<T>(pi, decay);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const mi = vadd<T>(vmul<T>(b1, vload<T>(m, 0)), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  const vi = vadd<T>(vmul<T>(b2, vload<T>(v, 0)), vmul<T>(omb2, vmul<T>(gi, gi)));
  vstore<T>(v, 0, vi);
  const mhatLr = vmul<T>(vdiv<T>(mi, bc1), lr);
  if (rectified) {
    const one = splat<T>(1.0);
    const a = mode == 2 ? vdiv<T>(bc2s, vadd<T>(vsqrt<T>(vi), eps))
      : mode == 0 ? vdiv<T>(one, vadd<T>(vdiv<T>(vsqrt<T>(vi), bc2s), eps))
      : vdiv<T>(one, vsqrt<T>(vadd<T>(vdiv<T>(vi, bc2), eps)));
    vstore<T>(p, 0, vsub<T>(pi, vmul<T>(vmul<T>(mhatLr, a), rect)));
  } else {
    vstore<T>(p, 0, vsub<T>(pi, mhatLr));
  }
}

/** RAdam step over n elements of T: p, g, expAvg, expAvgSq. mode: 0 outside, 1 inside, 2 hat (PyTorch's). */
// @ts-ignore: decorator
@inline export function radamStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, RadamBuf.expAvg), v = bufAt(bufs, RadamBuf.expAvgSq);
  const lr = sc(row, RadamRow.lr), beta1 = sc(row, RadamRow.beta1), oneMinusBeta1 = sc(row, RadamRow.oneMinusBeta1);
  const beta2 = sc(row, RadamRow.beta2), oneMinusBeta2 = sc(row, RadamRow.oneMinusBeta2), eps = sc(row, RadamRow.eps);
  const mode = sc(row, RadamRow.mode), weightDecay = sc(row, RadamRow.weightDecay), decay = sc(row, RadamRow.decay);
  const biasCorrection1 = sc(row, RadamRow.biasCorrection1), biasCorrection2 = sc(row, RadamRow.biasCorrection2), biasCorrection2Sqrt = sc(row, RadamRow.biasCorrection2Sqrt);
  const rectified = flag(row, RadamRow.rectified), rect = sc(row, RadamRow.rect), maximize = flag(row, RadamRow.maximize);
  const vlr = splat<T>(lr), vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const veps = splat<T>(eps), vwd = splat<T>(weightDecay), vdecay = splat<T>(decay), vbc1 = splat<T>(biasCorrection1);
  const vbc2 = splat<T>(biasCorrection2), vbc2s = splat<T>(biasCorrection2Sqrt), vrect = splat<T>(rect);
  const hasWd = weightDecay != 0, hasDecay = decay != 1, rec = rectified, max = maximize;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, m + o, v + o, vlr, vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc1, vbc2, vbc2s, vrect, mode, hasWd, hasDecay, rec, max);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, v, full, k),
      vlr, vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vbc1, vbc2, vbc2s, vrect, mode, hasWd, hasDecay, rec, max);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, v, full, k);
  }
}
