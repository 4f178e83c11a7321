/**
 * ASGD (averaged SGD, Polyak & Juditsky 1992), as `torch.optim.ASGD`
 * (PyTorch 2.x `_single_tensor_asgd`; 1.13's single-tensor path is the
 * same). Operation order: scripts/ZOO_SPEC.md §2.
 *
 * With g = ±∇ + weightDecay·p and the optimizer-wide scalars η (starting at
 * the first step's lr) and μ (starting at 1):
 *   p ← p·(1 − λ·η);  p ← p − η·g
 *   ax ← ax + (p − ax)·μ  (ax ← p while μ = 1)
 *   then η ← lr / (1 + λ·lr·t)^α,  μ ← 1 / max(1, t − t0)
 * The iterate p is the trajectory; the average `ax` is state. η is computed
 * after the step from that step's lr, so a scheduler's change reaches the
 * update one step late, as in torch; the average starts at step t0 + 2.
 *
 * Against the paper: the η schedule lr/(1 + λ·lr·t)^α, the decay 1 − λη and
 * μ = 1/max(1, t − t0) are the recipe of Xu (2011) and Bottou's averaged-SGD
 * code, not Polyak & Juditsky's; the average is kept but never read by the
 * step.
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AsgdOptions {
  [k: string]: unknown;
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/asgd.ts reads the same slots).
 * `decay` = 1 − λ·η, `negEta` = −η, `useAverage`: μ ≠ 1.
 */
export const asgdKernel = declareKernel("asgd", {
  buffers: ["ax"],
  scalars: ["decay", "negEta", "mu", "useAverage", "weightDecay", "maximize"],
});
const S = asgdKernel.slot;

export const asgd = defineOptimizer<AsgdOptions>({
  name: "asgd",
  schema: {
    lr: opt.lr(1e-2),
    lambd: opt.nonNegative(1e-4, "decay term λ of η and of the weights, ≥ 0"),
    alpha: opt.nonNegative(0.75, "power α of the η schedule, ≥ 0"),
    t0: opt.nonNegative(1e6, "step after which averaging starts, ≥ 0"),
    weightDecay: opt.nonNegative(0, "L2 penalty added to the gradient, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: asgdKernel,
  momentumOption: undefined,
  buffers: () => ["ax"],
  initialScalars: () => ({ eta: 0, mu: 1 }),
  coefficients(o, t, s, row, at) {
    // torch creates η and μ at the first step, η from that step's lr.
    if (t === 1) {
      s.eta = o.lr;
      s.mu = 1;
    }
    row[at + S.decay] = 1 - o.lambd * s.eta;
    row[at + S.negEta] = -s.eta;
    row[at + S.mu] = s.mu;
    row[at + S.useAverage] = s.mu !== 1 ? 1 : 0;
    row[at + S.weightDecay] = o.weightDecay;
    row[at + S.maximize] = o.maximize ? 1 : 0;
    s.eta = o.lr / Math.pow(1 + o.lambd * o.lr * t, o.alpha);
    s.mu = 1 / Math.max(1, t - o.t0);
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const ax = b[asgdKernel.buffer.ax]!;
    const decay = fr(row[at + S.decay]),
      negEta = fr(row[at + S.negEta]),
      mu = fr(row[at + S.mu]),
      wd = fr(row[at + S.weightDecay]);
    const average = row[at + S.useAverage] !== 0,
      hasWd = row[at + S.weightDecay] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      let pi = fr(p[i] * decay);
      pi = fr(pi + fr(negEta * gi));
      p[i] = pi;
      ax[i] = average ? fr(ax[i] + fr(fr(pi - ax[i]) * mu)) : pi;
    }
  },
});
