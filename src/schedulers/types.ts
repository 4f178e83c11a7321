/**
 * The public types of the schedulers: what a scheduler drives, the spec of
 * each one (with its formulas), and the scheduler object.
 */
import type { SchedulerName } from "./index.js";

/**
 * What a scheduler drives: an optimizer's learning rate and, for
 * `oneCycleLR` and `cyclicLR` with `cycleMomentum`, its momentum (or `betas[0]`).
 */
export interface SchedulerTarget {
  /** Current learning rate, read/write. */
  lr: number;
  /**
   * Which hyperparameter OneCycleLR's and CyclicLR's cycleMomentum cycle: "momentum" (sgd,
   * rmsprop), "betas" (Adam family: cycles betas[0], keeps betas[1]), or
   * undefined when the optimizer has neither.
   */
  readonly momentumOption: "momentum" | "betas" | undefined;
  /** E.g. `getOption("betas")` → `[0.9, 0.999]`. */
  getOption(name: string): unknown;
  /** Validated by the optimizer. */
  setOption(name: string, value: unknown): void;
}

/** A scheduler name and its options (camelCase). See the `*Spec` interfaces for each scheduler. */
export type SchedulerSpec = { name: SchedulerName; [option: string]: unknown };

/**
 * `stepLR` (torch `StepLR`): decays by `gamma` every `stepSize` epochs.
 *
 * Closed form: `lr(t) = base · gamma^⌊t / stepSize⌋`.
 * `step()` uses torch's recursive form: `lr ← lr · gamma` when
 * `t > 0 && t % stepSize == 0`, else `lr` unchanged.
 */
export type StepLRSpec = {
  name: "stepLR";
  /** Period of the decay, an integer ≥ 1. Required. */
  stepSize: number;
  /** Multiplicative factor, > 0. Default 0.1. */
  gamma?: number;
};

/**
 * `multiStepLR` (torch `MultiStepLR`): decays by `gamma` at each milestone.
 *
 * Closed form: `lr(t) = base · gamma^(number of milestones ≤ t)` (repeated
 * milestones count repeatedly, order does not matter).
 * `step()` uses torch's recursive form: at an epoch listed `k` times,
 * `lr ← lr · gamma^k`, else unchanged.
 */
export type MultiStepLRSpec = {
  name: "multiStepLR";
  /** Epochs (integers ≥ 0) at which to decay; may repeat. Required. */
  milestones: number[];
  /** Multiplicative factor, > 0. Default 0.1. */
  gamma?: number;
};

/**
 * `exponentialLR` (torch `ExponentialLR`).
 *
 * Closed form: `lr(t) = base · gamma^t`.
 * `step()` uses torch's recursive form `lr ← lr · gamma`.
 */
export type ExponentialLRSpec = {
  name: "exponentialLR";
  /** Multiplicative factor per epoch, > 0. Required. */
  gamma: number;
};

/**
 * `cosineAnnealingLR` (torch `CosineAnnealingLR`, without restarts).
 *
 * Closed form: `lr(t) = etaMin + (base − etaMin) · (1 + cos(π·t / tMax)) / 2`
 * (periodic: it rises again after `tMax`).
 * `step()` uses torch's recursive form
 * `lr ← etaMin + (lr − etaMin) · (1 + cos(π·t/tMax)) / (1 + cos(π·(t−1)/tMax))`,
 * except when `(t − 1 − tMax) mod 2·tMax == 0`, where the denominator
 * vanishes and torch adds `(base − etaMin)·(1 − cos(π/tMax))/2` instead.
 */
export type CosineAnnealingLRSpec = {
  name: "cosineAnnealingLR";
  /** Half period in epochs, an integer ≥ 1. Required. */
  tMax: number;
  /** Minimum learning rate, ≥ 0. Default 0. */
  etaMin?: number;
};

