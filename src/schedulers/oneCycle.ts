/** `oneCycleLR`: torch's OneCycleLR, not chainable (one formula for step() and lrAt()), optionally cycling momentum. */
import { check, rangeError } from "../errors.js";
import { dec, enc, GROUP_KEYS, MomentumCycle, writeMomentum, type Group } from "./base.js";
import type { OneCycleOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

type GroupKey = (typeof GROUP_KEYS)[number];
interface Phase {
  end: number;
  startLr: GroupKey;
  endLr: GroupKey;
  startM: GroupKey;
  endM: GroupKey;
}

export class OneCycleLR extends MomentumCycle {
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
          throw rangeError(
            "pctStart",
            `phase ${i + 1} of the cycle has length 0 at step ${t} (torch fails with ZeroDivisionError); got pctStart ${this.options.pctStart}, totalSteps ${T}`,
          );
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
}
