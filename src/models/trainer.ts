/**
 * Training: the epoch and mini-batch loop shared by both backends, and the
 * stepping API the lab drives (create a trainer, advance k mini-batches, read
 * losses and parameters, evaluate the model on a grid).
 *
 * One epoch: the training samples in order, or in a fresh Fisher–Yates
 * permutation from the trainer's stream (seed `seed`) when `shuffle`; then
 * ⌈n / batchSize⌉ mini-batches, the last one partial. One mini-batch:
 * forward and backward (the mean loss, torch's default reduction), the loss
 * recorded, one optimizer step with gradients of this batch (an optimizer
 * whose step takes a closure gets one that re-evaluates the same batch), then
 * one scheduler step (except reduceLROnPlateau). After an epoch's last batch:
 * the loss (and accuracy) over the whole training set and the test split, and
 * reduceLROnPlateau's step with that training loss.
 *
 * @packageDocumentation
 */
import type { DType, FloatArray, ParamTensor } from "../api.js";
import { rangeError } from "../errors.js";
import { createRng, type Rng } from "../experiments/random.js";
import type { OptimizerName } from "../optim/index.js";
import type { Optimizer } from "../optim/optimizer.js";
import { createScheduler, type LRScheduler } from "../schedulers/index.js";
import { shuffleInPlace } from "./data.js";
import { initialParams } from "./init.js";
import { Network, type KernelSet, type LayerParams } from "./network.js";
import { ACTIVATION_IDS, batchesPerEpoch, LOSS_IDS, normalizeTrainSpec, type NormalizedTrainSpec, type TrainSpec } from "./spec.js";

/** What `optimlab train` prints for one spec. */
export interface TrainResult {
  /** The mini-batch loss of every step, before that step's update. */
  loss: number[];
  /** The loss over the whole training set after each epoch. */
  epochLoss: number[];
  /** Classification: the training-set accuracy after each epoch. */
  accuracy?: number[];
  /** When there is a test split: its loss (and accuracy) after each epoch. */
  testLoss?: number[];
  testAccuracy?: number[];
  /** Every tensor's values in torch's order (W1, b1, W2, b2, …), W row-major out × in. */
  params: number[][];
}

/** What a trainer needs from a backend: parameter tensors, optimizers over them, and its kernels. */
export interface TrainerBackend<B, I> {
  param(dtype: DType, init: number | ArrayLike<number>): ParamTensor;
  createOptimizer(name: OptimizerName, params: ParamTensor[], options?: Record<string, unknown>): Optimizer;
  kernels(dtype: DType): KernelSet<B, I>;
  /** The kernel set's handles on a parameter's data and gradient. */
  paramBuffers(p: ParamTensor): { data: B; grad: B };
}

/** Everything recorded so far. */
export interface TrainHistory {
  loss: number[];
  /** The learning rate of each step taken. */
  lr: number[];
  epochLoss: number[];
  accuracy: number[];
  testLoss: number[];
  testAccuracy: number[];
}

/** The share of correct predictions: bce z > 0 ⇔ y = 1 per output, ce argmax (first on ties) = y. */
export function accuracyOf(loss: NormalizedTrainSpec["loss"], outputs: FloatArray, targets: FloatArray, K: number, n: number, S: number): number {
  let right = 0;
  if (loss === "bce") {
    for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) if (outputs[k * S + i] > 0 === (targets[k * S + i] === 1)) right++;
    return right / (K * n);
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (outputs[k * S + i] > outputs[best * S + i]) best = k;
    if (best === targets[i] && !Number.isNaN(outputs[best * S + i])) right++;
  }
  return right / n;
}

/**
 * A network being trained. Create one with `createTrainer(spec)` (the
 * reference) or `backend.createTrainer(spec)`; `step(k)` advances k
 * mini-batches; `history`, `params()`, `evaluate()`, `predict()` and `grid()`
 * read it at any point; `dispose()` frees its memory.
 */
