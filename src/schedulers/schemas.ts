/**
 * Each scheduler's options, declared once (kind, default, doc) on the
 * schema system the optimizers use; validation, defaults, the option lists
 * and the editors' allowed values all come from here. Cross-option rules
 * (oneCycleLR's `totalSteps` alternatives, sequentialLR's milestones count)
 * are in `finish`.
 */
import { rangeError, typeError } from "../errors.js";
import { describeRule, opt, resolveOptions, type NumberRule, type OptionSpec, type ValueOf } from "../schema.js";

const POSITIVE: NumberRule = { min: 0, minExclusive: true, maxExclusive: true };
const NON_NEGATIVE: NumberRule = { min: 0, maxExclusive: true };
export const COUNT: NumberRule = { min: 0, integer: true, maxExclusive: true };
const POSITIVE_INT: NumberRule = { min: 1, integer: true, maxExclusive: true };
const MOMENTUM: NumberRule = { min: 0, max: 1, maxExclusive: true };

const gamma = (def: number | undefined) => opt.number(def, POSITIVE, "multiplicative factor, > 0");

/** The schema of every scheduler, in registry order (the order of `schedulerNames`). */
export const SCHEDULER_SCHEMAS = {
  stepLR: {
    stepSize: opt.number(undefined, POSITIVE_INT, "period of the decay in steps, an integer ≥ 1"),
    gamma: gamma(0.1),
  },
  multiStepLR: {
    milestones: opt.list(undefined, COUNT, "steps at which to decay (integers ≥ 0, may repeat)"),
    gamma: gamma(0.1),
  },
  exponentialLR: { gamma: gamma(undefined) },
  cosineAnnealingLR: {
    tMax: opt.number(undefined, POSITIVE_INT, "half period in steps, an integer ≥ 1"),
    etaMin: opt.number(0, NON_NEGATIVE, "minimum learning rate, ≥ 0"),
  },
  linearLR: {
    startFactor: opt.number(1 / 3, { min: 0, max: 1, minExclusive: true }, "factor at step 0, in (0, 1]"),
    endFactor: opt.number(1, { min: 0, max: 1 }, "factor from totalIters on, in [0, 1]"),
    totalIters: opt.number(5, POSITIVE_INT, "steps of the ramp, an integer ≥ 1"),
  },
  oneCycleLR: {
    maxLr: opt.number(undefined, POSITIVE, "peak learning rate, > 0"),
    totalSteps: opt.optionalNumber(POSITIVE_INT, "steps in the cycle (or give epochs and stepsPerEpoch)"),
    epochs: opt.optionalNumber(POSITIVE_INT, "epochs, with stepsPerEpoch (alternative to totalSteps)"),
    stepsPerEpoch: opt.optionalNumber(POSITIVE_INT, "steps per epoch, with epochs (alternative to totalSteps)"),
    pctStart: opt.number(0.3, { min: 0, max: 1 }, "fraction of the cycle spent increasing the lr, in [0, 1]"),
    annealStrategy: opt.choice("cos", ["cos", "linear"] as const, "annealing shape"),
    divFactor: opt.number(25, POSITIVE, "initial lr = maxLr / divFactor"),
    finalDivFactor: opt.number(1e4, POSITIVE, "minimum lr = initial lr / finalDivFactor"),
    threePhase: opt.flag("three phases (up, down to the initial lr, then to the minimum)"),
    cycleMomentum: opt.flag("cycle momentum (or betas[0]) inversely to the lr", true),
    baseMomentum: opt.number(0.85, MOMENTUM, "lowest momentum, in [0, 1)"),
    maxMomentum: opt.number(0.95, MOMENTUM, "highest momentum, in [0, 1)"),
  },
  reduceLROnPlateau: {
    mode: opt.choice("min", ["min", "max"] as const, "whether the metric should fall or rise"),
    factor: opt.number(0.1, { min: 0, max: 1, maxExclusive: true }, "lr ← lr · factor on a plateau, in [0, 1)"),
    patience: opt.number(10, COUNT, "steps without improvement before reducing, an integer ≥ 0"),
    threshold: opt.number(1e-4, NON_NEGATIVE, "improvement threshold, ≥ 0"),
    thresholdMode: opt.choice("rel", ["rel", "abs"] as const, "relative or absolute threshold"),
    cooldown: opt.number(0, COUNT, "steps to wait after a reduction, an integer ≥ 0"),
    minLr: opt.number(0, NON_NEGATIVE, "lowest lr, ≥ 0"),
    eps: opt.number(1e-8, NON_NEGATIVE, "smaller changes of the lr are skipped, ≥ 0"),
  },
  sequentialLR: {
    schedulers: opt.schedulers("the schedulers, in order (not reduceLROnPlateau, sequentialLR or chainedScheduler)"),
    milestones: opt.list(undefined, POSITIVE_INT, "steps at which the next scheduler takes over (strictly increasing integers ≥ 1)", true),
  },
  constantLR: {
    factor: opt.number(1 / 3, { min: 0, max: 1, minExclusive: true }, "factor of the lr until totalIters, in (0, 1]"),
    totalIters: opt.number(5, COUNT, "steps at the reduced lr, an integer ≥ 0"),
  },
  polynomialLR: {
    totalIters: opt.number(5, POSITIVE_INT, "steps of the decay to 0, an integer ≥ 1"),
    power: opt.number(1, NON_NEGATIVE, "power of the polynomial, ≥ 0"),
  },
  cosineAnnealingWarmRestarts: {
    tZero: opt.number(undefined, POSITIVE_INT, "steps to the first restart, an integer ≥ 1"),
    tMult: opt.number(1, POSITIVE_INT, "factor of the period after each restart, an integer ≥ 1"),
    etaMin: opt.number(0, NON_NEGATIVE, "minimum learning rate, ≥ 0"),
  },
  cyclicLR: {
    baseLr: opt.number(undefined, NON_NEGATIVE, "lr at the start of each cycle, ≥ 0 (the optimizer's lr is set to it)"),
    maxLr: opt.number(undefined, NON_NEGATIVE, "lr at the peak of the first cycle, ≥ 0"),
    stepSizeUp: opt.number(2000, POSITIVE_INT, "steps from baseLr up to maxLr, an integer ≥ 1"),
    stepSizeDown: opt.nullableNumber(null, COUNT, "steps from maxLr back down, an integer ≥ 0; null: stepSizeUp"),
    mode: opt.choice("triangular", ["triangular", "triangular2", "expRange"] as const, "amplitude per cycle: constant, halved each cycle, or gamma^t"),
    gamma: opt.number(1, { min: 0, max: 1, minExclusive: true }, "expRange's amplitude factor gamma^t, in (0, 1]"),
    scaleMode: opt.nullableChoice(
      null,
      ["cycle", "iterations"] as const,
      "what the amplitude factor counts: cycles or steps; null: the mode's own (cycle for triangular and triangular2, iterations for expRange)",
    ),
    cycleMomentum: opt.flag("cycle momentum (or betas[0]) inversely to the lr", true),
    baseMomentum: opt.number(0.8, MOMENTUM, "momentum at the peak lr, in [0, 1)"),
    maxMomentum: opt.number(0.9, MOMENTUM, "momentum at baseLr, in [0, 1)"),
  },
  chainedScheduler: {
    schedulers: opt.schedulers("the schedulers, all stepped at every step in order (not reduceLROnPlateau)"),
  },
} as const satisfies Record<string, Record<string, OptionSpec<unknown>>>;

