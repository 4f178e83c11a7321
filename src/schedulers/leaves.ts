/** The leaf schedulers by name: what sequentialLR and createScheduler construct. */
import type { Group, Leaf } from "./base.js";
import { ConstantLR, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, PolynomialLR, StepLR } from "./chainable.js";
import { CosineAnnealingWarmRestarts, CyclicLR } from "./cyclic.js";
import { OneCycleLR } from "./oneCycle.js";
import type { LeafOpts } from "./schemas.js";
import type { SchedulerTarget } from "./types.js";

type LeafClass = new (target: SchedulerTarget, o: never, group: Group) => Leaf;

const LEAVES: Record<LeafOpts["name"], LeafClass> = {
  stepLR: StepLR,
  multiStepLR: MultiStepLR,
  exponentialLR: ExponentialLR,
  cosineAnnealingLR: CosineAnnealingLR,
  linearLR: LinearLR,
  oneCycleLR: OneCycleLR,
  constantLR: ConstantLR,
  polynomialLR: PolynomialLR,
  cosineAnnealingWarmRestarts: CosineAnnealingWarmRestarts,
  cyclicLR: CyclicLR,
};

/** Whether `name` is a leaf scheduler (a torch LRScheduler that sequentialLR can hold). */
export function isLeaf(name: string): name is LeafOpts["name"] {
  return Object.hasOwn(LEAVES, name);
}

/** Constructs a leaf on `target` sharing torch's param-group entries `group`, and performs its initial step. */
export function makeLeaf(target: SchedulerTarget, o: LeafOpts, group: Group): Leaf {
  const s = new LEAVES[o.name](target, o as never, group);
  s.initialStep();
  return s;
}
