/**
 * Learning-rate schedulers with PyTorch 2.x semantics (`torch.optim.lr_scheduler`),
 * options in camelCase.
 *
 * Like torch, `step()` of the chainable schedulers computes the next learning
 * rate from the optimizer's *current* lr (torch's recursive `get_lr`), so a
 * change made to `target.lr` from outside composes with the schedule. Each
 * scheduler also has a closed form {@link LRScheduler.lrAt} (torch's
 * `_get_closed_form_lr` where it exists), which agrees with the values
 * produced by `step()` up to rounding (about 1e-15 relative per step) when
 * nothing else touches the lr.
 *
 * Create one with {@link createScheduler}: it validates the spec, attaches to
 * the target and performs torch's initial step (which may already change
 * `target.lr`, e.g. `linearLR` sets `lr · startFactor`).
 *
 * @packageDocumentation
 */
import { check, checkKnownKeys, rangeError, show, typeError, under } from "./errors.js";

/**
 * What a scheduler drives: an optimizer's learning rate and, for
 * `oneCycleLR` with `cycleMomentum`, its momentum (or `betas[0]`).
 */
export interface SchedulerTarget {
  /** Current learning rate, read/write. */
  lr: number;
  /**
   * Which hyperparameter OneCycleLR's cycleMomentum cycles: "momentum" (sgd,
   * rmsprop), "betas" (Adam family: cycles betas[0], keeps betas[1]), or
   * undefined when the optimizer has neither.
   */
  readonly momentumOption: "momentum" | "betas" | undefined;
  /** E.g. `getOption("betas")` → `[0.9, 0.999]`. */
  getOption(name: string): unknown;
  /** Validated by the optimizer. */
  setOption(name: string, value: unknown): void;
}

export type SchedulerName =
  | "stepLR"
  | "multiStepLR"
  | "exponentialLR"
  | "cosineAnnealingLR"
  | "linearLR"
  | "oneCycleLR"
  | "reduceLROnPlateau"
  | "sequentialLR";

export const schedulerNames: readonly SchedulerName[] = Object.freeze([
  "stepLR",
  "multiStepLR",
  "exponentialLR",
  "cosineAnnealingLR",
  "linearLR",
  "oneCycleLR",
  "reduceLROnPlateau",
  "sequentialLR",
] as const);

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

/** Default option values of each scheduler (required options are absent). */
export const schedulerDefaults: Readonly<Record<SchedulerName, Readonly<Record<string, unknown>>>> = Object.freeze({
  stepLR: Object.freeze({ gamma: 0.1 }),
  multiStepLR: Object.freeze({ gamma: 0.1 }),
  exponentialLR: Object.freeze({}),
  cosineAnnealingLR: Object.freeze({ etaMin: 0 }),
  linearLR: Object.freeze({ startFactor: 1 / 3, endFactor: 1, totalIters: 5 }),
  oneCycleLR: Object.freeze({
    pctStart: 0.3,
    annealStrategy: "cos",
    divFactor: 25,
    finalDivFactor: 1e4,
    threePhase: false,
    cycleMomentum: true,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  }),
  reduceLROnPlateau: Object.freeze({
    mode: "min",
    factor: 0.1,
    patience: 10,
    threshold: 1e-4,
    thresholdMode: "rel",
    cooldown: 0,
    minLr: 0,
    eps: 1e-8,
  }),
  sequentialLR: Object.freeze({}),
});

/**
 * Every option each scheduler accepts, required ones included, in the order
 * of its `*Spec` type (editors such as the browser lab build their forms from it).
 */
export const schedulerOptionNames: Readonly<Record<SchedulerName, readonly string[]>> = Object.freeze({
  stepLR: ["stepSize", "gamma"],
  multiStepLR: ["milestones", "gamma"],
  exponentialLR: ["gamma"],
  cosineAnnealingLR: ["tMax", "etaMin"],
  linearLR: ["startFactor", "endFactor", "totalIters"],
  oneCycleLR: [
    "maxLr",
    "totalSteps",
    "epochs",
    "stepsPerEpoch",
    "pctStart",
    "annealStrategy",
    "divFactor",
    "finalDivFactor",
    "threePhase",
    "cycleMomentum",
    "baseMomentum",
    "maxMomentum",
  ],
  reduceLROnPlateau: ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"],
  sequentialLR: ["schedulers", "milestones"],
});

// ---------------------------------------------------------------------------
// Normalised options

