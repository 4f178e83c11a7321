/**
 * One training step of a dense network — forward, backward and Adam — on the
 * wasm backend, the reference and TensorFlow.js (wasm and cpu backends, the
 * same network, loss, batch and optimizer):
 *
 * - 2-64-64-1 tanh, bce on logits, batch 256 (a Playground-sized network);
 * - 784-128-10 relu, ce on logits, batch 64 (an MNIST-sized one).
 *
 * optimlab's step is `trainer.step(1)`: gather the batch, forward, loss,
 * backward, record the loss, Adam. Its data hold 16 batches, so one step in
 * 16 ends an epoch and also evaluates the whole training set; the median
 * (tinybench's p50) is a step without it. TF.js runs
 * `optimizer.minimize(loss)` on a fixed batch inside `tidy`, with its
 * gradients registered by bench/tfjs.ts. Adam with lr 1e-3, β (0.9, 0.999),
 * ε 1e-8 everywhere; f32.
 */
import { jsBackend, type Backend, type TrainSpec } from "../bindings/index.js";
import { createRng } from "../src/experiments/random.js";
import type { Row } from "./index.js";
import { loadTfWithGradients } from "./tfjs.js";

type Measure = (fn: () => void, budgetMs: number) => Promise<{ seconds: number; samples: number }>;

export interface NetworkCase {
  /** Row name, e.g. "2-64-64-1 tanh bce, batch 256". */
  name: string;
  layers: number[];
  activation: "tanh" | "relu";
  loss: "bce" | "ce";
  batch: number;
}

export const NETWORK_CASES: readonly NetworkCase[] = Object.freeze([
  { name: "2-64-64-1 tanh bce, batch 256", layers: [2, 64, 64, 1], activation: "tanh", loss: "bce", batch: 256 },
  { name: "784-128-10 relu ce, batch 64", layers: [784, 128, 10], activation: "relu", loss: "ce", batch: 64 },
]);

/** Batches in the training data (one step in this many ends an epoch). */
const BATCHES = 16;

/** Seeded inputs in [0, 1) (sample-major) and labels: 0/1 for bce, 0 … K−1 for ce. */
function caseData(c: NetworkCase, n: number): { x: number[][]; y: number[] } {
  const rng = createRng(7);
  const inputs = c.layers[0],
    K = c.layers[c.layers.length - 1];
  const x: number[][] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let k = 0; k < inputs; k++) row.push(rng.uniform());
    x.push(row);
    y.push(Math.floor(rng.uniform() * (c.loss === "bce" ? 2 : K)));
  }
  return { x, y };
}

function caseSpec(c: NetworkCase, data: { x: number[][]; y: number[] }): TrainSpec {
  return {
    model: { layers: c.layers, activation: c.activation },
    loss: c.loss,
    data,
    init: { scheme: "torch", seed: 0 },
    optimizer: { name: "adam", lr: 1e-3 },
    batchSize: c.batch,
    epochs: 100_000,
    dtype: "f32",
  };
}

/** A TF.js training step of the case on the given backend: `step` and `dispose`. */
async function tfStep(
  c: NetworkCase,
  backend: "wasm" | "cpu",
  data: { x: number[][]; y: number[] },
): Promise<{ step(): void; dispose(): void; threads: boolean }> {
  const tf = await loadTfWithGradients();
  await tf.setBackend(backend);
  await tf.ready();
  const B = c.batch,
    L = c.layers,
    K = L[L.length - 1];
  const vars: ReturnType<typeof tf.variable>[] = [];
  const weights: { W: ReturnType<typeof tf.variable>; b: ReturnType<typeof tf.variable> }[] = [];
  for (let l = 0; l + 1 < L.length; l++) {
    const bound = 1 / Math.sqrt(L[l]);
    const W = tf.variable(tf.randomUniform([L[l], L[l + 1]], -bound, bound, "float32"));
    const b = tf.variable(tf.randomUniform([L[l + 1]], -bound, bound, "float32"));
    weights.push({ W, b });
    vars.push(W, b);
  }
  const x = tf.tensor2d(data.x.slice(0, B), [B, L[0]], "float32");
  const labels = data.y.slice(0, B);
  const y = c.loss === "bce" ? tf.tensor2d(labels, [B, 1], "float32") : tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), K), "float32");
  const act = c.activation === "tanh" ? tf.tanh : tf.relu;
  const loss = () => {
    let a: ReturnType<typeof tf.matMul> = x;
    weights.forEach((w, l) => {
      const z = tf.add(tf.matMul(a, w.W), w.b);
      a = l + 1 < weights.length ? act(z) : z;
    });
    return c.loss === "bce" ? tf.losses.sigmoidCrossEntropy(y, a) : tf.losses.softmaxCrossEntropy(y, a);
  };
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  return {
    step: () => tf.tidy(() => void opt.minimize(loss as () => ReturnType<typeof tf.scalar>, false, vars)),
    dispose: () => {
      opt.dispose();
      for (const v of vars) v.dispose();
      x.dispose();
      y.dispose();
    },
    threads: backend === "wasm" && tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT"),
  };
}

/**
 * Measures one case on every implementation, in this process, in rounds:
 * each round measures every implementation once (a short tinybench run), and
 * each implementation's figure is its median over the rounds. Interleaving
 * keeps the ratios fair on a shared machine whose load drifts over the
 * seconds a case takes.
 */
export async function benchNetwork(wasm: Backend, c: NetworkCase, rows: Row[], measure: Measure, quick: boolean): Promise<void> {
  const data = caseData(c, c.batch * BATCHES);
  const rounds = quick ? 1 : 5;
  const budget = quick ? 20 : 600;
  const impls: { impl: string; step(): void; before?(): Promise<void>; dispose(): void }[] = [];
  for (const [impl, backend] of [
    ["wasm", wasm],
    ["reference", jsBackend],
  ] as const) {
    let t = backend.createTrainer(caseSpec(c, data));
    impls.push({
      impl,
      step: () => {
        if (t.done) {
          t.dispose();
          t = backend.createTrainer(caseSpec(c, data));
        }
        t.step(1);
      },
      dispose: () => t.dispose(),
    });
  }
  const tf = await loadTfWithGradients();
  for (const b of ["wasm", "cpu"] as const) {
    const s = await tfStep(c, b, data);
    if (s.threads) throw new Error("TF.js-wasm picked its multi-threaded build; the comparison is meant single-threaded");
    // Each TF.js stepper's variables live on its backend: switch to it before measuring.
    impls.push({ impl: `tfjs-${b}`, step: s.step, dispose: s.dispose, before: async () => void (await tf.setBackend(b)) });
  }
  const seconds = new Map<string, number[]>(impls.map((x) => [x.impl, []]));
  let samples = 0;
  for (let r = 0; r < rounds; r++) {
    for (const x of impls) {
      await x.before?.();
      const m = await measure(x.step, budget);
      seconds.get(x.impl)!.push(m.seconds);
      samples += m.samples;
    }
  }
  for (const x of impls) {
    const v = seconds.get(x.impl)!.sort((a, b) => a - b);
    const med = v[Math.floor(v.length / 2)];
    rows.push({
      section: "network",
      case: c.name,
      impl: x.impl,
      n: c.batch,
      dtype: "f32",
      seconds: med,
      perSecond: 1 / med,
      samples: Math.round(samples / impls.length),
    });
    x.dispose();
  }
}
