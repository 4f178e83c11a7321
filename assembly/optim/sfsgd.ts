// Schedule-free SGD; the operation order of src/optim/sfsgd.ts.
import { lanes, shift, splat, vadd, vload, vmul, vneg, vstore } from "../simd";
import { SfsgdBuf, SfsgdRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, z: usize, x: usize, negLr: v128, wd: v128, omc: v128, c: v128, beta: v128, omb: v128,
  first: bool, hasWd: bool, maximize: bool): void {
  const y = vload<T>(p, 0);
  let zi = first ? y : vload<T>(z, 0);
  let xi = first ? y : vload<T>(x, 0);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, y));
  zi = vadd<T>(zi, vmul<T>(negLr, gi));
  xi = vadd<T>(vmul<T>(xi, omc), vmul<T>(c, zi));
  vstore<T>(z, 0, zi);
  vstore<T>(x, 0, xi);
  vstore<T>(p, 0, vadd<T>(vmul<T>(xi, beta), vmul<T>(omb, zi)));
}

/** Schedule-free SGD step over n elements of T: p (= y), g; buffers (SfsgdBuf) z, x; scalars: the SfsgdRow slots. */
// @ts-ignore: decorator
@inline export function sfsgdStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const z = bufAt(bufs, SfsgdBuf.z), x = bufAt(bufs, SfsgdBuf.x);
  const negLr = sc(row, SfsgdRow.negLr), weightDecay = sc(row, SfsgdRow.weightDecay), oneMinusC = sc(row, SfsgdRow.oneMinusC);
  const c = sc(row, SfsgdRow.c), momentum = sc(row, SfsgdRow.momentum), oneMinusMomentum = sc(row, SfsgdRow.oneMinusMomentum);
  const first = flag(row, SfsgdRow.first), maximize = flag(row, SfsgdRow.maximize);
  const vnegLr = splat<T>(negLr), vwd = splat<T>(weightDecay), vomc = splat<T>(oneMinusC), vc = splat<T>(c);
  const vbeta = splat<T>(momentum), vomb = splat<T>(oneMinusMomentum);
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, z + o, x + o, vnegLr, vwd, vomc, vc, vbeta, vomb, first, hasWd, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, z, full, k), tailIn<T>(3, x, full, k),
      vnegLr, vwd, vomc, vc, vbeta, vomb, first, hasWd, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, z, full, k);
    tailOut<T>(3, x, full, k);
  }
}