interface StepOpts { name: "stepLR"; stepSize: number; gamma: number }
interface MultiStepOpts { name: "multiStepLR"; milestones: number[]; gamma: number }
interface ExpOpts { name: "exponentialLR"; gamma: number }
interface CosOpts { name: "cosineAnnealingLR"; tMax: number; etaMin: number }
interface LinearOpts { name: "linearLR"; startFactor: number; endFactor: number; totalIters: number }
interface OneCycleOpts {
  name: "oneCycleLR";
  maxLr: number;
  totalSteps: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart: number;
  annealStrategy: "cos" | "linear";
  divFactor: number;
  finalDivFactor: number;
  threePhase: boolean;
  cycleMomentum: boolean;
  baseMomentum: number;
  maxMomentum: number;
}
interface PlateauOpts {
  name: "reduceLROnPlateau";
  mode: "min" | "max";
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: "rel" | "abs";
  cooldown: number;
  minLr: number;
  eps: number;
}
type LeafOpts = StepOpts | MultiStepOpts | ExpOpts | CosOpts | LinearOpts | OneCycleOpts;
interface SequentialOpts { name: "sequentialLR"; schedulers: LeafOpts[]; milestones: number[] }
type Opts = LeafOpts | PlateauOpts | SequentialOpts;

interface NumRule {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

const POSITIVE: NumRule = { min: 0, minExclusive: true, maxExclusive: true };
const NON_NEGATIVE: NumRule = { min: 0, maxExclusive: true };
const COUNT: NumRule = { min: 0, integer: true, maxExclusive: true };
const POSITIVE_INT: NumRule = { min: 1, integer: true, maxExclusive: true };
const MOMENTUM: NumRule = { min: 0, max: 1, maxExclusive: true };

/** Same wording as `check.number`. */
function describe(r: NumRule): string {
  return `${r.integer ? "an integer" : "a number"} in ${r.minExclusive ? "(" : "["}${r.min ?? -Infinity}, ${r.max ?? Infinity}${r.maxExclusive ? ")" : "]"}`;
}

function num(spec: Record<string, unknown>, key: string, rule: NumRule, owner: SchedulerName): number {
  const v = spec[key] === undefined ? schedulerDefaults[owner][key] : spec[key];
  if (v === undefined) throw typeError(key, `is required by ${owner}; must be ${describe(rule)}`);
  return check.number(key, v, rule);
}

function bool(spec: Record<string, unknown>, key: string, owner: SchedulerName): boolean {
  return check.boolean(key, spec[key] === undefined ? schedulerDefaults[owner][key] : spec[key]);
}

function choice<T extends string>(spec: Record<string, unknown>, key: string, allowed: readonly T[], owner: SchedulerName): T {
  return check.oneOf(key, spec[key] === undefined ? schedulerDefaults[owner][key] : spec[key], allowed);
}

function intList(key: string, v: unknown, rule: NumRule, owner: SchedulerName): number[] {
  if (v === undefined) throw typeError(key, `is required by ${owner}; must be an array of integers in ${describe(rule).replace(/^an integer in /, "")}`);
  return check.array(key, v).map((x, i) => check.number(`${key}[${i}]`, x, rule));
}

function checkName(v: unknown): SchedulerName {
  if (typeof v !== "string" || !(schedulerNames as readonly string[]).includes(v)) {
    throw typeError("name", `unknown scheduler ${show(v)}; allowed: ${schedulerNames.join(", ")}`);
  }
  return v as SchedulerName;
}

function normalize(spec: unknown): Opts {
  const s = check.object("", spec);
  const name = checkName(s.name);
  checkKnownKeys(s, ["name", ...schedulerOptionNames[name]], name);
  switch (name) {
    case "stepLR":
      return { name, stepSize: num(s, "stepSize", POSITIVE_INT, name), gamma: num(s, "gamma", POSITIVE, name) };
    case "multiStepLR":
      return { name, milestones: intList("milestones", s.milestones, COUNT, name), gamma: num(s, "gamma", POSITIVE, name) };
    case "exponentialLR":
      return { name, gamma: num(s, "gamma", POSITIVE, name) };
    case "cosineAnnealingLR":
      return { name, tMax: num(s, "tMax", POSITIVE_INT, name), etaMin: num(s, "etaMin", NON_NEGATIVE, name) };
    case "linearLR":
      return {
        name,
        startFactor: num(s, "startFactor", { min: 0, max: 1, minExclusive: true }, name),
        endFactor: num(s, "endFactor", { min: 0, max: 1 }, name),
        totalIters: num(s, "totalIters", POSITIVE_INT, name),
      };
    case "oneCycleLR":
      return normalizeOneCycle(s);
    case "reduceLROnPlateau":
      return {
        name,
        mode: choice(s, "mode", ["min", "max"] as const, name),
        factor: num(s, "factor", { min: 0, max: 1, maxExclusive: true }, name),
        patience: num(s, "patience", COUNT, name),
        threshold: num(s, "threshold", NON_NEGATIVE, name),
        thresholdMode: choice(s, "thresholdMode", ["rel", "abs"] as const, name),
        cooldown: num(s, "cooldown", COUNT, name),
        minLr: num(s, "minLr", NON_NEGATIVE, name),
        eps: num(s, "eps", NON_NEGATIVE, name),
      };
    case "sequentialLR":
      return normalizeSequential(s);
  }
}

function normalizeOneCycle(s: Record<string, unknown>): OneCycleOpts {
  const name = "oneCycleLR";
  const maxLr = num(s, "maxLr", POSITIVE, name);
  const epochs = s.epochs === undefined ? undefined : check.number("epochs", s.epochs, POSITIVE_INT);
  const stepsPerEpoch = s.stepsPerEpoch === undefined ? undefined : check.number("stepsPerEpoch", s.stepsPerEpoch, POSITIVE_INT);
  let totalSteps: number;
  if (s.totalSteps !== undefined) {
    totalSteps = check.number("totalSteps", s.totalSteps, POSITIVE_INT);
  } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
    totalSteps = epochs * stepsPerEpoch;
  } else {
    const field = epochs !== undefined ? "stepsPerEpoch" : stepsPerEpoch !== undefined ? "epochs" : "totalSteps";
    throw typeError(
      field,
      `is required by oneCycleLR: give totalSteps (${describe(POSITIVE_INT)}) or both epochs and stepsPerEpoch`,
    );
  }
  const o: OneCycleOpts = {
    name,
    maxLr,
    totalSteps,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}),
    pctStart: num(s, "pctStart", { min: 0, max: 1 }, name),
    annealStrategy: choice(s, "annealStrategy", ["cos", "linear"] as const, name),
    divFactor: num(s, "divFactor", POSITIVE, name),
    finalDivFactor: num(s, "finalDivFactor", POSITIVE, name),
    threePhase: bool(s, "threePhase", name),
    cycleMomentum: bool(s, "cycleMomentum", name),
    baseMomentum: num(s, "baseMomentum", MOMENTUM, name),
    maxMomentum: num(s, "maxMomentum", MOMENTUM, name),
  };
  // torch divides by zero at its initial step (ZeroDivisionError) when the warm-up phase is empty.
  if (o.pctStart * o.totalSteps - 1 === 0) {
    throw rangeError(
      "pctStart",
      `pctStart · totalSteps = 1 gives a warm-up phase of length 0 (torch fails with ZeroDivisionError); got pctStart ${o.pctStart}, totalSteps ${o.totalSteps}`,
    );
  }
  return o;
}

