/** `sequentialLR`: torch's SequentialLR over leaf schedulers. */
import { under } from "../errors.js";
import { bisectRight, checkT, Composite, type Group, type Leaf } from "./base.js";
import { makeLeaf } from "./leaves.js";
import type { SequentialOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

export class SequentialLR extends Composite {
  readonly name = "sequentialLR";
  declare protected readonly options: SequentialOpts;
  protected readonly children: Leaf[];

  /** `group`: torch's param-group entries, shared with the schedulers beside this one in a chainedScheduler. */
  constructor(target: SchedulerTarget, options: SequentialOpts, group: Group = {}) {
    super(target, options);
    // torch: the children are constructed first, each performing its own initial step.
    this.children = options.schedulers.map((o, i) => under(`schedulers[${i}]`, () => makeLeaf(target, o, group)));
    // SequentialLR.__init__: reset the lr to initial_lr, undo the children's steps,
    // and perform only the first child's initial step.
    this._lastEpoch = 0;
    target.lr = group.initialLr!;
    for (const c of this.children) c.undoStep();
    for (const c of this.children.slice(1)) c.startsAtMilestone();
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

  override restoreMomentum(): void {
    this.children[this.segment(this._lastEpoch)].restoreMomentum();
  }
}
