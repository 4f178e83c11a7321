/**
 * Experiment 8: learning-rate schedules from 0.1 over 200 epochs, each read
 * twice: from a real optimizer stepped by `scheduler.step()` once per epoch,
 * and from the closed form `lrAt(t)`.
 *
 * @packageDocumentation
 */
import { createOptimizer } from "../optim/index.js";
import { createScheduler, type SchedulerSpec } from "../schedulers/index.js";
import type { ExperimentOptions } from "./common.js";
import { DEFAULT_SEED } from "./random.js";

export interface ScheduleCurve {
  label: string;
  spec: SchedulerSpec;
  /** lr in effect during epoch t = 0 … epochs − 1, read from the optimizer (torch's get_last_lr before the epoch's step). */
  lrStepped: number[];
  /** lrAt(t), the closed form. */
  lrClosedForm: number[];
  /** max_t |lrStepped − lrClosedForm|. */
  maxAbsDifference: number;
  /** OneCycleLR also cycles the momentum of the (SGD, momentum 0.9) optimizer: its value per epoch. */
  momentum?: number[];
}

export interface SchedulesResult {
  seed: number;
  baseLr: number;
  epochs: number;
  /** The optimizer driven: SGD with momentum 0.9 (so OneCycleLR has a momentum to cycle), stepped with zero gradients. */
  optimizer: { name: "momentum"; lr: number; momentum: number };
  curves: ScheduleCurve[];
}

export interface SchedulesOptions extends ExperimentOptions {
  /** Default 200. */
  epochs?: number;
  /** Default 0.1. */
  baseLr?: number;
}

/** Experiment 8: StepLR(50, 0.5), MultiStepLR([50, 125, 160], 0.5), ExponentialLR(0.95), CosineAnnealingLR(200), OneCycleLR(0.1, 200). */
export function learningRateSchedules(opts: SchedulesOptions = {}): SchedulesResult {
  const epochs = opts.epochs ?? 200;
  const baseLr = opts.baseLr ?? 0.1;
  const specs: [string, SchedulerSpec][] = [
    ["StepLR(stepSize 50, gamma 0.5)", { name: "stepLR", stepSize: 50, gamma: 0.5 }],
    ["MultiStepLR([50, 125, 160], gamma 0.5)", { name: "multiStepLR", milestones: [50, 125, 160], gamma: 0.5 }],
    ["ExponentialLR(gamma 0.95)", { name: "exponentialLR", gamma: 0.95 }],
    [`CosineAnnealingLR(tMax ${epochs})`, { name: "cosineAnnealingLR", tMax: epochs }],
    [`OneCycleLR(maxLr 0.1, totalSteps ${epochs})`, { name: "oneCycleLR", maxLr: 0.1, totalSteps: epochs }],
  ];
  const optimizer = { name: "momentum" as const, lr: baseLr, momentum: 0.9 };
  const curves = specs.map(([label, spec]) => {
    const data = new Float64Array(1),
      grad = new Float64Array(1);
    const opt = createOptimizer(optimizer.name, [{ data, grad }], { lr: optimizer.lr, momentum: optimizer.momentum });
    const sched = createScheduler(opt, spec);
    const lrStepped: number[] = [],
      lrClosedForm: number[] = [],
      momentum: number[] = [];
    let maxAbsDifference = 0;
    for (let t = 0; t < epochs; t++) {
      lrStepped.push(opt.lr);
      lrClosedForm.push(sched.lrAt(t));
      momentum.push(opt.getOption("momentum") as number);
      maxAbsDifference = Math.max(maxAbsDifference, Math.abs(opt.lr - sched.lrAt(t)));
      opt.step();
      sched.step();
    }
    const curve: ScheduleCurve = { label, spec: structuredClone(spec), lrStepped, lrClosedForm, maxAbsDifference };
    if (spec.name === "oneCycleLR") curve.momentum = momentum;
    return curve;
  });
  return { seed: opts.seed ?? DEFAULT_SEED, baseLr, epochs, optimizer, curves };
}
