/**
 * What every scheduler shares: JSON-safe number encoding, torch's shared
 * param-group entries, the state-dict checks, and the base classes — `Base`
 * (any scheduler), `Leaf` (a torch `LRScheduler` subclass with an initial
 * step, a chainable `get_lr` and a closed form), `MomentumCycle` (a leaf with
 * one lr-and-momentum formula) and `Composite` (a scheduler
 * over child schedulers: sequentialLR, chainedScheduler).
 */
import { check, rangeError, show, typeError, under } from "../errors.js";
import { decodeNumber as dec, encodeNumber as enc } from "../numbers.js";
export { dec, enc };
import type { SchedulerName } from "./schemas.js";
import { COUNT, type LeafOpts, type Opts } from "./schemas.js";
import type { LRScheduler, SchedulerTarget } from "./types.js";

/** Python's `%` (result has the sign of the divisor). */
export function pymod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Python's `bisect.bisect_right` on a sorted array. */
export function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function sameJson(a: unknown, b: unknown): boolean {
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

export function checkT(t: unknown): number {
  return check.number("t", t, COUNT);
}

export function writeMomentum(target: SchedulerTarget, m: number): void {
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
export interface Group {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

export const GROUP_KEYS = ["initialLr", "maxLr", "minLr", "maxMomentum", "baseMomentum"] as const;

/** Common state checks of loadStateDict; returns the decoded common fields. */
export function readCommon(
  s: unknown,
  name: SchedulerName,
  options: Opts,
  minEpoch: number,
): { st: Record<string, unknown>; lastEpoch: number; lastLr: number } {
  const st = check.object("", s);
  if (st.name !== name) throw typeError("name", `is the state of ${show(st.name)}, not of ${name}`);
  if (!sameJson(st.options, options)) {
    throw rangeError("options", `were ${show(st.options)} when saved, but this scheduler has ${show(options)}; create the scheduler from the saved spec`);
  }
  const lastEpoch = check.number("lastEpoch", st.lastEpoch, { min: minEpoch, integer: true, maxExclusive: true });
  const lastLr = dec("lastLr", st.lastLr);
  return { st, lastEpoch, lastLr };
}

export abstract class Base implements LRScheduler {
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

  /** The state-dict fields every scheduler has (what {@link readCommon} checks on load). */
  protected commonState(): Record<string, unknown> {
    return { name: this.name, options: structuredClone(this.options), lastEpoch: this._lastEpoch, lastLr: enc(this._lastLr) };
  }
  /** Writes the restored lr (and momentum) to the target. */
  protected abstract restoreTarget(): void;

  /** Writes the momentum belonging to the current epoch, if this scheduler cycles it. */
  restoreMomentum(): void {}

  loadStateDict(s: Record<string, unknown>): void {
    const apply = this.prepareLoad(s);
    apply();
    this.restoreTarget();
  }
}

/** A torch `LRScheduler` subclass: initial step, chainable get_lr, closed form. */
export abstract class Leaf extends Base {
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

  /**
   * Told by SequentialLR to a child after the first: it will start at its
   * milestone through {@link stepTo}(0), from its base, not from an initial step.
   */
  startsAtMilestone(): void {
    this.anchor = this.base;
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
    return { ...this.commonState(), base: enc(this.base), anchor: enc(this.anchor) };
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
}

/**
 * A leaf with one formula for lr and momentum at every step (cyclicLR,
 * oneCycleLR: torch's get_lr is not chainable there): step(), lrAt() and the
 * closed form all read `evaluate(t).lr`, and with `cycleMomentum` each step
 * also writes `evaluate(t).momentum`, as a load restores it.
 */
export abstract class MomentumCycle extends Leaf {
  declare protected readonly options: LeafOpts & { cycleMomentum: boolean };

  /** lr and momentum at step `t` (momentum NaN without cycleMomentum). */
  abstract evaluate(t: number): { lr: number; momentum: number };

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

  override restoreMomentum(): void {
    if (this.options.cycleMomentum && this._lastEpoch >= 0) writeMomentum(this.target, this.evaluate(this._lastEpoch).momentum);
  }

  protected override restoreTarget(): void {
    super.restoreTarget();
    this.restoreMomentum();
  }
}

/**
 * A scheduler over child schedulers (sequentialLR, chainedScheduler): its
 * state dict holds each child's, loaded all or nothing.
 */
export abstract class Composite extends Base {
  protected abstract readonly children: readonly Base[];

  stateDict(): Record<string, unknown> {
    return { ...this.commonState(), schedulers: this.children.map((c) => c.stateDict()) };
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
    this.restoreMomentum();
  }
}
