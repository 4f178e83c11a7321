/**
 * The network engine against PyTorch: trainings recorded by
 * scripts/nn_fixtures.py (torch 1.13, explicit data and initial parameters,
 * no shuffling; every activation, loss, several optimizers, stepLR per step
 * and reduceLROnPlateau per epoch; f64 and f32) replayed with train(spec) on
 * both backends.
 *
 * Tolerances (e the fixture value, a optimlab's), on every per-step loss,
 * per-epoch loss and final parameter:
 * - f64: |a − e| ≤ 1e-10 · max(|e|, 1e-3)
 * - f32: |a − e| ≤ 1e-5 · max(|e|, 0.1)
 * The floors cover values crossing zero, where only absolute error makes
 * sense. torch's summation orders (and its own tanh, exp, erf) differ from
 * optimlab's, so f32 results agree to a few float32 ULPs per operation, not
 * bit for bit; that noise is absolute, of the order of the magnitudes the
 * values pass through (parameters of O(0.1–1) here, initialised in
 * ±1/√fan_in), hence the f32 floor 0.1. Measured worst |a − e| / tolerance:
 * below 2e-4 in f64, 0.25 in f32 (RMSprop, whose √v amplifies differences).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import type { TrainSpec } from "../src/models/index.js";

interface Case {
  id: string;
  spec: TrainSpec;
  loss: number[];
  epochLoss: number[];
  params: number[][];
}
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/nn-torch.json", import.meta.url), "utf8")) as { cases: Case[] };

function close(a: number, e: number, f64: boolean): boolean {
  return Math.abs(a - e) <= (f64 ? 1e-10 * Math.max(Math.abs(e), 1e-3) : 1e-5 * Math.max(Math.abs(e), 0.1));
}

/** The worst |a − e| / tolerance over two series (≤ 1 passes). */
function worst(a: number[], e: number[], f64: boolean): number {
  expect(a.length).toBe(e.length);
  let w = 0;
  a.forEach((v, i) => {
    const tol = f64 ? 1e-10 * Math.max(Math.abs(e[i]), 1e-3) : 1e-5 * Math.max(Math.abs(e[i]), 0.1);
    w = Math.max(w, Math.abs(v - e[i]) / tol);
    if (!close(v, e[i], f64)) throw new Error(`index ${i}: ${v} vs torch ${e[i]}`);
  });
  return w;
}

describe("network trainings against PyTorch", async () => {
  const backends = [await createBackend("js"), await createBackend("wasm")];
  expect(fixtures.cases.length).toBeGreaterThanOrEqual(20);
  it("covers every activation, loss and both dtypes", () => {
    const seen = new Set(fixtures.cases.map((c) => `${c.spec.model.activation}/${c.spec.loss}/${c.spec.dtype}`));
    for (const a of ["tanh", "relu", "sigmoid", "gelu"])
      for (const d of ["f32", "f64"]) expect([...seen].some((s) => s.startsWith(`${a}/`) && s.endsWith(d))).toBe(true);
    for (const l of ["mse", "bce", "ce"]) expect([...seen].some((s) => s.includes(`/${l}/`))).toBe(true);
  });
  for (const c of fixtures.cases) {
    for (const backend of backends) {
      it(`${c.id} on ${backend.name}`, () => {
        const f64 = c.spec.dtype === "f64";
        const r = backend.train(c.spec);
        worst(r.loss, c.loss, f64);
        worst(r.epochLoss, c.epochLoss, f64);
        expect(r.params.length).toBe(c.params.length);
        const w = Math.max(worst(r.loss, c.loss, f64), worst(r.epochLoss, c.epochLoss, f64), ...r.params.map((p, i) => worst(p, c.params[i], f64)));
        if (process.env.NN_VERBOSE) console.log(c.id, backend.name, w.toExponential(2));
      });
    }
  }
});
