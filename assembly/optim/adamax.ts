// Adamax; the operation order of src/optim/adamax.ts.
import { lanes, shift, splat, vabs, vadd, vdiv, vload, vmax, vmul, vneg, vstore, vsub } from "../simd";
import { AdamaxBuf, AdamaxIn, AdamaxPow, AdamaxRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, inp, put, pw, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, u: usize, clr: v128, b1: v128, omb1: v128, b2: v128, eps: v128, wd: v128,
  hasWd: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const mi = vadd<T>(vmul<T>(b1, vload<T>(m, 0)), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  const ui = vmax<T>(vmul<T>(b2, vload<T>(u, 0)), vadd<T>(vabs<T>(gi), eps));
  vstore<T>(u, 0, ui);
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(clr, vdiv<T>(mi, ui))));
}

/** Adamax step over n elements of T: p, g, expAvg, expInf. */
// @ts-ignore: decorator
@inline export function adamaxStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, AdamaxBuf.expAvg), u = bufAt(bufs, AdamaxBuf.expInf);
  const clr = sc(row, AdamaxRow.clr), beta1 = sc(row, AdamaxRow.beta1), oneMinusBeta1 = sc(row, AdamaxRow.oneMinusBeta1);
  const beta2 = sc(row, AdamaxRow.beta2), eps = sc(row, AdamaxRow.eps), weightDecay = sc(row, AdamaxRow.weightDecay);
  const maximize = flag(row, AdamaxRow.maximize);
  const vclr = splat<T>(clr), vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2);
  const veps = splat<T>(eps), vwd = splat<T>(weightDecay);
  const hasWd = weightDecay != 0;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, m + o, u + o, vclr, vb1, vomb1, vb2, veps, vwd, hasWd, maximize);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, u, full, k),
      vclr, vb1, vomb1, vb2, veps, vwd, hasWd, maximize);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, u, full, k);
  }
}

/** Step t's row from fixed options: `coefficients` of src/optim/adamax.ts, operation for operation. */
export function adamaxCoefficients(t: i32, inputs: usize, powers: usize, row: usize): void {
  const beta1 = inp(inputs, AdamaxIn.beta1);
  put(row, AdamaxRow.clr, inp(inputs, AdamaxIn.lr) / (1 - pw(powers, AdamaxPow.beta1, t)));
  put(row, AdamaxRow.beta1, beta1);
  put(row, AdamaxRow.oneMinusBeta1, 1 - beta1);
  put(row, AdamaxRow.beta2, inp(inputs, AdamaxIn.beta2));
  put(row, AdamaxRow.eps, inp(inputs, AdamaxIn.eps));
  put(row, AdamaxRow.weightDecay, inp(inputs, AdamaxIn.weightDecay));
  put(row, AdamaxRow.maximize, inp(inputs, AdamaxIn.maximize));
}
