// ASGD; the operation order of src/optim/asgd.ts.
import { lanes, shift, splat, vadd, vload, vmul, vneg, vstore, vsub } from "../simd";
import { AsgdBuf, AsgdRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, ax: usize, decay: v128, negEta: v128, mu: v128, wd: v128,
  average: bool, hasWd: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  let pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  pi = vmul<T>(pi, decay);
  pi = vadd<T>(pi, vmul<T>(negEta, gi));
  vstore<T>(p, 0, pi);
  if (average) {
    const a = vload<T>(ax, 0);
    vstore<T>(ax, 0, vadd<T>(a, vmul<T>(vsub<T>(pi, a), mu)));
  } else {
    vstore<T>(ax, 0, pi);
  }
}

/** ASGD step over n elements of T: p, g; buffers (AsgdBuf) ax; scalars: the AsgdRow slots. */
// @ts-ignore: decorator
@inline export function asgdStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const ax = bufAt(bufs, AsgdBuf.ax);
  const decay = sc(row, AsgdRow.decay), negEta = sc(row, AsgdRow.negEta), mu = sc(row, AsgdRow.mu), weightDecay = sc(row, AsgdRow.weightDecay);
  const useAverage = flag(row, AsgdRow.useAverage), maximize = flag(row, AsgdRow.maximize);
  const vdecay = splat<T>(decay), vnegEta = splat<T>(negEta), vmu = splat<T>(mu), vwd = splat<T>(weightDecay);
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, ax + o, vdecay, vnegEta, vmu, vwd, useAverage, hasWd, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, ax, full, k), vdecay, vnegEta, vmu, vwd, useAverage, hasWd, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, ax, full, k);
  }
}