function normalizeSequential(s: Record<string, unknown>): SequentialOpts {
  const name = "sequentialLR";
  if (s.schedulers === undefined) throw typeError("schedulers", "is required by sequentialLR; must be an array of at least one scheduler spec");
  const list = check.array("schedulers", s.schedulers);
  if (list.length === 0) throw rangeError("schedulers", "must hold at least one scheduler spec; got []");
  const schedulers = list.map((c, i) =>
    under(`schedulers[${i}]`, () => {
      const child = check.object("", c);
      if (child.name === "reduceLROnPlateau") {
        throw rangeError("name", "reduceLROnPlateau cannot be a child of sequentialLR: its step() needs the metric (torch refuses it too)");
      }
      if (child.name === "sequentialLR") {
        throw rangeError("name", "sequentialLR cannot be nested in sequentialLR (torch cannot step it at a milestone)");
      }
      return normalize(child) as LeafOpts;
    }),
  );
  const milestones = intList("milestones", s.milestones, POSITIVE_INT, name);
  if (milestones.length !== schedulers.length - 1) {
    throw rangeError(
      "milestones",
      `must hold one fewer entry than schedulers (${schedulers.length - 1}); got ${milestones.length}`,
    );
  }
  for (let i = 1; i < milestones.length; i++) {
    if (!(milestones[i] > milestones[i - 1])) {
      throw rangeError(`milestones[${i}]`, `must be greater than milestones[${i - 1}] = ${milestones[i - 1]} (strictly increasing); got ${milestones[i]}`);
    }
  }
  return { name, schedulers, milestones };
}

/**
 * Validates a spec without a target and returns it with every default filled
 * in (`oneCycleLR` also gets the resolved `totalSteps`). Throws the same
 * field errors as {@link createScheduler}.
 */
export function normalizeSchedulerSpec(spec: SchedulerSpec): SchedulerSpec {
  return structuredClone(normalize(spec)) as unknown as SchedulerSpec;
}

/**
 * How many `step()` calls a scheduler made from `spec` accepts: `Infinity`,
 * except where a `oneCycleLR` (alone or as a `sequentialLR` child) would run
 * past its `totalSteps` — torch raises there, so a run of more steps is
 * refused before it starts rather than failing midway.
 */
