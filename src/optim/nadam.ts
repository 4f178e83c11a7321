/**
 * NAdam (Adam with Nesterov momentum, Dozat 2016), as `torch.optim.NAdam`
 * in PyTorch ≥ 2.0 (PR 92699 fixed μ_{t+1}'s product, which torch 1.13 got wrong).
 *
 * With g = ±∇ (+ weightDecay·p, or decoupled p ← p·(1 − lr·weightDecay)),
 * ψ = momentumDecay, μₜ = β1·(1 − ½·0.96^(tψ)), Πₜ = μ₁⋯μₜ:
 *   m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g·g
 *   d = √(v/(1−β2ᵗ)) + ε   (`"outside"`, PyTorch), √(v/(1−β2ᵗ) + ε) (`"inside"`),
 *       (√v + ε)/√(1−β2ᵗ)  (`"hat"`, as Keras: ε not bias-corrected)
 *   p ← p − lr·(1−μₜ)/(1−Πₜ) · g/d − lr·μₜ₊₁/(1−Πₜμₜ₊₁) · m/d
 */
import { defineOptimizer } from "./def.js";
import { EPS_MODE_CODE } from "./adam.js";
import { opt, type EpsMode } from "./schema.js";

export interface NadamOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  momentumDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export interface NadamCoefficients {
  [k: string]: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  mode: number;
  weightDecay: number;
  decay: number;
  biasCorrection2: number;
  biasCorrection2Sqrt: number;
  gradStep: number;
  avgStep: number;
  maximize: number;
}

export const nadam = defineOptimizer<NadamOptions, NadamCoefficients>({
  name: "nadam",
  schema: {
    lr: opt.lr(2e-3),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-8, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("outside", ["outside", "inside", "hat"]),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0 (L2 unless decoupledWeightDecay)"),
    momentumDecay: opt.nonNegative(4e-3, "momentum decay ψ of the μ schedule, ≥ 0"),
    decoupledWeightDecay: opt.flag("apply weightDecay as AdamW does (p ← p·(1 − lr·weightDecay))"),
    maximize: opt.flag("ascend instead of descend"),
  },
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgSq"],
  initialScalars: () => ({ muProduct: 1 }),
  coefficients(o, t, s) {
    const [beta1, beta2] = o.betas;
    const bc2 = 1 - Math.pow(beta2, t);
    const mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * o.momentumDecay));
    s.muProduct *= mu;
    const muProductNext = s.muProduct * muNext;
    return {
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      eps: o.eps,
      mode: EPS_MODE_CODE[o.epsMode],
      weightDecay: o.decoupledWeightDecay ? 0 : o.weightDecay,
      decay: o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1,
      biasCorrection2: bc2,
      biasCorrection2Sqrt: Math.sqrt(bc2),
      gradStep: (o.lr * (1 - mu)) / (1 - s.muProduct),
      avgStep: (o.lr * muNext) / (1 - muProductNext),
      maximize: o.maximize ? 1 : 0,
    };
  },
  update(p, g, b, c, fr) {
    const n = p.length;
    const m = b.expAvg, v = b.expAvgSq;
    const b1 = fr(c.beta1), omb1 = fr(c.oneMinusBeta1), b2 = fr(c.beta2), omb2 = fr(c.oneMinusBeta2);
    const eps = fr(c.eps), wd = fr(c.weightDecay), decay = fr(c.decay);
    const bc2 = fr(c.biasCorrection2), bc2s = fr(c.biasCorrection2Sqrt);
    const gs = fr(c.gradStep), as = fr(c.avgStep);
    for (let i = 0; i < n; i++) {
      let pi = p[i];
      if (c.decay !== 1) pi = fr(pi * decay);
      let gi = c.maximize ? -g[i] : g[i];
      if (c.weightDecay !== 0) gi = fr(gi + fr(wd * pi));
      const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
      m[i] = mi;
      const vi = fr(fr(b2 * v[i]) + fr(omb2 * fr(gi * gi)));
      v[i] = vi;
      const d =
        c.mode === 0 ? fr(fr(Math.sqrt(fr(vi / bc2))) + eps)
        : c.mode === 1 ? fr(Math.sqrt(fr(fr(vi / bc2) + eps)))
        : fr(fr(fr(Math.sqrt(vi)) + eps) / bc2s);
      pi = fr(pi - fr(gs * fr(gi / d)));
      p[i] = fr(pi - fr(as * fr(mi / d)));
    }
  },
});
