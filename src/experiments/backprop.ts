/**
 * Experiment 5: backpropagation through the 2-2-2 sigmoid network of the
 * classic worked example (Matt Mazur, "A Step by Step Backpropagation
 * Example"), one SGD step with the library's `sgd` on the weight tensors.
 *
 * Layout: W1 rows are the hidden units h1, h2 and columns the inputs i1, i2,
 * so W1 = [[w1, w2], [w3, w4]] = [[0.15, 0.20], [0.25, 0.30]] and
 * net_h1 = w1·i1 + w2·i2 + b1; W2 = [[w5, w6], [w7, w8]] = [[0.40, 0.45],
 * [0.50, 0.55]], net_o1 = w5·out_h1 + w6·out_h2 + b2. Loss E = Σ(o − t)²/2.
 * As in the example (and the notes), only the weights are updated; the
 * biases b1 = 0.35, b2 = 0.60 stay fixed (their gradients are reported too).
 * Every gradient is computed at the original weights before the step.
 *
 * @packageDocumentation
 */
import { createOptimizer } from "../optim/index.js";
import type { ExperimentOptions } from "./common.js";
import { DEFAULT_SEED } from "./random.js";

/** The example's network and data. */
export const MAZUR: Readonly<{
  W1: readonly (readonly number[])[];
  W2: readonly (readonly number[])[];
  b1: number;
  b2: number;
  input: readonly number[];
  target: readonly number[];
  lr: number;
}> = Object.freeze({
  W1: Object.freeze([Object.freeze([0.15, 0.2]), Object.freeze([0.25, 0.3])]),
  W2: Object.freeze([Object.freeze([0.4, 0.45]), Object.freeze([0.5, 0.55])]),
  b1: 0.35,
  b2: 0.6,
  input: Object.freeze([0.05, 0.1]),
  target: Object.freeze([0.01, 0.99]),
  lr: 0.5,
});

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

type Matrix = readonly (readonly number[])[];

export interface Forward {
  netHidden: number[];
  outHidden: number[];
  netOutput: number[];
  outOutput: number[];
  /** Per output: (o − t)²/2. */
  lossPerOutput: number[];
  loss: number;
}

/** The forward pass of the 2-2-2 network (a bias shared by each layer, as in the example). */
export function mazurForward(W1: Matrix, W2: Matrix, b1: number, b2: number, input: readonly number[], target: readonly number[]): Forward {
  const netHidden = W1.map((row) => row[0] * input[0] + row[1] * input[1] + b1);
  const outHidden = netHidden.map(sigmoid);
  const netOutput = W2.map((row) => row[0] * outHidden[0] + row[1] * outHidden[1] + b2);
  const outOutput = netOutput.map(sigmoid);
  const lossPerOutput = outOutput.map((o, k) => ((o - target[k]) * (o - target[k])) / 2);
  return { netHidden, outHidden, netOutput, outOutput, lossPerOutput, loss: lossPerOutput[0] + lossPerOutput[1] };
}

export interface BackpropResult {
  seed: number;
  network: {
    W1: number[][];
    W2: number[][];
    b1: number;
    b2: number;
    input: number[];
    target: number[];
    lr: number;
  };
  forward: Forward;
  /** δ of each output unit: ∂E/∂net_o = (o − t)·o·(1 − o). */
  deltaOutput: number[];
  /** δ of each hidden unit: ∂E/∂net_h = (Σ_k δ_k·W2[k][h])·out_h·(1 − out_h), with the original W2. */
  deltaHidden: number[];
  gradients: {
    W1: number[][];
    W2: number[][];
    /** ∂E/∂w1 … ∂E/∂w8, the example's names (w1..w4 = W1 row-major, w5..w8 = W2 row-major). */
    named: Record<"w1" | "w2" | "w3" | "w4" | "w5" | "w6" | "w7" | "w8", number>;
    /** ∂E/∂b1 (shared by both hidden units) and ∂E/∂b2: reported, not applied. */
    b1: number;
    b2: number;
  };
  updated: {
    W1: number[][];
    W2: number[][];
    named: Record<"w1" | "w2" | "w3" | "w4" | "w5" | "w6" | "w7" | "w8", number>;
    b1: number;
    b2: number;
  };
  biasesUpdated: false;
  /** The forward pass with the updated weights: E goes 0.298371109 → 0.2910277737 (the example prints 0.291027924). */
  after: Forward;
  note: string;
}

const named = (W1: number[][], W2: number[][]) => ({
  w1: W1[0][0],
  w2: W1[0][1],
  w3: W1[1][0],
  w4: W1[1][1],
  w5: W2[0][0],
  w6: W2[0][1],
  w7: W2[1][0],
  w8: W2[1][1],
});

const toMatrix = (a: Float64Array): number[][] => [
  [a[0], a[1]],
  [a[2], a[3]],
];

/** Experiment 5: forward pass, backward pass and one SGD step (lr 0.5) on the weight tensors. */
export function backpropagation(opts: ExperimentOptions = {}): BackpropResult {
  const { W1, W2, b1, b2, input, target, lr } = MAZUR;
  const fwd = mazurForward(W1, W2, b1, b2, input, target);
  const o = fwd.outOutput,
    h = fwd.outHidden;
  const deltaOutput = o.map((ok, k) => (ok - target[k]) * ok * (1 - ok));
  const deltaHidden = h.map((hj, j) => (deltaOutput[0] * W2[0][j] + deltaOutput[1] * W2[1][j]) * hj * (1 - hj));

  // The parameter tensors, row-major, and their gradients.
  const w1 = Float64Array.from(W1.flat());
  const w2 = Float64Array.from(W2.flat());
  const g1 = new Float64Array(4);
  const g2 = new Float64Array(4);
  for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) g1[j * 2 + i] = deltaHidden[j] * input[i];
  for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) g2[k * 2 + j] = deltaOutput[k] * h[j];
  const gradW1 = toMatrix(g1),
    gradW2 = toMatrix(g2);

  const opt = createOptimizer(
    "sgd",
    [
      { data: w1, grad: g1 },
      { data: w2, grad: g2 },
    ],
    { lr },
  );
  opt.step();
  const newW1 = toMatrix(w1),
    newW2 = toMatrix(w2);

  return {
    seed: opts.seed ?? DEFAULT_SEED,
    network: { W1: W1.map((r) => [...r]), W2: W2.map((r) => [...r]), b1, b2, input: [...input], target: [...target], lr },
    forward: fwd,
    deltaOutput,
    deltaHidden,
    gradients: {
      W1: gradW1,
      W2: gradW2,
      named: named(gradW1, gradW2),
      b1: deltaHidden[0] + deltaHidden[1],
      b2: deltaOutput[0] + deltaOutput[1],
    },
    updated: { W1: newW1, W2: newW2, named: named(newW1, newW2), b1, b2 },
    biasesUpdated: false,
    after: mazurForward(newW1, newW2, b1, b2, input, target),
    note:
      'One step of createOptimizer("sgd", [W1, W2], { lr: 0.5 }). As in the classic worked example the biases ' +
      "(0.35, 0.60) are not updated; ∂E/∂b1 and ∂E/∂b2 are reported for completeness. The hidden-layer gradients " +
      "use the original W2 (all gradients first, then the step). The worked example prints 0.291027924 for the loss " +
      "after the step; recomputed in f64 it is 0.2910277737 (1.5e-7 lower; the example's later figures carry its " +
      "rounded intermediate values).",
  };
}
