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
import { declareKernel, defineOptimizer } from "./def.js";
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

/**
 * The kernel's interface (assembly/optim/nadam.ts reads the same slots).
 * `gradStep` = lr(1−μₜ)/(1−Πₜ), `avgStep` = lr·μₜ₊₁/(1−Πₜμₜ₊₁).
 */
export const nadamKernel = declareKernel("nadam", {
  buffers: ["expAvg", "expAvgSq"],
  scalars: [
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "eps",
    "mode",
    "weightDecay",
    "decay",
    "biasCorrection2",
    "biasCorrection2Sqrt",
    "gradStep",
    "avgStep",
    "maximize",
  ],
});
const S = nadamKernel.slot;

export const nadam = defineOptimizer<NadamOptions>({
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
  kernel: nadamKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgSq"],
  initialScalars: () => ({ muProduct: 1 }),
  coefficients(o, t, s, row, at, pow) {
    const [beta1, beta2] = o.betas;
    const bc2 = 1 - pow(beta2, t);
    const mu = beta1 * (1 - 0.5 * pow(0.96, t, o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * pow(0.96, t + 1, o.momentumDecay));
    s.muProduct *= mu;
    const muProductNext = s.muProduct * muNext;
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.eps] = o.eps;
    row[at + S.mode] = EPS_MODE_CODE[o.epsMode];
    row[at + S.weightDecay] = o.decoupledWeightDecay ? 0 : o.weightDecay;
    row[at + S.decay] = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1;
    row[at + S.biasCorrection2] = bc2;
    row[at + S.biasCorrection2Sqrt] = Math.sqrt(bc2);
    row[at + S.gradStep] = (o.lr * (1 - mu)) / (1 - s.muProduct);
    row[at + S.avgStep] = (o.lr * muNext) / (1 - muProductNext);
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[nadamKernel.buffer.expAvg]!,
      v = b[nadamKernel.buffer.expAvgSq]!;
    const b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]);
    const eps = fr(row[at + S.eps]),
      wd = fr(row[at + S.weightDecay]),
      decay = fr(row[at + S.decay]);
    const bc2 = fr(row[at + S.biasCorrection2]),
      bc2s = fr(row[at + S.biasCorrection2Sqrt]);
    const gs = fr(row[at + S.gradStep]),
      as = fr(row[at + S.avgStep]);
    const mode = row[at + S.mode],
      hasDecay = row[at + S.decay] !== 1,
      hasWd = row[at + S.weightDecay] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let pi = p[i];
      if (hasDecay) pi = fr(pi * decay);
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * pi));
      const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
      m[i] = mi;
      const vi = fr(fr(b2 * v[i]) + fr(omb2 * fr(gi * gi)));
      v[i] = vi;
      const d =
        mode === 0 ? fr(fr(Math.sqrt(fr(vi / bc2))) + eps) : mode === 1 ? fr(Math.sqrt(fr(fr(vi / bc2) + eps))) : fr(fr(fr(Math.sqrt(vi)) + eps) / bc2s);
      pi = fr(pi - fr(gs * fr(gi / d)));
      p[i] = fr(pi - fr(as * fr(mi / d)));
    }
  },
});
