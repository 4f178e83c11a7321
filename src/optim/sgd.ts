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
import { defineOptimizer } from "./def.js";
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

export interface SgdCoefficients {
  [k: string]: number;
  lr: number;
  momentum: number;
  oneMinusDampening: number;
  weightDecay: number;
  nesterov: number;
  maximize: number;
  /** 1 on the step that initialises the momentum buffer. */
  firstMomentumStep: number;
}

export const sgdSchema = {
  lr: opt.lr(1e-3),
  momentum: opt.nonNegative(0, "momentum factor μ, ≥ 0"),
  dampening: opt.unit(0, "dampening τ of the momentum, in [0, 1]"),
  weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
  nesterov: opt.flag("Nesterov momentum (needs momentum > 0 and dampening 0)"),
  maximize: opt.flag("ascend instead of descend"),
};

export const sgd = defineOptimizer<SgdOptions, SgdCoefficients>({
  name: "sgd",
  schema: sgdSchema,
  momentumOption: "momentum",
  validate(o) {
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw rangeError(
        "nesterov",
        `Nesterov momentum needs momentum > 0 and dampening 0; got momentum ${o.momentum}, dampening ${o.dampening}`,
      );
    }
  },
  buffers: (o) => (o.momentum !== 0 ? ["momentumBuffer"] : []),
  initialScalars: () => ({ momentumStarted: 0 }),
  coefficients(o, _step, s) {
    const first = o.momentum !== 0 && s.momentumStarted === 0 ? 1 : 0;
    if (o.momentum !== 0) s.momentumStarted = 1;
    return {
      lr: o.lr,
      momentum: o.momentum,
      oneMinusDampening: 1 - o.dampening,
      weightDecay: o.weightDecay,
      nesterov: o.nesterov ? 1 : 0,
      maximize: o.maximize ? 1 : 0,
      firstMomentumStep: first,
    };
  },
  update(p, g, b, c, fr) {
    const n = p.length;
    const buf = b.momentumBuffer;
    const lr = fr(c.lr), mu = fr(c.momentum), omd = fr(c.oneMinusDampening), wd = fr(c.weightDecay);
    for (let i = 0; i < n; i++) {
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * p[i]));
      if (c.momentum !== 0) {
        const bi = c.firstMomentumStep ? gi : fr(fr(mu * buf[i]) + fr(omd * gi));
        buf[i] = bi;
        gi = c.nesterov ? fr(gi + fr(mu * bi)) : bi;
      }
      p[i] = fr(p[i] - fr(lr * gi));
    }
  },
});
