/** `chainedScheduler`: torch's ChainedScheduler, every child stepped at every step. */
import { under } from "../errors.js";
import { type Base, checkT, Composite, type Group } from "./base.js";
import { makeLeaf } from "./leaves.js";
import type { ChainedOpts } from "./schemas.js";
import { SequentialLR } from "./sequential.js";
import type { SchedulerTarget } from "./types.js";

type Child = ChainedOpts["schedulers"][number];

/** Constructs one child on `target`, sharing the chain's param-group entries. */
function makeChild(target: SchedulerTarget, o: Child, group: Group): Base {
  if (o.name === "chainedScheduler") return new ChainedScheduler(target, o, group);
  if (o.name === "sequentialLR") return new SequentialLR(target, o, group);
  return makeLeaf(target, o, group);
}

/** A target that only records what a replay writes: lrAt's scratch copy of the real one. */
function scratchTarget(lr: number, momentumOption: SchedulerTarget["momentumOption"], momentum: unknown): SchedulerTarget {
  const opts: Record<string, unknown> = momentumOption ? { [momentumOption]: structuredClone(momentum) } : {};
  return {
    lr,
    momentumOption,
    getOption: (name) => structuredClone(opts[name]),
    setOption: (name, value) => {
      opts[name] = structuredClone(value);
    },
  };
}

export class ChainedScheduler extends Composite {
  readonly name = "chainedScheduler";
  declare protected readonly options: ChainedOpts;
  protected readonly children: Base[];
  /** What construction started from (the target's lr and momentum, the shared entries), for lrAt's replay. */
  private readonly start: { lr: number; momentum: unknown; group: Group };
  /** lrAt's replay: a copy of this chain on a scratch target, `at` steps in. */
  private replay: { chain: ChainedScheduler; target: SchedulerTarget; at: number } | undefined;

  /** `group`: torch's param-group entries, shared with the schedulers beside this one when it is nested. */
  constructor(target: SchedulerTarget, options: ChainedOpts, group: Group = {}) {
    super(target, options);
    const m = target.momentumOption;
    this.start = { lr: target.lr, momentum: m ? target.getOption(m) : undefined, group: { ...group } };
    this.children = options.schedulers.map((o, i) => under(`schedulers[${i}]`, () => makeChild(target, o, group)));
    this._lastEpoch = 0;
    this._lastLr = target.lr;
  }

  step(): void {
    this.children.forEach((c, i) => under(`schedulers[${i}]`, () => c.step()));
    this._lastEpoch += 1;
    this._lastLr = this.target.lr;
  }

  lrAt(t: number): number {
    checkT(t);
    let r = this.replay;
    if (!r || r.at > t) {
      const target = scratchTarget(this.start.lr, this.target.momentumOption, this.start.momentum);
      r = this.replay = { target, chain: new ChainedScheduler(target, this.options, { ...this.start.group }), at: 0 };
    }
    while (r.at < t) {
      r.chain.step();
      r.at += 1;
    }
    return r.target.lr;
  }

  /** In list order, as step() writes it: the last child cycling momentum wins. */
  override restoreMomentum(): void {
    for (const c of this.children) c.restoreMomentum();
  }
}
