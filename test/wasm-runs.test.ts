// Whole runs inside WebAssembly (bindings/runs.ts + assembly/run.ts) against
// the reference engine, bit for bit, including batches whose SIMD lanes carry
// different runs and batches that mix optimizers (test/kernel-layout.test.ts
// holds the declarations that tie the kernels to the coefficients).
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../bindings/index.js";
import { functionNames, createFunction } from "../src/functions/index.js";
import { optimizerNames } from "../src/optim/index.js";
import { createOptimizer } from "../src/optim/index.js";
import { groupRuns } from "../bindings/runs.js";
import { coefficientPlan, PowerCache } from "../src/plan.js";
import { normalizeSpec, runMany, type RunSpec } from "../src/run.js";
import type { SchedulerSpec } from "../src/schedulers/index.js";
import { OPTION_CASES } from "./optimizer-cases.js";

let wasm: Backend;
beforeAll(async () => {
  wasm = await createBackend("wasm");
});

const strip = (r: unknown) => JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));

describe("runs inside wasm equal reference runs, bit for bit", () => {
  it("every optimizer × polynomial function × dtype, one run each", () => {
    const specs: RunSpec[] = [];
    for (const o of optimizerNames) {
      for (const f of functionNames.filter((n) => createFunction(n).polynomial)) {
        for (const dtype of ["f32", "f64"] as const) specs.push({ function: f, optimizer: { name: o, lr: 3e-3 }, steps: 30, dtype });
      }
    }
    expect(strip(wasm.runMany(specs))).toEqual(strip(runMany(specs)));
  });

  it("adabelief, adan, prodigy and lbfgs: every option case × polynomial function × dtype (reduce phases and closures run step by step)", () => {
    const specs: RunSpec[] = [];
    for (const o of ["adabelief", "adan", "prodigy", "lbfgs"] as const) {
      for (const options of OPTION_CASES[o]) {
        for (const f of functionNames.filter((n) => createFunction(n).polynomial)) {
          for (const dtype of ["f32", "f64"] as const) specs.push({ function: f, optimizer: { name: o, ...options }, steps: 25, dtype });
        }
      }
    }
    const a = wasm.runMany(specs),
      b = runMany(specs);
    expect(strip(a)).toEqual(strip(b));
    expect(b.filter((r) => r.evals).length).toBe(specs.filter((s) => s.optimizer.name === "lbfgs").length);
    expect(b.some((r) => r.evals?.some((e) => e > 1))).toBe(true);
  });

  it("maxEvals stops planned batches, stepwise runs and lbfgs runs at the same step as the reference", () => {
    const base = { function: "rosenbrock" as const, x0: [-1.2, 1], steps: 40 };
    const specs: RunSpec[] = [];
    for (const maxEvals of [1, 7, 40, 100]) {
      for (const dtype of ["f32", "f64"] as const) {
        specs.push({ ...base, dtype, maxEvals, optimizer: { name: "adam", lr: 0.01 } });
        specs.push({ ...base, dtype, maxEvals, optimizer: { name: "adam", lr: 0.02 }, record: "final" });
        specs.push({ ...base, dtype, maxEvals, optimizer: { name: "prodigy" } });
        specs.push({ ...base, dtype, maxEvals, optimizer: { name: "lbfgs", lineSearchFn: "strongWolfe", maxIter: 3 } });
        specs.push({ ...base, dtype, maxEvals, optimizer: { name: "sgd", lr: 1e3 } });
      }
    }
    const a = wasm.runMany(specs),
      b = runMany(specs);
    expect(strip(a)).toEqual(strip(b));
    expect(new Set(b.map((r) => r.stopReason))).toEqual(new Set(["evals", "steps", "diverged"]));
    expect(b[0].steps).toBe(1);
  });

  it("a batch of many starts and learning rates (lanes carry different runs; groups padded)", () => {
    const specs: RunSpec[] = [];
    for (let k = 0; k < 37; k++) {
      specs.push({
        function: "rosenbrock",
        optimizer: { name: "adam", lr: [0.001, 0.01, 0.05][k % 3], amsgrad: k % 5 === 0 },
        x0: [-2 + 0.1 * k, 2 - 0.07 * k],
        steps: 200,
      });
    }
    expect(strip(wasm.runMany(specs))).toEqual(strip(runMany(specs)));
  });

  it("schedulers (planned), including one that turns momentum on mid-run, and reduceLROnPlateau (stepwise)", () => {
    const base: Pick<RunSpec, "function" | "x0" | "steps"> = { function: { name: "quadratic", weights: [0.2, 2] }, x0: [3, 4], steps: 80 };
    const specs: RunSpec[] = [
      { ...base, optimizer: { name: "sgd", lr: 0.1 }, scheduler: { name: "stepLR", stepSize: 10, gamma: 0.5 } },
      { ...base, optimizer: { name: "sgd", lr: 0.01 }, scheduler: { name: "oneCycleLR", maxLr: 0.2, totalSteps: 80 } },
      {
        ...base,
        optimizer: { name: "adam", lr: 0.1 },
        scheduler: { name: "oneCycleLR", maxLr: 0.3, totalSteps: 80, annealStrategy: "linear", threePhase: true },
      },
      {
        ...base,
        optimizer: { name: "rmsprop", lr: 0.05 },
        scheduler: {
          name: "sequentialLR",
          schedulers: [
            { name: "linearLR", startFactor: 0.1, totalIters: 5 },
            { name: "exponentialLR", gamma: 0.97 },
          ],
          milestones: [5],
        },
      },
      { ...base, optimizer: { name: "nadam", lr: 0.1 }, scheduler: { name: "cosineAnnealingLR", tMax: 30, etaMin: 0.001 } },
      { ...base, optimizer: { name: "adagrad", lr: 0.5 }, scheduler: { name: "reduceLROnPlateau", patience: 2, factor: 0.5 } },
    ];
    for (const dtype of ["f32", "f64"] as const) {
      const s: RunSpec[] = specs.map((x) => ({ ...x, dtype }));
      expect(strip(wasm.runMany(s))).toEqual(strip(runMany(s)));
    }
  });

  it("record modes, early stopping and divergence stop each lane at its own step", () => {
    const specs: RunSpec[] = [];
    for (const record of ["all", "loss", "final"] as const) {
      specs.push({ function: { name: "quadratic", weights: [0.5] }, optimizer: { name: "sgd", lr: 1 }, x0: [1], steps: 50, tol: 1e-12, record, dtype: "f64" });
      specs.push({
        function: { name: "quadratic", weights: [0.5] },
        optimizer: { name: "sgd", lr: 0.5 },
        x0: [1],
        steps: 50,
        tol: 1e-12,
        patience: 3,
        record,
        dtype: "f64",
      });
      specs.push({
        function: { name: "quadratic", weights: [0.5] },
        optimizer: { name: "sgd", lr: 1e3 },
        x0: [1],
        steps: 500,
        tol: 1e-12,
        record,
        dtype: "f64",
      });
      specs.push({ function: "cubic", optimizer: { name: "momentum", lr: 0.01 }, x0: [2, 3], steps: 150, record });
      specs.push({ function: "beale", optimizer: { name: "adam", lr: 0.01 }, x0: [1, 1], steps: 0, record });
      // |Δloss| < tol is strict: with tol 0 a constant loss never stops the run
      specs.push({ function: { name: "quadratic", weights: [0.5] }, optimizer: { name: "sgd", lr: 1 }, x0: [1], steps: 6, tol: 0, record, dtype: "f64" });
    }
    const a = wasm.runMany(specs),
      b = runMany(specs);
    expect(strip(a)).toEqual(strip(b));
    expect(new Set(b.map((r) => r.stopReason))).toEqual(new Set(["tol", "diverged", "steps"]));
  });

  it("transcendental functions: the same stopping and lr, trajectories within a tight tolerance", () => {
    const specs: RunSpec[] = ["rastrigin", "ackley", "levi13", "easom", "mccormick"].map((f) => ({
      function: f as "rastrigin",
      optimizer: { name: "adam", lr: 0.01 },
      steps: 100,
      dtype: "f64",
    }));
    const a = wasm.runMany(specs),
      b = runMany(specs);
    a.forEach((r, k) => {
      expect(r.steps).toBe(b[k].steps);
      expect(r.lr).toEqual(b[k].lr);
      r.x.forEach((row, t) => row.forEach((v, i) => expect(Math.abs(v - b[k].x[t][i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)))));
    });
  });

  it("the plan is computed by the reference optimizer and scheduler", () => {
    const plan = coefficientPlan({ optimizer: { name: "adam", lr: 0.1 }, scheduler: { name: "stepLR", stepSize: 2, gamma: 0.5 }, steps: 5 });
    const K = plan.kernel.scalars.length;
    const stepSize = plan.kernel.scalars.indexOf("stepSize");
    expect(Array.from(plan.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(plan.rows.length).toBe(5 * K);
    expect(plan.rows[stepSize]).toBeCloseTo(0.1 / (1 - 0.9), 12);
    expect(plan.rows[2 * K + stepSize]).toBeCloseTo(0.05 / (1 - 0.9 ** 3), 12);
    expect([...plan.buffers].sort()).toEqual(["expAvg", "expAvgSq"]);
  });

  it("plans sharing a power cache equal plans computed alone, bit for bit (and an optimizer stepped by hand)", () => {
    const specs = [
      { optimizer: { name: "adam" as const, lr: 0.02 }, steps: 300 },
      { optimizer: { name: "nadam" as const, lr: 0.02 }, steps: 300 },
      { optimizer: { name: "adamw" as const, lr: 0.02, weightDecay: 0.01 }, steps: 200 },
      {
        optimizer: { name: "radam" as const, lr: 0.02, betas: [0.9, 0.99] },
        steps: 300,
        scheduler: { name: "oneCycleLR" as const, maxLr: 0.1, totalSteps: 300 },
      },
    ];
    const shared = new PowerCache();
    for (const s of specs) {
      const a = coefficientPlan(s, shared),
        b = coefficientPlan(s);
      expect(
        a.rows.every((v, i) => Object.is(v, b.rows[i])),
        s.optimizer.name,
      ).toBe(true);
    }
    // The same rows as the reference optimizer writes when it steps (Math.pow each time).
    const x = { data: new Float64Array([1, -2]), grad: new Float64Array([0.5, 0.25]) };
    const opt = createOptimizer("nadam", [x], { lr: 0.02 });
    const plan = coefficientPlan(specs[1], shared);
    const K = plan.kernel.scalars.length;
    const rows: number[] = [];
    // The row the last step wrote (the reference keeps it between steps).
    const lastRow = () => (opt as unknown as { coefficientRow(): Float64Array }).coefficientRow();
    for (let t = 0; t < 300; t++) {
      opt.step();
      rows.push(...lastRow());
    }
    expect(rows.length).toBe(300 * K);
    expect(rows.every((v, i) => Object.is(v, plan.rows[i]))).toBe(true);
  });

  it("a batch mixing six optimizers (a lab race) equals the reference, with the points flat and as rows", () => {
    const opts = [
      { name: "sgd", lr: 0.001, momentum: 0.9 },
      { name: "adam", lr: 0.02 },
      { name: "rmsprop", lr: 0.005 },
      { name: "adagrad", lr: 0.5 },
      { name: "nadam", lr: 0.02 },
      { name: "adamw", lr: 0.02, weightDecay: 0.01 },
    ] as const;
    for (const record of ["all", "loss", "final"] as const) {
      const specs: RunSpec[] = opts.map((o) => ({ function: "rosenbrock", optimizer: { ...o }, x0: [-1.5, 2], steps: 500, dtype: "f64", record }));
      const a = wasm.runMany(specs),
        b = runMany(specs);
      expect(strip(a)).toEqual(strip(b));
      a.forEach((r) => {
        expect(r.points.length).toBe(r.x.length * r.dim);
        expect(r.x[r.x.length - 1]).toEqual(Array.from(r.points.subarray(r.points.length - r.dim)));
      });
    }
  });

  it("the zoo's element-wise optimizers with every option case, and every new scheduler, on the polynomial functions", () => {
    const zoo = ["rprop", "asgd", "lion", "adopt", "sfsgd", "sfadamw"] as const;
    const fns = functionNames.filter((n) => createFunction(n).polynomial);
    const specs: RunSpec[] = [];
    for (const name of zoo) {
      OPTION_CASES[name].forEach((options, j) => {
        for (const dtype of ["f32", "f64"] as const) {
          const f = fns[(j + zoo.indexOf(name)) % fns.length];
          specs.push({ function: f, optimizer: { name, ...options, lr: (options.lr as number) * 0.1 }, steps: 60, dtype });
          specs.push({ function: "rosenbrock", optimizer: { name, ...options, lr: 0.003 }, x0: [-1.5, 2], steps: 120, dtype });
        }
      });
    }
    const cyc = (o: Record<string, unknown>): SchedulerSpec => ({ name: "cyclicLR", baseLr: 0.001, maxLr: 0.01, stepSizeUp: 7, ...o });
    const schedules: [string, SchedulerSpec][] = [
      ["lion", { name: "constantLR", factor: 0.5, totalIters: 10 }],
      ["asgd", { name: "constantLR", factor: 0.2, totalIters: 0 }],
      ["rprop", { name: "polynomialLR", totalIters: 40, power: 2 }],
      ["sfadamw", { name: "polynomialLR" }],
      ["adopt", { name: "cosineAnnealingWarmRestarts", tZero: 9, tMult: 2, etaMin: 1e-4 }],
      ["sfsgd", { name: "cosineAnnealingWarmRestarts", tZero: 15 }],
      ["sgd", cyc({})],
      ["momentum", cyc({ mode: "triangular2", stepSizeDown: 3 })],
      ["adam", cyc({ mode: "expRange", gamma: 0.97 })],
      ["lion", cyc({ mode: "triangular2", scaleMode: "iterations", baseMomentum: 0.7, maxMomentum: 0.95 })],
      ["sfsgd", cyc({ mode: "expRange", gamma: 0.9, scaleMode: "cycle", stepSizeDown: 0 })],
      ["adopt", cyc({})],
      ["rprop", cyc({ cycleMomentum: false })],
      ["asgd", cyc({ cycleMomentum: false })],
      ["sfadamw", { name: "chainedScheduler", schedulers: [{ name: "linearLR", startFactor: 0.2, totalIters: 10 }, cyc({})] }],
      [
        "adam",
        {
          name: "chainedScheduler",
          schedulers: [
            { name: "constantLR", factor: 0.5 },
            { name: "exponentialLR", gamma: 0.98 },
            { name: "oneCycleLR", maxLr: 0.05, totalSteps: 80 },
          ],
        },
      ],
      [
        "sgd",
        {
          name: "chainedScheduler",
          schedulers: [
            {
              name: "sequentialLR",
              schedulers: [
                { name: "constantLR", factor: 0.25, totalIters: 5 },
                { name: "cosineAnnealingWarmRestarts", tZero: 8 },
              ],
              milestones: [5],
            },
            {
              name: "chainedScheduler",
              schedulers: [
                { name: "stepLR", stepSize: 10, gamma: 0.5 },
                { name: "polynomialLR", totalIters: 60 },
              ],
            },
          ],
        },
      ],
      ["nadam", { name: "sequentialLR", schedulers: [cyc({}), { name: "constantLR", totalIters: 0 }], milestones: [20] }],
    ];
    for (const [name, scheduler] of schedules) {
      for (const dtype of ["f32", "f64"] as const) {
        specs.push({
          function: { name: "quadratic", weights: [0.2, 2] },
          optimizer: { name: name as "sgd", lr: 0.05 },
          scheduler,
          x0: [3, 4],
          steps: 80,
          dtype,
        });
      }
    }
    const a = wasm.runMany(specs),
      b = runMany(specs);
    expect(strip(a)).toEqual(strip(b));
    // The runs moved (no optimizer or schedule is a no-op here).
    b.forEach((r, k) => expect(r.x[r.x.length - 1], JSON.stringify(specs[k])).not.toEqual(r.x[0]));
  });
});

describe("plans and power tables kept in wasm memory across calls", () => {
  it("a batch needing more than the 8 MB of kept plans, then its first specs again, gives the reference's runs", () => {
    // 24 plans of 20,000 Adam steps (13 × 8 bytes a step: 2 MB each) in one batch, then the first six in another.
    // The scheduler makes them plans (with fixed options the core writes the rows itself).
    const specs: RunSpec[] = Array.from({ length: 24 }, (_, k) => ({
      function: "booth",
      optimizer: { name: "adam", lr: 0.01 * (1 + k / 10) },
      scheduler: { name: "stepLR", stepSize: 5000, gamma: 0.5 },
      x0: [1, 2],
      steps: 20_000,
      dtype: "f64",
      record: "final",
    }));
    const a = wasm.runMany(specs),
      b = runMany(specs);
    expect(strip(a)).toEqual(strip(b));
    const again = specs.slice(0, 6);
    expect(strip(wasm.runMany(again))).toEqual(strip(b.slice(0, 6)));
    expect(strip(wasm.runMany(again))).toEqual(strip(b.slice(0, 6)));
  });

  it("a batch needing more than the 16 MB of kept power tables (a β1 each), then its first specs again, gives the reference's runs", () => {
    // 24 fixed-options runs of 100,000 steps with distinct β1: 25 tables of 800 kB.
    const specs: RunSpec[] = Array.from({ length: 24 }, (_, k) => ({
      function: "booth",
      optimizer: { name: "adam", lr: 0.01, betas: [0.5 + k / 50, 0.999] },
      x0: [1, 2],
      steps: 100_000,
      dtype: "f64",
      record: "final",
    }));
    const b = runMany(specs);
    expect(strip(wasm.runMany(specs))).toEqual(strip(b));
    expect(strip(wasm.runMany(specs.slice(0, 6)))).toEqual(strip(b.slice(0, 6)));
  });
});

describe("within: the first step within ε of a value, found as the run goes", () => {
  it("is the first recorded loss with f − value ≤ ε, on both engines and every path (fixed, planned, stepwise), with any record mode", () => {
    const base = { function: "rosenbrock" as const, x0: [-1.2, 1], steps: 400, dtype: "f64" as const };
    const runs: RunSpec[] = [
      { ...base, optimizer: { name: "adam", lr: 0.05 } },
      { ...base, optimizer: { name: "adam", lr: 0.05 }, dtype: "f32" },
      { ...base, optimizer: { name: "adam", lr: 0.05 }, scheduler: { name: "stepLR", stepSize: 50, gamma: 0.7 } },
      { ...base, optimizer: { name: "rmsprop", lr: 0.01 }, scheduler: { name: "reduceLROnPlateau", patience: 5 } },
      { ...base, optimizer: { name: "prodigy" } },
      { ...base, optimizer: { name: "lbfgs", lr: 1 }, steps: 30 },
      { ...base, optimizer: { name: "sgd", lr: 0.001 }, tol: 1e-9 },
      { ...base, optimizer: { name: "sgd", lr: 1 } }, // diverges
      { ...base, optimizer: { name: "adam", lr: 0.05 }, steps: 0 },
    ];
    const within = { value: 0, epsilon: 0.5 };
    const full = runMany(runs.map((s) => ({ ...s, record: "loss" as const })));
    const expected = full.map((r) => {
      const t = r.loss.findIndex((f) => f - within.value <= within.epsilon);
      return t < 0 ? NaN : t;
    });
    // Some runs get there, some never do (the diverging one).
    expect(expected.some(Number.isNaN)).toBe(true);
    expect(expected.filter((t) => t > 0).length).toBeGreaterThanOrEqual(4);
    for (const record of ["all", "loss", "final"] as const) {
      const specs = runs.map((s) => ({ ...s, record }));
      const ref = runMany(specs, { within });
      const got = wasm.runMany(specs, { within });
      expect(ref.map((r) => r.reached)).toEqual(expected);
      expect(got.map((r) => r.reached)).toEqual(expected);
      // Watching changes nothing else.
      expect(strip(got)).toEqual(strip(runMany(specs)));
    }
    // At x0 already: step 0.
    expect(wasm.runMany([runs[0]], { within: { value: 100, epsilon: 0 } })[0].reached).toBe(0);
    expect(wasm.runMany([runs[0]])[0].reached).toBeUndefined();
  });

  it("a bad within is refused naming the field", () => {
    const spec: RunSpec = { function: "booth", optimizer: { name: "adam" }, steps: 5 };
    for (const b of [wasm, { runMany }]) {
      expect(() => b.runMany([spec], { within: { value: 0, epsilon: -1 } })).toThrow(/options\.within\.epsilon: must be a number in \[0, Infinity\)/);
      expect(() => b.runMany([spec], { within: { value: "0", epsilon: 1 } } as never)).toThrow(/options\.within\.value: must be a number/);
    }
  });
});

describe("lane groups: fixed-options runs that differ only in lane inputs share one kernel call", () => {
  const grid = (extra: Partial<RunSpec>, options: Record<string, unknown> = {}, name: "adam" | "adamw" = "adam"): RunSpec[] =>
    [1e-4, 3e-3, 0.05, 0.4, 2].flatMap((lr) =>
      [0.5, 0.9, 0.99].map((b1) => ({
        function: "rosenbrock" as const,
        x0: [-1.2, 1],
        steps: 300,
        ...extra,
        optimizer: { name, lr, betas: [b1, lr > 1 ? 0.9 : 0.999], eps: lr > 0.1 ? 1e-6 : 1e-8, ...options },
      })),
    );

  it("an lr × β1 × β2 × ε grid is one group, and every lane gives the reference's run", () => {
    const specs = grid({});
    const groups = groupRuns(specs.map((s) => normalizeSpec(s)));
    expect([...groups.keys()].length).toBe(1);
    expect([...groups.keys()][0]).toMatch(/^lanes:adam/);
    expect(strip(wasm.runMany(specs))).toEqual(strip(runMany(specs)));
  });

  it("runs whose other options differ form separate groups (modes, amsgrad, maximize, weight decay, AdamW)", () => {
    const mixed = [
      ...grid({}),
      ...grid({}, { epsMode: "inside" }),
      ...grid({}, { epsMode: "hat", amsgrad: true }),
      ...grid({}, { maximize: true, weightDecay: 0.1 }),
      ...grid({}, { weightDecay: 0.1 }, "adamw"),
    ];
    const groups = groupRuns(mixed.map((s) => normalizeSpec(s)));
    expect([...groups.keys()].filter((k) => k.startsWith("lanes:")).length).toBe(5);
    expect(strip(wasm.runMany(mixed))).toEqual(strip(runMany(mixed)));
  });

  it("AdamW lanes whose decay 1 − lr·wd rounds to exactly 1 run beside lanes whose decay does not", () => {
    // lr·wd = 1e-20 gives decay 1 in f64; 1e-9 gives 1 in f32 but not in f64; 1e-3 in neither.
    const specs: RunSpec[] = [1e-20, 1e-9, 1e-3, 1e-20].map((lr) => ({
      function: "booth",
      x0: [1, 2],
      steps: 50,
      optimizer: { name: "adamw", lr, weightDecay: 1 },
    }));
    for (const dtype of ["f32", "f64"] as const) {
      const s: RunSpec[] = specs.map((x) => ({ ...x, dtype }));
      expect([...groupRuns(s.map((x) => normalizeSpec(x))).keys()].length).toBe(1);
      expect(strip(wasm.runMany(s))).toEqual(strip(runMany(s)));
    }
  });

  it("every dimension a run fits a vector with (1–4 in f32, 1–2 in f64) and the group-per-options path beyond", () => {
    for (const [dtype, dims] of [
      ["f32", [1, 2, 3, 4, 5]],
      ["f64", [1, 2, 3]],
    ] as const) {
      for (const dim of dims) {
        const specs = grid({ function: "styblinskiTang", x0: Array.from({ length: dim }, (_, i) => 3 - i), dtype, steps: 120 });
        const keys = [...groupRuns(specs.map((s) => normalizeSpec(s))).keys()];
        expect(keys.length === 1 && keys[0].startsWith("lanes:"), `${dtype} dim ${dim}`).toBe(dim * (dtype === "f32" ? 4 : 8) <= 16);
        expect(strip(wasm.runMany(specs)), `${dtype} dim ${dim}`).toEqual(strip(runMany(specs)));
      }
    }
  });

  it("lanes stop on their own (divergence, tol) and record like any run", () => {
    for (const record of ["all", "loss", "final"] as const) {
      const specs = grid({ record, tol: 1e-2, patience: 2, steps: 400 });
      specs.push({ ...specs[0], optimizer: { name: "adam", lr: 1e30 } }); // overflows to Infinity
      const ref = runMany(specs);
      expect(new Set(ref.map((r) => r.stopReason))).toEqual(new Set(["steps", "tol", "diverged"]));
      expect(strip(wasm.runMany(specs))).toEqual(strip(ref));
    }
  });
});
