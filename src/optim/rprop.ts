/**
 * Rprop, as `torch.optim.Rprop` (PyTorch 2.x `_single_tensor_rprop`; 1.13 is
 * the same). Operation order: scripts/ZOO_SPEC.md §1.
 *
 * With g = ±∇ and, per element, the previous (possibly zeroed) gradient g′
 * and step size Δ:
 *   f = η+ if g·g′ > 0, η− if g·g′ < 0, 1 if g·g′ = 0
 *   Δ ← clamp(Δ·f, Γmin, Γmax);  g ← 0 where f = η−
 *   p ← p − sign(g)·Δ;  g′ ← g
 * Δ starts at the lr of the first step (torch's `fill_(lr)`); the lr is read
 * nowhere else, so a scheduler changes the reported lr but not the
 * trajectory.
 *
 * Against the paper (Riedmiller & Braun 1993): no weight-backtracking; after
 * a sign change the gradient is zeroed instead, so the next step sees
 * g·g′ = 0 and keeps Δ (the iRprop− variant of Igel & Hüsken 2000).
 */
import { rangeError, show } from "../errors.js";
import { declareKernel, defineOptimizer } from "./def.js";
import { opt } from "./schema.js";

export interface RpropOptions {
  [k: string]: unknown;
  lr: number;
  etas: [number, number];
  stepSizes: [number, number];
  maximize: boolean;
}

/**
 * The kernel's interface (assembly/optim/rprop.ts reads the same slots).
 * `first`: 1 on the step that fills the step sizes with `lr`.
 */
export const rpropKernel = declareKernel("rprop", {
  buffers: ["prev", "stepSize"],
  scalars: ["etaMinus", "etaPlus", "stepSizeMin", "stepSizeMax", "lr", "first", "maximize"],
});
const S = rpropKernel.slot;

export const rprop = defineOptimizer<RpropOptions>({
  name: "rprop",
  schema: {
    lr: opt.lr(1e-2),
    etas: opt.tuple(
      [0.5, 1.2],
      ["etaMinus", "etaPlus"],
      { min: 0, minExclusive: true },
      "[η−, η+]: step-size factors after a sign change and after none, 0 < η− < 1 < η+",
    ),
    stepSizes: opt.tuple([1e-6, 50], ["min", "max"], { min: 0 }, "[Γmin, Γmax]: bounds of the step sizes, 0 ≤ Γmin ≤ Γmax"),
    maximize: opt.flag("ascend instead of descend"),
  },
  kernel: rpropKernel,
  momentumOption: undefined,
  validate(o) {
    const [minus, plus] = o.etas;
    if (!(minus < 1 && plus > 1)) throw rangeError("etas", `must be [etaMinus, etaPlus] with 0 < etaMinus < 1 < etaPlus; got ${show(o.etas)}`);
    if (!(o.stepSizes[0] <= o.stepSizes[1])) throw rangeError("stepSizes", `must be [min, max] with min ≤ max; got ${show(o.stepSizes)}`);
  },
  buffers: () => ["prev", "stepSize"],
  coefficients(o, t, _s, row, at) {
    row[at + S.etaMinus] = o.etas[0];
    row[at + S.etaPlus] = o.etas[1];
    row[at + S.stepSizeMin] = o.stepSizes[0];
    row[at + S.stepSizeMax] = o.stepSizes[1];
    row[at + S.lr] = o.lr;
    row[at + S.first] = t === 1 ? 1 : 0;
    row[at + S.maximize] = o.maximize ? 1 : 0;
  },
  update(p, g, b, row, at, fr) {
    const n = p.length;
    const prev = b[rpropKernel.buffer.prev]!,
      step = b[rpropKernel.buffer.stepSize]!;
    const minus = fr(row[at + S.etaMinus]),
      plus = fr(row[at + S.etaPlus]);
    const lo = fr(row[at + S.stepSizeMin]),
      hi = fr(row[at + S.stepSizeMax]),
      lr = fr(row[at + S.lr]);
    const first = row[at + S.first] !== 0,
      maximize = row[at + S.maximize] !== 0;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      const s = fr(gi * prev[i]);
      // NaN stays NaN, like torch's sign() of a NaN product.
      const f = s > 0 ? plus : s < 0 ? minus : s === 0 ? 1 : NaN;
      const d = Math.min(Math.max(fr((first ? lr : step[i]) * f), lo), hi);
      if (f === minus) gi = 0;
      const sg = gi > 0 ? 1 : gi < 0 ? -1 : gi === 0 ? 0 : NaN;
      p[i] = fr(p[i] - fr(sg * d));
      step[i] = d;
      prev[i] = gi;
    }
  },
});