export function schedulerStepLimit(spec: SchedulerSpec): number {
  const n = normalize(spec);
  if (n.name === "oneCycleLR") return n.totalSteps;
  if (n.name !== "sequentialLR") return Infinity;
  let limit = Infinity;
  n.schedulers.forEach((child, k) => {
    if (child.name !== "oneCycleLR") return;
    const start = k === 0 ? 0 : n.milestones[k - 1];
    const end = k < n.milestones.length ? n.milestones[k] : Infinity;
    // Call t puts the child at its epoch t − start, except at `end`, where the
    // next child takes over without stepping this one.
    if (start + child.totalSteps + 1 < end) limit = Math.min(limit, start + child.totalSteps);
  });
  return limit;
}

// ---------------------------------------------------------------------------
// Helpers

/** Encodes a number so that JSON keeps it exactly. */
function enc(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function dec(field: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw typeError(field, `must be a number or one of "NaN", "Infinity", "-Infinity"; got ${show(v)}`);
}

/** Python's `%` (result has the sign of the divisor). */
function pymod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Python's `bisect.bisect_right` on a sorted array. */
function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function checkT(t: unknown): number {
  return check.number("t", t, COUNT);
}

function writeMomentum(target: SchedulerTarget, m: number): void {
  if (target.momentumOption === "betas") {
    const betas = target.getOption("betas") as unknown[];
    target.setOption("betas", [m, ...betas.slice(1)]);
  } else {
    target.setOption("momentum", m);
  }
}

/**
 * torch's param-group entries that schedulers share: `initial_lr` (set by the
 * first scheduler, overwritten by OneCycleLR) and OneCycleLR's `max_lr`,
 * `min_lr`, `max_momentum`, `base_momentum`.
 */
interface Group {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

const GROUP_KEYS = ["initialLr", "maxLr", "minLr", "maxMomentum", "baseMomentum"] as const;

/** Common state checks of loadStateDict; returns the decoded common fields. */
function readCommon(s: unknown, name: SchedulerName, options: Opts, minEpoch: number): { st: Record<string, unknown>; lastEpoch: number; lastLr: number } {
  const st = check.object("", s);
  if (st.name !== name) throw typeError("name", `is the state of ${show(st.name)}, not of ${name}`);
  if (!sameJson(st.options, options)) {
    throw rangeError("options", `were ${show(st.options)} when saved, but this scheduler has ${show(options)}; create the scheduler from the saved spec`);
  }
  const lastEpoch = check.number("lastEpoch", st.lastEpoch, { min: minEpoch, integer: true, maxExclusive: true });
  const lastLr = dec("lastLr", st.lastLr);
  return { st, lastEpoch, lastLr };
}

// ---------------------------------------------------------------------------
// Schedulers

abstract class Base implements LRScheduler {
  abstract readonly name: SchedulerName;
  protected _lastEpoch = -1;
  protected _lastLr: number;

  constructor(
    protected readonly target: SchedulerTarget,
    protected readonly options: Opts,
  ) {
    this._lastLr = target.lr;
  }

  get lastEpoch(): number {
    return this._lastEpoch;
  }

  get lastLr(): number {
    return this._lastLr;
  }

  abstract step(metric?: number): void;
  abstract lrAt(t: number, metrics?: readonly number[]): number;
  abstract stateDict(): Record<string, unknown>;
  /** Validates `s` and returns a function applying it (so that a bad state changes nothing). */
  abstract prepareLoad(s: unknown): () => void;
  /** Writes the restored lr (and momentum) to the target. */
  protected abstract restoreTarget(): void;

  loadStateDict(s: Record<string, unknown>): void {
    const apply = this.prepareLoad(s);
    apply();
    this.restoreTarget();
  }
}

/** A torch `LRScheduler` subclass: initial step, chainable get_lr, closed form. */
abstract class Leaf extends Base {
  /** torch base_lrs[0]: the shared initial lr when this scheduler was created. */
  base: number;
  /** The lr its initial step started from (differs from `base` only as first child of a sequentialLR after a oneCycleLR child changed the initial lr). */
  anchor: number;

  constructor(
    target: SchedulerTarget,
    options: LeafOpts,
    protected readonly group: Group,
  ) {
    super(target, options);
    if (group.initialLr === undefined) group.initialLr = target.lr; // torch: group.setdefault("initial_lr", lr)
    this.base = group.initialLr;
    this.anchor = this.base;
  }

  /** torch get_lr() when stepping to `epoch`, from the current lr `lr`. */
  protected abstract chained(epoch: number, initial: boolean, lr: number): number;
  /** torch _get_closed_form_lr() at `epoch` from base `b` (OneCycleLR: its get_lr). */
  abstract closedForm(epoch: number, b?: number): number;

  /** The curve followed by step() from the initial step on (closed form with the anchor). */
  curve(t: number): number {
    return this.closedForm(t, this.anchor);
  }

  /** torch _initial_step(). */
  initialStep(): void {
    this.anchor = this.target.lr;
    const e = this._lastEpoch + 1;
    this.commit(e, this.chained(e, true, this.target.lr));
  }

  step(): void {
    const e = this._lastEpoch + 1;
    this.commit(e, this.chained(e, false, this.target.lr));
  }

  /** SequentialLR's "undo" of the initial step done at construction (last_epoch -= 1). */
  undoStep(): void {
    this._lastEpoch -= 1;
  }

  /** torch _update_lr(epoch): sets the closed form at `epoch` (used by SequentialLR at milestones with 0). */
  stepTo(epoch: number): void {
    this.commit(epoch, this.closedForm(epoch));
  }

  protected commit(epoch: number, lr: number): void {
    this.target.lr = lr;
    this._lastEpoch = epoch;
    this._lastLr = this.target.lr;
  }

  lrAt(t: number): number {
    return this.curve(checkT(t));
  }

  stateDict(): Record<string, unknown> {
    return {
      name: this.name,
      options: structuredClone(this.options),
      lastEpoch: this._lastEpoch,
      lastLr: enc(this._lastLr),
      base: enc(this.base),
      anchor: enc(this.anchor),
    };
  }

  prepareLoad(s: unknown): () => void {
    const { st, lastEpoch, lastLr } = readCommon(s, this.name, this.options, -1);
    const base = dec("base", st.base);
    const anchor = dec("anchor", st.anchor);
    return () => {
      this._lastEpoch = lastEpoch;
      this._lastLr = lastLr;
      this.base = base;
      this.anchor = anchor;
    };
  }

  protected restoreTarget(): void {
    this.target.lr = this._lastLr;
  }

  /** Writes the momentum belonging to the current epoch, if this scheduler cycles it. */
  restoreMomentum(): void {}
}

class StepLR extends Leaf {
  readonly name = "stepLR";
  declare protected readonly options: StepOpts;

  protected chained(t: number, _initial: boolean, lr: number): number {
    const { stepSize, gamma } = this.options;
    return t === 0 || t % stepSize !== 0 ? lr : lr * gamma;
  }

  closedForm(t: number, b = this.base): number {
    return b * this.options.gamma ** Math.floor(t / this.options.stepSize);
  }
}

class MultiStepLR extends Leaf {
  readonly name = "multiStepLR";
  declare protected readonly options: MultiStepOpts;
  private readonly sorted: number[];
  private readonly counts = new Map<number, number>();

  constructor(target: SchedulerTarget, options: MultiStepOpts, group: Group) {
    super(target, options, group);
    this.sorted = [...options.milestones].sort((a, b) => a - b);
    for (const m of options.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
  }

  protected chained(t: number, _initial: boolean, lr: number): number {
    const k = this.counts.get(t);
    return k === undefined ? lr : lr * this.options.gamma ** k;
  }

  closedForm(t: number, b = this.base): number {
    return b * this.options.gamma ** bisectRight(this.sorted, t);
  }
}

class ExponentialLR extends Leaf {
  readonly name = "exponentialLR";
  declare protected readonly options: ExpOpts;

  protected chained(_t: number, initial: boolean, lr: number): number {
    return initial ? lr : lr * this.options.gamma;
  }

  closedForm(t: number, b = this.base): number {
    return b * this.options.gamma ** t;
  }
}

class CosineAnnealingLR extends Leaf {
  readonly name = "cosineAnnealingLR";
  declare protected readonly options: CosOpts;

  protected chained(t: number, initial: boolean, lr: number): number {
    const { tMax: T, etaMin: eta } = this.options;
    if (initial) return lr;
    // (torch's `_step_count == 1 and last_epoch > 0` branch only serves resuming with last_epoch ≥ 0.)
    if (pymod(t - 1 - T, 2 * T) === 0) {
      return lr + ((this.base - eta) * (1 - Math.cos(Math.PI / T))) / 2;
    }
    return ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - eta) + eta;
  }

  closedForm(t: number, b = this.base): number {
    const { tMax: T, etaMin: eta } = this.options;
    return eta + ((b - eta) * (1 + Math.cos((Math.PI * t) / T))) / 2;
  }

  /** The recursion falls back onto the base curve at the first restart step `tMax + 1`. */
  override curve(t: number): number {
    return this.closedForm(t, t <= this.options.tMax ? this.anchor : this.base);
  }
}

class LinearLR extends Leaf {
  readonly name = "linearLR";
  declare protected readonly options: LinearOpts;

  protected chained(t: number, initial: boolean, lr: number): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this.options;
    if (t === 0) return lr * s;
    if (initial || t > n) return lr;
    return lr * (1.0 + (e - s) / (n * s + (t - 1) * (e - s)));
  }

  closedForm(t: number, b = this.base): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this.options;
    return b * (s + ((e - s) * Math.min(n, t)) / n);
  }
}

