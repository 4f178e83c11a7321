// RMSprop; the operation order of src/optim/rmsprop.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { RmspropBuf, RmspropRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, sq: usize, buf: usize, ga: usize,
  lr: v128, al: v128, oma: v128, eps: v128, wd: v128, mu: v128,
  hasWd: bool, hasMom: bool, centered: bool, epsInside: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const si = vadd<T>(vmul<T>(al, vload<T>(sq, 0)), vmul<T>(oma, vmul<T>(gi, gi)));
  vstore<T>(sq, 0, si);
  let v = si;
  if (centered) {
    const ai = vadd<T>(vmul<T>(al, vload<T>(ga, 0)), vmul<T>(oma, gi));
    vstore<T>(ga, 0, ai);
    v = vsub<T>(si, vmul<T>(ai, ai));
  }
  const d = epsInside ? vsqrt<T>(vadd<T>(v, eps)) : vadd<T>(vsqrt<T>(v), eps);
  if (hasMom) {
    const bi = vadd<T>(vmul<T>(mu, vload<T>(buf, 0)), vdiv<T>(gi, d));
    vstore<T>(buf, 0, bi);
    vstore<T>(p, 0, vsub<T>(pi, vmul<T>(lr, bi)));
  } else {
    vstore<T>(p, 0, vsub<T>(pi, vmul<T>(lr, vdiv<T>(gi, d))));
  }
}

/** RMSprop step over n elements of T: p, g, squareAvg, momentumBuffer (0 unless momentum > 0), gradAvg (0 unless centered). */
// @ts-ignore: decorator
@inline export function rmspropStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const sq = bufAt(bufs, RmspropBuf.squareAvg), buf = bufAt(bufs, RmspropBuf.momentumBuffer), ga = bufAt(bufs, RmspropBuf.gradAvg);
  const lr = sc(row, RmspropRow.lr), alpha = sc(row, RmspropRow.alpha), oneMinusAlpha = sc(row, RmspropRow.oneMinusAlpha);
  const eps = sc(row, RmspropRow.eps), epsInside = flag(row, RmspropRow.epsInside), weightDecay = sc(row, RmspropRow.weightDecay);
  const momentum = sc(row, RmspropRow.momentum), centered = flag(row, RmspropRow.centered), maximize = flag(row, RmspropRow.maximize);
  const vlr = splat<T>(lr), val = splat<T>(alpha), voma = splat<T>(oneMinusAlpha), veps = splat<T>(eps);
  const vwd = splat<T>(weightDecay), vmu = splat<T>(momentum);
  const hasWd = weightDecay != 0, hasMom = momentum > 0, cen = centered;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, sq + o, hasMom ? buf + o : 0, cen ? ga + o : 0, vlr, val, voma, veps, vwd, vmu,
      hasWd, hasMom, cen, epsInside, maximize);
  }
  const k = n - full;
  if (k > 0) {
    const bb = hasMom ? buf : 0, gg = cen ? ga : 0;
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, sq, full, k), tailIn<T>(3, bb, full, k), tailIn<T>(4, gg, full, k),
      vlr, val, voma, veps, vwd, vmu, hasWd, hasMom, cen, epsInside, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, sq, full, k);
    tailOut<T>(3, bb, full, k);
    tailOut<T>(4, gg, full, k);
  }
}
