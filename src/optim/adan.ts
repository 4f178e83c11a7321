/**
 * Adan (Xie et al. 2022), as sail-sg/Adan `adan.py`: `_single_tensor_adan`
 * and the global-norm clip of `step` (issue 11 names f0b1b81; read at
 * d00ff6258e33 and 062d4cd5de08, identical code; operation order:
 * scripts/ZOO_SPEC.md §6). `maximize` is added (g is negated first).
 *
 * With g = ±∇, step k, b1 = 1 − β1ᵏ, b2 = 1 − β2ᵏ, b3 = 1 − β3ᵏ, and w the
 * stored −g of the previous step (−clip·g on the first: the first difference is 0):
 *   maxGradNorm > 0: clip = min(1, maxGradNorm/(‖∇‖ + ε)) over all tensors (else 1)
 *   g ← clip·g;  w ← w + g (= g − g₋₁);  m ← m·β1 + (1−β1)·g;  v ← v·β2 + (1−β2)·w
 *   w ← w·β2 + g;  n ← n·β3 + (1−β3)·w·w;  d = √n/√b3 + ε
 *   noProx: p ← p·(1 − lr·wd), then p ← p − (lr/b1)·m/d − (lr·β2/b2)·v/d
 *   else:   the two steps, then p ← p/(1 + lr·wd)
 *   w ← −g
 *
 * The norm is a reduce phase (OptimizerDef.reduce): Σ g² per tensor in lane
 * order, tensors in order, in f64 (torch sums in the dtype). The official
 * code multiplies `p.grad` by the clip in place; here the gradient is read,
 * never written (runs refill it every step).
 *
 * Where the code differs from the paper: its betas are 1 − the paper's (m =
 * β1·m + (1−β1)·g); all three moments are bias-corrected, ε is added outside
 * the root after the correction; the gradient-difference step is lr·β2/b2;
 * the first difference is 0; weight decay is the proximal division by
 * default (`noProx`: multiplicative, as AdamW).
 */
import { combineLanes, declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface AdanOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number, number];
  eps: number;
  weightDecay: number;
  noProx: boolean;
  maxGradNorm: number;
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/adan.ts reads the same slots).
 * `valueM`, `valueV`: −lr/b1 and −lr·β2/b2, the addcdiv multipliers;
 * `decay`: 1 − lr·wd with noProx (else 1), `divisor`: 1 + lr·wd without
 * (else 1); `first`: step 1 (w starts at −clip·g); `clip`: written by the
 * reduce phase's finish (1 without clipping). Sum `gradSq`: Σ g².
 */
export const adanKernel = declareKernel("adan", {
  buffers: ["expAvg", "expAvgDiff", "expAvgSq", "negPrevGrad"],
  scalars: [
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "beta3",
    "oneMinusBeta3",
    "eps",
    "biasCorrection3Sqrt",
    "valueM",
    "valueV",
    "decay",
    "divisor",
    "first",
    "clip",
    "maximize",
  ],
  sums: ["gradSq"],
});
const S = adanKernel.slot;

