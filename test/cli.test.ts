// The CLI contract, through the real entry point (bin/optimlab.js on dist/, built by `npm test`).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cliRunner } from "./cli-harness.js";
import { functionNames, createFunction, type FunctionName } from "../src/functions/index.js";
import { optimizerNames } from "../src/optim/index.js";
import { OPTION_CASES } from "./optimizer-cases.js";
import { loadZoo, TOL, type ZooCase } from "./zoo-replay.js";

const { dir, cli } = cliRunner("cli");

/** The torch fixtures' cases have the zoo's shape (test/zoo-replay.ts) in every field these replays read. */
const torchCases = (): ZooCase[] => JSON.parse(readFileSync(join(__dirname, "fixtures", "torch-optimizers.json"), "utf8")).cases as ZooCase[];

/**
 * Runs every case through `optimlab run --backend BACKEND` in one call and
 * checks each trajectory up to its horizon against the fixture (the
 * fixtures' tolerances, `TOL` of test/zoo-replay.ts), and L-BFGS's
 * evaluation counts where the fixture has them. `fround`: the fixture's f32
 * numbers are decimals to be rounded to float32 first; `source` names the
 * fixture in the message.
 */
function expectCliReproduces(cases: readonly ZooCase[], backend: string, o: { fround: boolean; source: string }): void {
  const specs = cases.map((c) => ({
    function: c.function,
    optimizer: { name: c.optimizer, ...c.options },
    x0: c.x0,
    steps: c.steps,
    dtype: c.dtype,
    ...(c.scheduler ? { scheduler: c.scheduler } : {}),
  }));
  const r = cli(["run", "FILE", "--backend", backend], specs);
  expect(r.stderr).toBe("");
  const results = JSON.parse(r.stdout) as { x: number[][]; evals?: number[] }[];
  cases.forEach((c, k) => {
    const { rel, floor } = TOL[c.dtype];
    for (let t = 0; t <= c.horizon; t++) {
      for (let i = 0; i < c.x0.length; i++) {
        const want = o.fround && c.dtype === "f32" ? Math.fround(c.x[t][i]) : c.x[t][i],
          got = results[k].x[t][i];
        if (!(Math.abs(got - want) <= rel * Math.max(Math.abs(want), floor))) throw new Error(`${c.id}: step ${t}, x[${i}] = ${got}, ${o.source} ${want}`);
      }
    }
    if (c.evals) expect(results[k].evals!.slice(0, c.horizon), c.id).toEqual(c.evals.slice(0, c.horizon));
  });
}

describe("optimlab run", () => {
  it("one spec gives one result; an array gives an array", () => {
    const spec = { function: { name: "quadratic", weights: [0.5] }, optimizer: { name: "sgd", lr: 0.1 }, x0: [1], steps: 3, dtype: "f64" };
    const one = cli(["run", "FILE"], spec);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe("");
    const r = JSON.parse(one.stdout);
    // gradient of w²/2 is w: w ← w − 0.1·w, in f64
    const want = [[1]];
    for (let t = 0; t < 3; t++) want.push([want[t][0] - 0.1 * want[t][0]]);
    expect(r.x).toEqual(want);
    expect(r.loss[0]).toBe(0.5);
    expect(r.lr).toEqual([0.1, 0.1, 0.1]);
    expect(r.steps).toBe(3);
    expect(r.stopReason).toBe("steps");
    const many = JSON.parse(cli(["run", "FILE"], [spec, spec]).stdout);
    expect(many).toHaveLength(2);
    expect(many[1]).toEqual(r);
  });

  it("reads stdin with -", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "-"], {
      input: JSON.stringify({ function: "booth", optimizer: { name: "adam" }, x0: [0, 0], steps: 2 }),
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).x).toHaveLength(3);
  });

  it("--dtype overrides the spec", () => {
    const spec = { function: "booth", optimizer: { name: "sgd", lr: 0.01 }, x0: [0.1, 0.2], steps: 1, dtype: "f64" };
    const f32 = JSON.parse(cli(["run", "FILE", "--dtype", "f32"], spec).stdout);
    expect(f32.x[0]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    const f64 = JSON.parse(cli(["run", "FILE"], spec).stdout);
    expect(f64.x[0]).toEqual([0.1, 0.2]);
  });

  it("writes non-finite numbers as strings", () => {
    const r = JSON.parse(
      cli(["run", "FILE"], { function: { name: "quadratic", weights: [1] }, optimizer: { name: "sgd", lr: 1e10 }, x0: [1], steps: 100, dtype: "f32" }).stdout,
    );
    expect(r.stopReason).toBe("diverged");
    expect(r.loss[r.loss.length - 1]).toBe("Infinity");
    expect(r.x[r.x.length - 1][0]).toMatch(/^-?Infinity$|^NaN$/);
  });

  it("answers every optimizer × function × dtype, and wasm gives the same bytes as js on the polynomial functions", () => {
    const specs: unknown[] = [];
    for (const o of optimizerNames) {
      for (const f of functionNames) {
        const fn = createFunction(f);
        for (const dtype of ["f32", "f64"]) {
          specs.push({ function: f, optimizer: { name: o, lr: 1e-3 }, x0: fn.start, steps: 40, dtype });
        }
      }
    }
    const js = cli(["run", "FILE", "--backend", "js"], specs);
    expect(js.code).toBe(0);
    const results = JSON.parse(js.stdout);
    expect(results).toHaveLength(specs.length);
    for (const r of results) expect(r.x.length).toBe(r.steps + 1);
    const poly = specs.filter((s) => createFunction((s as { function: FunctionName }).function).polynomial);
    const a = cli(["run", "FILE", "--backend", "js"], poly);
    const b = cli(["run", "FILE", "--backend", "wasm"], poly);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });
});

