/**
 * Adamax (Adam with the infinity norm), as `torch.optim.Adamax` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p:
 *   m ← β1·m + (1−β1)·g
 *   u ← max(β2·u, |g| + ε)
 *   p ← p − (lr / (1 − β1ᵗ)) · m / u
 * ε sits inside the max, as in PyTorch; Keras adds it to u in the division
 * instead. There is no square root, so `epsMode` does not apply.
 */
import { defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AdamaxOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export interface AdamaxCoefficients {
  [k: string]: number;
  clr: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: number;
}

export const adamax = defineOptimizer<AdamaxOptions, AdamaxCoefficients>({
  name: "adamax",
  schema: {
    lr: opt.lr(2e-3),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-8, "ε added to |g| inside the max, ≥ 0"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: "betas",
  buffers: () => ["expAvg", "expInf"],
  coefficients(o, t) {
    const [beta1, beta2] = o.betas;
    return {
      clr: o.lr / (1 - Math.pow(beta1, t)),
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      eps: o.eps,
      weightDecay: o.weightDecay,
      maximize: o.maximize ? 1 : 0,
    };
  },
  update(p, g, b, c, fr) {
    const n = p.length;
    const m = b.expAvg, u = b.expInf;
    const clr = fr(c.clr), b1 = fr(c.beta1), omb1 = fr(c.oneMinusBeta1), b2 = fr(c.beta2);
    const eps = fr(c.eps), wd = fr(c.weightDecay);
    for (let i = 0; i < n; i++) {
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * p[i]));
      const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
      m[i] = mi;
      const ui = Math.max(fr(b2 * u[i]), fr(Math.abs(gi) + eps));
      u[i] = ui;
      p[i] = fr(p[i] - fr(clr * fr(mi / ui)));
    }
  },
});
