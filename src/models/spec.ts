/**
 * Training specs (the JSON contract of `optimlab train` and `train(spec)`):
 * types, defaults and validation. A spec is checked completely before any
 * training starts; every error names its field (`model.layers[0]: …`,
 * `data.y[7]: …`).
 *
 * @packageDocumentation
 */
import { RUN_DEFAULTS, type DType } from "../api.js";
import { check, checkKnownKeys, rangeError, show, under } from "../errors.js";
import type { OptimizerName } from "../optim/index.js";
import { checkOptimizerAndScheduler, MAX_STEPS, type BackendName } from "../run.js";
import type { SchedulerSpec } from "../schedulers/index.js";
import { datasetNames, explicitDataset, generateDataset, type Dataset, type DataSpec, type TargetKind } from "./data.js";
import { initSchemes, paramName, paramShapes, type InitScheme } from "./init.js";
import { ACT_GELU, ACT_RELU, ACT_SIGMOID, ACT_TANH, LOSS_BCE, LOSS_CE, LOSS_MSE } from "./kernelIds.js";

export type ActivationName = "tanh" | "relu" | "sigmoid" | "gelu";
export type LossName = "mse" | "bce" | "ce";

export const activationNames: readonly ActivationName[] = Object.freeze(["tanh", "relu", "sigmoid", "gelu"]);
export const lossNames: readonly LossName[] = Object.freeze(["mse", "bce", "ce"]);

/** Kernel ids (src/models/kernelIds.ts) of each name. */
export const ACTIVATION_IDS: Readonly<Record<ActivationName, number>> = Object.freeze({ tanh: ACT_TANH, relu: ACT_RELU, sigmoid: ACT_SIGMOID, gelu: ACT_GELU });
export const LOSS_IDS: Readonly<Record<LossName, number>> = Object.freeze({ mse: LOSS_MSE, bce: LOSS_BCE, ce: LOSS_CE });

/** Initial parameters: a seeded scheme, or explicit values of every tensor (flat, torch order). */
export type InitSpec = { scheme?: InitScheme; seed?: number } | { params: number[][] };

/** A training run as written in JSON (see the README's "Networks" section). */
export interface TrainSpec {
  model: { layers: number[]; activation?: ActivationName };
  loss: LossName;
  data: DataSpec;
  init?: InitSpec;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  scheduler?: SchedulerSpec;
  batchSize: number;
  epochs: number;
  /** Shuffle the training samples at every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffling stream (default 0). */
  seed?: number;
  dtype?: DType;
  backend?: BackendName;
}

/** A validated spec with its data generated and every default filled in. */
export interface NormalizedTrainSpec {
  layers: number[];
  activation: ActivationName;
  loss: LossName;
  data: Dataset;
  init: { scheme: InitScheme; seed: number } | { params: number[][] };
  optimizer: { name: OptimizerName; [option: string]: unknown };
  scheduler: SchedulerSpec | undefined;
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  seed: number;
  dtype: DType;
  backend: BackendName | undefined;
}

export const TRAIN_DEFAULTS = { activation: "tanh" as ActivationName, shuffle: false, seed: 0, init: { scheme: "torch" as InitScheme, seed: 0 } } as const;

const SPEC_KEYS = ["model", "loss", "data", "init", "optimizer", "scheduler", "batchSize", "epochs", "shuffle", "seed", "dtype", "backend"] as const;

/** Largest layer width and parameter count accepted (typos must not allocate gigabytes). */
export const MAX_WIDTH = 65536;
export const MAX_PARAMS = 1 << 26;

