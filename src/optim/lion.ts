/**
 * Lion (EvoLved Sign Momentum, Chen et al. 2023), as the official
 * google/automl `lion/lion_pytorch.py` @ 87461ee96d8bbfcaf1edd4fbd8659d31d3760a50,
 * with `maximize` added. Operation order: scripts/ZOO_SPEC.md §4.
 *
 * With g = ±∇:
 *   p ← p·(1 − lr·weightDecay)                    (decoupled, always applied)
 *   p ← p − lr·sign(β1·m + (1 − β1)·g)            (sign(0) = 0: no move)
 *   m ← β2·m + (1 − β2)·g
 * The official code follows the paper's Algorithm 2 in this order: the
 * interpolation for the sign uses β1, the stored moment β2, and the decay
 * multiplies p before the sign step.
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface LionOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  weightDecay: number;
  maximize: boolean;
}

/** The kernel's interface (assembly/optim/lion.ts reads the same slots). `decay` = 1 − lr·weightDecay, `negLr` = −lr. */
export const lionKernel = declareKernel("lion", {
  buffers: ["expAvg"],
  scalars: ["decay", "negLr", "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "maximize"],
  stepScalars: [],
});
const S = lionKernel.slot;

export const lion = defineOptimizer<LionOptions>({
  name: "lion",
  schema: {
    lr: opt.lr(1e-4),
    betas: opt.betas([0.9, 0.99]),
    weightDecay: opt.nonNegative(0, "decoupled weight decay: p ← p·(1 − lr·weightDecay) each step, ≥ 0"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: lionKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg"],
  coefficients(o, _t, _s, row, at) {
    const [beta1, beta2] = o.betas;
    row[at + S.decay] = 1 - o.lr * o.weightDecay;
    row[at + S.negLr] = -o.lr;
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[lionKernel.buffer.expAvg]!;
    const decay = fr(row[at + S.decay]),
      negLr = fr(row[at + S.negLr]);
    const b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]);
    const maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      const gi = maximize ? -g[i] : g[i];
      const pi = fr(p[i] * decay);
      const c = fr(fr(m[i] * b1) + fr(gi * omb1));
      const sg = c > 0 ? 1 : c < 0 ? -1 : c === 0 ? 0 : NaN;
      p[i] = fr(pi + fr(negLr * sg));
      m[i] = fr(fr(m[i] * b2) + fr(omb2 * gi));
    }
  },
});
