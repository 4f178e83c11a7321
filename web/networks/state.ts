/**
 * The Networks view's state: a data set, a dense network, a batch size and
 * several optimizers that train the same network from the same initial
 * weights. Everything a trainer needs comes from here (`netsSpec`), and the
 * library validates it (`normalizeTrainSpec`): the view never checks a
 * field itself.
 */
import {
  DATA_DEFAULTS,
  datasetNames,
  generateDataset,
  normalizeTrainSpec,
  type ActivationName,
  type DatasetName,
  type OptimizerName,
  type TrainSpec,
} from "optimlab";
import { networkLr } from "optimlab/experiments";
import { schedulerSpec, type OptimizerEntry } from "../state.js";

export interface NetsData {
  name: DatasetName;
  n: number;
  noise: number;
  seed: number;
  testFraction: number;
  /** circles only. */
  factor?: number;
  /** gaussians only. */
  classes?: number;
}

export interface NetsState {
  data: NetsData;
  /** Hidden layer widths (empty: a linear model). */
  hidden: number[];
  activation: ActivationName;
  batchSize: number;
  epochs: number;
  /** Seed of the initial weights and of the shuffling. */
  seed: number;
  dtype: "f32" | "f64";
  optimizers: OptimizerEntry[];
  /** Mini-batches each optimizer takes per redraw. */
  speed: number;
}

export const NETS_MAX_OPTIMIZERS = 8;
export const NETS_SPEEDS = [1, 2, 5, 10, 25] as const;
export const NETS_MAX_EPOCHS = 10_000;
export const NETS_MAX_SAMPLES = 5000;
export const NETS_MAX_WIDTH = 256;
export const NETS_MAX_HIDDEN = 6;

/** The noise each data set starts with when picked (the Playground's feel: visible, not overwhelming). */
export const NOISE_PRESET: Readonly<Record<DatasetName, number>> = { moons: 0.1, circles: 0.05, spirals: 0.1, xor: 0, gaussians: 1, linear: 0.1, sine: 0.1 };

/** The lr an optimizer starts with here: the report's grid-search lr on moons (src/experiments/networkLrs.ts), else its default. */
export function netsLr(name: OptimizerName): number {
  return networkLr(name, "moons").lr;
}

const entry = (name: OptimizerName): OptimizerEntry => ({ name, options: { lr: netsLr(name) } });

export function defaultNets(): NetsState {
  return {
    data: { name: "moons", n: 400, noise: 0.1, seed: 1, testFraction: 0.25 },
    hidden: [16, 16],
    activation: "tanh",
    batchSize: 32,
    epochs: 200,
    seed: 0,
    dtype: "f32",
    optimizers: (["sgd", "momentum", "adagrad", "rmsprop", "adam", "lion"] as const).map(entry),
    speed: 1,
  };
}

/** Regression (linear, sine: one input, mse) or classification (bce for two classes, ce for more). */
export function taskOf(d: NetsData): { kind: "classification" | "regression"; inputs: number; classes: number; loss: "bce" | "ce" | "mse"; outputs: number } {
  if (d.name === "linear" || d.name === "sine") return { kind: "regression", inputs: 1, classes: 0, loss: "mse", outputs: 1 };
  const classes = d.name === "gaussians" ? (d.classes ?? DATA_DEFAULTS.classes) : 2;
  return { kind: "classification", inputs: 2, classes, loss: classes > 2 ? "ce" : "bce", outputs: classes > 2 ? classes : 1 };
}

export function layersOf(s: NetsState): number[] {
  const t = taskOf(s.data);
  return [t.inputs, ...s.hidden, t.outputs];
}

/** The library's data spec of the state. */
export function dataSpec(d: NetsData) {
  return {
    name: d.name,
    n: d.n,
    noise: d.noise,
    seed: d.seed,
    testFraction: d.testFraction,
    ...(d.name === "circles" && d.factor !== undefined ? { factor: d.factor } : {}),
    ...(d.name === "gaussians" && d.classes !== undefined ? { classes: d.classes } : {}),
  };
}

/** The training spec of optimizer k. */
export function netsSpec(s: NetsState, k: number): TrainSpec {
  const o = s.optimizers[k];
  return {
    model: { layers: layersOf(s), activation: s.activation },
    loss: taskOf(s.data).loss,
    data: dataSpec(s.data),
    init: { scheme: "torch", seed: s.seed },
    optimizer: { name: o.name, ...o.options },
    ...(o.scheduler ? { scheduler: schedulerSpec(o.scheduler) } : {}),
    batchSize: s.batchSize,
    epochs: s.epochs,
    shuffle: true,
    seed: s.seed,
    dtype: s.dtype,
  };
}

/** Throws the library's field error when optimizer k's training would be refused. */
export function checkNets(s: NetsState, k: number): void {
  normalizeTrainSpec(netsSpec(s, k));
}

/** Mini-batches per epoch and in the whole training (sizes a newly picked scheduler). */
export function netsSteps(s: NetsState): number {
  const train = s.data.n - Math.round(s.data.n * s.data.testFraction);
  return s.epochs * Math.ceil(Math.max(1, train) / s.batchSize);
}

/** Throws a field error when the data or the model (without any optimizer) cannot be built. */
export function checkProblem(s: NetsState): void {
  generateDataset(dataSpec(s.data));
  if (s.hidden.length > NETS_MAX_HIDDEN) throw new Error(`hidden: at most ${NETS_MAX_HIDDEN} hidden layers; got ${s.hidden.length}`);
  s.hidden.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > NETS_MAX_WIDTH) throw new Error(`hidden[${i}]: must be an integer 1…${NETS_MAX_WIDTH}; got ${w}`);
  });
  if (s.data.n > NETS_MAX_SAMPLES) throw new Error(`data.n: the lab draws at most ${NETS_MAX_SAMPLES} samples; got ${s.data.n}`);
  if (!(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= NETS_MAX_EPOCHS))
    throw new Error(`epochs: must be an integer 1…${NETS_MAX_EPOCHS}; got ${s.epochs}`);
}

export { datasetNames };
