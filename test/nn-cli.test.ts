import { describe, expect, it } from "vitest";
import { cliRunner } from "./cli-harness.js";
import { datasetNames } from "../src/models/data.js";
import { train, type TrainSpec } from "../src/models/index.js";
import { optimizerNames } from "../src/optim/index.js";

const { cli } = cliRunner("train");

/** The example contract. */
const EXAMPLE: TrainSpec = {
  model: { layers: [2, 16, 16, 1], activation: "tanh" },
  loss: "bce",
  data: { name: "moons", n: 400, noise: 0.1, seed: 1, testFraction: 0.25 },
  init: { scheme: "torch", seed: 0 },
  optimizer: { name: "adam", lr: 0.01 },
  scheduler: { name: "stepLR", stepSize: 200, gamma: 0.5 },
  batchSize: 32,
  epochs: 50,
  shuffle: true,
  seed: 0,
  dtype: "f32",
};

describe("optimlab train", () => {
  it("prints the contract for the issue's example, the same on both backends and as the library's train()", () => {
    const js = cli(["train", "FILE"], EXAMPLE);
    expect(js.stderr).toBe("");
    expect(js.code).toBe(0);
    const r = JSON.parse(js.stdout);
    expect(Object.keys(r).sort()).toEqual(["accuracy", "epochLoss", "loss", "params", "testAccuracy", "testLoss"]);
    expect(r.loss).toHaveLength(50 * 10);
    for (const k of ["epochLoss", "accuracy", "testLoss", "testAccuracy"]) expect(r[k]).toHaveLength(50);
    expect(r.params.map((p: number[]) => p.length)).toEqual([32, 16, 256, 16, 16, 1]);
    // it learns the moons
    expect(r.accuracy[49]).toBeGreaterThan(0.95);
    expect(r.epochLoss[49]).toBeLessThan(r.epochLoss[0] / 3);
    expect(JSON.parse(cli(["train", "FILE", "--backend", "wasm"], EXAMPLE).stdout)).toEqual(r);
    expect(r).toEqual(JSON.parse(JSON.stringify(train(EXAMPLE))));
  });

  it("answers every dataset, loss, activation and optimizer on both backends (one array of specs)", () => {
    const specs: TrainSpec[] = [];
    datasetNames.forEach((name, i) => {
      const regression = name === "linear" || name === "sine";
      const loss = regression ? "mse" : i % 2 ? "ce" : "bce";
      specs.push({
        model: { layers: [regression ? 1 : 2, 5, loss === "ce" ? 2 : 1], activation: (["tanh", "relu", "sigmoid", "gelu"] as const)[i % 4] },
        loss,
        data: { name, n: 30, noise: 0.1 },
        optimizer: { name: optimizerNames[i], lr: 0.01 },
        batchSize: 8,
        epochs: 2,
        dtype: i % 2 ? "f64" : "f32",
      });
    });
    optimizerNames.slice(datasetNames.length).forEach((name) => specs.push({ ...specs[0], optimizer: { name, lr: 0.01 } }));
    const js = cli(["train", "FILE", "--backend", "js"], specs);
    const wasm = cli(["train", "FILE", "--backend=wasm"], specs);
    expect(js.code).toBe(0);
    expect(wasm.code).toBe(0);
    const a = JSON.parse(js.stdout);
    expect(a).toHaveLength(specs.length);
    expect(JSON.parse(wasm.stdout)).toEqual(a);
    for (const r of a) expect(r.loss).toHaveLength(8);
  });

  it("--dtype overrides the spec; non-finite numbers are written as strings", () => {
    const spec = { ...EXAMPLE, epochs: 1, data: { name: "moons", n: 20 }, dtype: "f64" };
    const r32 = JSON.parse(cli(["train", "FILE", "--dtype", "f32"], spec).stdout);
    for (const p of r32.params) for (const v of p) expect(Math.fround(v)).toBe(v);
    const r64 = JSON.parse(cli(["train", "FILE"], spec).stdout);
    expect(r64.params[0].some((v: number) => Math.fround(v) !== v)).toBe(true);
    const div = cli(["train", "FILE"], {
      ...spec,
      loss: "mse",
      model: { layers: [1, 1] },
      data: { name: "linear", n: 20 },
      optimizer: { name: "sgd", lr: 1e3 },
      epochs: 50,
    });
    expect(div.code).toBe(0);
    expect(div.stdout).toMatch(/"NaN"|"Infinity"/);
  });

  it("bad specs exit 2 with one line naming the field, nothing on stdout", () => {
    const cases: [unknown, RegExp][] = [
      [{ ...EXAMPLE, model: { layers: [3, 16, 1] } }, /^optimlab: spec\.model\.layers\[0\]: is 3 but moons has 2 features per sample\n$/],
      [{ ...EXAMPLE, batchSize: 0 }, /^optimlab: spec\.batchSize: must be an integer in \[1, 1048576\]; got 0\n$/],
      [
        {
          ...EXAMPLE,
          loss: "ce",
          model: { layers: [2, 3] },
          data: {
            x: [
              [0, 1],
              [1, 1],
            ],
            y: [0, 3],
          },
        },
        /^optimlab: spec\.data\.y\[1\]: is 3; a 3-output ce model takes class indices 0 … 2\n$/,
      ],
      [[EXAMPLE, { ...EXAMPLE, optimizer: { name: "adam", lr: -1 } }], /^optimlab: specs\[1\]\.optimizer\.lr: /],
      ["{ not json", /not valid JSON/],
    ];
    for (const [input, msg] of cases) {
      const r = cli(["train", "FILE"], input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    for (const args of [["train"], ["train", "FILE", "--backend", "gpu"], ["train", "FILE", "--epochs", "3"], ["train", "a.json", "b.json"]]) {
      const r = cli(args, EXAMPLE);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
