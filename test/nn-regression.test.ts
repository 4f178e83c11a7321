/**
 * The course notes' experiment 2 (linear regression, mini-batches of 64 in
 * order, 30 epochs, five optimizers from the same start) run on the network
 * engine as a [2, 1] model with mse: the same per-iteration losses, epoch
 * losses and final weights as src/experiments/regression.ts (its closed-form
 * gradients, which the report prints), on both backends. The two sum in
 * different orders (sequential there, lane-partial here), so they agree to
 * rounding: |a − e| ≤ 1e-9·max(|e|, 1e-5).
 */
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { linearRegression } from "../src/experiments/regression.js";
import type { TrainSpec } from "../src/models/index.js";

describe("experiment 2 through the network engine", async () => {
  const exp = linearRegression();
  const backends = [await createBackend("js"), await createBackend("wasm")];
  const close = (a: number[], e: number[]) => {
    expect(a.length).toBe(e.length);
    a.forEach((v, i) => {
      if (!(Math.abs(v - e[i]) <= 1e-9 * Math.max(Math.abs(e[i]), 1e-5))) throw new Error(`index ${i}: ${v} vs ${e[i]}`);
    });
  };
  for (const run of exp.runs) {
    for (const backend of backends) {
      it(`${run.label} on ${backend.name}`, () => {
        const spec: TrainSpec = {
          model: { layers: [2, 1] },
          loss: "mse",
          data: { x: exp.data.X, y: exp.data.y },
          init: { params: [exp.data.initialW, [exp.data.initialB]] },
          optimizer: run.optimizer,
          batchSize: exp.batchSize,
          epochs: exp.epochs,
          dtype: "f64",
        };
        const r = backend.train(spec);
        expect(r.loss.length).toBe(exp.epochs * exp.iterationsPerEpoch);
        close(r.loss, run.iterationLoss);
        close(r.epochLoss, run.epochLoss);
        close(r.params[0], run.finalW);
        close(r.params[1], [run.finalB]);
      });
    }
  }
});
