/**
 * Experiment 7: the notes' "two steps by hand" on f(w) = w²/2 from w = 1
 * (so ∇f = w), each optimizer in the notes' form through the library, with
 * the state after every step and the notes' printed values.
 *
 * @packageDocumentation
 */
import { createOptimizer, type OptimizerName } from "../optim/index.js";
import type { ExperimentOptions } from "./common.js";
import { DEFAULT_SEED } from "./random.js";

export interface HandStep {
  t: number;
  /** w before the step. */
  wBefore: number;
  /** ∇f(w) = w. */
  grad: number;
  /** The optimizer's state after the step, in the notes' names (v, h, m, v̂, …). */
  state: Record<string, number>;
  /** w after the step. */
  w: number;
}

export interface HandRow {
  label: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  /** The update in the notes' notation. */
  formula: string;
  steps: HandStep[];
  /** The notes' printed w after steps 1 and 2, and how many decimals they print. */
  published: [number, number];
  digits: number;
}

export interface HandResult {
  seed: number;
  function: string;
  w0: number;
  rows: HandRow[];
}

interface Case {
  label: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  formula: string;
  published: [number, number];
  digits: number;
  /** Reads the library's buffers into the notes' names. */
  state(buffers: Record<string, number>, t: number): Record<string, number>;
}

const CASES: Case[] = [
  {
    label: "Momentum",
    optimizer: "momentum",
    options: { lr: 0.01, momentum: 0.9 },
    formula: "v ← 0.9·v + g (v₁ = g₁); w ← w − 0.01·v",
    published: [0.99, 0.9711],
    digits: 4,
    state: (b) => ({ v: b.momentumBuffer }),
  },
  {
    label: "AdaGrad",
    optimizer: "adagrad",
    options: { lr: 0.01, eps: 1e-7, epsMode: "inside" },
    formula: "h ← h + g²; w ← w − 0.01·g/√(h + 1e-7)",
    published: [0.99, 0.982965],
    digits: 6,
    state: (b) => ({ h: b.sum }),
  },
  {
    label: "RMSprop",
    optimizer: "rmsprop",
    options: { lr: 0.01, alpha: 0.9, eps: 1e-7, epsMode: "inside" },
    formula: "h ← 0.9·h + 0.1·g²; w ← w − 0.01·g/√(h + 1e-7)",
    published: [0.968377, 0.945788],
    digits: 6,
    state: (b) => ({ h: b.squareAvg }),
  },
  {
    label: "Adam",
    optimizer: "adam",
    options: { lr: 0.001, betas: [0.9, 0.99], eps: 1e-7, epsMode: "hat" },
    formula: "m ← 0.9·m + 0.1·g; v ← 0.99·v + 0.01·g²; lr_t = 0.001·√(1 − 0.99ᵗ)/(1 − 0.9ᵗ); w ← w − lr_t·m/(√v + 1e-7)",
    published: [0.999, 0.998],
    digits: 6,
    state: (b, t) => {
      const c1 = 1 - 0.9 ** t,
        c2 = 1 - 0.99 ** t;
      return { m: b.expAvg, v: b.expAvgSq, mHat: b.expAvg / c1, vHat: b.expAvgSq / c2, lrT: (0.001 * Math.sqrt(c2)) / c1 };
    },
  },
];

/** Experiment 7 (f64). */
export function twoStepsByHand(opts: ExperimentOptions = {}): HandResult {
  const rows = CASES.map((c) => {
    const w = Float64Array.of(1);
    const g = new Float64Array(1);
    const opt = createOptimizer(c.optimizer, [{ data: w, grad: g }], c.options);
    const steps: HandStep[] = [];
    for (let t = 1; t <= 2; t++) {
      const wBefore = w[0];
      g[0] = w[0];
      opt.step();
      const buffers: Record<string, number> = {};
      for (const [k, a] of Object.entries(opt.state(0))) buffers[k] = a[0];
      steps.push({ t, wBefore, grad: wBefore, state: c.state(buffers, t), w: w[0] });
    }
    return {
      label: c.label,
      optimizer: c.optimizer,
      options: structuredClone(c.options),
      formula: c.formula,
      steps,
      published: [...c.published] as [number, number],
      digits: c.digits,
    };
  });
  return { seed: opts.seed ?? DEFAULT_SEED, function: "w²/2", w0: 1, rows };
}
