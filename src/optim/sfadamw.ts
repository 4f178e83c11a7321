/**
 * Schedule-free AdamW (Defazio et al. 2024), as the official
 * facebookresearch/schedule_free `schedulefree/adamw_schedulefree_reference.py`
 * (43e5c2d; read at 76e631b86c6134519e0dac69245c82a85a6d4d56) in train mode,
 * with `maximize` added. Operation order: scripts/ZOO_SPEC.md §9.
 *
 * The trajectory is y, the point where gradients are taken (see `sfsgd`);
 * z, x and v are state. With k the steps done, g = ±∇(y):
 *   lrₖ = lr·min(1, (k + 1)/warmupSteps)·√(1 − β2^(k+1)); c as sfsgd's, from lrₖ
 *   z ← z − lrₖ·weightDecay·(decayAtZ ? z : y)
 *   v ← β2·v + (1 − β2)·g²;  z ← z − lrₖ·g/(√v + ε)
 *   x ← (1 − c)·x + c·z;  y ← β1·x + (1 − β1)·z
 * Against the paper: Adam's second-moment bias correction enters through
 * lrₖ, so it also enters the averaging weights; weight decay is applied to
 * z at y (or at z with `decayAtZ`) before the gradient step.
 *
 * `innerMomentum` μ is an assumption (no stored version of the reference
 * file has it): as 43e5c2d's `adamw_schedulefree.py` defines it,
 * m ← μ·m + (1 − μ)·g and the z step takes m/(1 − μ^(k+1)) in place of g.
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";
import { scheduleFreeOptions, scheduleFreeWeight, warmup } from "./sfsgd.js";

export interface SfadamwOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  warmupSteps: number;
  r: number;
  weightLrPower: number;
  decayAtZ: boolean;
  innerMomentum: number;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/sfadamw.ts reads the same slots).
 * `first`: the step that sets z and x to p; `negLr` = −lrₖ; `lrWd` =
 * lrₖ·weightDecay (applied when `weightDecay` ≠ 0); `innerCorrection` =
 * 1 − μ^(k+1); `oneMinusC` = 1 − c.
 */
export const sfadamwKernel = declareKernel("sfadamw", {
  buffers: ["z", "expAvgSq", "x", "expAvg"],
  scalars: [
    "first",
    "negLr",
    "lrWd",
    "weightDecay",
    "decayAtZ",
    "beta2",
    "oneMinusBeta2",
    "eps",
    "innerMomentum",
    "oneMinusInnerMomentum",
    "innerCorrection",
    "oneMinusC",
    "c",
    "beta1",
    "oneMinusBeta1",
    "maximize",
  ],
});
const S = sfadamwKernel.slot;

export const sfadamw = defineOptimizer<SfadamwOptions>({
  name: "sfadamw",
  schema: {
    lr: opt.lr(0.0025),
    betas: opt.betas([0.9, 0.999]),
    eps: opt.nonNegative(1e-8, "ε added to √v, ≥ 0"),
    weightDecay: opt.nonNegative(0, "decoupled weight decay of z, ≥ 0"),
    ...scheduleFreeOptions,
    decayAtZ: opt.flag("decay z by its own value instead of y's"),
    innerMomentum: opt.number(0, { min: 0, max: 1, maxExclusive: true }, "momentum μ of the gradient inside the z step, in [0, 1) (0: none)"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: sfadamwKernel,
  momentumOption: "betas",
  buffers: (o) => (o.innerMomentum !== 0 ? ["z", "expAvgSq", "x", "expAvg"] : ["z", "expAvgSq", "x"]),
  initialScalars: () => ({ lrMax: -1, weightSum: 0 }),
  coefficients(o, t, s, row, at, pow) {
    const [beta1, beta2] = o.betas;
    const k = t - 1;
    const lr = o.lr * warmup(k, o.warmupSteps) * Math.sqrt(1 - pow(beta2, t));
    const c = scheduleFreeWeight(s, lr, k, o.r, o.weightLrPower);
    row[at + S.first] = t === 1 ? 1 : 0;
    row[at + S.negLr] = -lr;
    row[at + S.lrWd] = lr * o.weightDecay;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.decayAtZ] = o.decayAtZ ? 1 : 0;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.eps] = o.eps;
    row[at + S.innerMomentum] = o.innerMomentum;
    row[at + S.oneMinusInnerMomentum] = 1 - o.innerMomentum;
    row[at + S.innerCorrection] = 1 - pow(o.innerMomentum, t);
    row[at + S.oneMinusC] = 1 - c;
    row[at + S.c] = c;
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const B = sfadamwKernel.buffer;
    const z = b[B.z]!,
      v = b[B.expAvgSq]!,
      x = b[B.x]!,
      m = b[B.expAvg]!;
    const negLr = fr(row[at + S.negLr]),
      lrWd = fr(row[at + S.lrWd]);
    const b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]),
      eps = fr(row[at + S.eps]);
    const mu = fr(row[at + S.innerMomentum]),
      omMu = fr(row[at + S.oneMinusInnerMomentum]),
      bcm = fr(row[at + S.innerCorrection]);
    const omc = fr(row[at + S.oneMinusC]),
      c = fr(row[at + S.c]),
      b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]);
    const first = row[at + S.first] !== 0,
      hasWd = row[at + S.weightDecay] !== 0,
      atZ = row[at + S.decayAtZ] !== 0;
    const inner = row[at + S.innerMomentum] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      const y = p[i];
      let zi = first ? y : z[i];
      let xi = first ? y : x[i];
      const gi = maximize ? -g[i] : g[i];
      if (hasWd) zi = fr(zi - fr(lrWd * (atZ ? zi : y)));
      const vi = fr(fr(v[i] * b2) + fr(fr(omb2 * gi) * gi));
      v[i] = vi;
      const den = fr(fr(Math.sqrt(vi)) + eps);
      let num = gi;
      if (inner) {
        const mi = fr(fr(m[i] * mu) + fr(omMu * gi));
        m[i] = mi;
        num = fr(mi / bcm);
      }
      zi = fr(zi + fr(fr(negLr * num) / den));
      xi = fr(fr(xi * omc) + fr(c * zi));
      z[i] = zi;
      x[i] = xi;
      p[i] = fr(fr(xi * b1) + fr(omb1 * zi));
    }
  },
});
