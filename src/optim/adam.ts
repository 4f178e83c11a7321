/**
 * Adam and AdamW, as `torch.optim.Adam` / `torch.optim.AdamW` (PyTorch 2.x).
 *
 * With g = ±∇ (+ weightDecay·p for Adam's L2 penalty), bias corrections
 * b1 = 1 − β1ᵗ, b2 = 1 − β2ᵗ:
 *   AdamW first decays the weights: p ← p·(1 − lr·weightDecay)
 *   m ← β1·m + (1−β1)·g
 *   v ← β2·v + (1−β2)·g·g           (AMSGrad: v̄ ← max(v̄, v), used instead of v below)
 *   `epsMode: "outside"` (PyTorch, Optax):  p ← p − (lr/b1) · m / (√v/√b2 + ε)
 *   `epsMode: "inside"`:                    p ← p − (lr/b1) · m / √(v/b2 + ε)
 *   `epsMode: "hat"` (Keras/TF, Kingma & Ba's "efficient" form, the course notes'
 *   from-scratch code):                     p ← p − (lr·√b2/b1) · m / (√v + ε)
 * The three differ only through ε: "hat" is "outside" with ε scaled by √b2.
 */
import { declareKernel, defineOptimizer, type OptimizerDef } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface AdamOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/adam.ts reads the same slots; AdamW
 * runs it too). `mode`: 0 outside, 1 inside, 2 hat; `decay`: AdamW's
 * 1 − lr·weightDecay (1 for Adam); `stepSize`: lr/b1, or lr·√b2/b1 for "hat".
 * The inputs are what adamCoefficients needs to write the rows itself
 * (`decoupled`: 1 for AdamW); runs differing only in lr, β1, β2 and ε share
 * one call of adamStepLanes (an lr × β1 sweep is one group).
 */
export const adamKernel = declareKernel("adam", {
  buffers: ["expAvg", "expAvgSq", "maxExpAvgSq"],
  scalars: [
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "eps",
    "mode",
    "weightDecay",
    "decay",
    "stepSize",
    "biasCorrection2",
    "biasCorrection2Sqrt",
    "amsgrad",
    "maximize",
  ],
  inputs: ["lr", "beta1", "beta2", "eps", "mode", "weightDecay", "decoupled", "amsgrad", "maximize"],
  stepScalars: ["stepSize", "biasCorrection2", "biasCorrection2Sqrt"],
  powers: ["beta1", "beta2"],
  laneInputs: ["lr", "beta1", "beta2", "eps"],
});
const I = adamKernel.input;
const S = adamKernel.slot;

export const EPS_MODE_CODE: Record<EpsMode, number> = { outside: 0, inside: 1, hat: 2 };

function adamLike(name: "adam" | "adamw", decoupled: boolean, weightDecay: number): OptimizerDef<AdamOptions> {
  return defineOptimizer<AdamOptions>({
    name,
    schema: {
      lr: opt.lr(1e-3),
      betas: opt.betas([0.9, 0.999]),
      eps: opt.nonNegative(1e-8, "ε of the denominator, ≥ 0"),
      epsMode: opt.epsMode("outside", ["outside", "inside", "hat"]),
      weightDecay: opt.nonNegative(
        weightDecay,
        decoupled ? "decoupled weight decay: p ← p·(1 − lr·weightDecay) each step, ≥ 0" : "L2 penalty added to the gradient, ≥ 0",
      ),
      amsgrad: opt.flag("use the running maximum of v (AMSGrad)"),
      maximize: opt.flag("ascend instead of descend"),
    },
    kernel: adamKernel,
    momentumOption: "betas",
    buffers: (o) => (o.amsgrad ? ["expAvg", "expAvgSq", "maxExpAvgSq"] : ["expAvg", "expAvgSq"]),
    coefficients(o, t, _s, row, at, pow) {
      const [beta1, beta2] = o.betas;
      const bc1 = 1 - pow(beta1, t);
      const bc2 = 1 - pow(beta2, t);
      const bc2Sqrt = Math.sqrt(bc2);
      row[at + S.beta1] = beta1;
      row[at + S.oneMinusBeta1] = 1 - beta1;
      row[at + S.beta2] = beta2;
      row[at + S.oneMinusBeta2] = 1 - beta2;
      row[at + S.eps] = o.eps;
      row[at + S.mode] = EPS_MODE_CODE[o.epsMode];
      row[at + S.weightDecay] = decoupled ? 0 : o.weightDecay;
      row[at + S.decay] = decoupled ? 1 - o.lr * o.weightDecay : 1;
      row[at + S.stepSize] = o.epsMode === "hat" ? (o.lr * bc2Sqrt) / bc1 : o.lr / bc1;
      row[at + S.biasCorrection2] = bc2;
      row[at + S.biasCorrection2Sqrt] = bc2Sqrt;
      row[at + S.amsgrad] = o.amsgrad ? 1 : 0;
      row[at + S.maximize] = o.maximize ? 1 : 0;
    },
    coreInputs(o, out, at) {
      out[at + I.lr] = o.lr;
      out[at + I.beta1] = o.betas[0];
      out[at + I.beta2] = o.betas[1];
      out[at + I.eps] = o.eps;
      out[at + I.mode] = EPS_MODE_CODE[o.epsMode];
      out[at + I.weightDecay] = o.weightDecay;
      out[at + I.decoupled] = decoupled ? 1 : 0;
      out[at + I.amsgrad] = o.amsgrad ? 1 : 0;
      out[at + I.maximize] = o.maximize ? 1 : 0;
    },
    update(p, g, b, row, at, fr) {
      const n = p.length;
      const B = adamKernel.buffer;
      const m = b[B.expAvg]!,
        v = b[B.expAvgSq]!,
        vmax = b[B.maxExpAvgSq]!;
      const b1 = fr(row[at + S.beta1]),
        omb1 = fr(row[at + S.oneMinusBeta1]),
        b2 = fr(row[at + S.beta2]),
        omb2 = fr(row[at + S.oneMinusBeta2]);
      const eps = fr(row[at + S.eps]),
        wd = fr(row[at + S.weightDecay]),
        decay = fr(row[at + S.decay]),
        step = fr(row[at + S.stepSize]);
      const bc2 = fr(row[at + S.biasCorrection2]),
        bc2s = fr(row[at + S.biasCorrection2Sqrt]);
      const mode = row[at + S.mode],
        hasDecay = row[at + S.decay] !== 1,
        hasWd = row[at + S.weightDecay] !== 0;
      const amsgrad = row[at + S.amsgrad] !== 0,
        maximize = row[at + S.maximize] !== 0;
      for (let i = 0; i < n; i++) {
        let pi = p[i];
        if (hasDecay) pi = fr(pi * decay);
        let gi = maximize ? -g[i] : g[i];
        if (hasWd) gi = fr(gi + fr(wd * pi));
        const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
        m[i] = mi;
        let vi = fr(fr(b2 * v[i]) + fr(omb2 * fr(gi * gi)));
        v[i] = vi;
        if (amsgrad) {
          vi = Math.max(vmax[i], vi);
          vmax[i] = vi;
        }
        const d = mode === 0 ? fr(fr(fr(Math.sqrt(vi)) / bc2s) + eps) : mode === 1 ? fr(Math.sqrt(fr(fr(vi / bc2) + eps))) : fr(fr(Math.sqrt(vi)) + eps);
        p[i] = fr(pi - fr(step * fr(mi / d)));
      }
    },
  });
}

export const adam = adamLike("adam", false, 0);
export const adamw = adamLike("adamw", true, 1e-2);
