// Adam and AdamW; the operation order of src/optim/adam.ts.
import { lanes, shift, splat, vadd, vanyNe, vdiv, vload, vmax, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdamBuf, AdamIn, AdamPow, AdamRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, inp, put, pw, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize, vm: usize,
  b1: v128, omb1: v128, b2: v128, omb2: v128, eps: v128, wd: v128, decay: v128, step: v128, bc2: v128, bc2s: v128,
  mode: i32, hasWd: bool, hasDecay: bool, amsgrad: bool, maximize: bool): void {
  let pi = vload<T>(p, 0);
  if (hasDecay) pi = vmul<T>(pi, decay);
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  const mi = vadd<T>(vmul<T>(b1, vload<T>(m, 0)), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  let vi = vadd<T>(vmul<T>(b2, vload<T>(v, 0)), vmul<T>(omb2, vmul<T>(gi, gi)));
  vstore<T>(v, 0, vi);
  if (amsgrad) {
    vi = vmax<T>(vload<T>(vm, 0), vi);
    vstore<T>(vm, 0, vi);
  }
  const d = mode == 0 ? vadd<T>(vdiv<T>(vsqrt<T>(vi), bc2s), eps)
    : mode == 1 ? vsqrt<T>(vadd<T>(vdiv<T>(vi, bc2), eps))
    : vadd<T>(vsqrt<T>(vi), eps);
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(step, vdiv<T>(mi, d))));
}

/**
 * Adam/AdamW step over n elements of T: p, g, expAvg, expAvgSq, maxExpAvgSq
 * (0 unless amsgrad). mode: 0 eps outside, 1 inside, 2 hat.
 */
// @ts-ignore: decorator
@inline export function adamStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, AdamBuf.expAvg), v = bufAt(bufs, AdamBuf.expAvgSq), vm = bufAt(bufs, AdamBuf.maxExpAvgSq);
  const beta1 = sc(row, AdamRow.beta1), oneMinusBeta1 = sc(row, AdamRow.oneMinusBeta1), beta2 = sc(row, AdamRow.beta2);
  const oneMinusBeta2 = sc(row, AdamRow.oneMinusBeta2), eps = sc(row, AdamRow.eps), modeSlot = sc(row, AdamRow.mode);
  const weightDecay = sc(row, AdamRow.weightDecay), decay = sc(row, AdamRow.decay), stepSize = sc(row, AdamRow.stepSize);
  const biasCorrection2 = sc(row, AdamRow.biasCorrection2), biasCorrection2Sqrt = sc(row, AdamRow.biasCorrection2Sqrt), amsgrad = flag(row, AdamRow.amsgrad);
  const maximize = flag(row, AdamRow.maximize);
  // The reference's test, `mode === 0 ? … : mode === 1 ? … : hat`, made once here: an i32 in the loop.
  const mode: i32 = modeSlot == 0 ? 0 : modeSlot == 1 ? 1 : 2;
  const vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const veps = splat<T>(eps), vwd = splat<T>(weightDecay), vdecay = splat<T>(decay), vstep = splat<T>(stepSize);
  const vbc2 = splat<T>(biasCorrection2), vbc2s = splat<T>(biasCorrection2Sqrt);
  const hasWd = weightDecay != 0, hasDecay = decay != 1, ams = amsgrad, max = maximize;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, m + o, v + o, ams ? vm + o : 0, vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vstep, vbc2, vbc2s,
      mode, hasWd, hasDecay, ams, max);
  }
  const k = n - full;
  if (k > 0) {
    const vv = ams ? vm : 0;
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, v, full, k), tailIn<T>(4, vv, full, k),
      vb1, vomb1, vb2, vomb2, veps, vwd, vdecay, vstep, vbc2, vbc2s, mode, hasWd, hasDecay, ams, max);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, v, full, k);
    tailOut<T>(4, vv, full, k);
  }
}

/**
 * Step t's row from fixed options: `coefficients` of src/optim/adam.ts, operation for operation. After step 1
 * only the step scalars are written (the row keeps the rest, see optimizerCoefficients).
 */