type Schemas = typeof SCHEDULER_SCHEMAS;
/** A scheduler's name. */
export type SchedulerName = keyof Schemas;
/** Validated options of scheduler `N`, with its name. */
export type ResolvedOptions<N extends SchedulerName> = { name: N } & { -readonly [K in keyof Schemas[N]]: ValueOf<Schemas[N][K]> };

export type StepOpts = ResolvedOptions<"stepLR">;
export type MultiStepOpts = ResolvedOptions<"multiStepLR">;
export type ExpOpts = ResolvedOptions<"exponentialLR">;
export type CosOpts = ResolvedOptions<"cosineAnnealingLR">;
export type LinearOpts = ResolvedOptions<"linearLR">;
/** `totalSteps` is always resolved (from `epochs · stepsPerEpoch` when not given). */
export type OneCycleOpts = Omit<ResolvedOptions<"oneCycleLR">, "totalSteps" | "epochs" | "stepsPerEpoch"> & {
  totalSteps: number;
  epochs?: number;
  stepsPerEpoch?: number;
};
export type PlateauOpts = ResolvedOptions<"reduceLROnPlateau">;
export type ConstantOpts = ResolvedOptions<"constantLR">;
export type PolynomialOpts = ResolvedOptions<"polynomialLR">;
export type WarmRestartsOpts = ResolvedOptions<"cosineAnnealingWarmRestarts">;
export type CyclicOpts = ResolvedOptions<"cyclicLR">;
export type LeafOpts = StepOpts | MultiStepOpts | ExpOpts | CosOpts | LinearOpts | OneCycleOpts | ConstantOpts | PolynomialOpts | WarmRestartsOpts | CyclicOpts;
export type SequentialOpts = { name: "sequentialLR"; schedulers: LeafOpts[]; milestones: number[] };
/** A chain's children: any scheduler but reduceLROnPlateau. */
export type ChainedOpts = { name: "chainedScheduler"; schedulers: (LeafOpts | SequentialOpts | ChainedOpts)[] };
export type Opts = LeafOpts | PlateauOpts | SequentialOpts | ChainedOpts;

/** The rules the schemas cannot say alone, applied after them. */
export function finishOneCycle(o: ResolvedOptions<"oneCycleLR">): OneCycleOpts {
  let totalSteps: number;
  if (o.totalSteps !== undefined) totalSteps = o.totalSteps;
  else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) totalSteps = o.epochs * o.stepsPerEpoch;
  else {
    const field = o.epochs !== undefined ? "stepsPerEpoch" : o.stepsPerEpoch !== undefined ? "epochs" : "totalSteps";
    throw typeError(field, `is required by oneCycleLR: give totalSteps (${describeRule(POSITIVE_INT)}) or both epochs and stepsPerEpoch`);
  }
  // torch divides by zero at its initial step (ZeroDivisionError) when the warm-up phase is empty.
  if (o.pctStart * totalSteps - 1 === 0) {
    throw rangeError(
      "pctStart",
      `pctStart · totalSteps = 1 gives a warm-up phase of length 0 (torch fails with ZeroDivisionError); got pctStart ${o.pctStart}, totalSteps ${totalSteps}`,
    );
  }
  const { name, maxLr, epochs, stepsPerEpoch, totalSteps: _given, ...rest } = o;
  return {
    name,
    maxLr,
    totalSteps,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}),
    ...rest,
  };
}

/** Resolves one scheduler's options against its schema (`name` already checked). */
export function resolveSchedulerOptions<N extends SchedulerName>(name: N, spec: Record<string, unknown>): ResolvedOptions<N> {
  const o = resolveOptions(SCHEDULER_SCHEMAS[name] as never, spec, name, ["name"]) as Record<string, unknown>;
  return { name, ...o } as ResolvedOptions<N>;
}
