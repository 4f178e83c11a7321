/**
 * RMSprop, as `torch.optim.RMSprop` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p and α the smoothing constant:
 *   s ← α·s + (1−α)·g·g
 *   centered: a ← α·a + (1−α)·g, and s − a·a replaces s below
 *   d = √s + ε (`epsMode: "outside"`, PyTorch, Keras) or √(s + ε) (`"inside"`, TF.js and the course notes)
 *   momentum μ > 0: b ← μ·b + g/d, p ← p − lr·b;  otherwise p ← p − lr·g/d
 */
import { defineOptimizer } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface RmspropOptions {
  [k: string]: unknown;
  lr: number;
  alpha: number;
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export interface RmspropCoefficients {
  [k: string]: number;
  lr: number;
  alpha: number;
  oneMinusAlpha: number;
  eps: number;
  epsInside: number;
  weightDecay: number;
  momentum: number;
  centered: number;
  maximize: number;
}

export const rmsprop = defineOptimizer<RmspropOptions, RmspropCoefficients>({
  name: "rmsprop",
  schema: {
    lr: opt.lr(1e-2),
    alpha: opt.unit(0.99, "smoothing constant α of the squared-gradient average, in [0, 1]"),
    eps: opt.nonNegative(1e-8, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("outside", ["outside", "inside"]),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    momentum: opt.nonNegative(0, "momentum factor μ, ≥ 0"),
    centered: opt.flag("normalise by the estimated variance instead of the raw second moment"),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: "momentum",
  buffers: (o) => ["squareAvg", ...(o.momentum > 0 ? ["momentumBuffer"] : []), ...(o.centered ? ["gradAvg"] : [])],
  coefficients: (o) => ({
    lr: o.lr,
    alpha: o.alpha,
    oneMinusAlpha: 1 - o.alpha,
    eps: o.eps,
    epsInside: o.epsMode === "inside" ? 1 : 0,
    weightDecay: o.weightDecay,
    momentum: o.momentum,
    centered: o.centered ? 1 : 0,
    maximize: o.maximize ? 1 : 0,
  }),
  update(p, g, b, c, fr) {
    const n = p.length;
    const sq = b.squareAvg, buf = b.momentumBuffer, ga = b.gradAvg;
    const lr = fr(c.lr), al = fr(c.alpha), oma = fr(c.oneMinusAlpha), eps = fr(c.eps);
    const wd = fr(c.weightDecay), mu = fr(c.momentum);
    for (let i = 0; i < n; i++) {
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * p[i]));
      const si = fr(fr(al * sq[i]) + fr(oma * fr(gi * gi)));
      sq[i] = si;
      let v = si;
      if (c.centered) {
        const ai = fr(fr(al * ga[i]) + fr(oma * gi));
        ga[i] = ai;
        v = fr(si - fr(ai * ai));
      }
      const d = c.epsInside ? fr(Math.sqrt(fr(v + eps))) : fr(fr(Math.sqrt(v)) + eps);
      if (c.momentum > 0) {
        const bi = fr(fr(mu * buf[i]) + fr(gi / d));
        buf[i] = bi;
        p[i] = fr(p[i] - fr(lr * bi));
      } else {
        p[i] = fr(p[i] - fr(lr * fr(gi / d)));
      }
    }
  },
});