export function adamCoefficients(t: i32, inputs: usize, powers: usize, row: usize): void {
  const lr = inp(inputs, AdamIn.lr);
  const mode = inp(inputs, AdamIn.mode);
  const bc1 = 1 - pw(powers, AdamPow.beta1, t);
  const bc2 = 1 - pw(powers, AdamPow.beta2, t);
  const bc2Sqrt = Math.sqrt(bc2);
  put(row, AdamRow.stepSize, mode == 2 ? (lr * bc2Sqrt) / bc1 : lr / bc1);
  put(row, AdamRow.biasCorrection2, bc2);
  put(row, AdamRow.biasCorrection2Sqrt, bc2Sqrt);
  if (t > 1) return;
  const beta1 = inp(inputs, AdamIn.beta1), beta2 = inp(inputs, AdamIn.beta2);
  const wd = inp(inputs, AdamIn.weightDecay), decoupled = inp(inputs, AdamIn.decoupled) != 0;
  put(row, AdamRow.beta1, beta1);
  put(row, AdamRow.oneMinusBeta1, 1 - beta1);
  put(row, AdamRow.beta2, beta2);
  put(row, AdamRow.oneMinusBeta2, 1 - beta2);
  put(row, AdamRow.eps, inp(inputs, AdamIn.eps));
  put(row, AdamRow.mode, mode);
  put(row, AdamRow.weightDecay, decoupled ? 0.0 : wd);
  put(row, AdamRow.decay, decoupled ? 1 - lr * wd : 1.0);
  put(row, AdamRow.stepSize, mode == 2 ? (lr * bc2Sqrt) / bc1 : lr / bc1);
  put(row, AdamRow.biasCorrection2, bc2);
  put(row, AdamRow.biasCorrection2Sqrt, bc2Sqrt);
  put(row, AdamRow.amsgrad, inp(inputs, AdamIn.amsgrad));
  put(row, AdamRow.maximize, inp(inputs, AdamIn.maximize));
}

/**
 * The Adam/AdamW step of a lane group: runs whose options differ only in the
 * declared lane inputs (lr, β1, β2, ε), each lane with its own scalars.
 * `lanesAt` holds, for every row slot, n values of T (slot k's at lanesAt +
 * k·n·sizeof<T>), element i's being its run's; `row` is the f64 row of the
 * group's first run, read only for what the grouping makes the same in
 * every run (mode, weight decay, flags). The one slot that may differ and
 * decides a branch, AdamW's decay, is tested per vector: a lane whose decay
 * is exactly 1 is unchanged by the multiplication the others need. n is a
 * whole number of vectors (the bindings pad every group).
 */
export function adamStepLanes<T>(p: usize, g: usize, bufs: usize, n: i32, lanesAt: usize, row: usize): void {
  const m = bufAt(bufs, AdamBuf.expAvg), v = bufAt(bufs, AdamBuf.expAvgSq), vm = bufAt(bufs, AdamBuf.maxExpAvgSq);
  const modeSlot = sc(row, AdamRow.mode);
  const mode: i32 = modeSlot == 0 ? 0 : modeSlot == 1 ? 1 : 2;
  const hasWd = sc(row, AdamRow.weightDecay) != 0, ams = flag(row, AdamRow.amsgrad), max = flag(row, AdamRow.maximize);
  const L = lanes<T>(), s = shift<T>();
  const stride = <usize>n << s;
  const one = splat<T>(1);
  for (let i = 0; i < n; i += L) {
    const o = <usize>i << s;
    const at = lanesAt + o;
    const decay = v128.load(at + <usize>AdamRow.decay * stride);
    body<T>(p + o, g + o, m + o, v + o, ams ? vm + o : 0,
      v128.load(at + <usize>AdamRow.beta1 * stride), v128.load(at + <usize>AdamRow.oneMinusBeta1 * stride),
      v128.load(at + <usize>AdamRow.beta2 * stride), v128.load(at + <usize>AdamRow.oneMinusBeta2 * stride),
      v128.load(at + <usize>AdamRow.eps * stride), v128.load(at + <usize>AdamRow.weightDecay * stride), decay,
      v128.load(at + <usize>AdamRow.stepSize * stride), v128.load(at + <usize>AdamRow.biasCorrection2 * stride),
      v128.load(at + <usize>AdamRow.biasCorrection2Sqrt * stride),
      mode, hasWd, vanyNe<T>(decay, one), ams, max);
  }
}
