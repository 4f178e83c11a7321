// AdaGrad; the operation order of src/optim/adagrad.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdagradBuf, AdagradIn, AdagradRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, inp, put, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, sum: usize, clr: v128, wd: v128, eps: v128,
  hasWd: bool, epsInside: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const si = vadd<T>(vload<T>(sum, 0), vmul<T>(gi, gi));
  vstore<T>(sum, 0, si);
  const d = epsInside ? vsqrt<T>(vadd<T>(si, eps)) : vadd<T>(vsqrt<T>(si), eps);
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(clr, vdiv<T>(gi, d))));
}

/** AdaGrad step over n elements of T: p, g, sum (the accumulator). */
// @ts-ignore: decorator
@inline export function adagradStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const sum = bufAt(bufs, AdagradBuf.sum);
  const clr = sc(row, AdagradRow.clr), weightDecay = sc(row, AdagradRow.weightDecay), eps = sc(row, AdagradRow.eps);
  const epsInside = flag(row, AdagradRow.epsInside), maximize = flag(row, AdagradRow.maximize);
  const vclr = splat<T>(clr), vwd = splat<T>(weightDecay), veps = splat<T>(eps);
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, sum + o, vclr, vwd, veps, hasWd, epsInside, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, sum, full, k), vclr, vwd, veps, hasWd, epsInside, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, sum, full, k);
  }
}

/** Step t's row from fixed options: `coefficients` of src/optim/adagrad.ts, operation for operation. */
export function adagradCoefficients(t: i32, inputs: usize, powers: usize, row: usize): void {
  put(row, AdagradRow.clr, inp(inputs, AdagradIn.lr) / (1 + <f64>(t - 1) * inp(inputs, AdagradIn.lrDecay)));
  put(row, AdagradRow.weightDecay, inp(inputs, AdagradIn.weightDecay));
  put(row, AdagradRow.eps, inp(inputs, AdagradIn.eps));
  put(row, AdagradRow.epsInside, inp(inputs, AdagradIn.epsInside));
  put(row, AdagradRow.maximize, inp(inputs, AdagradIn.maximize));
}