type GroupKey = (typeof GROUP_KEYS)[number];
interface Phase { end: number; startLr: GroupKey; endLr: GroupKey; startM: GroupKey; endM: GroupKey }

class OneCycleLR extends Leaf {
  readonly name = "oneCycleLR";
  declare protected readonly options: OneCycleOpts;
  private readonly phases: Phase[];

  constructor(target: SchedulerTarget, o: OneCycleOpts, group: Group) {
    // torch sets the group entries before LRScheduler.__init__ (so initial_lr is overwritten, not defaulted).
    group.initialLr = o.maxLr / o.divFactor;
    group.maxLr = o.maxLr;
    group.minLr = group.initialLr / o.finalDivFactor;
    if (o.cycleMomentum) {
      writeMomentum(target, o.maxMomentum);
      group.maxMomentum = o.maxMomentum;
      group.baseMomentum = o.baseMomentum;
    }
    super(target, o, group);
    const T = o.totalSteps;
    this.phases = o.threePhase
      ? [
          { end: o.pctStart * T - 1, startLr: "initialLr", endLr: "maxLr", startM: "maxMomentum", endM: "baseMomentum" },
          { end: 2 * o.pctStart * T - 2, startLr: "maxLr", endLr: "initialLr", startM: "baseMomentum", endM: "maxMomentum" },
          { end: T - 1, startLr: "initialLr", endLr: "minLr", startM: "maxMomentum", endM: "maxMomentum" },
        ]
      : [
          { end: o.pctStart * T - 1, startLr: "initialLr", endLr: "maxLr", startM: "maxMomentum", endM: "baseMomentum" },
          { end: T - 1, startLr: "maxLr", endLr: "minLr", startM: "baseMomentum", endM: "maxMomentum" },
        ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.options.annealStrategy === "cos") {
      const cosOut = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    return (end - start) * pct + start;
  }

  /** torch OneCycleLR.get_lr at `t`: lr and momentum (NaN without cycleMomentum). */
  evaluate(t: number): { lr: number; momentum: number } {
    const T = this.options.totalSteps;
    if (t > T) throw rangeError("totalSteps", `tried to step ${t} times, but the schedule has ${T} total steps (torch raises here too)`);
    const g = this.group;
    let start = 0.0;
    for (let i = 0; i < this.phases.length; i++) {
      const ph = this.phases[i];
      if (t <= ph.end || i === this.phases.length - 1) {
        const den = ph.end - start;
        if (den === 0) {
          throw rangeError("pctStart", `phase ${i + 1} of the cycle has length 0 at step ${t} (torch fails with ZeroDivisionError); got pctStart ${this.options.pctStart}, totalSteps ${T}`);
        }
        const pct = (t - start) / den;
        return {
          lr: this.anneal(g[ph.startLr]!, g[ph.endLr]!, pct),
          momentum: this.options.cycleMomentum ? this.anneal(g[ph.startM]!, g[ph.endM]!, pct) : NaN,
        };
      }
      start = ph.end;
    }
    throw new Error("unreachable");
  }

  protected chained(t: number): number {
    return this.evaluate(t).lr;
  }

  closedForm(t: number): number {
    return this.evaluate(t).lr;
  }

  override curve(t: number): number {
    return this.evaluate(t).lr;
  }

  protected override commit(epoch: number, lr: number): void {
    if (this.options.cycleMomentum) writeMomentum(this.target, this.evaluate(epoch).momentum);
    super.commit(epoch, lr);
  }

  override stateDict(): Record<string, unknown> {
    const group: Record<string, number | string> = {};
    for (const k of GROUP_KEYS) if (this.group[k] !== undefined) group[k] = enc(this.group[k]!);
    return { ...super.stateDict(), group };
  }

  override prepareLoad(s: unknown): () => void {
    const applyBase = super.prepareLoad(s);
    const st = s as Record<string, unknown>;
    const gIn = check.object("group", st.group);
    const need: GroupKey[] = this.options.cycleMomentum ? [...GROUP_KEYS] : ["initialLr", "maxLr", "minLr"];
    const g: Group = {};
    for (const k of GROUP_KEYS) {
      if (gIn[k] === undefined) {
        if (need.includes(k)) throw rangeError(`group.${k}`, "is missing");
        continue;
      }
      g[k] = dec(`group.${k}`, gIn[k]);
    }
    const lastEpoch = st.lastEpoch as number;
    if (lastEpoch > this.options.totalSteps) {
      throw rangeError("lastEpoch", `must be at most totalSteps (${this.options.totalSteps}); got ${lastEpoch}`);
    }
    return () => {
      applyBase();
      for (const k of GROUP_KEYS) {
        if (g[k] === undefined) delete this.group[k];
        else this.group[k] = g[k];
      }
    };
  }

  override restoreMomentum(): void {
    if (this.options.cycleMomentum && this._lastEpoch >= 0) writeMomentum(this.target, this.evaluate(this._lastEpoch).momentum);
  }

  protected override restoreTarget(): void {
    super.restoreTarget();
    this.restoreMomentum();
  }
}

interface PlateauState { best: number; numBadEpochs: number; cooldownCounter: number }

class ReduceLROnPlateau extends Base {
  readonly name = "reduceLROnPlateau";
  declare protected readonly options: PlateauOpts;
  private st: PlateauState;
  /** The lr when created (start of the lrAt replay). */
  private initialLr: number;

