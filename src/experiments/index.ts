/**
 * The data side of the course notes' experiments: every function returns
 * plain, JSON-serialisable numbers (pass them through {@link jsonSafe} to
 * keep NaN/±Infinity as strings), deterministic for a given seed, with no
 * `node:` imports so a browser can run them. Figures and the report are
 * drawn elsewhere from these results.
 *
 * Every run is f64. Where an experiment names an optimizer without its ε or
 * β, the notes' own forms are used ({@link NOTES_FORMS}); experiment 2 uses
 * PyTorch's defaults, as the notes train that model with torch.optim.
 *
 * @packageDocumentation
 */
import type { ExperimentOptions } from "./common.js";
import { backpropagation } from "./backprop.js";
import { twoStepsByHand } from "./byHand.js";
import { exponentialAverage } from "./ewma.js";
import { polynomialFit } from "./polyfit.js";
import { gradientDescentVariants, linearRegression } from "./regression.js";
import { learningRateSchedules } from "./schedules.js";
import { illConditionedBowl, surfaceComparisons, weightedSphere } from "./trajectories.js";

export * from "./random.js";
export * from "./common.js";
export * from "./summary.js";
export * from "./trajectories.js";
export * from "./regression.js";
export * from "./backprop.js";
export * from "./ewma.js";
export * from "./byHand.js";
export * from "./schedules.js";
export * from "./polyfit.js";
export * from "./networks.js";

/** One entry of the registry. */
export interface Experiment<R = unknown> {
  /** Stable identifier, e.g. "weighted-sphere". */
  id: string;
  /** The experiment's number in the project's list (1 … 10). */
  number: number;
  title: string;
  description: string;
  /** Whether the seed changes the result. */
  random: boolean;
  run(opts?: ExperimentOptions): R;
}

function entry<R>(e: Experiment<R>): Experiment<R> {
  return Object.freeze(e);
}

/** Every experiment, in the project's order. */
export const experiments = Object.freeze([
  entry({
    id: "weighted-sphere",
    number: 1,
    title: "Optimizers on 0.2x₁² + 2x₂²",
    description: "SGD, AdaGrad, RMSprop, Momentum and Adam from (3, 4) with the notes' settings; window [−2, 5]², minimum (0, 0).",
    random: false,
    run: weightedSphere,
  }),
  entry({
    id: "linear-regression",
    number: 2,
    title: "Linear regression with mini-batches",
    description:
      "Linear(2) on 1000 seeded samples, batch 64 in order, 30 epochs, five optimizers from the same start: iteration and epoch losses, final weights, the noise floor.",
    random: true,
    run: linearRegression,
  }),
  entry({
    id: "ill-conditioned-bowl",
    number: 3,
    title: "Optimizers on x²/20 + y²",
    description: "SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3 from (−7, 2), 30 steps; window [−10, 10] × [−5, 5].",
    random: false,
    run: illConditionedBowl,
  }),
  entry({
    id: "surface-comparisons",
    number: 4,
    title: "3-D comparisons: cubic, bowl, saddle",
    description:
      "The cubic from (2, 3) (150 steps), x²/20 + y² from (−7, 2) (100 steps) and the saddle −x²/2 + y² from (1e-5, 0.5) (500 steps), with divergence and window exits recorded.",
    random: false,
    run: surfaceComparisons,
  }),
  entry({
    id: "backpropagation",
    number: 5,
    title: "Backpropagation through a 2-2-2 sigmoid network",
    description: "The classic worked example: forward values, loss, every gradient and one SGD step (lr 0.5) on the weights.",
    random: false,
    run: backpropagation,
  }),
  entry({
    id: "exponential-average",
    number: 6,
    title: "Exponentially weighted average",
    description: "30 days of seeded temperatures uniform on [0, 10), averaged with β 0.5 and 0.9, with and without bias correction.",
    random: true,
    run: exponentialAverage,
  }),
  entry({
    id: "two-steps-by-hand",
    number: 7,
    title: "Two steps by hand on w²/2",
    description: "Momentum, AdaGrad, RMSprop and Adam from w = 1: w and the state after each of two steps, next to the notes' printed values.",
    random: false,
    run: twoStepsByHand,
  }),
  entry({
    id: "learning-rate-schedules",
    number: 8,
    title: "Learning-rate schedules",
    description: "StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR and OneCycleLR from 0.1 over 200 epochs, stepped and in closed form.",
    random: false,
    run: learningRateSchedules,
  }),
  entry({
    id: "polynomial-fit",
    number: 9,
    title: "Polynomial fit with early stopping",
    description: "a·x² + b·x fitted to 0.5x² − 2x + 0.5 by five optimizers at lr 0.001, stopping after 3 steps with |Δloss| < 1e-5.",
    random: false,
    run: polynomialFit,
  }),
  entry({
    id: "gradient-descent-variants",
    number: 10,
    title: "Batch, mini-batch and stochastic gradient descent",
    description:
      "Plain SGD (lr 0.01) with batch 1000, 64 and 1 on experiment 2's data, loss per iteration and per epoch; ⌈50,000/256⌉ = 196 iterations per epoch.",
    random: true,
    run: gradientDescentVariants,
  }),
] as const);

/** The experiment with this id (or number). */
export function getExperiment(id: string | number): Experiment {
  const e = experiments.find((x) => x.id === id || x.number === id);
  if (!e) throw new RangeError(`experiment: unknown ${JSON.stringify(id)}; known: ${experiments.map((x) => x.id).join(", ")}`);
  return e;
}

/** Runs every experiment with the same options; keyed by id. */
export function runAllExperiments(opts: ExperimentOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of experiments) out[e.id] = e.run(opts);
  return out;
}
