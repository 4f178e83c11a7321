/**
 * The chainable schedulers: torch's recursive `get_lr` in `step()`, a closed
 * form in `lrAt()` (see the `*Spec` types for the formulas).
 */
import { bisectRight, Leaf, pymod, type Group } from "./base.js";
import type { ConstantOpts, CosOpts, ExpOpts, LinearOpts, MultiStepOpts, PolynomialOpts, StepOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

export class StepLR extends Leaf {
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

export class MultiStepLR extends Leaf {
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

export class ExponentialLR extends Leaf {
  readonly name = "exponentialLR";
  declare protected readonly options: ExpOpts;

  protected chained(_t: number, initial: boolean, lr: number): number {
    return initial ? lr : lr * this.options.gamma;
  }

  closedForm(t: number, b = this.base): number {
    return b * this.options.gamma ** t;
  }
}

export class CosineAnnealingLR extends Leaf {
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

export class LinearLR extends Leaf {
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

export class ConstantLR extends Leaf {
  readonly name = "constantLR";
  declare protected readonly options: ConstantOpts;
  /** Started through stepTo(0) at a sequentialLR milestone (torch's closed form), not by an initial step. */
  private closedStart = false;

  protected chained(t: number, _initial: boolean, lr: number): number {
    const { factor: f, totalIters: n } = this.options;
    if (t === 0) return lr * f;
    return t === n ? lr * (1.0 / f) : lr;
  }

  closedForm(t: number, b = this.base): number {
    const { factor: f, totalIters: n } = this.options;
    return b * (f + (t >= n ? 1 - f : 0));
  }

  /** What step() gives: the start value, divided by the factor from totalIters on (never when totalIters is 0). */
  override curve(t: number): number {
    const { factor: f, totalIters: n } = this.options;
    const start = this.closedStart ? this.closedForm(0) : this.anchor * f;
    return n > 0 && t >= n ? start * (1.0 / f) : start;
  }

  override startsAtMilestone(): void {
    super.startsAtMilestone();
    this.closedStart = true;
  }
}

export class PolynomialLR extends Leaf {
  readonly name = "polynomialLR";
  declare protected readonly options: PolynomialOpts;

  protected chained(t: number, _initial: boolean, lr: number): number {
    const { totalIters: n, power } = this.options;
    if (t === 0 || t > n) return lr;
    return lr * ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** power;
  }

  closedForm(t: number, b = this.base): number {
    const { totalIters: n, power } = this.options;
    return b * (1.0 - Math.min(n, t) / n) ** power;
  }
}