  constructor(target: SchedulerTarget, options: PlateauOpts) {
    super(target, options);
    this._lastEpoch = 0;
    this.initialLr = target.lr;
    this.st = this.fresh();
  }

  private fresh(): PlateauState {
    return { best: this.options.mode === "min" ? Infinity : -Infinity, numBadEpochs: 0, cooldownCounter: 0 };
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold: th } = this.options;
    if (mode === "min" && tm === "rel") return a < best * (1.0 - th);
    if (mode === "min") return a < best - th;
    if (tm === "rel") return a > best * (th + 1.0);
    return a > best + th;
  }

  /** One torch ReduceLROnPlateau.step(metric): new state and lr. */
  private transition(prev: PlateauState, metric: number, lr: number): { st: PlateauState; lr: number } {
    const st = { ...prev };
    if (this.isBetter(metric, st.best)) {
      st.best = metric;
      st.numBadEpochs = 0;
    } else {
      st.numBadEpochs += 1;
    }
    if (st.cooldownCounter > 0) {
      st.cooldownCounter -= 1;
      st.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }
    if (st.numBadEpochs > this.options.patience) {
      const newLr = Math.max(lr * this.options.factor, this.options.minLr);
      if (lr - newLr > this.options.eps) lr = newLr;
      st.cooldownCounter = this.options.cooldown;
      st.numBadEpochs = 0;
    }
    return { st, lr };
  }

