/**
 * torch.optim.LBFGS's strong-Wolfe line search and its cubic interpolation
 * (`_strong_wolfe`, `_cubic_interpolate` in torch/optim/lbfgs.py, ported
 * there from minFunc's lswolfe), in torch's operation order; the comparisons
 * and Python's `min`/`max` as Python evaluates them (NaN compares false; `max(a, b)`
 * is a unless b > a). Scalars are f64; dot products and norms come from
 * src/optim/flat.ts. Used by src/optim/lbfgs.ts; scripts/ZOO_SPEC.md §3.
 */
import type { FloatArray } from "../api.js";
import { dot, maxAbs } from "./flat.js";

/**
 * Python's max(a, b) and min(a, b): the first argument unless the second
 * compares greater (less), so a NaN in either place stays where Python keeps it
 * (Math.max would return NaN for both).
 */
// biome-ignore lint/complexity/useMathMinMax: Python's NaN semantics, not Math.max's.
export const pyMax = (a: number, b: number): number => (b > a ? b : a);
// biome-ignore lint/complexity/useMathMinMax: Python's NaN semantics, not Math.min's.
export const pyMin = (a: number, b: number): number => (b < a ? b : a);

/**
 * The minimiser of the cubic through (x1, f1, slope g1) and (x2, f2, g2),
 * clamped to `bounds` (default: the interval between x1 and x2); the
 * interval's midpoint when the cubic has no real minimiser.
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: readonly [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** f and the flat gradient at x + t·d (the parameters are restored afterwards); one closure call. */
export type DirectionalEvaluate = (t: number) => { f: number; g: FloatArray };

export interface LineSearchResult {
  f: number;
  g: FloatArray;
  t: number;
  /** Closure calls made. */
  evals: number;
}

/**
 * Finds a step t along d from the point with loss f, gradient g and
 * directional derivative gtd = g·d that satisfies the strong Wolfe
 * conditions (c1 = 1e-4, c2 = 0.9), in at most `maxLs` evaluations after the
 * first (torch 2.x passes maxEval − the evaluations already made, PR 135026).
 */
export function strongWolfe(
  evaluate: DirectionalEvaluate,
  t: number,
  d: FloatArray,
  f: number,
  g: FloatArray,
  gtd: number,
  maxLs: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
): LineSearchResult {
  const dNorm = maxAbs(d);
  let { f: fNew, g: gNew } = evaluate(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0,
    fPrev = f,
    gPrev = g,
    gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  // Gradients are fresh arrays from `evaluate` and never written: the bracket may share them (torch clones).
  let bracket: number[] = [],
    bracketF: number[] = [],
    bracketG: FloatArray[] = [],
    bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ f: fNew, g: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  // Out of evaluations: the bracket is [0, t] (no slopes: the zoom below does not run).
  if (lsIter === maxLs)
    [bracket, bracketF, bracketG] = [
      [0, t],
      [f, fNew],
      [g, gNew],
    ];

  let insufProgress = false;
  // One point (the Wolfe conditions held at once) is the low end even when its loss is NaN: torch's
  // `bracket_f[0] <= bracket_f[-1]` is then false and it fails with an IndexError.
  let [low, high] = bracketF.length === 1 || bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    // Too close to an end of the bracket: move 0.1 of its length inside, after two such steps or at an end.
    const bMax = pyMax(bracket[0], bracket[1]),
      bMin = pyMin(bracket[0], bracket[1]);
    const eps = 0.1 * (bMax - bMin);
    if (pyMin(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    ({ f: fNew, g: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
      // Armijo fails or no lower than the lowest point: the new point is the high end.
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew;
      bracketGtd[high] = gtdNew;
      [low, high] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
        bracket[high] = bracket[low];
        bracketF[high] = bracketF[low];
        bracketG[high] = bracketG[low];
        bracketGtd[high] = bracketGtd[low];
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew;
      bracketGtd[low] = gtdNew;
    }
  }
  return { f: bracketF[low], g: bracketG[low], t: bracket[low], evals };
}
