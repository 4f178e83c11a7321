/** `reduceLROnPlateau`: torch's ReduceLROnPlateau, stepped with a metric. */
import { check, rangeError, show, typeError } from "../errors.js";
import { Base, checkT, dec, enc, readCommon } from "./base.js";
import { COUNT, type PlateauOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

interface PlateauState {
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
}

export class ReduceLROnPlateau extends Base {
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
      ...this.commonState(),
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
