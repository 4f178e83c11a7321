/**
 * Prodigy (Mishchenko & Defazio 2023), as konstmish/prodigy
 * `prodigyopt/prodigy.py` @ a1b4f0eff7ef (slice_p = 1, one parameter group;
 * operation order: scripts/ZOO_SPEC.md §10). `maximize` is added (g is
 * negated first).
 *
 * Optimizer-wide state: d (d0), dMax (d0), dNumerator (0), dDenom, k (moves
 * made). With g = ±∇ (+ wd·p when coupled), bc = √(1 − β2ᵏ⁺¹)/(1 − β1ᵏ⁺¹)
 * with useBiasCorrection (else 1), dlr = d·lr·bc, β3 = √β2 unless given:
 *   phase A (a reduce pass over every tensor, skipped when lr ≤ 0):
 *     dotᵢ = Σ g·(p0 − p);  m ← m·β1 + d(1−β1)·g;  v ← v·β2 + d²(1−β2)·g·g
 *     s ← s·β3 + (d/d0)·(safeguardWarmup ? d : dlr)·g;  absᵢ = Σ |s|
 *   between (finish): δ = Σᵢ (d/d0)·dlr·dotᵢ, den = Σᵢ absᵢ (tensors in order);
 *     den = 0: no move this step (m, v, s were updated; k and the stored
 *     numerator stay). Else num = dNumerator·β3 + δ, d̂ = dCoef·num/den;
 *     d ← max(d, d̂) while d is still d0; dMax ← max(dMax, d̂);
 *     d ← min(dMax, d·growthRate)
 *   phase B, with the new d and the old dlr: denom = √v + d·ε;
 *     decoupled: p ← p + (−wd·dlr)·p;  p ← p + (−dlr)·m/denom
 *     (β1 = 0: no m; p ← p + (−dlr·d)·g/denom)
 *
 * The sums are the reduce phase of OptimizerDef (lane order, f64; torch: BLAS
 * dot and ATen sum in the dtype). A result's `lr` is the group lr a
 * scheduler sets; the step taken is d·lr. p0 is a copy of p taken at the
 * first step (the official code keeps a 0-d zero instead when p is all zero:
 * the same numbers).
 *
 * Where the code differs from the paper: the d/d0 weighting of the sums
 * (numerics only), β3 = √β2 by default, Adam's bias correction off by
 * default and applied to dlr only, ε scaled by d, and the growth cap.
 */
