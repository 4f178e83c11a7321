/**
 * AdaGrad, as `torch.optim.Adagrad` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p and clr = lr / (1 + (t−1)·lrDecay):
 *   s ← s + g·g                        (s starts at initialAccumulatorValue)
 *   p ← p − clr · g / d,   d = √s + ε  (`epsMode: "outside"`, PyTorch, Keras ≥ 2.3 uses this too)
 *                          d = √(s + ε) (`epsMode: "inside"`, TF.js and the course notes, with ε = 1e-7)
 */
import { defineOptimizer } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface AdagradOptions {
  [k: string]: unknown;
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  epsMode: EpsMode;
  maximize: boolean;
}

export interface AdagradCoefficients {
  [k: string]: number;
  clr: number;
  weightDecay: number;
  eps: number;
  epsInside: number;
  maximize: number;
}

export const adagrad = defineOptimizer<AdagradOptions, AdagradCoefficients>({
  name: "adagrad",
  schema: {
    lr: opt.lr(1e-2),
    lrDecay: opt.nonNegative(0, "learning-rate decay: step t uses lr / (1 + (t−1)·lrDecay), ≥ 0"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    initialAccumulatorValue: opt.nonNegative(0, "initial value of the sum of squares, ≥ 0"),
    eps: opt.nonNegative(1e-10, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("outside", ["outside", "inside"]),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: undefined,
  buffers: () => ["sum"],
  initialValue: (_b, o) => o.initialAccumulatorValue,
  coefficients: (o, t) => ({
    clr: o.lr / (1 + (t - 1) * o.lrDecay),
    weightDecay: o.weightDecay,
    eps: o.eps,
    epsInside: o.epsMode === "inside" ? 1 : 0,
    maximize: o.maximize ? 1 : 0,
  }),
  update(p, g, b, c, fr) {
    const n = p.length;
    const s = b.sum;
    const clr = fr(c.clr), wd = fr(c.weightDecay), eps = fr(c.eps);
    for (let i = 0; i < n; i++) {
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * p[i]));
      const si = fr(s[i] + fr(gi * gi));
      s[i] = si;
      const d = c.epsInside ? fr(Math.sqrt(fr(si + eps))) : fr(fr(Math.sqrt(si)) + eps);
      p[i] = fr(p[i] - fr(clr * fr(gi / d)));
    }
  },
});
