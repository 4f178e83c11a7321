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
import { check, rangeError, show, typeError, under } from "../errors.js";
import { describeKind, type OptionSpec } from "../schema.js";
import { ChainedScheduler } from "./chained.js";
import { isLeaf, makeLeaf } from "./leaves.js";
import { ReduceLROnPlateau } from "./plateau.js";
import { finishOneCycle, resolveSchedulerOptions, SCHEDULER_SCHEMAS, type ChainedOpts, type LeafOpts, type Opts, type SchedulerName } from "./schemas.js";
import { SequentialLR } from "./sequential.js";
import type { LRScheduler, SchedulerSpec, SchedulerTarget } from "./types.js";

export type * from "./types.js";
export type { SchedulerName } from "./schemas.js";

/** Every scheduler's name, from the schema table (the one list). */
export const schedulerNames: readonly SchedulerName[] = Object.freeze(Object.keys(SCHEDULER_SCHEMAS) as SchedulerName[]);

/**
 * Each scheduler's option schema: per option its `kind` (number range,
 * choice values, list…), `default` (absent: required or, with `optional`, an
 * alternative) and `doc`. Editors build their forms from it.
 */
export const schedulerSchemas: Readonly<Record<SchedulerName, Readonly<Record<string, OptionSpec<unknown>>>>> = SCHEDULER_SCHEMAS;

/** Default option values of each scheduler (required options are absent), from the schemas. */
export const schedulerDefaults: Readonly<Record<SchedulerName, Readonly<Record<string, unknown>>>> = Object.freeze(
  Object.fromEntries(
    schedulerNames.map((n) => [
      n,
      Object.freeze(
        Object.fromEntries(
          Object.entries(schedulerSchemas[n])
            .filter(([, s]) => s.default !== undefined)
            .map(([k, s]) => [k, s.default]),
        ),
      ),
    ]),
  ) as Record<SchedulerName, Readonly<Record<string, unknown>>>,
);

/** Every option each scheduler accepts, required ones included, in schema order. */
export const schedulerOptionNames: Readonly<Record<SchedulerName, readonly string[]>> = Object.freeze(
  Object.fromEntries(schedulerNames.map((n) => [n, Object.freeze(Object.keys(schedulerSchemas[n]))])) as Record<SchedulerName, readonly string[]>,
);

function checkName(v: unknown): SchedulerName {
  if (typeof v !== "string" || !(schedulerNames as readonly string[]).includes(v)) {
    throw typeError("name", `unknown scheduler ${show(v)}; allowed: ${schedulerNames.join(", ")}`);
  }
  return v as SchedulerName;
}

/** Validates a spec against its scheduler's schema and the rules beyond it; defaults filled in. */
function normalize(spec: unknown): Opts {
  const s = check.object("", spec);
  const name = checkName(s.name);
  if (name === "oneCycleLR") return finishOneCycle(resolveSchedulerOptions("oneCycleLR", s));
  if (name === "sequentialLR") {
    const o = resolveSchedulerOptions("sequentialLR", s);
    return finishSequential(o.schedulers, o.milestones);
  }
  if (name === "chainedScheduler") return finishChained(resolveSchedulerOptions("chainedScheduler", s).schedulers);
  return resolveSchedulerOptions(name, s) as Opts;
}

function finishChained(list: unknown[]): ChainedOpts {
  if (list.length === 0) throw rangeError("schedulers", `must hold at least one scheduler spec; got []`);
  const schedulers = list.map((c, i) =>
    under(`schedulers[${i}]`, () => {
      const child = check.object("", c);
      if (child.name === "reduceLROnPlateau") {
        throw rangeError("name", "reduceLROnPlateau cannot be a child of chainedScheduler: its step() needs the metric");
      }
      return normalize(child) as ChainedOpts["schedulers"][number];
    }),
  );
  return { name: "chainedScheduler", schedulers };
}

function finishSequential(list: unknown[], milestones: number[]): Opts {
  if (list.length === 0) throw rangeError("schedulers", `must hold at least one scheduler spec; got []`);
  const schedulers = list.map((c, i) =>
    under(`schedulers[${i}]`, () => {
      const child = check.object("", c);
      if (child.name === "reduceLROnPlateau") {
        throw rangeError("name", "reduceLROnPlateau cannot be a child of sequentialLR: its step() needs the metric (torch refuses it too)");
      }
      if (child.name === "sequentialLR" || child.name === "chainedScheduler") {
        throw rangeError("name", `${child.name} cannot be nested in sequentialLR (torch cannot step it at a milestone)`);
      }
      const o = normalize(child);
      if (!isLeaf(o.name)) throw rangeError("name", `${o.name} cannot be a child of sequentialLR`);
      return o as LeafOpts;
    }),
  );
  if (milestones.length !== schedulers.length - 1) {
    throw rangeError("milestones", `must hold one fewer entry than schedulers (${schedulers.length - 1}); got ${milestones.length}`);
  }
  return { name: "sequentialLR", schedulers, milestones };
}

/** What an option of a scheduler allows, in words (as validation messages say it). */
export function describeSchedulerOption(name: SchedulerName, option: string): string {
  return describeKind(checkOption(name, option).kind);
}

function checkOption(name: SchedulerName, option: string): OptionSpec<unknown> {
  const s = schedulerSchemas[checkName(name)][option];
  if (!s) throw typeError(option, `unknown option of ${name}; allowed: ${schedulerOptionNames[name].join(", ")}`);
  return s;
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
 * except where a `oneCycleLR` (alone, as a `sequentialLR` child, or anywhere
 * in a `chainedScheduler`) would run past its `totalSteps` — torch raises
 * there, so a run of more steps is refused before it starts rather than
 * failing midway.
 */
export function schedulerStepLimit(spec: SchedulerSpec): number {
  return stepLimit(normalize(spec));
}

function stepLimit(n: Opts): number {
  if (n.name === "oneCycleLR") return n.totalSteps;
  // A chain steps every child at every step.
  if (n.name === "chainedScheduler") return n.schedulers.reduce((m, c) => Math.min(m, stepLimit(c)), Infinity);
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

/** Checks what a spec needs from the target, before anything is written to it. */
function checkTarget(target: SchedulerTarget, o: Opts): void {
  if (o.name === "sequentialLR" || o.name === "chainedScheduler") {
    o.schedulers.forEach((c, i) => under(`schedulers[${i}]`, () => checkTarget(target, c)));
    return;
  }
  if ((o.name === "oneCycleLR" || o.name === "cyclicLR") && o.cycleMomentum) {
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
    case "chainedScheduler":
      return new ChainedScheduler(target, o);
    default:
      return makeLeaf(target, o as LeafOpts, {});
  }
}
