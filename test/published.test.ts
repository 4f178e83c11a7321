// The course notes' table "two steps by hand" on f(w) = w²/2 from w = 1
// (gradient w): each optimizer in the notes' own form, reproduced through options.
import { describe, expect, it } from "vitest";
import { createOptimizer, type OptimizerName } from "../src/optim/index.js";

function twoSteps(name: OptimizerName, options: Record<string, unknown>, dtype: "f32" | "f64"): number[] {
  const w = dtype === "f32" ? new Float32Array([1]) : new Float64Array([1]);
  const g = dtype === "f32" ? new Float32Array(1) : new Float64Array(1);
  const opt = createOptimizer(name, [{ data: w, grad: g }], options);
  const out: number[] = [];
  for (let t = 0; t < 2; t++) {
    g[0] = w[0];
    opt.step();
    out.push(w[0]);
  }
  return out;
}

const cases: [string, OptimizerName, Record<string, unknown>, [number, number], number][] = [
  // [label, optimizer, options, published w1 and w2, digits printed in the notes]
  ["Momentum lr 0.01, 0.9", "momentum", { lr: 0.01, momentum: 0.9 }, [0.99, 0.9711], 4],
  ["AdaGrad lr 0.01 (eps 1e-7 inside the root)", "adagrad", { lr: 0.01, eps: 1e-7, epsMode: "inside" }, [0.99, 0.982965], 6],
  ["RMSprop lr 0.01, alpha 0.9 (eps 1e-7 inside)", "rmsprop", { lr: 0.01, alpha: 0.9, eps: 1e-7, epsMode: "inside" }, [0.968377, 0.945788], 6],
  ["Adam lr 0.001, betas 0.9/0.99 (hat eps)", "adam", { lr: 0.001, betas: [0.9, 0.99], eps: 1e-7, epsMode: "hat" }, [0.999, 0.998], 6],
];

describe("the notes' two steps by hand on w²/2", () => {
  for (const [label, name, options, published, digits] of cases) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`${label} (${dtype})`, () => {
        const [w1, w2] = twoSteps(name, options, dtype);
        // the notes print rounded values: agree to the printed digits
        expect(w1).toBeCloseTo(published[0], digits);
        expect(w2).toBeCloseTo(published[1], digits);
      });
    }
  }

  it("PyTorch's default placement changes the AdaGrad and RMSprop numbers only beyond the printed digits", () => {
    const [a1, a2] = twoSteps("adagrad", { lr: 0.01 }, "f64");
    expect(a1).toBeCloseTo(0.99, 6);
    expect(a2).toBeCloseTo(0.982965, 6);
    // Momentum as PyTorch defines it (buffer starts at the gradient): w1 = 1 − 0.01·1, w2 = w1 − 0.01·(0.9·1 + 0.99)
    const [m1, m2] = twoSteps("sgd", { lr: 0.01, momentum: 0.9 }, "f64");
    expect(m1).toBe(0.99);
    expect(m2).toBeCloseTo(0.99 - 0.01 * (0.9 + 0.99), 15);
  });
});
