/**
 * The course notes' experiments 2 and 10 (linear regression with mini-batches
 * in order) run on the network engine (src/experiments/regression.ts trains a
 * [2, 1] mse model). Checked here against an independent recomputation: the
 * closed-form gradients of Linear(2) — ∂L/∂w = (2/n)·Xᵀr, ∂L/∂b = (2/n)·Σr
 * with r = Xw + b − y — fed to the reference optimizers, written out in this
 * file. The two sum in different orders (sequential here, lane-partial in the
 * engine), so they agree to rounding: |a − e| ≤ 1e-9·max(|e|, 1e-5).
 */
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { gradientDescentVariants, linearRegression, regressionData, type RegressionData, type TrainingRun } from "../src/experiments/regression.js";
import { createOptimizer } from "../src/optim/index.js";

function fullMse(d: RegressionData, w: ArrayLike<number>, b: number): number {
  let s = 0;
  for (let i = 0; i < d.y.length; i++) {
    const r = d.X[i][0] * w[0] + d.X[i][1] * w[1] + b - d.y[i];
    s += r * r;
  }
  return s / d.y.length;
}

/** Mini-batches in order, closed-form gradients, one optimizer step each. */
function closedForm(d: RegressionData, optimizer: TrainingRun["optimizer"], batchSize: number, epochs: number) {
  const w = Float64Array.from(d.initialW),
    b = Float64Array.of(d.initialB);
  const gw = new Float64Array(2),
    gb = new Float64Array(1);
  const { name, ...options } = optimizer;
  const opt = createOptimizer(
    name,
    [
      { data: w, grad: gw },
      { data: b, grad: gb },
    ],
    options,
  );
  const n = d.y.length;
  const loss: number[] = [],
    epochLoss: number[] = [],
    full: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (let from = 0; from < n; from += batchSize) {
      const to = Math.min(n, from + batchSize),
        m = to - from;
      let s = 0,
        g0 = 0,
        g1 = 0,
        g2 = 0;
      for (let i = from; i < to; i++) {
        const x = d.X[i];
        const r = x[0] * w[0] + x[1] * w[1] + b[0] - d.y[i];
        s += r * r;
        g0 += r * x[0];
        g1 += r * x[1];
        g2 += r;
      }
      gw[0] = (2 * g0) / m;
      gw[1] = (2 * g1) / m;
      gb[0] = (2 * g2) / m;
      loss.push(s / m);
      opt.step();
      full.push(fullMse(d, w, b[0]));
    }
    epochLoss.push(fullMse(d, w, b[0]));
  }
  return { loss, epochLoss, full, w: Array.from(w), b: b[0] };
}

const close = (a: number[], e: number[]) => {
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= 1e-9 * Math.max(Math.abs(e[i]), 1e-5))) throw new Error(`index ${i}: ${v} vs ${e[i]}`);
  });
};

describe("experiments 2 and 10 on the network engine", async () => {
  const data = regressionData();
  const wasm = await createBackend("wasm");
  const engines = [
    ["reference", undefined],
    ["wasm", (s: Parameters<typeof wasm.createTrainer>[0]) => wasm.createTrainer(s)],
  ] as const;
  for (const [engine, make] of engines) {
    const exp2 = linearRegression({ createTrainer: make });
    for (const run of exp2.runs) {
      it(`experiment 2, ${run.label} (${engine}) follows the closed-form gradients`, () => {
        const ref = closedForm(data, run.optimizer, exp2.batchSize, exp2.epochs);
        expect(run.iterationLoss.length).toBe(exp2.epochs * exp2.iterationsPerEpoch);
        close(run.iterationLoss, ref.loss);
        close(run.epochLoss, ref.epochLoss);
        close(run.finalW, ref.w);
        close([run.finalB], [ref.b]);
        close([run.initialLoss], [fullMse(data, data.initialW, data.initialB)]);
      });
    }
    it(`experiment 10 (${engine}): the full-data loss after every step, for batch 1000, 64 and 1`, () => {
      const exp10 = gradientDescentVariants({ createTrainer: make });
      for (const run of exp10.runs) {
        const ref = closedForm(data, run.optimizer, run.batchSize, run.epochs);
        close(run.iterationLoss, ref.loss);
        close(run.fullLossPerIteration!, ref.full);
        close(run.epochLoss, ref.epochLoss);
        close(run.finalW, ref.w);
      }
    });
  }

  it("the wasm core gives the reference engine's bits", () => {
    const a = gradientDescentVariants();
    const b = gradientDescentVariants({ createTrainer: (s) => wasm.createTrainer(s) });
    for (let k = 0; k < a.runs.length; k++) {
      expect(b.runs[k].iterationLoss).toEqual(a.runs[k].iterationLoss);
      expect(b.runs[k].fullLossPerIteration).toEqual(a.runs[k].fullLossPerIteration);
      expect(b.runs[k].finalW).toEqual(a.runs[k].finalW);
    }
  });
});
