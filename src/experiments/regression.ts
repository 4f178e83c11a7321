/**
 * Linear regression trained with mini-batches (experiment 2) and the
 * batch / mini-batch / stochastic comparison on the same data (experiment 10).
 *
 * Data: X ~ N(0, 1), 1000 × 2; y = X·[0.5, 0.8] + 0.01·U(0, 1). Model: a
 * Linear(2 → 1) layer, ŷ = X·w + b, w ~ N(0, 1), b = 0; loss the mean
 * squared error over the batch. The seed draws, in this order from one
 * stream: X row by row (x₁, x₂), the 1000 noise uniforms, then w₁, w₂.
 * Everything is f64. The training runs on the network engine
 * (src/models/): a [2, 1] model with `mse`, explicit data and initial
 * parameters, batches in order, on whichever backend's trainer is passed
 * (the reference by default).
 *
 * @packageDocumentation
 */
import { createTrainer, type Trainer, type TrainSpec } from "../models/index.js";
import type { OptimizerName } from "../optim/index.js";
import { iterationsPerEpoch, solveLinear, type ExperimentOptions } from "./common.js";
import { createRng, DEFAULT_SEED } from "./random.js";

/** Sizes and coefficients of the regression data. */
export const REGRESSION = Object.freeze({
  samples: 1000,
  features: 2,
  trueW: Object.freeze([0.5, 0.8]),
  /** Noise: noiseScale·U(0, 1). */
  noiseScale: 0.01,
});

export interface RegressionData {
  seed: number;
  /** 1000 rows of 2 features. */
  X: number[][];
  /** 1000 targets. */
  y: number[];
  /** The common starting weights w ~ N(0, 1) (b starts at 0). */
  initialW: number[];
  initialB: number;
}

/** The regression data set and the common starting weights. */
export function regressionData(seed: number = DEFAULT_SEED): RegressionData {
  const rng = createRng(seed);
  const { samples, features, trueW, noiseScale } = REGRESSION;
  const X: number[][] = [];
  for (let i = 0; i < samples; i++) {
    const row: number[] = [];
    for (let j = 0; j < features; j++) row.push(rng.normal());
    X.push(row);
  }
  const y = X.map((row) => row[0] * trueW[0] + row[1] * trueW[1] + noiseScale * rng.uniform());
  const initialW = [rng.normal(), rng.normal()];
  return { seed, X, y, initialW, initialB: 0 };
}

/** Mean squared error of (w, b) over rows [from, to). */
export function mse(data: RegressionData, w: ArrayLike<number>, b: number, from = 0, to = data.y.length): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    const x = data.X[i];
    const r = x[0] * w[0] + x[1] * w[1] + b - data.y[i];
    s += r * r;
  }
  return s / (to - from);
}

/**
 * The least-squares optimum of ŷ = Xw + b on the data (normal equations),
 * and its MSE: the lowest loss any optimizer can reach, the "noise floor".
 * With uniform noise of scale 0.01 the expected floor is about 0.01²/12 ≈ 8.3e-6
 * (the noise's variance; its mean 0.005 is absorbed by b).
 */
export function leastSquares(data: RegressionData): { w: number[]; b: number; mse: number; expectedFloor: number } {
  const A = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const rhs = [0, 0, 0];
  data.X.forEach((x, i) => {
    const v = [x[0], x[1], 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) A[r][c] += v[r] * v[c];
      rhs[r] += v[r] * data.y[i];
    }
  });
  const [w0, w1, b] = solveLinear(A, rhs);
  return { w: [w0, w1], b, mse: mse(data, [w0, w1], b), expectedFloor: REGRESSION.noiseScale ** 2 / 12 };
}

/** One training run's record. */
export interface TrainingRun {
  label: string;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  batchSize: number;
  epochs: number;
  iterationsPerEpoch: number;
  /** Full-data MSE at the start, before any step. */
  initialLoss: number;
  /** Mini-batch loss of every iteration, computed before that iteration's step. */
  iterationLoss: number[];
  /** Full-data MSE after the last step of each epoch (one per epoch). */
  epochLoss: number[];
  /** Only when asked for (experiment 10): the full-data MSE after every iteration's step. */
  fullLossPerIteration?: number[];
  /** Mean of the epoch's mini-batch losses weighted by batch size (the average squared error over the samples as they were seen during the epoch). */
  epochMeanBatchLoss: number[];
  finalW: number[];
  finalB: number;
}