  step(metric?: number): void {
    if (typeof metric !== "number") throw typeError("metric", `reduceLROnPlateau.step needs the metric (a number); got ${show(metric)}`);
    const old = this.target.lr;
    const { st, lr } = this.transition(this.st, metric, old);
    if (lr !== old) this.target.lr = lr;
    this.st = st;
    this._lastEpoch += 1;
    this._lastLr = this.target.lr;
  }

  lrAt(t: number, metrics?: readonly number[]): number {
    checkT(t);
    const ms = metrics === undefined ? [] : check.array("metrics", metrics);
    if (ms.length < t) throw rangeError("metrics", `must hold at least t = ${t} metrics to replay; got ${ms.length}`);
    let st = this.fresh();
    let lr = this.initialLr;
    for (let i = 0; i < t; i++) {
      const m = ms[i];
      if (typeof m !== "number") throw typeError(`metrics[${i}]`, `must be a number; got ${show(m)}`);
      ({ st, lr } = this.transition(st, m, lr));
    }
    return lr;
  }

  stateDict(): Record<string, unknown> {
    return {
      name: this.name,
      options: structuredClone(this.options),
      lastEpoch: this._lastEpoch,
      lastLr: enc(this._lastLr),
      initialLr: enc(this.initialLr),
      best: enc(this.st.best),
      numBadEpochs: this.st.numBadEpochs,
      cooldownCounter: this.st.cooldownCounter,
    };
  }

  prepareLoad(s: unknown): () => void {
    const { st, lastEpoch, lastLr } = readCommon(s, this.name, this.options, 0);
    const initialLr = dec("initialLr", st.initialLr);
    const next: PlateauState = {
      best: dec("best", st.best),
      numBadEpochs: check.number("numBadEpochs", st.numBadEpochs, COUNT),
      cooldownCounter: check.number("cooldownCounter", st.cooldownCounter, COUNT),
    };
    return () => {
      this._lastEpoch = lastEpoch;
      this._lastLr = lastLr;
      this.initialLr = initialLr;
      this.st = next;
    };
  }

  protected restoreTarget(): void {
    this.target.lr = this._lastLr;
  }
}

class SequentialLR extends Base {
  readonly name = "sequentialLR";
  declare protected readonly options: SequentialOpts;
  private readonly children: Leaf[];

  constructor(target: SchedulerTarget, options: SequentialOpts) {
    super(target, options);
    const group: Group = {};
    // torch: the children are constructed first, each performing its own initial step.
    this.children = options.schedulers.map((o, i) => under(`schedulers[${i}]`, () => makeLeaf(target, o, group)));
    // SequentialLR.__init__: reset the lr to initial_lr, undo the children's steps,
    // and perform only the first child's initial step.
    this._lastEpoch = 0;
    target.lr = group.initialLr!;
    for (const c of this.children) c.undoStep();
    for (const c of this.children.slice(1)) c.anchor = c.base;
    under("schedulers[0]", () => this.children[0].initialStep());
    this._lastLr = this.children[0].lastLr;
  }

