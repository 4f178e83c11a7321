/**
 * AdaGrad, as `torch.optim.Adagrad` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p and clr = lr / (1 + (t−1)·lrDecay):
 *   s ← s + g·g                        (s starts at initialAccumulatorValue)
 *   p ← p − clr · g / d,   d = √s + ε  (`epsMode: "outside"`, PyTorch, Keras ≥ 2.3 uses this too)
 *                          d = √(s + ε) (`epsMode: "inside"`, TF.js and the course notes, with ε = 1e-7)
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface AdagradOptions {
  [k: string]: unknown;
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  epsMode: EpsMode;
  maximize: boolean;
}

/** The kernel's interface (assembly/optim/adagrad.ts reads the same slots). `clr`: lr / (1 + (t−1)·lrDecay). */
export const adagradKernel = declareKernel("adagrad", {
  buffers: ["sum"],
  scalars: ["clr", "weightDecay", "eps", "epsInside", "maximize"],
  inputs: ["lr", "lrDecay", "weightDecay", "eps", "epsInside", "maximize"],
  stepScalars: ["clr"],
});
const S = adagradKernel.slot;
const I = adagradKernel.input;

export const adagrad = defineOptimizer<AdagradOptions>({
  name: "adagrad",
  schema: {
    lr: opt.lr(1e-2),
    lrDecay: opt.nonNegative(0, "learning-rate decay: step t uses lr / (1 + (t−1)·lrDecay), ≥ 0"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    initialAccumulatorValue: opt.nonNegative(0, "initial value of the sum of squares, ≥ 0"),
    eps: opt.nonNegative(1e-10, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("outside", ["outside", "inside"]),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adagradKernel,
  momentumOption: undefined,
  buffers: () => ["sum"],
  initialValue: (_b, o) => o.initialAccumulatorValue,
  coefficients(o, t, _s, row, at) {
    row[at + S.clr] = o.lr / (1 + (t - 1) * o.lrDecay);
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.eps] = o.eps;
    row[at + S.epsInside] = o.epsMode === "inside" ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  coreInputs(o, out, at) {
    out[at + I.lr] = o.lr;
    out[at + I.lrDecay] = o.lrDecay;
    out[at + I.weightDecay] = o.weightDecay;
    out[at + I.eps] = o.eps;
    out[at + I.epsInside] = o.epsMode === "inside" ? 1 : 0;
    out[at + I.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const s = b[adagradKernel.buffer.sum]!;
    const clr = fr(row[at + S.clr]),
      wd = fr(row[at + S.weightDecay]),
      eps = fr(row[at + S.eps]);
    const hasWd = row[at + S.weightDecay] !== 0,
      inside = row[at + S.epsInside] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      const si = fr(s[i] + fr(gi * gi));
      s[i] = si;
      const d = inside ? fr(Math.sqrt(fr(si + eps))) : fr(fr(Math.sqrt(si)) + eps);
      p[i] = fr(p[i] - fr(clr * fr(gi / d)));
    }
  },
});