/**
 * `linearLR` (torch `LinearLR`): multiplies the lr by a factor going linearly
 * from `startFactor` to `endFactor` over `totalIters` epochs.
 *
 * Closed form: `lr(t) = base · (startFactor + (endFactor − startFactor) · min(t, totalIters) / totalIters)`.
 * `step()` uses torch's recursive form: `lr ← lr · startFactor` at the
 * initial step, then for `1 ≤ t ≤ totalIters`
 * `lr ← lr · (1 + (endFactor − startFactor) / (totalIters·startFactor + (t − 1)·(endFactor − startFactor)))`,
 * and unchanged after.
 */
export type LinearLRSpec = {
  name: "linearLR";
  /** In (0, 1]. Default 1/3. */
  startFactor?: number;
  /** In [0, 1]. Default 1. */
  endFactor?: number;
  /** Integer ≥ 1. Default 5. */
  totalIters?: number;
};

/**
 * `oneCycleLR` (torch `OneCycleLR`), not chainable: `step()` and `lrAt()`
 * use the same (closed) formula.
 *
 * With `initial = maxLr / divFactor`, `min = initial / finalDivFactor` and
 * `T = totalSteps` (or `epochs · stepsPerEpoch`), the phases end at
 * `e1 = pctStart·T − 1` and `T − 1` (three-phase: `e1`, `2·pctStart·T − 2`,
 * `T − 1`). In the phase `(s, e]` holding `t` (the last phase also takes
 * everything after it), with `p = (t − s) / (e − s)`:
 * - two phases: initial → maxLr, then maxLr → min;
 * - three phases: initial → maxLr, maxLr → initial, initial → min;
 *
 * annealed by `cos`: `end + (start − end)/2 · (1 + cos(π·p))`, or `linear`:
 * `start + (end − start)·p`. So `lr(0) = initial`, `lr(e1) = maxLr` (when e1
 * is an integer), `lr(T − 1) = min`. Like torch, `t = T` is still allowed
 * (p > 1 in the last phase) and stepping beyond `T` throws.
 *
 * With `cycleMomentum` the momentum (or `betas[0]`, keeping `betas[1]`) is
 * annealed inversely: maxMomentum → baseMomentum → maxMomentum (three-phase:
 * maxMomentum → baseMomentum → maxMomentum → maxMomentum) and written
 * through `target.setOption` on every step.
 */
export type OneCycleLRSpec = {
  name: "oneCycleLR";
  /** Peak learning rate, > 0. Required. */
  maxLr: number;
  /** Total number of steps, integer ≥ 1; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr, in [0, 1]. Default 0.3. */
  pctStart?: number;
  /** Default "cos". */
  annealStrategy?: "cos" | "linear";
  /** initial lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Default false. */
  threePhase?: boolean;
  /** Default true; needs a target with `momentumOption`. */
  cycleMomentum?: boolean;
  /** In [0, 1). Default 0.85. */
  baseMomentum?: number;
  /** In [0, 1). Default 0.95. */
  maxMomentum?: number;
};

/**
 * `reduceLROnPlateau` (torch `ReduceLROnPlateau`): `step(metric)` counts
 * epochs without improvement of the metric; when that count exceeds
 * `patience`, `lr ← max(lr · factor, minLr)` (skipped when the change is not
 * larger than `eps`), then waits `cooldown` epochs before counting again.
 *
 * Improvement (`best` starts at +∞ for "min", −∞ for "max"): mode "min",
 * threshold "rel": `metric < best · (1 − threshold)`; "min"/"abs":
 * `metric < best − threshold`; "max"/"rel": `metric > best · (1 + threshold)`;
 * "max"/"abs": `metric > best + threshold`. A NaN metric is never an improvement.
 *
 * There is no initial step. `lrAt(t, metrics)` replays the first `t` metrics
 * from the lr the scheduler was created with.
 */
