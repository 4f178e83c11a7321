/**
 * RMSprop, as `torch.optim.RMSprop` (PyTorch 2.x).
 *
 * With g = ±∇ + weightDecay·p and α the smoothing constant:
 *   s ← α·s + (1−α)·g·g
 *   centered: a ← α·a + (1−α)·g, and s − a·a replaces s below
 *   d = √s + ε (`epsMode: "outside"`, PyTorch, Keras) or √(s + ε) (`"inside"`, TF.js and the course notes)
 *   momentum μ > 0: b ← μ·b + g/d, p ← p − lr·b;  otherwise p ← p − lr·g/d
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt, type EpsMode } from "./schema.js";

export interface RmspropOptions {
  [k: string]: unknown;
  lr: number;
  alpha: number;
  eps: number;
  epsMode: EpsMode;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** The kernel's interface (assembly/optim/rmsprop.ts reads the same slots). */
export const rmspropKernel = declareKernel("rmsprop", {
  buffers: ["squareAvg", "momentumBuffer", "gradAvg"],
  scalars: ["lr", "alpha", "oneMinusAlpha", "eps", "epsInside", "weightDecay", "momentum", "centered", "maximize"],
  stepScalars: [],
});
const S = rmspropKernel.slot;

export const rmsprop = defineOptimizer<RmspropOptions>({
  name: "rmsprop",
  schema: {
    lr: opt.lr(1e-2),
    alpha: opt.unit(0.99, "smoothing constant α of the squared-gradient average, in [0, 1]"),
    eps: opt.nonNegative(1e-8, "ε of the denominator, ≥ 0"),
    epsMode: opt.epsMode("outside", ["outside", "inside"]),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    momentum: opt.nonNegative(0, "momentum factor μ, ≥ 0"),
    centered: opt.flag("normalise by the estimated variance instead of the raw second moment"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: rmspropKernel,
  momentumOption: "momentum",
  buffers: (o) => ["squareAvg", ...(o.momentum > 0 ? ["momentumBuffer"] : []), ...(o.centered ? ["gradAvg"] : [])],
  coefficients(o, _t, _s, row, at) {
    row[at + S.lr] = o.lr;
    row[at + S.alpha] = o.alpha;
    row[at + S.oneMinusAlpha] = 1 - o.alpha;
    row[at + S.eps] = o.eps;
    row[at + S.epsInside] = o.epsMode === "inside" ? 1 : 0;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.momentum] = o.momentum;
    row[at + S.centered] = o.centered ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const B = rmspropKernel.buffer;
    const sq = b[B.squareAvg]!,
      buf = b[B.momentumBuffer]!,
      ga = b[B.gradAvg]!;
    const lr = fr(row[at + S.lr]),
      al = fr(row[at + S.alpha]),
      oma = fr(row[at + S.oneMinusAlpha]),
      eps = fr(row[at + S.eps]);
    const wd = fr(row[at + S.weightDecay]),
      mu = fr(row[at + S.momentum]);
    const hasWd = row[at + S.weightDecay] !== 0,
      hasMomentum = row[at + S.momentum] > 0,
      centered = row[at + S.centered] !== 0;
    const inside = row[at + S.epsInside] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      const si = fr(fr(al * sq[i]) + fr(oma * fr(gi * gi)));
      sq[i] = si;
      let v = si;
      if (centered) {
        const ai = fr(fr(al * ga[i]) + fr(oma * gi));
        ga[i] = ai;
        v = fr(si - fr(ai * ai));
      }
      const d = inside ? fr(Math.sqrt(fr(v + eps))) : fr(fr(Math.sqrt(v)) + eps);
      if (hasMomentum) {
        const bi = fr(fr(mu * buf[i]) + fr(gi / d));
        buf[i] = bi;
        p[i] = fr(p[i] - fr(lr * bi));
      } else {
        p[i] = fr(p[i] - fr(lr * fr(gi / d)));
      }
    }
  },
});