export class Trainer<B = unknown, I = unknown> {
  readonly spec: NormalizedTrainSpec;
  readonly optimizer: Optimizer;
  readonly scheduler: LRScheduler | undefined;
  /** Parameter tensors in torch's order, in the backend's memory. */
  readonly paramTensors: readonly ParamTensor[];
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  readonly history: TrainHistory = { loss: [], lr: [], epochLoss: [], accuracy: [], testLoss: [], testAccuracy: [] };
  private readonly net: Network<B, I>;
  private readonly rng: Rng;
  private readonly order: Int32Array;
  private readonly plateau: boolean;
  private batchInEpoch = 0;
  private epochsDone = 0;
  private disposed = false;
  private readonly closure = (): number => this.net.lossAndGrad();

  constructor(spec: NormalizedTrainSpec, backend: TrainerBackend<B, I>) {
    this.spec = spec;
    const { layers, dtype, data } = spec;
    const values = "params" in spec.init ? spec.init.params : initialParams(layers, spec.init.scheme, spec.init.seed);
    this.paramTensors = values.map((v) => backend.param(dtype, v));
    const { name, ...options } = spec.optimizer;
    const created: { dispose(): void }[] = [];
    try {
      this.optimizer = backend.createOptimizer(name, this.paramTensors as ParamTensor[], options);
      this.scheduler = spec.scheduler ? createScheduler(this.optimizer, spec.scheduler) : undefined;
      const buf = this.paramTensors.map((p) => backend.paramBuffers(p));
      const lp: LayerParams<B>[] = [];
      for (let l = 0; l + 1 < layers.length; l++) lp.push({ W: buf[2 * l], b: buf[2 * l + 1] });
      const K = layers[layers.length - 1];
      const targetRows = spec.loss === "ce" ? 1 : K;
      const g = spec.loss === "mse" ? (n: number) => 2 / (K * n) : spec.loss === "bce" ? (n: number) => 1 / (K * n) : (n: number) => 1 / n;
      const batch = Math.min(spec.batchSize, data.train.n);
      this.net = new Network(backend.kernels(dtype), layers, ACTIVATION_IDS[spec.activation], LOSS_IDS[spec.loss], targetRows, lp, g, batch);
      created.push(this.net);
      this.net.setData("train", data.train.x, data.train.y, data.train.n);
      if (data.test) this.net.setData("test", data.test.x, data.test.y, data.test.n);
    } catch (e) {
      for (const c of created) c.dispose();
      for (const p of this.paramTensors) p.dispose();
      throw e;
    }
    this.plateau = spec.scheduler?.name === "reduceLROnPlateau";
    this.rng = createRng(spec.seed);
    this.order = new Int32Array(data.train.n);
    this.batchesPerEpoch = batchesPerEpoch(data.train.n, spec.batchSize);
    this.totalSteps = spec.epochs * this.batchesPerEpoch;
  }

  /** Mini-batch steps taken. */
  get stepCount(): number {
    return this.history.loss.length;
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.epochsDone;
  }

  /** Whether every epoch of the spec has run. */
  get done(): boolean {
    return this.epochsDone >= this.spec.epochs;
  }

  /** Advances up to k mini-batches (fewer when the spec's epochs end first); returns how many ran. */
  step(k = 1): number {
    this.alive();
    let ran = 0;
    for (; ran < k && !this.done; ran++) this.stepOnce();
    return ran;
  }

  /** Runs every remaining step. */
  run(): TrainResult {
    this.step(Infinity);
    return this.result();
  }

  private stepOnce(): void {
    const n = this.spec.data.train.n,
      bs = this.spec.batchSize;
    if (this.batchInEpoch === 0) {
      for (let i = 0; i < n; i++) this.order[i] = i;
      if (this.spec.shuffle) shuffleInPlace(this.order, this.rng);
      this.net.setOrder(this.order);
    }
    const from = this.batchInEpoch * bs;
    this.net.selectBatch(from, Math.min(n, from + bs));
    this.history.loss.push(this.net.lossAndGrad());
    this.history.lr.push(this.optimizer.lr);
    (this.optimizer.step as (closure?: () => number) => unknown).call(this.optimizer, this.closure);
    if (this.scheduler && !this.plateau) this.scheduler.step();
    if (++this.batchInEpoch === this.batchesPerEpoch) {
      this.batchInEpoch = 0;
      this.epochsDone++;
      this.endEpoch();
    }
  }

