// Rprop; the operation order of src/optim/rprop.ts.
import { lanes, shift, splat, vadd, vload, vmul, vneg, vstore, vsub } from "../simd";
import { RpropBuf, RpropRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";
import { vclamp, veq, vgt, vlt, vselect, vsign } from "./select";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, prev: usize, step: usize, minus: v128, plus: v128, lo: v128, hi: v128, lr: v128,
  zero: v128, one: v128, minusOne: v128, first: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const s = vmul<T>(gi, vload<T>(prev, 0));
  // 1 where s = ±0, NaN where s is NaN (±∞ lanes are replaced by the selections)
  let f = vadd<T>(vsub<T>(s, s), one);
  f = vselect(plus, f, vgt<T>(s, zero));
  f = vselect(minus, f, vlt<T>(s, zero));
  const d = vclamp<T>(vmul<T>(first ? lr : vload<T>(step, 0), f), lo, hi);
  gi = vselect(zero, gi, veq<T>(f, minus));
  vstore<T>(p, 0, vsub<T>(vload<T>(p, 0), vmul<T>(vsign<T>(gi, zero, one, minusOne), d)));
  vstore<T>(step, 0, d);
  vstore<T>(prev, 0, gi);
}

/** Rprop step over n elements of T: p, g; buffers (RpropBuf) prev, stepSize; scalars: the RpropRow slots. */
// @ts-ignore: decorator
@inline export function rpropStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const prev = bufAt(bufs, RpropBuf.prev), step = bufAt(bufs, RpropBuf.stepSize);
  const etaMinus = sc(row, RpropRow.etaMinus), etaPlus = sc(row, RpropRow.etaPlus);
  const stepSizeMin = sc(row, RpropRow.stepSizeMin), stepSizeMax = sc(row, RpropRow.stepSizeMax), lr = sc(row, RpropRow.lr);
  const first = flag(row, RpropRow.first), maximize = flag(row, RpropRow.maximize);
  const vminus = splat<T>(etaMinus), vplus = splat<T>(etaPlus), vlo = splat<T>(stepSizeMin), vhi = splat<T>(stepSizeMax), vlr = splat<T>(lr);
  const zero = splat<T>(0), one = splat<T>(1), minusOne = splat<T>(-1);
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, prev + o, step + o, vminus, vplus, vlo, vhi, vlr, zero, one, minusOne, first, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, prev, full, k), tailIn<T>(3, step, full, k),
      vminus, vplus, vlo, vhi, vlr, zero, one, minusOne, first, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, prev, full, k);
    tailOut<T>(3, step, full, k);
  }
}