/** Makes a network trainer: `createTrainer` of the reference or of a backend (`backend.createTrainer`). */
export type TrainerFactory = (spec: TrainSpec) => Trainer;

/** What the regression experiments accept besides the seed. */
export interface RegressionOptions extends ExperimentOptions {
  /** The engine that trains the model; default the reference's `createTrainer`. Pass `backend.createTrainer` to train on the wasm core. */
  createTrainer?: TrainerFactory;
}

/** The network-engine spec of one regression run: Linear(2 → 1) as a [2, 1] mse model on the explicit data, batches in order. */
export function regressionSpec(data: RegressionData, optimizer: TrainingRun["optimizer"], batchSize: number, epochs: number): TrainSpec {
  return {
    model: { layers: [2, 1] },
    loss: "mse",
    data: { x: data.X, y: data.y },
    init: { params: [data.initialW, [data.initialB]] },
    optimizer: structuredClone(optimizer),
    batchSize,
    epochs,
    shuffle: false,
    dtype: "f64",
  };
}

/**
 * Trains the Linear(2) model with mini-batches taken in order (no shuffle;
 * the last batch holds the remainder), one optimizer step per batch, on the
 * network engine.
 */
export function train(
  data: RegressionData,
  label: string,
  optimizer: TrainingRun["optimizer"],
  batchSize: number,
  epochs: number,
  recordFullLoss = false,
  make: TrainerFactory = createTrainer,
): TrainingRun {
  const n = data.y.length;
  const t = make(regressionSpec(data, optimizer, batchSize, epochs));
  try {
    const initialLoss = t.evaluate("train").loss;
    const fullLoss: number[] = [];
    if (recordFullLoss) while (t.step(1) === 1) fullLoss.push(t.evaluate("train").loss);
    else t.step(Infinity);
    const { loss: iterationLoss, epochLoss } = t.history;
    const perEpoch = t.batchesPerEpoch;
    const epochMeanBatchLoss: number[] = [];
    for (let e = 0; e < epochs; e++) {
      let seen = 0;
      for (let k = 0; k < perEpoch; k++) seen += iterationLoss[e * perEpoch + k] * (Math.min(n, (k + 1) * batchSize) - k * batchSize);
      epochMeanBatchLoss.push(seen / n);
    }
    const [w, b] = t.params();
    return {
      label,
      optimizer: structuredClone(optimizer),
      batchSize,
      epochs,
      iterationsPerEpoch: perEpoch,
      initialLoss,
      iterationLoss: iterationLoss.slice(),
      epochLoss: epochLoss.slice(),
      ...(recordFullLoss ? { fullLossPerIteration: fullLoss } : {}),
      epochMeanBatchLoss,
      finalW: w,
      finalB: b[0],
    };
  } finally {
    t.dispose();
  }
}

// ---------------------------------------------------------------------------
// Experiment 2

export interface LinearRegressionOptions extends RegressionOptions {
  /** Default 30. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
}

export interface LinearRegressionResult {
  seed: number;
  data: RegressionData;
  shape: { X: [number, number]; y: [number] };
  batchSize: number;
  epochs: number;
  iterationsPerEpoch: number;
  /** Size of the last batch of each epoch (1000 % 64 = 40). */
  lastBatchSize: number;
  /** Least-squares optimum and its MSE (the noise floor). */
  optimum: ReturnType<typeof leastSquares>;
  /** What `epochLoss` means, for the report. */
  lossDefinitions: string;
  runs: TrainingRun[];
}

/**
 * Experiment 2: Linear(2) on the seeded data, batch 64 in order, 30 epochs;
 * SGD lr 0.01, AdaGrad 0.1, RMSprop 0.1 (α 0.9), Momentum 0.01 (0.9), Adam 0.1
 * (β 0.9/0.99). ε is PyTorch's default (AdaGrad 1e-10, RMSprop 1e-8, Adam
 * 1e-8, all outside the root): the notes train this model with torch.optim.
 * Every optimizer starts from the same w and b = 0.
 */