  private endEpoch(): void {
    const h = this.history;
    const train = this.evaluate("train");
    h.epochLoss.push(train.loss);
    if (train.accuracy !== undefined) h.accuracy.push(train.accuracy);
    if (this.spec.data.test) {
      const test = this.evaluate("test");
      h.testLoss.push(test.loss);
      if (test.accuracy !== undefined) h.testAccuracy.push(test.accuracy);
    }
    if (this.plateau) this.scheduler!.step(train.loss);
  }

  /** The mean loss (and, for classification, the accuracy) over the training set or the test split, at the current parameters. */
  evaluate(which: "train" | "test" = "train"): { loss: number; accuracy?: number } {
    this.alive();
    if (which === "test" && !this.spec.data.test) throw rangeError("which", "this trainer's data has no test split (give data.testFraction or data.test)");
    const r = this.net.evaluate(which);
    const K = this.spec.layers[this.spec.layers.length - 1];
    if (this.spec.loss === "mse") return { loss: r.loss };
    return { loss: r.loss, accuracy: accuracyOf(this.spec.loss, r.outputs, r.targets, K, r.n, r.S) };
  }

  /** The model's outputs (logits for bce and ce) at n points given sample-major (n × inputs); sample-major n × outputs. */
  predict(x: ArrayLike<number>, n = x.length / this.spec.layers[0]): Float64Array {
    this.alive();
    if (!Number.isInteger(n) || n < 0 || n * this.spec.layers[0] > x.length) {
      throw rangeError("x", `must hold n × ${this.spec.layers[0]} values (sample-major); got ${x.length} for n = ${n}`);
    }
    return n === 0 ? new Float64Array(0) : this.net.predict(x, n);
  }

  /**
   * The outputs on an nx × ny grid over [x0, x1] × [y0, y1] (a 2-input model):
   * row-major with y outer, as the test functions' grids; point (i, j) is
   * (x0 + i·(x1 − x0)/(nx − 1), y0 + j·(y1 − y0)/(ny − 1)); K outputs per point.
   */
  grid(x: [number, number], y: [number, number], nx: number, ny: number): Float64Array {
    if (this.spec.layers[0] !== 2) throw rangeError("grid", `needs a model with 2 inputs; this one has ${this.spec.layers[0]}`);
    if (!(Number.isInteger(nx) && Number.isInteger(ny) && nx >= 1 && ny >= 1)) throw rangeError("grid", `nx and ny must be integers ≥ 1; got ${nx}, ${ny}`);
    const pts = new Float64Array(2 * nx * ny);
    for (let j = 0; j < ny; j++) {
      const yv = ny === 1 ? y[0] : y[0] + (j * (y[1] - y[0])) / (ny - 1);
      for (let i = 0; i < nx; i++) {
        pts[2 * (j * nx + i)] = nx === 1 ? x[0] : x[0] + (i * (x[1] - x[0])) / (nx - 1);
        pts[2 * (j * nx + i) + 1] = yv;
      }
    }
    return this.predict(pts, nx * ny);
  }

  /** Every tensor's current values (plain arrays, torch order). */
  params(): number[][] {
    this.alive();
    return this.paramTensors.map((p) => Array.from(p.data));
  }

  /** The contract's result so far (copies). */
  result(): TrainResult {
    const h = this.history;
    const classification = this.spec.loss !== "mse";
    return {
      loss: h.loss.slice(),
      epochLoss: h.epochLoss.slice(),
      ...(classification ? { accuracy: h.accuracy.slice() } : {}),
      ...(this.spec.data.test ? { testLoss: h.testLoss.slice(), ...(classification ? { testAccuracy: h.testAccuracy.slice() } : {}) } : {}),
      params: this.params(),
    };
  }

  /** Frees the trainer's memory (tensors, optimizer state, buffers). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net.dispose();
    (this.optimizer as { dispose?: () => void }).dispose?.();
    for (const p of this.paramTensors) p.dispose();
  }

  private alive(): void {
    if (this.disposed) throw new Error("this trainer was disposed");
  }
}

/** Validates a spec and creates its trainer on the given backend parts (each backend's createTrainer calls this). */
export function createTrainerWith<B, I>(backend: TrainerBackend<B, I>, spec: TrainSpec): Trainer<B, I> {
  return new Trainer(normalizeTrainSpec(spec), backend);
}
