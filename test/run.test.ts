// Run semantics: what is recorded, when runs stop, and that a run is the
// plain loop "evaluate, record, step, schedule" written out by hand.
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { createFunction } from "../src/functions/index.js";
import { createOptimizer } from "../src/optim/index.js";
import { run, runMany, type RunSpec } from "../src/run.js";
import { createScheduler } from "../src/schedulers/index.js";

describe("run", () => {
  it("is the hand-written loop: evaluate, record, step, then schedule", () => {
    const f = createFunction("beale");
    const x = new Float64Array([1, 1.5]),
      g = new Float64Array(2);
    const opt = createOptimizer("adam", [{ data: x, grad: g }], { lr: 0.05 });
    const sch = createScheduler(opt, { name: "stepLR", stepSize: 4, gamma: 0.5 });
    const xs = [],
      losses = [],
      lrs = [];
    for (let t = 0; t < 10; t++) {
      losses.push(f.valueAndGrad(x, g));
      xs.push(Array.from(x));
      lrs.push(opt.lr);
      opt.step();
      sch.step();
    }
    losses.push(f.valueAndGrad(x, g));
    xs.push(Array.from(x));
    const r = run({
      function: "beale",
      optimizer: { name: "adam", lr: 0.05 },
      scheduler: { name: "stepLR", stepSize: 4, gamma: 0.5 },
      x0: [1, 1.5],
      steps: 10,
      dtype: "f64",
    });
    expect(r.x).toEqual(xs);
    expect(r.loss).toEqual(losses);
    expect(r.lr).toEqual(lrs);
    expect(r.lr).toEqual([0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125]);
    expect(r.steps).toBe(10);
    expect(r.stopReason).toBe("steps");
  });

  it("record modes keep x0 first and the final point last", () => {
    const spec = { function: "booth" as const, optimizer: { name: "sgd" as const, lr: 0.01 }, x0: [0, 0], steps: 7 };
    const all = run({ ...spec, record: "all" });
    const loss = run({ ...spec, record: "loss" });
    const fin = run({ ...spec, record: "final" });
    expect(all.x).toHaveLength(8);
    expect(loss.x).toEqual([all.x[0], all.x[7]]);
    expect(loss.loss).toEqual(all.loss);
    expect(fin.x).toEqual([all.x[0], all.x[7]]);
    expect(fin.loss).toEqual([all.loss[0], all.loss[7]]);
    for (const r of [all, loss, fin]) expect(r.lr).toHaveLength(7);
    const zero = run({ ...spec, steps: 0, record: "final" });
    expect(zero.x).toEqual([[0, 0]]);
    expect(zero.lr).toEqual([]);
  });

  it("x0 as one number with dim, or the function's customary start", () => {
    const r = run({ function: "rosenbrock", optimizer: { name: "adam" }, x0: 0.5, dim: 4, steps: 1 });
    expect(r.x[0]).toEqual([0.5, 0.5, 0.5, 0.5]);
    const s = run({ function: "himmelblau", optimizer: { name: "adam" }, steps: 1, dtype: "f64" });
    expect(s.x[0]).toEqual(createFunction("himmelblau").start);
  });

  it("early stopping: after `patience` consecutive steps with |Δloss| < tol", () => {
    // sgd with lr 1 on w²/2 jumps to 0 at once: losses 0.5, 0, 0, 0, …
    const r = run({ function: { name: "quadratic", weights: [0.5] }, optimizer: { name: "sgd", lr: 1 }, x0: [1], steps: 50, tol: 1e-12, dtype: "f64" });
    expect(r.loss).toEqual([0.5, 0, 0]);
    expect(r.steps).toBe(2);
    expect(r.stopReason).toBe("tol");
    const p3 = run({
      function: { name: "quadratic", weights: [0.5] },
      optimizer: { name: "sgd", lr: 1 },
      x0: [1],
      steps: 50,
      tol: 1e-12,
      patience: 3,
      dtype: "f64",
    });
    expect(p3.loss).toEqual([0.5, 0, 0, 0, 0]);
    expect(p3.lr).toHaveLength(4);
  });

  it("a run whose loss becomes NaN or infinite stops there, marked diverged", () => {
    const r = run({ function: { name: "quadratic", weights: [1] }, optimizer: { name: "sgd", lr: 1e10 }, x0: [1], steps: 1000 });
    expect(r.stopReason).toBe("diverged");
    expect(Number.isFinite(r.loss[r.loss.length - 1])).toBe(false);
    expect(r.loss.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(r.steps).toBeLessThan(1000);
    expect(r.x).toHaveLength(r.steps + 1);
  });

  it("torch's linear one-cycle ends with an lr just below 0; the run completes", () => {
    const r = run({
      function: { name: "quadratic", weights: [1] },
      optimizer: { name: "momentum", lr: 0.01 },
      scheduler: { name: "oneCycleLR", maxLr: 0.1, totalSteps: 20, annealStrategy: "linear" },
      x0: [1],
      steps: 20,
      dtype: "f64",
    });
    expect(r.steps).toBe(20);
    expect(r.lr[0]).toBeCloseTo(0.1 / 25, 15);
  });

  it("refuses, before running, more steps than a oneCycleLR schedule has (torch would raise midway)", () => {
    const spec: RunSpec = {
      function: { name: "quadratic", weights: [1] },
      optimizer: { name: "momentum", lr: 0.01 },
      scheduler: { name: "oneCycleLR", maxLr: 0.1, totalSteps: 20 },
      x0: [1],
      steps: 21,
    };
    expect(() => run(spec)).toThrow(/^steps: is 21 but the scheduler accepts at most 20 steps/);
    expect(() => runMany([{ ...spec, steps: 20 }, spec])).toThrow(/^specs\[1\]\.steps: /);
  });

  it("reduceLROnPlateau is given each step's loss", () => {
    const r = run({
      function: { name: "quadratic", weights: [1] },
      optimizer: { name: "sgd", lr: 1 },
      scheduler: { name: "reduceLROnPlateau", patience: 0, factor: 0.5 },
      x0: [1],
      steps: 4,
      dtype: "f64",
    });
    // f = x², lr 1 sends x to −x, so the loss fed to the scheduler stays 1. The first metric is an
    // improvement over +∞; each later 1 is a bad epoch and (patience 0) halves the lr. At t = 2 the
    // step with lr 0.5 lands on 0, but the scheduler is given f(x₂) = 1, the loss before that step.
    expect(r.lr).toEqual([1, 1, 0.5, 0.25]);
    expect(r.loss).toEqual([1, 1, 1, 0, 0]);
  });

  it("runMany validates every spec before running any, naming specs[i]", () => {
    expect(() =>
      runMany([
        { function: "booth", optimizer: { name: "sgd" }, steps: 1 },
        { function: "booth", optimizer: { name: "sgd", lr: -1 }, steps: 1 },
      ]),
    ).toThrow(/^specs\[1\]\.optimizer\.lr: /);
  });

  it("the wasm backend's runs equal the reference's, also with state growing mid-run", async () => {
    const wasm = await createBackend("wasm");
    // oneCycleLR turns sgd's momentum on at construction: the buffer is allocated during the run
    const spec = {
      function: "goldsteinPrice" as const,
      optimizer: { name: "sgd" as const, lr: 1e-5 },
      scheduler: { name: "oneCycleLR" as const, maxLr: 1e-4, totalSteps: 60 },
      x0: [0.5, -0.5],
      steps: 60,
    };
    expect(wasm.run(spec)).toEqual(run(spec));
    expect(wasm.runMany([spec, { ...spec, dtype: "f64" }])).toEqual(runMany([spec, { ...spec, dtype: "f64" }]));
  });
});

describe("closure optimizers in runs: evals and maxEvals", () => {
  it("an lbfgs run is the hand-written loop with step(closure), and records the closure calls of each step", () => {
    const f = createFunction("rosenbrock");
    const x = new Float64Array([-1.2, 1]),
      g = new Float64Array(2);
    const opt = createOptimizer("lbfgs", [{ data: x, grad: g }], { lineSearchFn: "strongWolfe", maxIter: 3 });
    const xs: number[][] = [],
      losses: number[] = [],
      evals: number[] = [];
    for (let t = 0; t < 12; t++) {
      losses.push(f.valueAndGrad(x, g));
      xs.push(Array.from(x));
      let calls = 0;
      opt.step(() => (calls++, f.valueAndGrad(x, g)));
      evals.push(calls);
    }
    losses.push(f.valueAndGrad(x, g));
    xs.push(Array.from(x));
    const r = run({ function: "rosenbrock", optimizer: { name: "lbfgs", lineSearchFn: "strongWolfe", maxIter: 3 }, x0: [-1.2, 1], steps: 12, dtype: "f64" });
    expect(r.x).toEqual(xs);
    expect(r.loss).toEqual(losses);
    expect(r.evals).toEqual(evals);
    expect(evals.some((e) => e > 1)).toBe(true);
  });

  it("results of optimizers that evaluate once per step have no evals", () => {
    const r = run({ function: "booth", optimizer: { name: "adam" }, x0: [0, 0], steps: 3 });
    expect(r.evals).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(r)))).toEqual(["x", "loss", "lr", "steps", "stopReason"]);
  });

  it("maxEvals: the run stops after the step during which the evaluations reach it (one per step for sgd)", () => {
    const spec = {
      function: { name: "quadratic" as const, weights: [0.5] },
      optimizer: { name: "sgd" as const, lr: 0.1 },
      x0: [1],
      steps: 10,
      dtype: "f64" as const,
    };
    const full = run(spec);
    const r = run({ ...spec, maxEvals: 4 });
    expect(r.steps).toBe(4);
    expect(r.stopReason).toBe("evals");
    expect(r.x).toEqual(full.x.slice(0, 5));
    expect(r.evals).toBeUndefined();
    // Reached on the last step anyway: the steps ran out first.
    expect(run({ ...spec, maxEvals: 10 }).stopReason).toBe("steps");
    expect(run({ ...spec, maxEvals: 50 }).steps).toBe(10);
  });

  it("maxEvals with lbfgs keeps the step that crosses it whole", () => {
    const spec: RunSpec = { function: "rosenbrock", optimizer: { name: "lbfgs", lr: 0.1, maxIter: 4 }, x0: [-1.2, 1], steps: 40, dtype: "f64" };
    const full = run(spec);
    const r = run({ ...spec, maxEvals: 10 });
    expect(full.evals!.slice(0, 3)).toEqual([4, 4, 4]);
    expect(r.steps).toBe(3);
    expect(r.evals).toEqual([4, 4, 4]);
    expect(r.stopReason).toBe("evals");
    expect(r.x).toEqual(full.x.slice(0, 4));
  });

  it("maxEvals must be an integer ≥ 1", () => {
    expect(() => run({ function: "booth", optimizer: { name: "sgd" }, steps: 2, maxEvals: 0 })).toThrow(/^maxEvals: must be an integer in \[1, /);
    expect(() => run({ function: "booth", optimizer: { name: "sgd" }, steps: 2, maxEvals: 1.5 as number })).toThrow(RangeError);
  });
});