/** Mini-batches per epoch: ⌈n / batchSize⌉ (the last one partial, as torch's drop_last=False). */
export function batchesPerEpoch(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

function required(s: Record<string, unknown>, key: string, what: string): void {
  if (s[key] === undefined) throw rangeError(key, `is required: ${what}`);
}

/** Checks a spec completely and fills defaults; errors name the field (the caller prefixes `specs[3]`). */
export function normalizeTrainSpec(raw: unknown): NormalizedTrainSpec {
  const s = check.object("", raw);
  checkKnownKeys(s, SPEC_KEYS, "a training spec");
  required(s, "model", "{ layers: [inputs, …hidden, outputs], activation }");
  required(s, "loss", `one of ${lossNames.join(", ")}`);
  required(s, "data", `a data set name (${datasetNames.join(", ")}), { name, n, noise, seed, testFraction } or { x, y }`);
  required(s, "optimizer", "{ name, ...options }");
  required(s, "batchSize", "an integer ≥ 1");
  required(s, "epochs", "an integer ≥ 0");

  const model = check.object("model", s.model);
  under("model", () => checkKnownKeys(model, ["layers", "activation"], "a model"));
  if (model.layers === undefined) throw rangeError("model.layers", "is required: [inputs, …hidden, outputs], e.g. [2, 16, 16, 1]");
  const layersRaw = check.array("model.layers", model.layers);
  if (layersRaw.length < 2) throw rangeError("model.layers", `must list at least the inputs and the outputs; got ${show(layersRaw)}`);
  const layers = layersRaw.map((v, i) => check.number(`model.layers[${i}]`, v, { min: 1, max: MAX_WIDTH, integer: true }));
  const shapes = paramShapes(layers);
  const total = shapes.reduce((a, sh) => a + sh.reduce((x, y) => x * y, 1), 0);
  if (total > MAX_PARAMS) throw rangeError("model.layers", `make ${total} parameters; at most ${MAX_PARAMS}`);
  const activation = model.activation === undefined ? TRAIN_DEFAULTS.activation : check.oneOf("model.activation", model.activation, activationNames);
  const loss = check.oneOf("loss", s.loss, lossNames);
  const dtype = s.dtype === undefined ? RUN_DEFAULTS.dtype : check.oneOf("dtype", s.dtype, ["f32", "f64"] as const);
  const backend = s.backend === undefined ? undefined : check.oneOf("backend", s.backend, ["js", "wasm"] as const);

  const data = under("data", () => makeData(s.data, loss));
  checkShapes(layers, loss, data);

  const batchSize = check.number("batchSize", s.batchSize, { min: 1, max: 1 << 20, integer: true });
  const epochs = check.number("epochs", s.epochs, { min: 0, max: MAX_STEPS, integer: true });
  const steps = epochs * batchesPerEpoch(data.train.n, batchSize);
  if (steps > MAX_STEPS) throw rangeError("epochs", `make ${steps} mini-batch steps; at most ${MAX_STEPS}`);
  const shuffle = s.shuffle === undefined ? TRAIN_DEFAULTS.shuffle : check.boolean("shuffle", s.shuffle);
  const seed = s.seed === undefined ? TRAIN_DEFAULTS.seed : check.number("seed", s.seed, { min: 0, max: 0xffffffff, integer: true });
  const init = under("init", () => normalizeInit(s.init, layers));

  const { optRaw, scheduler, stepLimit: limit } = checkOptimizerAndScheduler(s.optimizer, s.scheduler, dtype);
  if (scheduler !== undefined) {
    if (scheduler.name !== "reduceLROnPlateau" && steps > limit) {
      throw rangeError(
        "epochs",
        `make ${steps} mini-batch steps but the scheduler accepts at most ${limit} (its oneCycleLR totalSteps); lower epochs or raise totalSteps`,
      );
    }
  }
  return {
    layers,
    activation,
    loss,
    data,
    init,
    optimizer: optRaw as NormalizedTrainSpec["optimizer"],
    scheduler,
    batchSize,
    epochs,
    shuffle,
    seed,
    dtype,
    backend,
  };
}

function makeData(raw: unknown, loss: LossName): Dataset {
  if (typeof raw === "string") return generateDataset(check.oneOf("", raw, datasetNames));
  const o = check.object("", raw);
  if (o.name !== undefined) return generateDataset(o as never);
  if (o.x === undefined && o.y === undefined) {
    throw rangeError("", `must name a data set (${datasetNames.join(", ")}) or give explicit { x, y }; got ${show(raw)}`);
  }
  const kind: TargetKind = loss === "ce" ? "classIndex" : loss === "bce" ? "binaryRows" : "numbers";
  return explicitDataset(o as never, kind);
}

/** The model's inputs and outputs against the data and the loss. */
function checkShapes(layers: number[], loss: LossName, data: Dataset): void {
  const last = layers.length - 1,
    K = layers[last],
    which = data.name === "explicit" ? "the data" : data.name;
  if (layers[0] !== data.features) {
    throw rangeError("model.layers[0]", `is ${layers[0]} but ${which} has ${data.features} feature${data.features === 1 ? "" : "s"} per sample`);
  }
  if (loss === "mse") {
    if (data.kind !== "regression") throw rangeError("loss", `mse needs numeric targets; ${which} is a classification set (use bce or ce)`);
    if (K !== data.targets)
      throw rangeError(
        `model.layers[${last}]`,
        `is ${K} but each target has ${data.targets} value${data.targets === 1 ? "" : "s"} (mse needs one output per target value)`,
      );
    return;
  }
  if (data.kind !== "classification") throw rangeError("loss", `${loss} needs class labels; ${which} is a regression set (use mse)`);
  if (loss === "bce") {
    if ((data.classes ?? 2) > 2) throw rangeError("loss", `bce is for two classes; ${which} has ${data.classes} (use ce)`);
    if (K !== data.targets) throw rangeError(`model.layers[${last}]`, `is ${K} but bce needs one output per target value (${data.targets} here)`);
    return;
  }
  if (K < 2) throw rangeError(`model.layers[${last}]`, `is ${K}; ce needs one output per class (at least 2)`);
  if (data.name === "explicit") {
    for (const [split, d] of [
      ["", data.train],
      ["test.", data.test],
    ] as const) {
      if (!d) continue;
      for (let i = 0; i < d.n; i++) {
        if (d.y[i] >= K) throw rangeError(`data.${split}y[${i}]`, `is ${d.y[i]}; a ${K}-output ce model takes class indices 0 … ${K - 1}`);
      }
    }
  } else if ((data.classes ?? 0) > K) {
    throw rangeError(`model.layers[${last}]`, `is ${K} but ${which} has ${data.classes} classes (ce needs one output per class)`);
  }
}

function normalizeInit(raw: unknown, layers: number[]): NormalizedTrainSpec["init"] {
  if (raw === undefined) return { ...TRAIN_DEFAULTS.init };
  const o = check.object("", raw);
  if (o.params !== undefined) {
    checkKnownKeys(o, ["params"], "explicit initial parameters");
    const shapes = paramShapes(layers);
    const list = check.array("params", o.params);
    if (list.length !== shapes.length) {
      throw rangeError("params", `has ${list.length} tensors; [${layers.join(", ")}] has ${shapes.length} (W1, b1, W2, b2, …, each flat in torch's layout)`);
    }
    return {
      params: list.map((t, i) => {
        const a = check.array(`params[${i}]`, t);
        const size = shapes[i].reduce((x, y) => x * y, 1);
        if (a.length !== size) throw rangeError(`params[${i}]`, `has ${a.length} values; ${paramName(layers, i)} needs ${size}`);
        return a.map((v, j) => check.finite(`params[${i}][${j}]`, v));
      }),
    };
  }
  checkKnownKeys(o, ["scheme", "seed"], "an init scheme");
  return {
    scheme: o.scheme === undefined ? TRAIN_DEFAULTS.init.scheme : check.oneOf("scheme", o.scheme, initSchemes),
    seed: o.seed === undefined ? TRAIN_DEFAULTS.init.seed : check.number("seed", o.seed, { min: 0, max: 0xffffffff, integer: true }),
  };
}

/** Class-free helper for callers that need a spec's mini-batch count. */
export function totalSteps(spec: Pick<NormalizedTrainSpec, "data" | "batchSize" | "epochs">): number {
  return spec.epochs * batchesPerEpoch(spec.data.train.n, spec.batchSize);
}
