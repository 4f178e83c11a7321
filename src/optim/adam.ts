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
import { defineOptimizer, type OptimizerDef } from "./def.js";
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

/** `mode`: 0 outside, 1 inside, 2 hat. */
export interface AdamCoefficients {
  [k: string]: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  mode: number;
  weightDecay: number;
  decay: number;
  stepSize: number;
  biasCorrection2: number;
  biasCorrection2Sqrt: number;
  amsgrad: number;
  maximize: number;
}

export const EPS_MODE_CODE: Record<EpsMode, number> = { outside: 0, inside: 1, hat: 2 };

function adamLike(name: "adam" | "adamw", decoupled: boolean, weightDecay: number): OptimizerDef<AdamOptions, AdamCoefficients> {
  return defineOptimizer<AdamOptions, AdamCoefficients>({
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
    momentumOption: "betas",
    buffers: (o) => (o.amsgrad ? ["expAvg", "expAvgSq", "maxExpAvgSq"] : ["expAvg", "expAvgSq"]),
    coefficients(o, t) {
      const [beta1, beta2] = o.betas;
      const bc1 = 1 - Math.pow(beta1, t);
      const bc2 = 1 - Math.pow(beta2, t);
      const bc2Sqrt = Math.sqrt(bc2);
      return {
        beta1,
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
        eps: o.eps,
        mode: EPS_MODE_CODE[o.epsMode],
        weightDecay: decoupled ? 0 : o.weightDecay,
        decay: decoupled ? 1 - o.lr * o.weightDecay : 1,
        stepSize: o.epsMode === "hat" ? (o.lr * bc2Sqrt) / bc1 : o.lr / bc1,
        biasCorrection2: bc2,
        biasCorrection2Sqrt: bc2Sqrt,
        amsgrad: o.amsgrad ? 1 : 0,
        maximize: o.maximize ? 1 : 0,
      };
    },
    update(p, g, b, c, fr) {
      const n = p.length;
      const m = b.expAvg, v = b.expAvgSq, vmax = b.maxExpAvgSq;
      const b1 = fr(c.beta1), omb1 = fr(c.oneMinusBeta1), b2 = fr(c.beta2), omb2 = fr(c.oneMinusBeta2);
      const eps = fr(c.eps), wd = fr(c.weightDecay), decay = fr(c.decay), step = fr(c.stepSize);
      const bc2 = fr(c.biasCorrection2), bc2s = fr(c.biasCorrection2Sqrt);
      for (let i = 0; i < n; i++) {
        let pi = p[i];
        if (c.decay !== 1) pi = fr(pi * decay);
        let gi = c.maximize ? -g[i] : g[i];
        if (c.weightDecay !== 0) gi = fr(gi + fr(wd * pi));
        const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
        m[i] = mi;
        let vi = fr(fr(b2 * v[i]) + fr(omb2 * fr(gi * gi)));
        v[i] = vi;
        if (c.amsgrad) {
          vi = Math.max(vmax[i], vi);
          vmax[i] = vi;
        }
        const d =
          c.mode === 0 ? fr(fr(fr(Math.sqrt(vi)) / bc2s) + eps)
          : c.mode === 1 ? fr(Math.sqrt(fr(fr(vi / bc2) + eps)))
          : fr(fr(Math.sqrt(vi)) + eps);
        p[i] = fr(pi - fr(step * fr(mi / d)));
      }
    },
  });
}

export const adam = adamLike("adam", false, 0);
export const adamw = adamLike("adamw", true, 1e-2);
