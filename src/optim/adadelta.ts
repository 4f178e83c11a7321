/**
 * AdaDelta, as `torch.optim.Adadelta` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p and ρ the decay:
 *   s ← ρ·s + (1−ρ)·g·g
 *   δ ← (√(u + ε) / √(s + ε)) · g      (`epsMode: "inside"`, the default: PyTorch, Keras, TF.js and Zeiler's paper)
 *   δ ← ((√u + ε) / (√s + ε)) · g      (`epsMode: "outside"`)
 *   u ← ρ·u + (1−ρ)·δ·δ
 *   p ← p − lr·δ
 */
import { defineOptimizer } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface AdadeltaOptions {
  [k: string]: unknown;
  lr: number;
  rho: number;
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  maximize: boolean;
}

export interface AdadeltaCoefficients {
  [k: string]: number;
  lr: number;
  rho: number;
  oneMinusRho: number;
  eps: number;
  epsInside: number;
  weightDecay: number;
  maximize: number;
}

export const adadelta = defineOptimizer<AdadeltaOptions, AdadeltaCoefficients>({
  name: "adadelta",
  schema: {
    lr: opt.lr(1.0),
    rho: opt.unit(0.9, "decay ρ of both running averages, in [0, 1]"),
    eps: opt.nonNegative(1e-6, "ε of both square roots, ≥ 0"),
    epsMode: opt.epsMode("inside", ["inside", "outside"]),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: undefined,
  buffers: () => ["squareAvg", "accDelta"],
  coefficients: (o) => ({
    lr: o.lr,
    rho: o.rho,
    oneMinusRho: 1 - o.rho,
    eps: o.eps,
    epsInside: o.epsMode === "inside" ? 1 : 0,
    weightDecay: o.weightDecay,
    maximize: o.maximize ? 1 : 0,
  }),
  update(p, g, b, c, fr) {
    const n = p.length;
    const sq = b.squareAvg, acc = b.accDelta;
    const lr = fr(c.lr), rho = fr(c.rho), omr = fr(c.oneMinusRho), eps = fr(c.eps), wd = fr(c.weightDecay);
    for (let i = 0; i < n; i++) {
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * p[i]));
      const si = fr(fr(rho * sq[i]) + fr(omr * fr(gi * gi)));
      sq[i] = si;
      const std = c.epsInside ? fr(Math.sqrt(fr(si + eps))) : fr(fr(Math.sqrt(si)) + eps);
      const ui = acc[i];
      const rms = c.epsInside ? fr(Math.sqrt(fr(ui + eps))) : fr(fr(Math.sqrt(ui)) + eps);
      const delta = fr(fr(rms / std) * gi);
      acc[i] = fr(fr(rho * ui) + fr(omr * fr(delta * delta)));
      p[i] = fr(p[i] - fr(lr * delta));
    }
  },
});
