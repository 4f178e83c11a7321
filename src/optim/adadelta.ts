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
import { declareKernel, defineOptimizer } from "./def.js";
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

/** The kernel's interface (assembly/optim/adadelta.ts reads the same slots). */
export const adadeltaKernel = declareKernel("adadelta", {
  buffers: ["squareAvg", "accDelta"],
  scalars: ["lr", "rho", "oneMinusRho", "eps", "epsInside", "weightDecay", "maximize"],
  stepScalars: [],
});
const S = adadeltaKernel.slot;

export const adadelta = defineOptimizer<AdadeltaOptions>({
  name: "adadelta",
  schema: {
    lr: opt.lr(1.0),
    rho: opt.unit(0.9, "decay ρ of both running averages, in [0, 1]"),
    eps: opt.nonNegative(1e-6, "ε of both square roots, ≥ 0"),
    epsMode: opt.epsMode("inside", ["inside", "outside"]),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adadeltaKernel,
  momentumOption: undefined,
  buffers: () => ["squareAvg", "accDelta"],
  coefficients(o, _t, _s, row, at) {
    row[at + S.lr] = o.lr;
    row[at + S.rho] = o.rho;
    row[at + S.oneMinusRho] = 1 - o.rho;
    row[at + S.eps] = o.eps;
    row[at + S.epsInside] = o.epsMode === "inside" ? 1 : 0;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const sq = b[adadeltaKernel.buffer.squareAvg]!,
      acc = b[adadeltaKernel.buffer.accDelta]!;
    const lr = fr(row[at + S.lr]),
      rho = fr(row[at + S.rho]),
      omr = fr(row[at + S.oneMinusRho]),
      eps = fr(row[at + S.eps]);
    const wd = fr(row[at + S.weightDecay]);
    const hasWd = row[at + S.weightDecay] !== 0,
      inside = row[at + S.epsInside] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      const si = fr(fr(rho * sq[i]) + fr(omr * fr(gi * gi)));
      sq[i] = si;
      const std = inside ? fr(Math.sqrt(fr(si + eps))) : fr(fr(Math.sqrt(si)) + eps);
      const ui = acc[i];
      const rms = inside ? fr(Math.sqrt(fr(ui + eps))) : fr(fr(Math.sqrt(ui)) + eps);
      const delta = fr(fr(rms / std) * gi);
      acc[i] = fr(fr(rho * ui) + fr(omr * fr(delta * delta)));
      p[i] = fr(p[i] - fr(lr * delta));
    }
  },
});