export function linearRegression(opts: LinearRegressionOptions = {}): LinearRegressionResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  const epochs = opts.epochs ?? 30;
  const batchSize = opts.batchSize ?? 64;
  const data = regressionData(seed);
  const n = data.y.length;
  const optimizers: [string, TrainingRun["optimizer"]][] = [
    ["SGD lr 0.01", { name: "sgd", lr: 0.01 }],
    ["AdaGrad lr 0.1", { name: "adagrad", lr: 0.1 }],
    ["RMSprop lr 0.1", { name: "rmsprop", lr: 0.1, alpha: 0.9 }],
    ["Momentum lr 0.01", { name: "momentum", lr: 0.01, momentum: 0.9 }],
    ["Adam lr 0.1", { name: "adam", lr: 0.1, betas: [0.9, 0.99] }],
  ];
  return {
    seed,
    data,
    shape: { X: [n, REGRESSION.features], y: [n] },
    batchSize,
    epochs,
    iterationsPerEpoch: iterationsPerEpoch(n, batchSize),
    lastBatchSize: n % batchSize === 0 ? batchSize : n % batchSize,
    optimum: leastSquares(data),
    lossDefinitions:
      "iterationLoss: the mini-batch MSE of each iteration, before its step. epochLoss: the full-data MSE after the epoch's last step. " +
      "epochMeanBatchLoss: the mean of the epoch's mini-batch losses weighted by batch size (what a training loop that sums loss.item() reports).",
    runs: optimizers.map(([label, o]) => train(data, label, o, batchSize, epochs, false, opts.createTrainer)),
  };
}

// ---------------------------------------------------------------------------
// Experiment 10

export interface GradientDescentVariantsOptions extends RegressionOptions {
  /** Default 0.01 (the notes' SGD rate of experiment 2, stable for every batch size here). */
  lr?: number;
  /** Default 30. */
  epochs?: number;
}

export interface GradientDescentVariantsResult {
  seed: number;
  lr: number;
  epochs: number;
  samples: number;
  optimum: ReturnType<typeof leastSquares>;
  /** Full batch (1000), mini-batch (64) and stochastic (1), plain SGD, same data and start as experiment 2. */
  runs: (TrainingRun & { kind: "batch" | "mini-batch" | "stochastic" })[];
  /** The notes' arithmetic: 50,000 samples with batch 256. */
  arithmetic: { samples: number; batchSize: number; iterationsPerEpoch: number; lastBatchSize: number; exact: number };
}

/**
 * Experiment 10: batch, mini-batch and stochastic gradient descent (plain
 * SGD, same lr) on experiment 2's data from the same start, with the loss per
 * iteration (the mini-batch loss, and the full-data loss after each step, so
 * the curves compare on the same footing) and per epoch; and ⌈50,000 / 256⌉ = 196 iterations per epoch.
 */
export function gradientDescentVariants(opts: GradientDescentVariantsOptions = {}): GradientDescentVariantsResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  const lr = opts.lr ?? 0.01;
  const epochs = opts.epochs ?? 30;
  const data = regressionData(seed);
  const n = data.y.length;
  const kinds: [TrainingRun["label"], "batch" | "mini-batch" | "stochastic", number][] = [
    [`batch (${n})`, "batch", n],
    ["mini-batch (64)", "mini-batch", 64],
    ["stochastic (1)", "stochastic", 1],
  ];
  const samples = 50_000,
    batchSize = 256;
  const per = iterationsPerEpoch(samples, batchSize);
  return {
    seed,
    lr,
    epochs,
    samples: n,
    optimum: leastSquares(data),
    runs: kinds.map(([label, kind, bs]) => ({ kind, ...train(data, label, { name: "sgd", lr }, bs, epochs, true, opts.createTrainer) })),
    arithmetic: { samples, batchSize, iterationsPerEpoch: per, lastBatchSize: samples - (per - 1) * batchSize, exact: samples / batchSize },
  };
}
