/**
 * Schedule-free SGD (Defazio et al. 2024), as the official
 * facebookresearch/schedule_free `schedulefree/sgd_schedulefree_reference.py`
 * (43e5c2d; read at b3be06f3df5670edfa9af00b8d52413b1f00b7ec, whose step is
 * the same in every stored version) in train mode, with `maximize` added.
 * Operation order: scripts/ZOO_SPEC.md §8.
 *
 * The trajectory is the parameter as the reference holds it in train mode:
 * y, the point where gradients are taken. z (the SGD sequence) and x (the
 * average, what eval mode would show) are state; both start at p.
 * With k the steps done before this one, g = ±∇(y) + weightDecay·y:
 *   lrₖ = lr·min(1, (k + 1)/warmupSteps);  lrMax ← max(lrMax, lrₖ)
 *   wₖ = (k + 1)^r · lrMax^weightLrPower;  W ← W + wₖ;  c = wₖ / W (0 if W = 0)
 *   z ← z − lrₖ·g;  x ← (1 − c)·x + c·z;  y ← β·x + (1 − β)·z
 * These scalars depend on the lr history only (optimizer-wide state
 * `lrMax`, `weightSum`), so runs plan them. The paper writes the same
 * recursion; the code's weights use lrMax, the running maximum of the
 * warmed-up lr, so a scheduler lowering the lr does not lower the weights.
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface SfsgdOptions {
  [k: string]: unknown;
  lr: number;
  momentum: number;
  weightDecay: number;
  warmupSteps: number;
  r: number;
  weightLrPower: number;
  maximize: boolean;
}

/**
 * The averaging weight c of the step after `k` steps done, at the warmed-up
 * lr `lr`, advancing the optimizer-wide `lrMax` and `weightSum` as both
 * schedule-free references do.
 */
export function scheduleFreeWeight(s: Record<string, number>, lr: number, k: number, r: number, weightLrPower: number): number {
  s.lrMax = Math.max(lr, s.lrMax);
  const weight = Math.pow(k + 1, r) * Math.pow(s.lrMax, weightLrPower);
  s.weightSum = s.weightSum + weight;
  // Python raises ZeroDivisionError there and the reference catches it.
  return s.weightSum === 0 ? 0 : weight / s.weightSum;
}

/** The linear warm-up factor of the step after `k` steps done. */
export function warmup(k: number, warmupSteps: number): number {
  return k < warmupSteps ? (k + 1) / warmupSteps : 1;
}

/** Shared option specs of the schedule-free pair. */
export const scheduleFreeOptions = {
  warmupSteps: opt.number(0, { min: 0, integer: true }, "steps of linear lr warm-up, an integer ≥ 0"),
  r: opt.nonNegative(0, "polynomial weighting (k + 1)^r of the average, ≥ 0"),
  weightLrPower: opt.nonNegative(2, "the average weights the iterates by lrMax^weightLrPower, ≥ 0"),
};

/**
 * The kernel's interface (assembly/optim/sfsgd.ts reads the same slots).
 * `first`: the step that sets z and x to p; `negLr` = −lrₖ; `oneMinusC` = 1 − c.
 */
export const sfsgdKernel = declareKernel("sfsgd", {
  buffers: ["z", "x"],
  scalars: ["first", "negLr", "weightDecay", "oneMinusC", "c", "momentum", "oneMinusMomentum", "maximize"],
});
const S = sfsgdKernel.slot;

export const sfsgd = defineOptimizer<SfsgdOptions>({
  name: "sfsgd",
  schema: {
    lr: opt.lr(1),
    momentum: opt.number(0.9, { min: 0, max: 1, minExclusive: true, maxExclusive: true }, "interpolation β of y between x and z, in (0, 1)"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient (at y), ≥ 0"),
    ...scheduleFreeOptions,
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: sfsgdKernel,
  momentumOption: "momentum",
  buffers: () => ["z", "x"],
  initialScalars: () => ({ lrMax: -1, weightSum: 0 }),
  coefficients(o, t, s, row, at) {
    const k = t - 1;
    const lr = o.lr * warmup(k, o.warmupSteps);
    const c = scheduleFreeWeight(s, lr, k, o.r, o.weightLrPower);
    row[at + S.first] = t === 1 ? 1 : 0;
    row[at + S.negLr] = -lr;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.oneMinusC] = 1 - c;
    row[at + S.c] = c;
    row[at + S.momentum] = o.momentum;
    row[at + S.oneMinusMomentum] = 1 - o.momentum;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const z = b[sfsgdKernel.buffer.z]!,
      x = b[sfsgdKernel.buffer.x]!;
    const negLr = fr(row[at + S.negLr]),
      wd = fr(row[at + S.weightDecay]),
      omc = fr(row[at + S.oneMinusC]),
      c = fr(row[at + S.c]);
    const beta = fr(row[at + S.momentum]),
      omb = fr(row[at + S.oneMinusMomentum]);
    const first = row[at + S.first] !== 0,
      hasWd = row[at + S.weightDecay] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      const y = p[i];
      let zi = first ? y : z[i];
      let xi = first ? y : x[i];
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * y));
      zi = fr(zi + fr(negLr * gi));
      xi = fr(fr(xi * omc) + fr(c * zi));
      z[i] = zi;
      x[i] = xi;
      p[i] = fr(fr(xi * beta) + fr(omb * zi));
    }
  },
});
