/**
 * The periodic schedulers, both closed forms of the base lr (torch has no
 * chainable form for them): `cosineAnnealingWarmRestarts` and `cyclicLR`
 * (see their `*Spec` types for the formulas).
 */
import { check } from "../errors.js";
import { dec, enc, Leaf, MomentumCycle, writeMomentum, type Group } from "./base.js";
import type { CyclicOpts, WarmRestartsOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

export class CosineAnnealingWarmRestarts extends Leaf {
  readonly name = "cosineAnnealingWarmRestarts";
  declare protected readonly options: WarmRestartsOpts;
  /** torch's T_cur and T_i: steps since the last restart, length of the current period. */
  private tCur = 0;
  private tI: number;

  constructor(target: SchedulerTarget, options: WarmRestartsOpts, group: Group) {
    super(target, options, group);
    this.tI = options.tZero;
  }

  private formula(tCur: number, tI: number): number {
    const { etaMin } = this.options;
    return etaMin + ((this.base - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  }

  /** (Tcur, Ti) after `t` steps from the initial one, by torch's integer recurrence. */
  private position(t: number): [number, number] {
    const { tZero, tMult } = this.options;
    if (tMult === 1) return [t % tZero, tZero];
    let tCur = t;
    let tI = tZero;
    while (tCur >= tI) {
      tCur -= tI;
      tI *= tMult;
    }
    return [tCur, tI];
  }

  protected chained(t: number): number {
    // torch: the initial step (and SequentialLR's step(0)) sets Tcur = 0, Ti = T0; later steps count on.
    if (t === 0) {
      this.tCur = 0;
      this.tI = this.options.tZero;
    } else {
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.options.tMult;
      }
    }
    return this.formula(this.tCur, this.tI);
  }

  closedForm(t: number): number {
    const [tCur, tI] = this.position(t);
    return this.formula(tCur, tI);
  }

  /** It reads the base lr, not the lr its initial step found. */
  override curve(t: number): number {
    return this.closedForm(t);
  }

  override stepTo(epoch: number): void {
    [this.tCur, this.tI] = this.position(epoch);
    this.commit(epoch, this.formula(this.tCur, this.tI));
  }

  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), tCur: this.tCur, tI: this.tI };
  }

  override prepareLoad(s: unknown): () => void {
    const applyBase = super.prepareLoad(s);
    const st = s as Record<string, unknown>;
    const tCur = check.number("tCur", st.tCur, { min: 0, integer: true });
    const tI = check.number("tI", st.tI, { min: 1, integer: true });
    return () => {
      applyBase();
      this.tCur = tCur;
      this.tI = tI;
    };
  }
}

export class CyclicLR extends MomentumCycle {
  readonly name = "cyclicLR";
  declare protected readonly options: CyclicOpts;
  /**
   * The base lr of step 0: torch's construction step reads the shared
   * initial lr (base_lrs is set to baseLr only after it); any later step 0
   * (SequentialLR's) reads baseLr.
   */
  private zeroBase: number;
  private initialSteps = 0;

  constructor(target: SchedulerTarget, o: CyclicOpts, group: Group) {
    // torch sets the group's lr (and, 2.x, the momentum to maxMomentum) before LRScheduler.__init__.
    target.lr = o.baseLr;
    if (o.cycleMomentum) writeMomentum(target, o.maxMomentum);
    super(target, o, group);
    this.zeroBase = this.base;
  }

  /** torch CyclicLR.get_lr at step `t`: lr and momentum (NaN without cycleMomentum). */
  evaluate(t: number): { lr: number; momentum: number } {
    const o = this.options;
    const up = o.stepSizeUp;
    const down = o.stepSizeDown ?? up;
    const total = up + down;
    const ratio = up / total;
    const cycle = Math.floor(1 + t / total);
    const x = 1.0 + t / total - cycle;
    const scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    const byCycle = (o.scaleMode ?? (o.mode === "expRange" ? "iterations" : "cycle")) === "cycle";
    const a = byCycle ? cycle : t;
    const f = o.mode === "triangular" ? 1.0 : o.mode === "triangular2" ? 1 / 2.0 ** (a - 1) : o.gamma ** a;
    const base = t === 0 ? this.zeroBase : o.baseLr;
    return {
      lr: base + (o.maxLr - base) * scale * f,
      momentum: o.cycleMomentum ? o.maxMomentum - (o.maxMomentum - o.baseMomentum) * scale * f : NaN,
    };
  }

  override initialStep(): void {
    if (this.initialSteps++ > 0) this.zeroBase = this.options.baseLr;
    super.initialStep();
  }

  override stepTo(epoch: number): void {
    if (epoch === 0) this.zeroBase = this.options.baseLr;
    super.stepTo(epoch);
  }

  override startsAtMilestone(): void {
    super.startsAtMilestone();
    this.zeroBase = this.options.baseLr;
  }

  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), zeroBase: enc(this.zeroBase) };
  }

  override prepareLoad(s: unknown): () => void {
    const applyBase = super.prepareLoad(s);
    const zeroBase = dec("zeroBase", (s as Record<string, unknown>).zeroBase);
    return () => {
      applyBase();
      this.zeroBase = zeroBase;
    };
  }
}
