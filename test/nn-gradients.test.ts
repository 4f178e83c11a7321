/**
 * The hand-derived backward passes against central finite differences, in
 * f64: every tensor of every layer, for every activation × loss, and a deeper
 * network. The gradient comes from one mini-batch holding the whole training
 * set (so it is the gradient of the training loss that evaluate() measures),
 * taken with sgd at lr 0 so the parameters stay where it was computed.
 * Tolerance: |g − fd| ≤ 1e-6·|fd| + 1e-8, with fd = (L(θ + h) − L(θ − h))/2h,
 * h = 1e-5 (truncation error O(h²·L‴) ≈ 1e-10 here).
 */
import { describe, expect, it } from "vitest";
import { createTrainer, type TrainSpec } from "../src/models/index.js";

function spec(over: Partial<TrainSpec>): TrainSpec {
  return {
    model: { layers: [2, 4, 3, 1], activation: "tanh" },
    loss: "bce",
    data: { name: "moons", n: 13, noise: 0.3, seed: 7 },
    init: { scheme: "torch", seed: 3 },
    optimizer: { name: "sgd", lr: 0 },
    batchSize: 1000,
    epochs: 1,
    dtype: "f64",
    ...over,
  };
}

function checkGradients(s: TrainSpec): number {
  const t = createTrainer(s);
  try {
    t.step(1);
    let worst = 0;
    t.paramTensors.forEach((p, ti) => {
      const grad = Array.from(p.grad);
      for (let j = 0; j < p.length; j++) {
        const v = p.data[j];
        const h = 1e-5;
        p.data[j] = v + h;
        const up = t.evaluate().loss;
        p.data[j] = v - h;
        const down = t.evaluate().loss;
        p.data[j] = v;
        const fd = (up - down) / (2 * h);
        const err = Math.abs(grad[j] - fd) / (1e-6 * Math.abs(fd) + 1e-8);
        worst = Math.max(worst, err);
        if (err > 1) throw new Error(`tensor ${ti}, element ${j}: analytic ${grad[j]}, finite difference ${fd}`);
      }
    });
    return worst;
  } finally {
    t.dispose();
  }
}

describe("gradients against central finite differences (f64)", () => {
  const losses: [string, Partial<TrainSpec>][] = [
    ["bce", {}],
    [
      "bce with two outputs",
      {
        model: { layers: [2, 4, 2] },
        data: {
          x: [
            [0.3, -1],
            [1.2, 0.4],
            [-0.7, 0.9],
            [0.1, 0.2],
            [-1.5, -0.3],
          ],
          y: [
            [1, 0],
            [0, 0],
            [1, 1],
            [0, 1],
            [1, 0],
          ],
        },
      },
    ],
    ["ce", { loss: "ce", model: { layers: [2, 5, 3] }, data: { name: "gaussians", n: 15, classes: 3, seed: 2 } }],
    ["mse", { loss: "mse", model: { layers: [1, 5, 4, 1] }, data: { name: "sine", n: 11, noise: 0.2, seed: 5 } }],
    [
      "mse with two outputs",
      {
        loss: "mse",
        model: { layers: [2, 3, 2] },
        data: {
          x: [
            [0.3, -1],
            [1.2, 0.4],
            [-0.7, 0.9],
          ],
          y: [
            [0.5, -2],
            [1, 0],
            [0.1, 0.3],
          ],
        },
      },
    ],
  ];
  for (const [label, over] of losses) {
    for (const activation of ["tanh", "relu", "sigmoid", "gelu"] as const) {
      it(`${label}, ${activation}: every tensor of every layer`, () => {
        const s = spec(over);
        expect(checkGradients({ ...s, model: { ...s.model, activation } })).toBeLessThanOrEqual(1);
      });
    }
  }
  it("a linear model (no hidden layer) and a deep one", () => {
    expect(checkGradients(spec({ model: { layers: [2, 1] } }))).toBeLessThanOrEqual(1);
    expect(checkGradients(spec({ model: { layers: [2, 3, 3, 3, 3, 1], activation: "gelu" } }))).toBeLessThanOrEqual(1);
  });
});