describe("optimlab run: the zoo's element-wise optimizers and the new schedulers", () => {
  const zoo = ["rprop", "asgd", "lion", "adopt", "sfsgd", "sfadamw"] as const;
  const schedulers: unknown[] = [
    { name: "constantLR", factor: 0.5, totalIters: 4 },
    { name: "polynomialLR", totalIters: 20, power: 0.5 },
    { name: "cosineAnnealingWarmRestarts", tZero: 6, tMult: 2, etaMin: 0.001 },
    { name: "cyclicLR", baseLr: 0.001, maxLr: 0.02, stepSizeUp: 5, stepSizeDown: 3, mode: "triangular2", scaleMode: "iterations", cycleMomentum: false },
    { name: "cyclicLR", baseLr: 0.001, maxLr: 0.02, stepSizeUp: 4, mode: "expRange", gamma: 0.95, baseMomentum: 0.7, maxMomentum: 0.9 },
    {
      name: "chainedScheduler",
      schedulers: [
        { name: "linearLR", totalIters: 5 },
        { name: "oneCycleLR", maxLr: 0.02, totalSteps: 30, cycleMomentum: false },
      ],
    },
  ];

  it("answers every option case and every new scheduler, and wasm gives the same bytes as js on the polynomial functions", () => {
    const specs: unknown[] = [];
    for (const name of zoo) {
      for (const options of OPTION_CASES[name]) {
        for (const dtype of ["f32", "f64"]) {
          specs.push({ function: "himmelblau", optimizer: { name, ...options }, x0: [1, 1], steps: 30, dtype });
          for (const scheduler of schedulers) {
            const cycles =
              JSON.stringify(scheduler).includes('"cyclicLR"') && !JSON.stringify(scheduler).includes("cycleMomentum") && (name === "rprop" || name === "asgd");
            if (!cycles) specs.push({ function: "booth", optimizer: { name, ...options, lr: 0.01 }, scheduler, x0: [0, 0], steps: 30, dtype });
          }
        }
      }
    }
    const js = cli(["run", "FILE", "--backend", "js"], specs);
    expect(js.stderr).toBe("");
    expect(js.code).toBe(0);
    const results = JSON.parse(js.stdout) as { x: unknown[]; steps: number; lr: number[] }[];
    expect(results).toHaveLength(specs.length);
    for (const r of results) expect(r.x.length).toBe(r.steps + 1);
    const wasm = cli(["run", "FILE", "--backend", "wasm"], specs);
    expect(wasm.code).toBe(0);
    expect(wasm.stdout).toBe(js.stdout);
  });

  it("a cycling cyclicLR on rprop is refused like torch's, exit 2", () => {
    const r = cli(["run", "FILE"], { function: "booth", optimizer: { name: "rprop" }, scheduler: { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1 }, steps: 3 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^optimlab: spec\.scheduler\.cycleMomentum: must be false for an optimizer with neither momentum nor betas/);
  });

  it("more steps than a oneCycleLR inside a chainedScheduler accepts is refused before the run", () => {
    const r = cli(["run", "FILE"], { function: "booth", optimizer: { name: "lion" }, scheduler: schedulers[5], steps: 31 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^optimlab: spec\.steps: is 31 but the scheduler accepts at most 30 steps/);
  });

  const fixtures = [...loadZoo("zoo-torch.json"), ...loadZoo("zoo-official.json")].filter(
    (c) => (zoo as readonly string[]).includes(c.optimizer) && c.split.length === 1,
  );
  for (const backend of ["js", "wasm"]) {
    it(`reproduces the ${fixtures.length} single-tensor zoo fixtures of these optimizers, --backend ${backend}`, () => {
      expectCliReproduces(fixtures, backend, { fround: true, source: "fixture" });
    });
  }
});

describe("optimlab run: adabelief, adan, prodigy, lbfgs with every option case", () => {
  it("answers every case on both backends with the same bytes on the polynomial functions; lbfgs results carry evals; maxEvals stops runs", () => {
    const specs: Record<string, unknown>[] = [];
    for (const o of ["adabelief", "adan", "prodigy", "lbfgs"] as const) {
      for (const options of OPTION_CASES[o]) {
        for (const f of ["rosenbrock", "beale", "quadratic", "himmelblau"] as const) {
          for (const dtype of ["f32", "f64"]) specs.push({ function: f, optimizer: { name: o, ...options }, steps: 20, dtype });
        }
      }
    }
    specs.push({ function: "rosenbrock", optimizer: { name: "lbfgs", maxIter: 4 }, x0: [-1.2, 1], steps: 30, maxEvals: 10, dtype: "f64" });
    specs.push({ function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, x0: [-1.2, 1], steps: 30, maxEvals: 10 });
    const a = cli(["run", "FILE", "--backend", "js"], specs);
    const b = cli(["run", "FILE", "--backend", "wasm"], specs);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const results = JSON.parse(a.stdout) as { evals?: number[]; steps: number; stopReason: string }[];
    results.forEach((r, k) => {
      const isLbfgs = (specs[k].optimizer as { name: string }).name === "lbfgs";
      expect(r.evals !== undefined, JSON.stringify(specs[k])).toBe(isLbfgs);
      if (r.evals) expect(r.evals).toHaveLength(r.steps);
    });
    const [lb, ad] = results.slice(-2);
    expect(lb.stopReason).toBe("evals");
    expect(lb.evals).toEqual([4, 4, 4]);
    expect([ad.steps, ad.stopReason]).toEqual([10, "evals"]);
  });

  it("bad maxEvals and lbfgs options exit 2 naming the field", () => {
    const good = { function: "booth", optimizer: { name: "lbfgs" }, x0: [0, 0], steps: 2 };
    for (const [input, re] of [
      [{ ...good, maxEvals: 0 }, /^optimlab: spec\.maxEvals: must be an integer in \[1, /],
      [{ ...good, optimizer: { name: "lbfgs", lineSearchFn: "wolfe" } }, /^optimlab: spec\.optimizer\.lineSearchFn: must be one of "strongWolfe"/],
      [
        { ...good, optimizer: { name: "adan", betas: [0.9, 0.9] } },
        /^optimlab: spec\.optimizer\.betas: must be an array of three numbers \[beta1, beta2, beta3\]/,
      ],
      [{ ...good, optimizer: { name: "prodigy", d0: 0 } }, /^optimlab: spec\.optimizer\.d0: /],
    ] as const) {
      const r = cli(["run", "FILE"], input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(re);
    }
  });
});

describe("bad input: exit 2, one line on stderr naming the field, nothing on stdout", () => {
  const good = { function: "booth", optimizer: { name: "adam" }, x0: [0, 0], steps: 2 };
  const cases: [string, string[], unknown, RegExp][] = [
    [
      "bad betas in the 4th spec",
      ["run", "FILE"],
      [good, good, good, { ...good, optimizer: { name: "adam", betas: [0.9, 1.5] } }],
      /^optimlab: specs\[3\]\.optimizer\.betas: must be two numbers/,
    ],
    [
      "unknown optimizer",
      ["run", "FILE"],
      { ...good, optimizer: { name: "adamm" } },
      /^optimlab: spec\.optimizer\.name: unknown optimizer "adamm"; allowed: sgd, /,
    ],
    ["unknown option", ["run", "FILE"], { ...good, optimizer: { name: "sgd", beta: 1 } }, /^optimlab: spec\.optimizer\.beta: unknown option of sgd; allowed: /],
    ["unknown function", ["run", "FILE"], { ...good, function: "rosenbrok" }, /^optimlab: spec\.function(\.name)?: .*rosenbrok/],
    ["bad function parameter", ["run", "FILE"], { ...good, function: { name: "quadratic", weights: "x" } }, /^optimlab: spec\.function\.weights: /],
    ["x0 of the wrong length", ["run", "FILE"], { ...good, x0: [1, 2, 3] }, /^optimlab: spec\.(x0|function\.dim|dim): /],
    ["non-finite x0", ["run", "FILE"], { ...good, x0: [1, "NaN"] }, /^optimlab: spec\.x0\[1\]: must be a number/],
    ["negative steps", ["run", "FILE"], { ...good, steps: -1 }, /^optimlab: spec\.steps: must be an integer in \[0, 10000000\]/],
    ["missing steps", ["run", "FILE"], { function: "booth", optimizer: { name: "adam" } }, /^optimlab: spec\.steps: is required/],
    ["bad dtype", ["run", "FILE"], { ...good, dtype: "f16" }, /^optimlab: spec\.dtype: must be one of "f32", "f64"; got "f16"/],
    ["unknown spec field", ["run", "FILE"], { ...good, step: 3 }, /^optimlab: spec\.step: unknown option of a run spec; allowed: function, optimizer/],
    ["bad scheduler", ["run", "FILE"], { ...good, scheduler: { name: "stepLR" } }, /^optimlab: spec\.scheduler\.stepSize: /],
    ["nesterov without momentum", ["run", "FILE"], { ...good, optimizer: { name: "sgd", nesterov: true } }, /^optimlab: spec\.optimizer\.nesterov: /],
    ["not JSON", ["run", "FILE"], "{ nope", /^optimlab: .*spec\d+\.json: not valid JSON/],
    ["a spec that is not an object", ["run", "FILE"], [good, 3], /^optimlab: specs\[1\]: must be an object/],
    ["missing file", ["run", "/nonexistent/spec.json"], undefined, /^optimlab: \/nonexistent\/spec\.json: cannot read \(ENOENT\)/],
    ["bad backend flag", ["run", "FILE", "--backend", "gpu"], good, /^optimlab: --backend must be js or wasm; got "gpu"/],
    ["unknown flag", ["run", "FILE", "--fast"], good, /^optimlab: unknown option --fast/],
    ["no file", ["run"], undefined, /^optimlab: run needs exactly one FILE/],
    ["unknown command", ["fly"], undefined, /^optimlab: unknown command "fly"/],
  ];
  for (const [label, args, input, re] of cases) {
    it(label, () => {
      const r = cli(args, input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe("the CLI reproduces the PyTorch fixtures on both backends", () => {
  // Single-tensor cases: a run spec has one tensor (multi-tensor is covered by test/torch.test.ts).
  const cases = torchCases().filter((c) => c.split.length === 1);
  for (const backend of ["js", "wasm"]) {
    it(`${cases.length} trajectories, --backend ${backend}`, () => {
      expectCliReproduces(cases, backend, { fround: false, source: "torch" });
    });
  }
});

describe("the CLI reproduces the zoo fixtures of adabelief, adan, prodigy and lbfgs on both backends", () => {
  const cases = [...loadZoo("zoo-official.json"), ...loadZoo("zoo-torch.json")].filter(
    (c) => ["adabelief", "adan", "prodigy", "lbfgs"].includes(c.optimizer) && c.split.length === 1,
  );
  for (const backend of ["js", "wasm"]) {
    it(`${cases.length} trajectories (lbfgs: and its evals), --backend ${backend}`, () => {
      expectCliReproduces(cases, backend, { fround: true, source: "fixture" });
    });
  }
});

describe("compare and plot", () => {
  it("compare writes SVG, PNG or an animated GIF by extension", () => {
    for (const [ext, magic] of [
      ["svg", "<svg"],
      ["png", "\x89PNG"],
      ["gif", "GIF89a"],
    ] as const) {
      const out = join(dir, `cmp.${ext}`);
      const r = cli([
        "compare",
        "--function",
        "rosenbrock",
        "--optimizers",
        "sgd:lr=0.001,adam:lr=0.01:betas=0.9/0.99",
        "--start",
        "-1.5,2",
        "--steps",
        "30",
        "--out",
        out,
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^optimlab: wrote ${out.replace(/[.]/g, "\\.")}`));
      expect(r.stdout).toMatch(/adam: 30 steps, final loss /);
      expect(readFileSync(out).toString("latin1")).toContain(magic);
    }
    const svg = readFileSync(join(dir, "cmp.svg"), "utf8");
    expect(svg).toContain("adam lr=0.01 betas=0.9/0.99");
  });

  it("plot reads a comparison spec (surface and loss views, function parameters)", () => {
    const out = join(dir, "plot.svg");
    const r = cli(["plot", "FILE"], {
      function: { name: "quadratic", weights: [0.2, 2] },
      optimizers: [
        { name: "adam", lr: 0.2, label: "Adam" },
        { name: "sgd", lr: 0.1, scheduler: { name: "stepLR", stepSize: 5, gamma: 0.5 } },
      ],
      x0: [3, 4],
      steps: 20,
      view: "surface",
      out,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(">Adam<");
    const loss = cli(["plot", "FILE"], {
      function: "rosenbrock",
      optimizers: [{ name: "adam", lr: 0.01 }],
      x0: [0, 0, 0, 0],
      steps: 20,
      out: join(dir, "loss.svg"),
    });
    expect(loss.code).toBe(0); // 4-D: drawn as loss curves
  });

  const bad: [string, string[], unknown, RegExp][] = [
    [
      "bad option of the 2nd optimizer",
      ["compare", "--function", "booth", "--optimizers", "sgd,adam:lr=-1"],
      undefined,
      /^optimlab: optimizers\[1\]\.lr: must be a number in \[0, Infinity\)/,
    ],
    [
      "malformed option",
      ["compare", "--function", "booth", "--optimizers", "sgd:lr"],
      undefined,
      /^optimlab: --optimizers\[0\]: option "lr" must be key=value/,
    ],
    [
      "bad start",
      ["compare", "--function", "booth", "--optimizers", "sgd", "--start", "1,x"],
      undefined,
      /^optimlab: --start: must be comma-separated numbers/,
    ],
    [
      "unknown extension",
      ["compare", "--function", "booth", "--optimizers", "sgd", "--out", "a.pdf"],
      undefined,
      /^optimlab: --out: must end in \.svg, \.png or \.gif/,
    ],
    ["missing optimizers", ["compare", "--function", "booth"], undefined, /^optimlab: compare needs --optimizers/],
    [
      "surface of a 4-D function",
      ["plot", "FILE"],
      { function: "rosenbrock", optimizers: [{ name: "adam" }], x0: [0, 0, 0, 0], steps: 2, view: "surface", out: "x.svg" },
      /^optimlab: view: surface needs a 2-D function/,
    ],
    [
      "unknown field in a plot spec",
      ["plot", "FILE"],
      { function: "booth", optimizers: [{ name: "adam" }], steps: 2, out: "x.svg", colour: "red" },
      /^optimlab: colour: unknown option of a comparison/,
    ],
  ];
  for (const [label, args, input, re] of bad) {
    it(label, () => {
      const r = cli(args, input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }
});

describe("table", () => {
  it("prints every optimizer for every problem of the notes", () => {
    const out = execFileSync(process.execPath, [BIN, "table"], { encoding: "utf8" });
    for (const o of optimizerNames) expect(out).toContain(`\n${o} `);
    expect(out).toContain("0.2x² + 2y² from (3, 4)");
    expect(out).toContain("steps to |f − f*| < 0.001");
    expect(out).toMatch(/saddle .*no minimum: unbounded below/);
  });
});
