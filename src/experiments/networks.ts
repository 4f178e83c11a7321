/**
 * Every optimizer of the registry trains the same small network on moons
 * and on spirals: the report's "Networks" section (data only; the figures
 * are drawn in src/report/networks.ts).
 *
 * One problem: a [2, 16, 16, 1] tanh network with a bce loss on 400 seeded
 * samples (a quarter held out), mini-batches of 32 shuffled every epoch, f32,
 * nn.Linear's initialisation with seed 0, so every optimizer starts from the
 * same weights and sees the same batches. Each optimizer runs at the
 * learning rate of {@link NETWORK_LRS} (a one-off grid search, see
 * scripts/nets-lr-pilot.mjs), or at its own default lr when the table has no
 * entry for it (an optimizer added after the pilot last ran).
 *
 * @packageDocumentation
 */
import type { GeneratedDataSpec, Trainer, TrainSpec } from "../models/index.js";
import { optimizerDefs, optimizerNames, resolveOptimizer, type OptimizerName } from "../optim/index.js";
import { resolveOptions } from "../schema.js";
import { NETWORK_LRS, NETWORK_PILOT } from "./networkLrs.js";

export { NETWORK_LRS, NETWORK_PILOT };
import { createTrainer } from "../models/index.js";

/** Makes a trainer (the reference's `createTrainer` or a backend's). */
export type NetworkTrainerFactory = (spec: TrainSpec) => Trainer;

export type NetworkProblemId = "moons" | "spirals";

/** One data set and how long to train on it. */
export interface NetworkProblem {
  id: NetworkProblemId;
  title: string;
  data: GeneratedDataSpec;
  layers: number[];
  epochs: number;
  /** Window of the decision-boundary figures. */
  window: { x: [number, number]; y: [number, number] };
}

/** The two problems of the section. */
export const NETWORK_PROBLEMS: readonly NetworkProblem[] = Object.freeze([
  {
    id: "moons",
    title: "moons",
    data: { name: "moons", n: 400, noise: 0.1, seed: 1, testFraction: 0.25 },
    layers: [2, 16, 16, 1],
    epochs: 50,
    window: { x: [-1.5, 2.5], y: [-1, 1.5] },
  },
  {
    id: "spirals",
    title: "spirals",
    data: { name: "spirals", n: 400, noise: 0.1, seed: 1, testFraction: 0.25 },
    layers: [2, 16, 16, 1],
    epochs: 200,
    window: { x: [-6, 6], y: [-6, 6] },
  },
]);

/** What every run of the section shares. */
export const NETWORK_SETTINGS = Object.freeze({
  activation: "tanh",
  loss: "bce",
  batchSize: 32,
  shuffle: true,
  seed: 0,
  dtype: "f32",
  init: Object.freeze({ scheme: "torch", seed: 0 }),
} as const);

/** The training spec of one optimizer on one problem. */
export function networkSpec(p: NetworkProblem, optimizer: { name: OptimizerName; lr: number }): TrainSpec {
  const s = NETWORK_SETTINGS;
  return {
    model: { layers: p.layers.slice(), activation: s.activation },
    loss: s.loss,
    data: { ...p.data },
    init: { ...s.init },
    optimizer: { ...optimizer },
    batchSize: s.batchSize,
    epochs: p.epochs,
    shuffle: s.shuffle,
    seed: s.seed,
    dtype: s.dtype,
  };
}

/** An optimizer's own default learning rate (its schema's, aliases resolved). */
export function defaultLr(name: OptimizerName): number {
  const r = resolveOptimizer(name);
  return (resolveOptions(optimizerDefs[name].schema, r.options, name) as { lr: number }).lr;
}

/** The learning rate of an optimizer on a problem, and where it comes from. */
export function networkLr(name: OptimizerName, problem: NetworkProblemId): { lr: number; source: "pilot" | "default" } {
  const lr = NETWORK_LRS[problem]?.[name];
  return lr === undefined ? { lr: defaultLr(name), source: "default" } : { lr, source: "pilot" };
}

/** One optimizer's training on one problem. */
export interface NetworkRun {
  optimizer: OptimizerName;
  lr: number;
  lrSource: "pilot" | "default";
  /** Training-set loss before the first step (the same for every optimizer). */
  initialLoss: number;
  initialTestLoss: number;
  /** After each epoch: training loss and accuracy, test loss and accuracy. */
  epochLoss: number[];
  accuracy: number[];
  testLoss: number[];
  testAccuracy: number[];
  /** First epoch (1-based) whose training accuracy is at least 0.95, or null. */
  epochsTo95: number | null;
  /** The final model's logits on the problem's window, `grid.nx` × `grid.ny`, y outer (left out of results.json). */
  grid?: { values: Float64Array; nx: number; ny: number };
}

export interface NetworkProblemResult {
  problem: NetworkProblem;
  /** The training samples (sample-major x, labels), for the figures. */
  train: { x: number[]; y: number[] };
  steps: number;
  runs: NetworkRun[];
}

export interface NetworksResult {
  settings: typeof NETWORK_SETTINGS;
  pilot: typeof NETWORK_PILOT;
  problems: NetworkProblemResult[];
}

/** Samples per side of the decision-boundary grids. */
export const NETWORK_GRID = 96;

/**
 * Trains every optimizer (default: the whole registry) on both problems with
 * `make` (default the reference engine) and keeps the histories and each
 * final model's boundary grid.
 */
export function runNetworks(o: { createTrainer?: NetworkTrainerFactory; optimizers?: readonly OptimizerName[]; grid?: number } = {}): NetworksResult {
  const make = o.createTrainer ?? createTrainer;
  const names = o.optimizers ?? optimizerNames;
  const side = o.grid ?? NETWORK_GRID;
  const problems = NETWORK_PROBLEMS.map((problem): NetworkProblemResult => {
    let train: NetworkProblemResult["train"] = { x: [], y: [] };
    let steps = 0;
    const runs = names.map((name): NetworkRun => {
      const { lr, source } = networkLr(name, problem.id);
      const t = make(networkSpec(problem, { name, lr }));
      try {
        if (!train.x.length) train = { x: Array.from(t.spec.data.train.x), y: Array.from(t.spec.data.train.y) };
        const initialLoss = t.evaluate("train").loss,
          initialTestLoss = t.evaluate("test").loss;
        t.step(Infinity);
        steps = t.stepCount;
        const h = t.history;
        const reached = h.accuracy.findIndex((a) => a >= 0.95);
        return {
          optimizer: name,
          lr,
          lrSource: source,
          initialLoss,
          initialTestLoss,
          epochLoss: h.epochLoss.slice(),
          accuracy: h.accuracy.slice(),
          testLoss: h.testLoss.slice(),
          testAccuracy: h.testAccuracy.slice(),
          epochsTo95: reached < 0 ? null : reached + 1,
          grid: { values: t.grid(problem.window.x, problem.window.y, side, side), nx: side, ny: side },
        };
      } finally {
        t.dispose();
      }
    });
    return { problem, train, steps, runs };
  });
  return { settings: NETWORK_SETTINGS, pilot: NETWORK_PILOT, problems };
}