export const adan = defineOptimizer<AdanOptions>({
  name: "adan",
  schema: {
    lr: opt.lr(1e-3),
    betas: opt.tuple([0.98, 0.92, 0.99], ["beta1", "beta2", "beta3"], { min: 0, max: 1, maxExclusive: true }, "[β1, β2, β3], each in [0, 1)"),
    eps: opt.nonNegative(1e-8, "ε of the denominator (and of the clip), ≥ 0"),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0: p ← p/(1 + lr·weightDecay) after the step (noProx: p·(1 − lr·weightDecay) before)"),
    noProx: opt.flag("multiplicative weight decay before the step instead of the proximal division after it"),
    maxGradNorm: opt.nonNegative(0, "> 0: scale the gradients by min(1, maxGradNorm/(‖g‖ + ε)), ‖g‖ over all tensors; 0: no clipping"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: adanKernel,
  momentumOption: "betas",
  buffers: () => ["expAvg", "expAvgDiff", "expAvgSq", "negPrevGrad"],
  initialScalars: () => ({ clip: 1 }),
  coefficients(o, t, state, row, at, pow) {
    const [beta1, beta2, beta3] = o.betas;
    const bc1 = 1 - pow(beta1, t),
      bc2 = 1 - pow(beta2, t),
      bc3 = 1 - pow(beta3, t);
    row[at + S.beta1] = beta1;
    row[at + S.oneMinusBeta1] = 1 - beta1;
    row[at + S.beta2] = beta2;
    row[at + S.oneMinusBeta2] = 1 - beta2;
    row[at + S.beta3] = beta3;
    row[at + S.oneMinusBeta3] = 1 - beta3;
    row[at + S.eps] = o.eps;
    row[at + S.biasCorrection3Sqrt] = Math.sqrt(bc3);
    row[at + S.valueM] = -(o.lr / bc1);
    row[at + S.valueV] = -((o.lr * beta2) / bc2);
    row[at + S.decay] = o.noProx ? 1 - o.lr * o.weightDecay : 1;
    row[at + S.divisor] = o.noProx ? 1 : 1 + o.lr * o.weightDecay;
    row[at + S.first] = t === 1 ? 1 : 0;
    // Replaced by finish when clipping (maxGradNorm > 0).
    row[at + S.clip] = 1;
    state.clip = 1;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  reduces: (o) => o.maxGradNorm > 0,
  reduce(_p, g, _b, _row, _at, sums) {
    // g² is sign-invariant: maximize does not matter. f32 values widen exactly; the square is taken in f64.
    const n = g.length;
    let p0 = 0,
      p1 = 0,
      p2 = 0,
      p3 = 0;
    for (let i = 0; i < n; i += 4) {
      const a = g[i];
      p0 += a * a;
      if (i + 1 < n) p1 += g[i + 1] * g[i + 1];
      if (i + 2 < n) p2 += g[i + 2] * g[i + 2];
      if (i + 3 < n) p3 += g[i + 3] * g[i + 3];
    }
    sums[adanKernel.sum.gradSq] += combineLanes(p0, p1, p2, p3);
  },
  finish(o, _t, state, row, at, sums) {
    // torch: clamp(maxGradNorm / (√Σ + ε), max = 1)
    const clip = Math.min(1, o.maxGradNorm / (Math.sqrt(sums[adanKernel.sum.gradSq]) + o.eps));
    row[at + S.clip] = clip;
    state.clip = clip;
    return true;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const B = adanKernel.buffer;
    const m = b[B.expAvg]!,
      v = b[B.expAvgDiff]!,
      nb = b[B.expAvgSq]!,
      w = b[B.negPrevGrad]!;
    const b1 = fr(row[at + S.beta1]),
      omb1 = fr(row[at + S.oneMinusBeta1]),
      b2 = fr(row[at + S.beta2]),
      omb2 = fr(row[at + S.oneMinusBeta2]);
    const b3 = fr(row[at + S.beta3]),
      omb3 = fr(row[at + S.oneMinusBeta3]),
      eps = fr(row[at + S.eps]),
      bc3s = fr(row[at + S.biasCorrection3Sqrt]);
    const valueM = fr(row[at + S.valueM]),
      valueV = fr(row[at + S.valueV]),
      decay = fr(row[at + S.decay]),
      divisor = fr(row[at + S.divisor]);
    const clip = fr(row[at + S.clip]);
    // Multiplying or dividing by 1 is exact: skipped.
    const hasDecay = row[at + S.decay] !== 1,
      hasDivisor = row[at + S.divisor] !== 1;
    const first = row[at + S.first] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      let wi = first ? fr(gi * -clip) : w[i];
      gi = fr(gi * clip);
      wi = fr(wi + gi);
      const mi = fr(fr(m[i] * b1) + fr(omb1 * gi));
      m[i] = mi;
      const vi = fr(fr(v[i] * b2) + fr(omb2 * wi));
      v[i] = vi;
      wi = fr(fr(wi * b2) + gi);
      const ni = fr(fr(nb[i] * b3) + fr(fr(omb3 * wi) * wi));
      nb[i] = ni;
      const d = fr(fr(fr(Math.sqrt(ni)) / bc3s) + eps);
      let pi = p[i];
      if (hasDecay) pi = fr(pi * decay);
      // addcdiv(p, m, d, v) = p + (v·m)/d
      pi = fr(pi + fr(fr(valueM * mi) / d));
      pi = fr(pi + fr(fr(valueV * vi) / d));
      if (hasDivisor) pi = fr(pi / divisor);
      p[i] = pi;
      // zero_().add_(g, alpha = −1): 0 + (−g), which is +0 for g = ±0.
      w[i] = fr(0 - gi);
    }
  },
});
