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
import { declareKernel, defineOptimizer } from "./def.js";
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

/**
 * The kernel's interface (assembly/optim/radam.ts reads the same slots).
 * `rectified`: ρₜ > 5; `rect`: the rectification r (0 when not rectified).
 */
export const radamKernel = declareKernel("radam", {
  buffers: ["expAvg", "expAvgSq"],
  scalars: [
    "lr",
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "eps",
    "mode",
    "weightDecay",
    "decay",
    "biasCorrection1",
    "biasCorrection2",
    "biasCorrection2Sqrt",
    "rectified",
    "rect",
    "maximize",
  ],
});
const S = radamKernel.slot;

export const radam = defineOptimizer<RadamOptions>({
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
  kernel: radamKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgSq"],
  coefficients(o, t, _s, row, at, pow) {
    const [beta1, beta2] = o.betas;
    const beta2t = pow(beta2, t);
    const bc1 = 1 - pow(beta1, t);
    const bc2 = 1 - beta2t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2t) / bc2;
    const rectified = rhoT > 5;
    row[at + S.lr] = o.lr;
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.eps] = o.eps;
    row[at + S.mode] = EPS_MODE_CODE[o.epsMode];
    row[at + S.weightDecay] = o.decoupledWeightDecay ? 0 : o.weightDecay;
    row[at + S.decay] = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1;
    row[at + S.biasCorrection1] = bc1;
    row[at + S.biasCorrection2] = bc2;
    row[at + S.biasCorrection2Sqrt] = Math.sqrt(bc2);
    row[at + S.rectified] = rectified ? 1 : 0;
    row[at + S.rect] = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[radamKernel.buffer.expAvg]!,
      v = b[radamKernel.buffer.expAvgSq]!;
    const lr = fr(row[at + S.lr]),
      b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]);
    const omb2 = fr(row[at + S.oneMinusBeta2]),
      eps = fr(row[at + S.eps]),
      wd = fr(row[at + S.weightDecay]),
      decay = fr(row[at + S.decay]);
    const bc1 = fr(row[at + S.biasCorrection1]),
      bc2 = fr(row[at + S.biasCorrection2]),
      bc2s = fr(row[at + S.biasCorrection2Sqrt]);
    const rect = fr(row[at + S.rect]);
    const mode = row[at + S.mode],
      hasDecay = row[at + S.decay] !== 1,
      hasWd = row[at + S.weightDecay] !== 0;
    const rectified = row[at + S.rectified] !== 0,
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
      const mhatLr = fr(fr(mi / bc1) * lr);
      if (rectified) {
        const a =
          mode === 2
            ? fr(bc2s / fr(fr(Math.sqrt(vi)) + eps))
            : mode === 0
              ? fr(1 / fr(fr(fr(Math.sqrt(vi)) / bc2s) + eps))
              : fr(1 / fr(Math.sqrt(fr(fr(vi / bc2) + eps))));
        p[i] = fr(pi - fr(fr(mhatLr * a) * rect));
      } else {
        p[i] = fr(pi - mhatLr);
      }
    }
  },
});
