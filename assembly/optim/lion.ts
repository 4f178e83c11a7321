// Lion; the operation order of src/optim/lion.ts.
import { lanes, shift, splat, vadd, vload, vmul, vneg, vstore } from "../simd";
import { LionBuf, LionRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";
import { vsign } from "./select";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, decay: v128, negLr: v128, b1: v128, omb1: v128, b2: v128, omb2: v128,
  zero: v128, one: v128, minusOne: v128, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vmul<T>(vload<T>(p, 0), decay);
  const mi = vload<T>(m, 0);
  const c = vadd<T>(vmul<T>(mi, b1), vmul<T>(gi, omb1));
  vstore<T>(p, 0, vadd<T>(pi, vmul<T>(negLr, vsign<T>(c, zero, one, minusOne))));
  vstore<T>(m, 0, vadd<T>(vmul<T>(mi, b2), vmul<T>(omb2, gi)));
}

/** Lion step over n elements of T: p, g; buffers (LionBuf) expAvg; scalars: the LionRow slots. */
// @ts-ignore: decorator
@inline export function lionStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, LionBuf.expAvg);
  const decay = sc(row, LionRow.decay), negLr = sc(row, LionRow.negLr), beta1 = sc(row, LionRow.beta1);
  const oneMinusBeta1 = sc(row, LionRow.oneMinusBeta1), beta2 = sc(row, LionRow.beta2), oneMinusBeta2 = sc(row, LionRow.oneMinusBeta2);
  const maximize = flag(row, LionRow.maximize);
  const vdecay = splat<T>(decay), vnegLr = splat<T>(negLr), vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1);
  const vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const zero = splat<T>(0), one = splat<T>(1), minusOne = splat<T>(-1);
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, m + o, vdecay, vnegLr, vb1, vomb1, vb2, vomb2, zero, one, minusOne, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), vdecay, vnegLr, vb1, vomb1, vb2, vomb2,
      zero, one, minusOne, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
  }
}