export type ReduceLROnPlateauSpec = {
  name: "reduceLROnPlateau";
  /** Default "min". */
  mode?: "min" | "max";
  /** In [0, 1). Default 0.1. */
  factor?: number;
  /** Integer ≥ 0. Default 10. */
  patience?: number;
  /** ≥ 0. Default 1e-4. */
  threshold?: number;
  /** Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Integer ≥ 0. Default 0. */
  cooldown?: number;
  /** ≥ 0. Default 0. */
  minLr?: number;
  /** ≥ 0. Default 1e-8. */
  eps?: number;
};

/**
 * `sequentialLR` (torch `SequentialLR`): runs `schedulers[0]` until
 * `milestones[0]`, then `schedulers[1]`, and so on.
 *
 * Construction follows torch: the children are created in order on the same
 * target (sharing torch's param-group `initial_lr`: the lr before the first
 * child, overwritten by any `oneCycleLR` child with its `maxLr / divFactor`),
 * then the lr is reset to that initial lr, the children's steps are undone
 * and only the first child's initial step is performed. At a milestone `m`
 * the next child is stepped "with epoch 0", i.e. set to its closed form at 0
 * (`oneCycleLR`: its formula at 0); between milestones the active child is
 * stepped normally (recursive form).
 *
 * Closed form: `lr(t) = schedulers[0].lrAt(t)` for `t < milestones[0]`, else
 * `schedulers[k].lrAt(t − milestones[k−1])` for the segment `k` holding `t`.
 * (When a later `oneCycleLR` child has changed the shared initial lr, the
 * first segment starts from that lr, exactly as in torch; `lrAt` follows it.)
 *
 * `reduceLROnPlateau` and nested `sequentialLR` are not allowed as children
 * (torch refuses the first and cannot step the second at a milestone).
 */
export type SequentialLRSpec = {
  name: "sequentialLR";
  /** At least one child spec. Required. */
  schedulers: SchedulerSpec[];
  /** Strictly increasing integers ≥ 1, one fewer than `schedulers`. Required. */
  milestones: number[];
};

/**
 * `constantLR` (torch `ConstantLR`), chainable: the lr times `factor` until
 * `totalIters`, then the lr again.
 *
 * `step()`: `lr ← lr · factor` at the initial step, `lr ← lr · (1/factor)`
 * at epoch `totalIters`, else unchanged. Closed form: `base · factor` for
 * `t < totalIters`, `base` from it; with `totalIters: 0` the initial step
 * multiplies and no later epoch divides, so the lr stays `base · factor`
 * (what torch's steps do; its closed form would say `base`).
 */
export type ConstantLRSpec = {
  name: "constantLR";
  /** In (0, 1] (0 would divide by zero at totalIters, as in torch). Default 1/3. */
  factor?: number;
  /** Integer ≥ 0. Default 5. */
  totalIters?: number;
};

/**
 * `polynomialLR` (torch `PolynomialLR`), chainable: decays to 0 over `totalIters`.
 *
 * Closed form: `lr(t) = base · (1 − min(t, totalIters)/totalIters)^power`.
 * `step()` uses torch's recursive form: for `1 ≤ t ≤ totalIters`,
 * `lr ← lr · ((1 − t/T) / (1 − (t − 1)/T))^power`, else unchanged.
 */
export type PolynomialLRSpec = {
  name: "polynomialLR";
  /** Integer ≥ 1. Default 5. */
  totalIters?: number;
  /** ≥ 0. Default 1. */
  power?: number;
};

/**
 * `cosineAnnealingWarmRestarts` (torch `CosineAnnealingWarmRestarts`, SGDR):
 * `lr = etaMin + (base − etaMin) · (1 + cos(π·Tcur/Ti)) / 2`, where each step
 * does `Tcur += 1` and, when `Tcur ≥ Ti`, `Tcur −= Ti, Ti ← Ti · tMult`
 * (from `Tcur = 0, Ti = tZero`). Reads the base lr, not the current one, so a
 * chainable scheduler before it in a `chainedScheduler` is overwritten.
 */
export type CosineAnnealingWarmRestartsSpec = {
  name: "cosineAnnealingWarmRestarts";
  /** Steps to the first restart, an integer ≥ 1. Required. */
  tZero: number;
  /** Integer ≥ 1. Default 1. */
  tMult?: number;
  /** ≥ 0. Default 0. */
  etaMin?: number;
};

