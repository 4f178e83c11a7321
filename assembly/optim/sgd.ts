// SGD with (Nesterov) momentum; the operation order of src/optim/sgd.ts.
import { lanes, shift, splat, vadd, vload, vmul, vneg, vstore, vsub } from "../simd";
import { SgdBuf, SgdIn, SgdRow } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, inp, put, sc } from "./row";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, buf: usize, lr: v128, mu: v128, omd: v128, wd: v128,
  hasWd: bool, hasMom: bool, nesterov: bool, maximize: bool, first: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  const pi = vload<T>(p, 0);
  if (hasWd) gi = vadd<T>(gi, vmul<T>(wd, pi));
  if (hasMom) {
    const bi = first ? gi : vadd<T>(vmul<T>(mu, vload<T>(buf, 0)), vmul<T>(omd, gi));
    vstore<T>(buf, 0, bi);
    gi = nesterov ? vadd<T>(gi, vmul<T>(mu, bi)) : bi;
  }
  vstore<T>(p, 0, vsub<T>(pi, vmul<T>(lr, gi)));
}

/**
 * SGD step over n elements of T: p (params), g (grads); buffers (SgdBuf):
 * momentumBuffer (0 when momentum is 0); scalars: the SgdRow slots.
 */
// @ts-ignore: decorator
@inline export function sgdStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const buf = bufAt(bufs, SgdBuf.momentumBuffer);
  const lr = sc(row, SgdRow.lr), momentum = sc(row, SgdRow.momentum), oneMinusDampening = sc(row, SgdRow.oneMinusDampening);
  const weightDecay = sc(row, SgdRow.weightDecay);
  const nesterov = flag(row, SgdRow.nesterov), maximize = flag(row, SgdRow.maximize), firstMomentumStep = flag(row, SgdRow.firstMomentumStep);
  const vlr = splat<T>(lr), vmu = splat<T>(momentum), vomd = splat<T>(oneMinusDampening), vwd = splat<T>(weightDecay);
  const hasWd = weightDecay != 0, hasMom = momentum != 0;
  const L = lanes<T>(), s = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << s;
    body<T>(p + o, g + o, hasMom ? buf + o : 0, vlr, vmu, vomd, vwd, hasWd, hasMom, nesterov, maximize, firstMomentumStep);
  }
  const k = n - full;
  if (k > 0) {
    const sp = tailIn<T>(0, p, full, k), sg = tailIn<T>(1, g, full, k), sb = tailIn<T>(2, hasMom ? buf : 0, full, k);
    body<T>(sp, sg, sb, vlr, vmu, vomd, vwd, hasWd, hasMom, nesterov, maximize, firstMomentumStep);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, hasMom ? buf : 0, full, k);
  }
}

/** Step t's row from fixed options: `coefficients` of src/optim/sgd.ts (the momentum buffer starts at step 1). */
export function sgdCoefficients(t: i32, inputs: usize, powers: usize, row: usize): void {
  const momentum = inp(inputs, SgdIn.momentum);
  put(row, SgdRow.lr, inp(inputs, SgdIn.lr));
  put(row, SgdRow.momentum, momentum);
  put(row, SgdRow.oneMinusDampening, 1 - inp(inputs, SgdIn.dampening));
  put(row, SgdRow.weightDecay, inp(inputs, SgdIn.weightDecay));
  put(row, SgdRow.nesterov, inp(inputs, SgdIn.nesterov));
  put(row, SgdRow.maximize, inp(inputs, SgdIn.maximize));
  put(row, SgdRow.firstMomentumStep, momentum != 0 && t == 1 ? 1.0 : 0.0);
}
