// AdaDelta; the operation order of src/optim/adadelta.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdadeltaBuf, AdadeltaRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, sq: usize, acc: usize, lr: v128, rho: v128, omr: v128, eps: v128, wd: v128,
  hasWd: bool, epsInside: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const si = vadd<T>(vmul<T>(rho, vload<T>(sq, 0)), vmul<T>(omr, vmul<T>(gi, gi)));
  vstore<T>(sq, 0, si);
  const std = epsInside ? vsqrt<T>(vadd<T>(si, eps)) : vadd<T>(vsqrt<T>(si), eps);
  const ui = vload<T>(acc, 0);
  const rms = epsInside ? vsqrt<T>(vadd<T>(ui, eps)) : vadd<T>(vsqrt<T>(ui), eps);
  const delta = vmul<T>(vdiv<T>(rms, std), gi);
  vstore<T>(acc, 0, vadd<T>(vmul<T>(rho, ui), vmul<T>(omr, vmul<T>(delta, delta))));
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(lr, delta)));
}

/** AdaDelta step over n elements of T: p, g, squareAvg, accDelta. */
// @ts-ignore: decorator
@inline export function adadeltaStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const sq = bufAt(bufs, AdadeltaBuf.squareAvg), acc = bufAt(bufs, AdadeltaBuf.accDelta);
  const lr = sc(row, AdadeltaRow.lr), rho = sc(row, AdadeltaRow.rho), oneMinusRho = sc(row, AdadeltaRow.oneMinusRho);
  const eps = sc(row, AdadeltaRow.eps), epsInside = flag(row, AdadeltaRow.epsInside), weightDecay = sc(row, AdadeltaRow.weightDecay);
  const maximize = flag(row, AdadeltaRow.maximize);
  const vlr = splat<T>(lr), vrho = splat<T>(rho), vomr = splat<T>(oneMinusRho), veps = splat<T>(eps), vwd = splat<T>(weightDecay);
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, sq + o, acc + o, vlr, vrho, vomr, veps, vwd, hasWd, epsInside, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, sq, full, k), tailIn<T>(3, acc, full, k),
      vlr, vrho, vomr, veps, vwd, hasWd, epsInside, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, sq, full, k);
    tailOut<T>(3, acc, full, k);
  }
}