/**
 * `cyclicLR` (torch `CyclicLR`, 2.x): at construction the lr is set to
 * `baseLr`. At step t, with `total = up + down`, `cycle = ⌊1 + t/total⌋`,
 * `x = 1 + t/total − cycle`, `scale = x/(up/total)` while rising, else
 * `(x − 1)/(up/total − 1)`, and `f` = 1 (triangular), `1/2^(a−1)`
 * (triangular2) or `gamma^a` (expRange), `a` = cycle or t by `scaleMode`:
 *   `lr = baseLr + ((maxLr − baseLr)·scale)·f`
 *   `momentum = maxMomentum − ((maxMomentum − baseMomentum)·scale)·f`
 * (with `cycleMomentum`, written to `momentum` or `betas[0]`, as torch 2.x).
 * torch's quirk is kept: the construction step reads the shared initial lr,
 * so a cyclicLR constructed after another scheduler (in a chain) starts at
 * that lr at step 0, and at baseLr from step 1.
 */
export type CyclicLRSpec = {
  name: "cyclicLR";
  /** ≥ 0. Required. */
  baseLr: number;
  /** ≥ 0. Required. */
  maxLr: number;
  /** Integer ≥ 1. Default 2000. */
  stepSizeUp?: number;
  /** Integer ≥ 0, or null for stepSizeUp. Default null. */
  stepSizeDown?: number | null;
  /** Default "triangular". */
  mode?: "triangular" | "triangular2" | "expRange";
  /** In (0, 1]. Default 1. */
  gamma?: number;
  /** Default null: "cycle" for triangular and triangular2, "iterations" for expRange. */
  scaleMode?: "cycle" | "iterations" | null;
  /** Default true; needs a target with `momentumOption`. */
  cycleMomentum?: boolean;
  /** In [0, 1). Default 0.8. */
  baseMomentum?: number;
  /** In [0, 1). Default 0.9. */
  maxMomentum?: number;
};

/**
 * `chainedScheduler` (torch `ChainedScheduler`): the children are created in
 * order on the same target (each taking its initial step, sharing torch's
 * param-group entries) and every `step()` steps each of them in order; the lr
 * is what the last one leaves. Chainable children compose multiplicatively;
 * a closed-form one (`cosineAnnealingWarmRestarts`, `cyclicLR`, `oneCycleLR`)
 * overwrites what those before it set. `lrAt(t)` replays the steps (it keeps
 * its place, so increasing `t` costs one step each).
 */
export type ChainedSchedulerSpec = {
  name: "chainedScheduler";
  /** At least one child spec; not reduceLROnPlateau. Required. */
  schedulers: SchedulerSpec[];
};

export interface LRScheduler {
  readonly name: SchedulerName;
  /** Advance one epoch/step, as torch's scheduler.step(); reduceLROnPlateau requires the metric. Writes target.lr. */
  step(metric?: number): void;
  /** torch get_last_lr()[0] */
  readonly lastLr: number;
  /** number of step() calls so far (torch last_epoch) */
  readonly lastEpoch: number;
  /** Closed-form lr after t step() calls (torch _get_closed_form_lr where it exists), for plotting. reduceLROnPlateau takes the metric history: lrAt(t, metrics) replays it. */
  lrAt(t: number, metrics?: readonly number[]): number;
  /** JSON-serialisable, round-trips exactly. */
  stateDict(): Record<string, unknown>;
  /**
   * Restores a state from {@link stateDict} of a scheduler created from the
   * same spec (else a field error; on error nothing changes). Unlike torch it
   * also writes the saved last lr to `target.lr` (and, when a momentum-cycling
   * `oneCycleLR` is active, the momentum at the saved step), so continuing
   * works even when the optimizer's own state is not restored.
   */
  loadStateDict(s: Record<string, unknown>): void;
}
