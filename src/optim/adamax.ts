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
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AdamaxOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** The kernel's interface (assembly/optim/adamax.ts reads the same slots). `clr`: lr / (1 − β1ᵗ). */
export const adamaxKernel = declareKernel("adamax", {
  buffers: ["expAvg", "expInf"],
  scalars: ["clr", "beta1", "oneMinusBeta1", "beta2", "eps", "weightDecay", "maximize"],
  inputs: ["lr", "beta1", "beta2", "eps", "weightDecay", "maximize"],
  stepScalars: ["clr"],
  powers: ["beta1"],
});
const S = adamaxKernel.slot;
const I = adamaxKernel.input;

export const adamax = defineOptimizer<AdamaxOptions>({
  name: "adamax",
  schema: {
    lr: opt.lr(2e-3),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-8, "ε added to |g| inside the max, ≥ 0"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adamaxKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg", "expInf"],
  coefficients(o, t, _s, row, at, pow) {
    const [beta1, beta2] = o.betas;
    row[at + S.clr] = o.lr / (1 - pow(beta1, t));
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.eps] = o.eps;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  coreInputs(o, out, at) {
    out[at + I.lr] = o.lr;
    out[at + I.beta1] = o.betas[0];
    out[at + I.beta2] = o.betas[1];
    out[at + I.eps] = o.eps;
    out[at + I.weightDecay] = o.weightDecay;
    out[at + I.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[adamaxKernel.buffer.expAvg]!,
      u = b[adamaxKernel.buffer.expInf]!;
    const clr = fr(row[at + S.clr]),
      b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]);
    const eps = fr(row[at + S.eps]),
      wd = fr(row[at + S.weightDecay]);
    const hasWd = row[at + S.weightDecay] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      const mi = fr(fr(b1 * m[i]) + fr(omb1 * gi));
      m[i] = mi;
      const ui = Math.max(fr(b2 * u[i]), fr(Math.abs(gi) + eps));
      u[i] = ui;
      p[i] = fr(p[i] - fr(clr * fr(mi / ui)));
    }
  },
});
