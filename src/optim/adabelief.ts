/**
 * AdaBelief (Zhuang et al. 2020), as the authors' adabelief-pytorch 0.2.1:
 * juntang-zhuang/Adabelief-Optimizer
 * `pypi_packages/adabelief_pytorch0.2.1/adabelief_pytorch/AdaBelief.py` @ 1059ccab1bdf
 * (operation order: scripts/ZOO_SPEC.md §5). `maximize` is added (the
 * official file has none): g is negated before anything reads it.
 *
 * With g = ±∇, b1 = 1 − β1ᵗ, b2 = 1 − β2ᵗ:
 *   decoupledWeightDecay: p ← p·(1 − lr·wd)   (fixedDecay: p·(1 − wd)); else g ← g + wd·p
 *   m ← m·β1 + (1−β1)·g;   r = g − m;   s ← s·β2 + (1−β2)·r·r;   s ← s + ε  (in place)
 *   AMSGrad: ŝ ← max(ŝ, s)
 *   rectify false: p ← p + (−lr/b1)·m / (√(ŝ or s)/√b2 + ε)
 *   rectify true, ρₜ = ρ∞ − 2tβ2ᵗ/b2, ρ∞ = 2/(1−β2) − 1:
 *     ρₜ ≥ 5:                p ← p + (−stepR·lr)·m / (√s + ε),
 *                            stepR = √(b2·(ρₜ−4)/(ρ∞−4)·(ρₜ−2)/ρₜ·ρ∞/(ρ∞−2)) / b1
 *     else, degenerateToSgd: p ← p + (−(1/b1)·lr)·m;   else no move
 *
 * Where the code differs from the paper (Alg. 2): ε is added to s in place
 * every step, so it accumulates in the state (the paper's sₜ = β2·s +
 * (1−β2)(g−m)² + ε), and again outside the root; the RAdam-style
 * rectification with threshold ρₜ ≥ 5 (torch's RAdam uses > 5) and its SGD
 * phase (β2 = 0.999: the first five steps) is the code's, not the paper's;
 * decoupled decay is the default; the rectified branch uses s, not the
 * AMSGrad maximum, and no √b2 (it is inside stepR), so AMSGrad only updates
 * its state when rectify is on. The official per-group cache of (ρₜ, stepR)
 * only memoises these numbers. torch fuses `add(…, alpha)` with FMA in f32;
 * this order has no FMA (the fixtures' tolerance covers it).
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AdabeliefOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  decoupledWeightDecay: boolean;
  fixedDecay: boolean;
  rectify: boolean;
  degenerateToSgd: boolean;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/adabelief.ts reads the same slots).
 * `mode`: 0 plain (rectify false), 1 rectified (ρₜ ≥ 5), 2 SGD phase, 3 no
 * move; `value`: the step's multiplier of m (−lr/b1, −stepR·lr or
 * −(1/b1)·lr); `weightDecay`: the L2 coefficient (0 when decoupled);
 * `decay`: the decoupled factor (1 otherwise).
 */
