/**
 * RAdam (rectified Adam, Liu et al. 2019), as `torch.optim.RAdam` (PyTorch 2.x).
 *
 * With g = ±∇ (+ weightDecay·p, or decoupled p ← p·(1 − lr·weightDecay)),
 * b1 = 1 − β1ᵗ, b2 = 1 − β2ᵗ, ρ∞ = 2/(1−β2) − 1, ρₜ = ρ∞ − 2tβ2ᵗ/b2:
 *   m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g·g,   m̂ = m/b1
 *   ρₜ ≤ 5:  p ← p − lr·m̂                       (un-adapted warm-up steps)
 *   ρₜ > 5:  p ← p − lr·m̂·a·r,  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
 *            a = √b2/(√v + ε)   (`epsMode: "hat"`, the default: PyTorch's form)
 *            a = 1/(√v/√b2 + ε) (`"outside"`), 1/√(v/b2 + ε) (`"inside"`)
 */
import { defineOptimizer } from "./def.js";
import { EPS_MODE_CODE } from "./adam.js";
import { opt, type EpsMode } from "./schema.js";

export interface RadamOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export interface RadamCoefficients {
  [k: string]: number;
  lr: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  mode: number;
  weightDecay: number;
  decay: number;
  biasCorrection1: number;
  biasCorrection2: number;
  biasCorrection2Sqrt: number;
  rectified: number;
  rect: number;
  maximize: number;
}

export const radam = defineOptimizer<RadamOptions, RadamCoefficients>({
  name: "radam",
  schema: {
    lr: opt.lr(1e-3),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-8, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("hat", ["hat", "outside", "inside"]),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0 (L2 unless decoupledWeightDecay)"),
    decoupledWeightDecay: opt.flag("apply weightDecay as AdamW does (p ← p·(1 − lr·weightDecay))"),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgSq"],
  coefficients(o, t) {
    const [beta1, beta2] = o.betas;
    const bc1 = 1 - Math.pow(beta1, t);
    const bc2 = 1 - Math.pow(beta2, t);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * Math.pow(beta2, t)) / bc2;
    const rectified = rhoT > 5;
    return {
      lr: o.lr,
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      eps: o.eps,
      mode: EPS_MODE_CODE[o.epsMode],
      weightDecay: o.decoupledWeightDecay ? 0 : o.weightDecay,
      decay: o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1,
      biasCorrection1: bc1,
      biasCorrection2: bc2,
      biasCorrection2Sqrt: Math.sqrt(bc2),
      rectified: rectified ? 1 : 0,
      rect: rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0,
      maximize: o.maximize ? 1 : 0,
    };
  },
  update(p, g, b, c, fr) {
    const n = p.length;
    const m = b.expAvg, v = b.expAvgSq;
    const lr = fr(c.lr), b1 = fr(c.beta1), omb1 = fr(c.oneMinusBeta1), b2 = fr(c.beta2), omb2 = fr(c.oneMinusBeta2);
    const eps = fr(c.eps), wd = fr(c.weightDecay), decay = fr(c.decay), bc1 = fr(c.biasCorrection1);
    const bc2 = fr(c.biasCorrection2), bc2s = fr(c.biasCorrection2Sqrt), rect = fr(c.rect);
    for (let i = 0; i < n; i++) {
      let pi = p[i];
      if (c.decay !== 1) pi = fr(pi * decay);
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * pi));
      const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
      m[i] = mi;
      const vi = fr(fr(b2 * v[i]) + fr(omb2 * fr(gi * gi)));
      v[i] = vi;
      const mhatLr = fr(fr(mi / bc1) * lr);
      if (c.rectified) {
        const a =
          c.mode === 2 ? fr(bc2s / fr(fr(Math.sqrt(vi)) + eps))
          : c.mode === 0 ? fr(1 / fr(fr(fr(Math.sqrt(vi)) / bc2s) + eps))
          : fr(1 / fr(Math.sqrt(fr(fr(vi / bc2) + eps))));
        p[i] = fr(pi - fr(fr(mhatLr * a) * rect));
      } else {
        p[i] = fr(pi - mhatLr);
      }
    }
  },
});