import { combineLanes, declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";
import { pyMax, pyMin } from "./lineSearch.js";

export interface ProdigyOptions {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  beta3: number | null;
  eps: number;
  weightDecay: number;
  decouple: boolean;
  useBiasCorrection: boolean;
  safeguardWarmup: boolean;
  d0: number;
  dCoef: number;
  growthRate: number | null;
  maximize: boolean;
}

/**
 * The kernels' interface (assembly/optim/prodigy.ts: `prodigyReduce` is
 * phase A, `prodigyStep` phase B). `first`: step 1 (p0 ← p); `active`: lr > 0;
 * `weightDecay`: the coupled L2 coefficient (0 when decoupled);
 * `gradCoef`, `sqCoef`, `sCoef`, `dotCoef`: d(1−β1), d²(1−β2), (d/d0)·(d or
 * dlr), (d/d0)·dlr; `useAvg`: β1 > 0; `dEps` = d·ε and `stepValue` (−dlr, or
 * −dlr·d for β1 = 0) are rewritten by finish with the new d; `decayValue` =
 * −wd·dlr with `decoupledDecay`. Sums: `dot` (Σᵢ dotCoef·dotᵢ), `absS` (Σᵢ absᵢ).
 */
export const prodigyKernel = declareKernel("prodigy", {
  buffers: ["s", "p0", "expAvg", "expAvgSq"],
  scalars: [
    "first",
    "active",
    "maximize",
    "weightDecay",
    "beta1",
    "beta2",
    "beta3",
    "gradCoef",
    "sqCoef",
    "sCoef",
    "dotCoef",
    "useAvg",
    "dEps",
    "decoupledDecay",
    "decayValue",
    "stepValue",
  ],
  sums: ["dot", "absS"],
});
const S = prodigyKernel.slot;
const B = prodigyKernel.buffer;

export const prodigy = defineOptimizer<ProdigyOptions>({
  name: "prodigy",
  schema: {
    lr: opt.lr(1),
    betas: opt.betas([0.9, 0.999]),
    beta3: opt.nullableNumber(null, { min: 0, max: 1, maxExclusive: true }, "decay of the d estimate's sums, in [0, 1); null: √β2"),
    eps: opt.nonNegative(1e-8, "ε, scaled by d, added to √v, ≥ 0"),
    weightDecay: opt.nonNegative(0, "weight decay, ≥ 0 (decoupled unless decouple is false: then L2)"),
    decouple: opt.flag("decay the weights as AdamW does: p ← p·(1 − weightDecay·d·lr)", true),
    useBiasCorrection: opt.flag("Adam's bias correction, applied to the step d·lr"),
    safeguardWarmup: opt.flag("leave the lr out of the d estimate's denominator sum (for warm-up schedules)"),
    d0: opt.number(1e-6, { min: 0, minExclusive: true }, "initial d estimate, > 0"),
    dCoef: opt.nonNegative(1, "multiplier of the d estimate, ≥ 0"),
    growthRate: opt.nullableNumber(null, { min: 0, minExclusive: true }, "largest factor d may grow by per step, > 0; null: unbounded"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: prodigyKernel,
  momentumOption: "betas",
  buffers: (o) => (o.betas[0] > 0 ? ["s", "p0", "expAvg", "expAvgSq"] : ["s", "p0", "expAvgSq"]),
  initialScalars: (o) => ({ d: o.d0, dMax: o.d0, dNumerator: 0, dDenom: 0, k: 0 }),
  coefficients(o, t, state, row, at, pow) {
    const [beta1, beta2] = o.betas;
    const beta3 = o.beta3 ?? Math.sqrt(beta2);
    const { d, k } = state;
    // The official (1 − β2ᵏ⁺¹)**0.5 is a correctly rounded square root.
    const bc = o.useBiasCorrection ? Math.sqrt(1 - pow(beta2, k + 1)) / (1 - pow(beta1, k + 1)) : 1;
    const dlr = d * o.lr * bc;
    const ratio = d / o.d0;
    row[at + S.first] = t === 1 ? 1 : 0;
    row[at + S.active] = o.lr > 0 ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
    row[at + S.weightDecay] = o.decouple ? 0 : o.weightDecay;
    row[at + S.beta1] = beta1;
    row[at + S.beta2] = beta2;
    row[at + S.beta3] = beta3;
    row[at + S.gradCoef] = d * (1 - beta1);
    row[at + S.sqCoef] = d * d * (1 - beta2);
    row[at + S.sCoef] = ratio * (o.safeguardWarmup ? d : dlr);
    row[at + S.dotCoef] = ratio * dlr;
    row[at + S.useAvg] = beta1 > 0 ? 1 : 0;
    // Placeholders with the old d; finish writes them with the new one before any update.
    row[at + S.dEps] = d * o.eps;
    row[at + S.decoupledDecay] = o.decouple && o.weightDecay !== 0 ? 1 : 0;
    row[at + S.decayValue] = -o.weightDecay * dlr;
    row[at + S.stepValue] = -dlr;
  },
  reduces: () => true,
  reduce(p, g, b, row, at, sums, fr) {
    const n = p.length;
    const s = b[B.s]!,
      p0 = b[B.p0]!,
      m = b[B.expAvg]!,
      v = b[B.expAvgSq]!;
    if (row[at + S.first] !== 0) p0.set(p);
    if (row[at + S.active] === 0) return;
    const maximize = row[at + S.maximize] !== 0,
      hasWd = row[at + S.weightDecay] !== 0,
      useAvg = row[at + S.useAvg] !== 0;
    const wd = fr(row[at + S.weightDecay]),
      b1 = fr(row[at + S.beta1]),
      b2 = fr(row[at + S.beta2]),
      b3 = fr(row[at + S.beta3]);
    const cm = fr(row[at + S.gradCoef]),
      cv = fr(row[at + S.sqCoef]),
      cs = fr(row[at + S.sCoef]);
    const dot = [0, 0, 0, 0],
      abs = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (hasWd) gi = fr(gi + fr(wd * p[i]));
      // The dot product's term in f64, from p0 − p in the dtype (torch subtracts the tensors, then dots).
      dot[i & 3] += gi * fr(p0[i] - p[i]);
      if (useAvg) m[i] = fr(fr(m[i] * b1) + fr(cm * gi));
      v[i] = fr(fr(v[i] * b2) + fr(fr(cv * gi) * gi));
      const si = fr(fr(s[i] * b3) + fr(cs * gi));
      s[i] = si;
      abs[i & 3] += Math.abs(si);
    }
    sums[prodigyKernel.sum.dot] += row[at + S.dotCoef] * combineLanes(dot[0], dot[1], dot[2], dot[3]);
    sums[prodigyKernel.sum.absS] += combineLanes(abs[0], abs[1], abs[2], abs[3]);
  },
  finish(o, _t, state, row, at, sums) {
    const den = sums[prodigyKernel.sum.absS];
    // No progress yet (no gradient, or lr ≤ 0: phase A did not run): no move, k and the numerator stay.
    if (den === 0) return false;
    const beta3 = o.beta3 ?? Math.sqrt(o.betas[1]);
    const num = state.dNumerator * beta3 + sums[prodigyKernel.sum.dot];
    const dHat = (o.dCoef * num) / den;
    let d = state.d;
    if (d === o.d0) d = pyMax(d, dHat);
    const dMax = pyMax(state.dMax, dHat);
    d = pyMin(dMax, d * (o.growthRate ?? Infinity));
    state.dNumerator = num;
    state.dDenom = den;
    state.d = d;
    state.dMax = dMax;
    state.k += 1;
    row[at + S.dEps] = d * o.eps;
    // β1 = 0 steps along g with −dlr·d (the new d); the slot holds −dlr.
    if (o.betas[0] === 0) row[at + S.stepValue] = row[at + S.stepValue] * d;
    return true;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const m = b[B.expAvg]!,
      v = b[B.expAvgSq]!;
    const maximize = row[at + S.maximize] !== 0,
      hasWd = row[at + S.weightDecay] !== 0,
      useAvg = row[at + S.useAvg] !== 0;
    const decoupled = row[at + S.decoupledDecay] !== 0;
    const wd = fr(row[at + S.weightDecay]),
      dEps = fr(row[at + S.dEps]),
      decayValue = fr(row[at + S.decayValue]),
      stepValue = fr(row[at + S.stepValue]);
    for (let i = 0; i < n; i++) {
      let pi = p[i];
      const denom = fr(fr(Math.sqrt(v[i])) + dEps);
      if (decoupled) pi = fr(pi + fr(decayValue * pi));
      // addcdiv(p, x, denom, value) = p + (value·x)/denom
      if (useAvg) pi = fr(pi + fr(fr(stepValue * m[i]) / denom));
      else {
        // g as phase A formed it, from p before this step (coupled L2 and decoupled decay exclude each other).
        let gi = maximize ? -g[i] : g[i];
        if (hasWd) gi = fr(gi + fr(wd * p[i]));
        pi = fr(pi + fr(fr(stepValue * gi) / denom));
      }
      p[i] = pi;
    }
  },
});