describe("writeResultsJson", () => {
  it("writes exactly the bytes of JSON.stringify with non-finite numbers as strings, in any chunk size", async () => {
    const { writeResultsJson } = await import("../src/resultJson.js");
    const { toJson } = await import("../src/numbers.js");
    const { Trajectory } = await import("../src/run.js");
    const odd = [0, -0, 1e21, 1e-7, 5e-324, -1.7976931348623157e308, NaN, Infinity, -Infinity, 0.1 + 0.2, 123456789012345680000];
    const results = [
      new Trajectory(Float64Array.from([...odd, 1]), 3, odd, odd.slice(2), 11, "diverged"),
      new Trajectory(new Float64Array(0), 2, [], [], 0, "steps"),
      ...runMany([{ function: "beale", optimizer: { name: "adam", lr: 0.5 }, steps: 30, record: "loss" }]),
      new Trajectory(Float64Array.from([1, 2, 3, 4]), 2, [1, NaN], [0.5], 1, "evals", [7]),
      ...runMany([{ function: "rosenbrock", optimizer: { name: "lbfgs", lineSearchFn: "strongWolfe", maxIter: 4 }, steps: 6 }]),
    ];
    expect(Object.keys(JSON.parse(toJson(results[4])))).toEqual(["x", "loss", "lr", "evals", "steps", "stopReason"]);
    expect(Object.keys(JSON.parse(toJson(results[2])))).toEqual(["x", "loss", "lr", "steps", "stopReason"]);
    for (const size of [1, 7, 1 << 16]) {
      let out = "";
      writeResultsJson(results, (c) => (out += c), size);
      expect(out).toBe(toJson(results));
      out = "";
      writeResultsJson(results[2], (c) => (out += c), size);
      expect(out).toBe(toJson(results[2]));
      out = "";
      writeResultsJson(results[4], (c) => (out += c), size);
      expect(out).toBe(toJson(results[4]));
    }
  });
});
