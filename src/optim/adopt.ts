/**
 * ADOPT (Taniguchi et al. 2024), as the official iShohei220/adopt
 * `src/adopt/adopt.py` `_single_tensor_adopt` (c621db2; read as the fork
 * irmo322/adopt @ dee469560f42cb7e8563ea609df03077430ddd33, whose
 * `_single_tensor_adopt` is the same). Operation order: scripts/ZOO_SPEC.md §7.
 *
 * With g = ±∇ (+ weightDecay·p unless decoupled, also on the first step):
 *   first step: v ← g² and nothing else (no move, no decay)
 *   later:      p ← p − lr·weightDecay·p            (decoupledWeightDecay)
 *               u = g / max(√v, ε), clipped to ±(t − 1)^c
 *               m ← m + (1 − β1)·(u − m)            (torch's lerp)
 *               p ← p − lr·m;  v ← β2·v + (1 − β2)·g²
 * t is the run step counted from 1. Where the code differs from the paper:
 * the clip bound at step t is (t − 1)^c, because the code passes its step
 * count before incrementing it (so the first move, at t = 2, clips to ±1);
 * ε is a floor on √v, not an addend; the first step only initialises v.
 * `clipExponent: null` turns the clipping off.
 */
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AdoptOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  clipExponent: number | null;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/adopt.ts reads the same slots).
 * `first`: the step that only sets v; `clip` = (t − 1)^c, used when
 * `useClip`; `decoupledDecay` = −lr·weightDecay, used when `decoupled`;
 * `weightDecay`: the L2 term (0 when decoupled); `lerpWeight` = 1 − β1.
 */
export const adoptKernel = declareKernel("adopt", {
  buffers: ["expAvg", "expAvgSq"],
  scalars: ["first", "clip", "useClip", "negLr", "decoupledDecay", "decoupled", "weightDecay", "lerpWeight", "beta2", "oneMinusBeta2", "eps", "maximize"],
});
const S = adoptKernel.slot;

export const adopt = defineOptimizer<AdoptOptions>({
  name: "adopt",
  schema: {
    lr: opt.lr(1e-3),
    betas: opt.betas([0.9, 0.9999]),
    eps: opt.nonNegative(1e-6, "floor of √v in the denominator, ≥ 0"),
    clipExponent: opt.nullableNumber(0.25, { min: 0 }, "the normalised gradient is clipped to ±(t − 1)^clipExponent at step t, ≥ 0; null: no clipping"),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0 (L2 unless decoupledWeightDecay)"),
    decoupledWeightDecay: opt.flag("decay the weights (p ← p − lr·weightDecay·p) instead of adding weightDecay·p to the gradient"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adoptKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgSq"],
  coefficients(o, t, _s, row, at) {
    const [beta1, beta2] = o.betas;
    const decoupled = o.decoupledWeightDecay && o.weightDecay !== 0;
    row[at + S.first] = t === 1 ? 1 : 0;
    // The official step count before this step is t − 1.
    row[at + S.clip] = o.clipExponent === null ? 0 : Math.pow(t - 1, o.clipExponent);
    row[at + S.useClip] = o.clipExponent === null ? 0 : 1;
    row[at + S.negLr] = -o.lr;
    row[at + S.decoupledDecay] = -o.lr * o.weightDecay;
    row[at + S.decoupled] = decoupled ? 1 : 0;
    row[at + S.weightDecay] = o.decoupledWeightDecay ? 0 : o.weightDecay;
    row[at + S.lerpWeight] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.eps] = o.eps;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[adoptKernel.buffer.expAvg]!,
      v = b[adoptKernel.buffer.expAvgSq]!;
    const clip = fr(row[at + S.clip]),
      negLr = fr(row[at + S.negLr]),
      dd = fr(row[at + S.decoupledDecay]),
      wd = fr(row[at + S.weightDecay]);
    const w = fr(row[at + S.lerpWeight]),
      omw = fr(1 - w);
    const b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]),
      eps = fr(row[at + S.eps]);
    const first = row[at + S.first] !== 0,
      useClip = row[at + S.useClip] !== 0,
      decoupled = row[at + S.decoupled] !== 0;
    const hasWd = row[at + S.weightDecay] !== 0,
      maximize = row[at + S.maximize] !== 0;
    // torch's lerp takes one of two forms by the (dtype-rounded) weight.
    const small = Math.abs(w) < 0.5;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      if (first) {
        v[i] = fr(v[i] + fr(gi * gi));
        continue;
      }
      let pi = p[i];
      if (decoupled) pi = fr(pi + fr(dd * pi));
      let u = fr(gi / Math.max(fr(Math.sqrt(v[i])), eps));
      if (useClip) u = Math.min(Math.max(u, -clip), clip);
      const d = fr(u - m[i]);
      const mi = small ? fr(m[i] + fr(w * d)) : fr(u - fr(d * omw));
      m[i] = mi;
      p[i] = fr(pi + fr(negLr * mi));
      v[i] = fr(fr(v[i] * b2) + fr(fr(omb2 * gi) * gi));
    }
  },
});
