/**
 * SGD with optional (Nesterov) momentum, as `torch.optim.SGD` (PyTorch 2.x).
 *
 * With g = ±∇ (− when `maximize`) + weightDecay·p:
 * - no momentum: p ← p − lr·g
 * - momentum μ, dampening τ: b ← g on the first step, else b ← μ·b + (1−τ)·g;
 *   then g ← g + μ·b (Nesterov) or g ← b, and p ← p − lr·g.
 *
 * The buffer starting as the first gradient (not as (1−τ)·g) is PyTorch's
 * choice; Keras and the textbook "v ← μv − lr·g" differ from it only in the
 * scaling of lr and in the first step.
 */
import { rangeError } from "../errors.js";
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface SgdOptions {
  [k: string]: unknown;
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** The kernel's interface (assembly/optim/sgd.ts reads the same slots). */
export const sgdKernel = declareKernel("sgd", {
  buffers: ["momentumBuffer"],
  scalars: ["lr", "momentum", "oneMinusDampening", "weightDecay", "nesterov", "maximize", "firstMomentumStep"],
  inputs: ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"],
  stepScalars: ["firstMomentumStep"],
});
const S = sgdKernel.slot;
const I = sgdKernel.input;

export const sgdSchema = {
  lr: opt.lr(1e-3),
  momentum: opt.nonNegative(0, "momentum factor μ, ≥ 0"),
  dampening: opt.unit(0, "dampening τ of the momentum, in [0, 1]"),
  weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
  nesterov: opt.flag("Nesterov momentum (needs momentum > 0 and dampening 0)"),
  maximize: opt.flag("ascend instead of descend"),
};

export const sgd = defineOptimizer<SgdOptions>({
  name: "sgd",
  schema: sgdSchema,
  kernel: sgdKernel,
  momentumOption: "momentum",
  validate(o) {
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw rangeError("nesterov", `Nesterov momentum needs momentum > 0 and dampening 0; got momentum ${o.momentum}, dampening ${o.dampening}`);
    }
  },
  buffers: (o) => (o.momentum !== 0 ? ["momentumBuffer"] : []),
  initialScalars: () => ({ momentumStarted: 0 }),
  coefficients(o, _t, s, row, at) {
    // firstMomentumStep: 1 on the step that initialises the momentum buffer (b ← g).
    const first = o.momentum !== 0 && s.momentumStarted === 0 ? 1 : 0;
    if (o.momentum !== 0) s.momentumStarted = 1;
    row[at + S.lr] = o.lr;
    row[at + S.momentum] = o.momentum;
    row[at + S.oneMinusDampening] = 1 - o.dampening;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.nesterov] = o.nesterov ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
    row[at + S.firstMomentumStep] = first;
  },
  coreInputs(o, out, at) {
    out[at + I.lr] = o.lr;
    out[at + I.momentum] = o.momentum;
    out[at + I.dampening] = o.dampening;
    out[at + I.weightDecay] = o.weightDecay;
    out[at + I.nesterov] = o.nesterov ? 1 : 0;
    out[at + I.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const buf = b[sgdKernel.buffer.momentumBuffer]!;
    const lr = fr(row[at + S.lr]),
      mu = fr(row[at + S.momentum]),
      omd = fr(row[at + S.oneMinusDampening]),
      wd = fr(row[at + S.weightDecay]);
    const hasWd = row[at + S.weightDecay] !== 0,
      hasMomentum = row[at + S.momentum] !== 0;
    const nesterov = row[at + S.nesterov] !== 0,
      maximize = row[at + S.maximize] !== 0,
      first = row[at + S.firstMomentumStep] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      if (hasMomentum) {
        const bi = first ? gi : fr(fr(mu * buf[i]) + fr(omd * gi));
        buf[i] = bi;
        gi = nesterov ? fr(gi + fr(mu * bi)) : bi;
      }
      p[i] = fr(p[i] - fr(lr * gi));
    }
  },
});