  private segment(t: number): number {
    return bisectRight(this.options.milestones, t);
  }

  step(): void {
    const e = this._lastEpoch + 1;
    const idx = this.segment(e);
    const s = this.children[idx];
    under(`schedulers[${idx}]`, () => {
      if (idx > 0 && this.options.milestones[idx - 1] === e) s.stepTo(0);
      else s.step();
    });
    this._lastEpoch = e;
    this._lastLr = s.lastLr;
  }

  lrAt(t: number): number {
    checkT(t);
    const idx = this.segment(t);
    const local = idx === 0 ? t : t - this.options.milestones[idx - 1];
    return under(`schedulers[${idx}]`, () => this.children[idx].curve(local));
  }

  stateDict(): Record<string, unknown> {
    return {
      name: this.name,
      options: structuredClone(this.options),
      lastEpoch: this._lastEpoch,
      lastLr: enc(this._lastLr),
      schedulers: this.children.map((c) => c.stateDict()),
    };
  }

  prepareLoad(s: unknown): () => void {
    const { st, lastEpoch, lastLr } = readCommon(s, this.name, this.options, 0);
    const list = check.array("schedulers", st.schedulers);
    if (list.length !== this.children.length) {
      throw rangeError("schedulers", `holds ${list.length} states; this scheduler has ${this.children.length} children`);
    }
    const appliers = list.map((cs, i) => under(`schedulers[${i}]`, () => this.children[i].prepareLoad(cs)));
    return () => {
      for (const a of appliers) a();
      this._lastEpoch = lastEpoch;
      this._lastLr = lastLr;
    };
  }

  protected restoreTarget(): void {
    this.target.lr = this._lastLr;
    this.children[this.segment(this._lastEpoch)].restoreMomentum();
  }
}

function makeLeaf(target: SchedulerTarget, o: LeafOpts, group: Group): Leaf {
  let s: Leaf;
  switch (o.name) {
    case "stepLR":
      s = new StepLR(target, o, group);
      break;
    case "multiStepLR":
      s = new MultiStepLR(target, o, group);
      break;
    case "exponentialLR":
      s = new ExponentialLR(target, o, group);
      break;
    case "cosineAnnealingLR":
      s = new CosineAnnealingLR(target, o, group);
      break;
    case "linearLR":
      s = new LinearLR(target, o, group);
      break;
    case "oneCycleLR":
      s = new OneCycleLR(target, o, group);
      break;
  }
  s.initialStep();
  return s;
}

/** Checks what a spec needs from the target, before anything is written to it. */
function checkTarget(target: SchedulerTarget, o: Opts): void {
  if (o.name === "sequentialLR") {
    o.schedulers.forEach((c, i) => under(`schedulers[${i}]`, () => checkTarget(target, c)));
    return;
  }
  if (o.name === "oneCycleLR" && o.cycleMomentum) {
    if (target.momentumOption === undefined) {
      throw rangeError(
        "cycleMomentum",
        "must be false for an optimizer with neither momentum nor betas (torch: optimizer must support momentum or beta1 with `cycle_momentum` option enabled); got true",
      );
    }
    if (target.momentumOption === "betas") {
      const b = target.getOption("betas");
      if (!Array.isArray(b) || b.length < 1) throw typeError("betas", `of the optimizer must be an array to cycle betas[0]; got ${show(b)}`);
    }
  }
}

/**
 * Validates `spec` (options in camelCase, see the `*Spec` interfaces for
 * formulas and defaults) and attaches a scheduler to `target`, performing
 * torch's initial step (which may set `target.lr`, e.g. `linearLR` sets
 * `lr · startFactor`, `oneCycleLR` sets `maxLr / divFactor` and, with
 * `cycleMomentum`, the momentum to `maxMomentum`).
 *
 * Errors are field errors (see `errors.ts`): an unknown scheduler name is a
 * TypeError on `name` listing the allowed names; an unknown option a
 * TypeError naming it and the allowed ones; a missing or bad option a
 * TypeError/RangeError naming it and its allowed values, with paths such as
 * `schedulers[1].gamma` inside `sequentialLR`. Nothing is written to the
 * target when validation fails.
 */
export function createScheduler(target: SchedulerTarget, spec: SchedulerSpec): LRScheduler {
  const o = normalize(spec);
  if (typeof target?.lr !== "number" || !Number.isFinite(target.lr)) {
    throw typeError("lr", `the target's lr must be a finite number; got ${show(target?.lr)}`);
  }
  checkTarget(target, o);
  switch (o.name) {
    case "reduceLROnPlateau":
      return new ReduceLROnPlateau(target, o);
    case "sequentialLR":
      return new SequentialLR(target, o);
    default:
      return makeLeaf(target, o, {});
  }
}
