/**
 * Coefficient plans: the per-step scalars of a whole run, computed ahead by
 * the same Optimizer and scheduler code that a step-by-step run uses, so an
 * engine can run the trajectory without coming back to JS between steps.
 *
 * A plan exists when nothing in it depends on the trajectory: every scheduler
 * except `reduceLROnPlateau` (it reads the loss) qualifies.
 */
import type { Coefficients } from "./optim/def.js";
import { resolveOptimizer } from "./optim/index.js";
import { Optimizer } from "./optim/optimizer.js";
import type { Options } from "./optim/schema.js";
import type { NormalizedSpec } from "./run.js";
import { createScheduler } from "./schedulers/index.js";

export interface CoefficientPlan {
  /** Algorithm (`sgd` for the aliases). */
  algorithm: string;
  /** Coefficients of steps 1 … steps, in order. */
  coefficients: Coefficients[];
  /** The lr used at each step. */
  lr: number[];
  /** Every state buffer any step needs (a scheduler may switch momentum on mid-run). */
  buffers: string[];
  /** Initial element value of each buffer. */
  initialValues: Record<string, number>;
}

/** Records what it would compute instead of touching any element. */
class PlanningOptimizer extends Optimizer {
  last: Coefficients | undefined;
  protected override updateTensor(_i: number, c: Coefficients): void {
    this.last = c;
  }
  /** The live options, read-only (the public getter clones; a plan reads them every step). */
  get current(): Readonly<Options> {
    return this.opts;
  }
}

/** Whether {@link coefficientPlan} can plan this spec. */
export function plannable(spec: Pick<NormalizedSpec, "scheduler">): boolean {
  return spec.scheduler?.name !== "reduceLROnPlateau";
}

/** The coefficients of every step of a run (see {@link plannable}). */
export function coefficientPlan(spec: Pick<NormalizedSpec, "optimizer" | "scheduler" | "steps" | "dtype">): CoefficientPlan {
  if (!plannable(spec)) throw new Error("a reduceLROnPlateau run depends on its losses and cannot be planned");
  const { name, ...options } = spec.optimizer;
  const r = resolveOptimizer(name, options);
  // One element: the optimizer only validates its tensors; nothing is updated.
  const dummy = { data: new Float64Array(1), grad: new Float64Array(1) };
  const opt = new PlanningOptimizer(name, r.def, [dummy], r.options);
  const sched = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
  const coefficients: Coefficients[] = [];
  const lr: number[] = [];
  const buffers = new Set<string>();
  const initialValues: Record<string, number> = {};
  const note = () => {
    const o = opt.current;
    for (const b of r.def.buffers(o)) {
      buffers.add(b);
      initialValues[b] ??= r.def.initialValue?.(b, o) ?? 0;
    }
  };
  for (let t = 0; t < spec.steps; t++) {
    note();
    lr.push(opt.lr);
    opt.step();
    coefficients.push(opt.last!);
    sched?.step();
  }
  note();
  return { algorithm: r.def.name, coefficients, lr, buffers: [...buffers], initialValues };
}