export const adabeliefKernel = declareKernel("adabelief", {
  buffers: ["expAvg", "expAvgVar", "maxExpAvgVar"],
  scalars: ["beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "eps", "weightDecay", "decay", "biasCorrection2Sqrt", "mode", "value", "amsgrad", "maximize"],
});
const S = adabeliefKernel.slot;

export const adabelief = defineOptimizer<AdabeliefOptions>({
  name: "adabelief",
  schema: {
    lr: opt.lr(1e-3),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-16, "ε, added to s in place each step and outside the root, ≥ 0"),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0 (decoupled unless decoupledWeightDecay is false: then L2)"),
    amsgrad: opt.flag("use the running maximum of s (AMSGrad; no effect on the move when rectify is on)"),
    decoupledWeightDecay: opt.flag("decay the weights as AdamW does: p ← p·(1 − lr·weightDecay)", true),
    fixedDecay: opt.flag("decoupled decay without the lr: p ← p·(1 − weightDecay)"),
    rectify: opt.flag("RAdam-style rectification (ρₜ ≥ 5)", true),
    degenerateToSgd: opt.flag("while ρₜ < 5 take SGD-with-momentum steps (else: no move)", true),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adabeliefKernel,
  momentumOption: "betas",
  buffers: (o) => (o.amsgrad ? ["expAvg", "expAvgVar", "maxExpAvgVar"] : ["expAvg", "expAvgVar"]),
  coefficients(o, t, _s, row, at, pow) {
    const [beta1, beta2] = o.betas;
    const beta2t = pow(beta2, t);
    const bc1 = 1 - pow(beta1, t);
    const bc2 = 1 - beta2t;
    let mode = 0,
      value = -(o.lr / bc1);
    if (o.rectify) {
      const rhoInf = 2 / (1 - beta2) - 1;
      const rho = rhoInf - (2 * t * beta2t) / (1 - beta2t);
      if (rho >= 5) {
        // Left to right, as Python evaluates the official product.
        const stepR = Math.sqrt(((((((1 - beta2t) * (rho - 4)) / (rhoInf - 4)) * (rho - 2)) / rho) * rhoInf) / (rhoInf - 2)) / bc1;
        mode = 1;
        value = -stepR * o.lr;
      } else if (o.degenerateToSgd) {
        mode = 2;
        value = -(1 / bc1) * o.lr;
      } else {
        mode = 3;
        value = 0;
      }
    }
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.eps] = o.eps;
    row[at + S.weightDecay] = o.decoupledWeightDecay ? 0 : o.weightDecay;
    row[at + S.decay] = o.decoupledWeightDecay ? (o.fixedDecay ? 1 - o.weightDecay : 1 - o.lr * o.weightDecay) : 1;
    row[at + S.biasCorrection2Sqrt] = Math.sqrt(bc2);
    row[at + S.mode] = mode;
    row[at + S.value] = value;
    row[at + S.amsgrad] = o.amsgrad ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const B = adabeliefKernel.buffer;
    const m = b[B.expAvg]!,
      s = b[B.expAvgVar]!,
      smax = b[B.maxExpAvgVar]!;
    const b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]);
    const eps = fr(row[at + S.eps]),
      wd = fr(row[at + S.weightDecay]),
      decay = fr(row[at + S.decay]),
      bc2s = fr(row[at + S.biasCorrection2Sqrt]);
    const value = fr(row[at + S.value]),
      mode = row[at + S.mode];
    // Multiplying by 1 is exact: skipped (the official code multiplies by 1.0 when wd = 0).
    const hasDecay = row[at + S.decay] !== 1,
      hasWd = row[at + S.weightDecay] !== 0;
    const amsgrad = row[at + S.amsgrad] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let pi = p[i];
      let gi = maximize ? -g[i] : g[i];
      if (hasDecay) pi = fr(pi * decay);
      else if (hasWd) gi = fr(gi + fr(wd * pi));
      const mi = fr(fr(m[i] * b1) + fr(omb1 * gi));
      m[i] = mi;
      const r = fr(gi - mi);
      // addcmul: (value·r)·r, left to right as ATen's kernel.
      const si = fr(fr(fr(s[i] * b2) + fr(fr(omb2 * r) * r)) + eps);
      s[i] = si;
      let sd = si;
      if (amsgrad) {
        sd = Math.max(smax[i], si);
        smax[i] = sd;
      }
      // addcdiv(p, m, d, v) = p + (v·m)/d
      if (mode === 0) p[i] = fr(pi + fr(fr(value * mi) / fr(fr(fr(Math.sqrt(sd)) / bc2s) + eps)));
      else if (mode === 1) p[i] = fr(pi + fr(fr(value * mi) / fr(fr(Math.sqrt(si)) + eps)));
      else if (mode === 2) p[i] = fr(pi + fr(value * mi));
      else p[i] = pi;
    }
  },
});
