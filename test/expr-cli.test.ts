import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { cliRunner } from "./cli-harness.js";
import { createBackend } from "../bindings/index.js";
import { createFunction } from "../src/functions/index.js";
import { lowestMinimum, summarize, type TrajectoryExperiment } from "../src/experiments/index.js";
import { surfaceFigures, weightedSphereFigures } from "../src/report/figures.js";
import { trajectoryBody } from "../src/report/html.js";
import { runMany, type RunSpec } from "../src/run.js";

const { dir, cli } = cliRunner("expr-cli");

/** Every text node of an SVG. */
function texts(svg: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string" || typeof v === "number") out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) if (!k.startsWith("@_")) walk(c);
  };
  walk(new XMLParser({ ignoreAttributes: false, preserveOrder: false }).parse(svg));
  return out;
}

describe("optimlab run with formulas", () => {
  it("gives the reference's run on both backends", () => {
    const spec = { function: { expr: "(1 - x)^2 + 100*(y - x^2)^2" }, optimizer: { name: "adam", lr: 0.02 }, x0: [-1.2, 1], steps: 40, dtype: "f64" };
    const want = JSON.parse(JSON.stringify(runMany([spec as never])[0]));
    for (const backend of ["js", "wasm"]) {
      const r = cli(["run", "FILE", "--backend", backend], spec);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(want);
    }
  });

  const bad: [string, unknown, RegExp][] = [
    ["unbalanced", "(x + 1", /^optimlab: spec\.function\.expr: expected "\)" at column 7/],
    ["empty", "", /^optimlab: spec\.function\.expr: empty formula at column 1/],
    ["unknown name", "x + foo", /^optimlab: spec\.function\.expr: unknown name "foo" at column 5; allowed: x, y/],
    ["wrong arity", "atan2(y)", /^optimlab: spec\.function\.expr: atan2 takes 2 arguments at column 1; got 1$/],
    ["__proto__", "__proto__ + x", /^optimlab: spec\.function\.expr: unknown name "__proto__" at column 1/],
    ["constructor", "constructor(x)", /^optimlab: spec\.function\.expr: unknown function "constructor" at column 1/],
    [
      "20,000 terms",
      Array.from({ length: 20_000 }, () => "x").join("+"),
      /^optimlab: spec\.function\.expr: is 39999 characters long; at most 10000 are allowed$/,
    ],
    ["5,000 nested parentheses", "(".repeat(5000) + "x" + ")".repeat(5000), /^optimlab: spec\.function\.expr: is 10001 characters long/],
    ["300 nested parentheses", "(".repeat(300) + "x" + ")".repeat(300), /^optimlab: spec\.function\.expr: nesting deeper than 256 levels at column 257$/],
    ["not a string", 42, /^optimlab: spec\.function\.expr: must be a formula as a string/],
  ];
  for (const [what, expr, re] of bad) {
    it(`exits 2 with one line for ${what}`, () => {
      const r = cli(["run", "FILE"], { function: { expr }, optimizer: { name: "sgd", lr: 0.1 }, steps: 3 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd()).toMatch(re);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }
});

describe("compare and plot with formulas", () => {
  it("compare takes the text after expr: verbatim (commas, colons and slashes included)", () => {
    for (const backend of ["js", "wasm"]) {
      const out = join(dir, `atan2-${backend}.svg`);
      const r = cli([
        "compare",
        "--function",
        "expr:atan2(y, x)/2 + (x^2 + y^2)/10",
        "--optimizers",
        "sgd:lr=0.05,adam:lr=0.05",
        "--start",
        "1,1",
        "--steps",
        "40",
        "--out",
        out,
        "--backend",
        backend,
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const svg = readFileSync(out, "utf8");
      expect(texts(svg).join(" ")).toContain("atan2(y, x)/2 + (x^2 + y^2)/10 from (1, 1), 40 steps");
      expect(r.stdout).toMatch(/^ {2}sgd: 40 steps, final loss 0\.10\d+$/m);
    }
  });

  it("plot reads a formula with its label, domain, start and minima; the figure names it and marks the minimum", () => {
    const out = join(dir, "formula-plot.svg");
    const r = cli(["plot", "FILE"], {
      function: { expr: "(x - 1)^2 + 2*(y + 0.5)^2", label: "my bowl", domain: { x: [-2, 3], y: [-2, 2] }, start: [-1.5, 1.5], minima: [{ x: [1, -0.5] }] },
      optimizers: [
        { name: "adam", lr: 0.1, label: "Adam" },
        { name: "momentum", lr: 0.02 },
      ],
      steps: 60,
      out,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const svg = readFileSync(out, "utf8");
    const words = texts(svg).join(" ");
    expect(words).toContain("my bowl from (−1.5, 1.5), 60 steps");
    expect(words).toContain("Adam");
    expect(svg).toMatch(/minimum/i);
    const png = join(dir, "formula-surface.png");
    expect(cli(["plot", "FILE"], { function: { expr: "x^2 - y^2" }, optimizers: [{ name: "sgd", lr: 0.01 }], steps: 10, view: "surface", out: png }).code).toBe(
      0,
    );
    expect(existsSync(png)).toBe(true);
  });

  it("n-D formulas plot their loss; bad formulas exit 2 naming function.expr", () => {
    const ok = cli(["compare", "--function", "expr:x1^2 + x2^2 + x3^2", "--optimizers", "adam:lr=0.1", "--steps", "20", "--out", join(dir, "nd.svg")]);
    expect(ok.code).toBe(0);
    const r = cli(["compare", "--function", "expr:sin(x,", "--optimizers", "sgd"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^optimlab: function\.expr: expected a number, a name or "\(" at column 7/);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    const surface = cli(["compare", "--function", "expr:x1 + x2 + x3", "--optimizers", "sgd", "--view", "surface"]);
    expect(surface.stderr).toMatch(/^optimlab: view: surface needs a 2-D function; x1 \+ x2 \+ x3 here is 3-D/);
  });
});

describe("the report's figure code with a formula", () => {
  it("draws a formula panel (contour, surface, race) with its label, minimum and readings, on both backends", async () => {
    for (const kind of ["js", "wasm"] as const) {
      const backend = await createBackend(kind);
      const fnSpec = { expr: "(x - 1)^2 + 2*(y + 0.5)^2", label: "my bowl", minima: [{ x: [1, -0.5] }] };
      const fn = createFunction(fnSpec);
      const window = { x: [-3, 3] as [number, number], y: [-3, 3] as [number, number] };
      const specs: RunSpec[] = [
        { name: "adam", lr: 0.1 },
        { name: "sgd", lr: 0.05 },
      ].map((optimizer) => ({ function: fnSpec, optimizer: optimizer as RunSpec["optimizer"], x0: [-2, 2], steps: 120, dtype: "f64", record: "all" }));
      const results = backend.runMany(specs);
      const ref = lowestMinimum(fn);
      expect(ref).toEqual({ x: [1, -0.5], value: 0, kind: "minimum" });
      const panel = {
        label: fn.label!,
        function: fnSpec,
        formula: fn.label!,
        x0: [-2, 2],
        window,
        reference: ref,
        runs: results.map((result, i) => ({
          label: `${specs[i].optimizer.name} lr ${specs[i].optimizer.lr}`,
          optimizer: specs[i].optimizer.name,
          spec: specs[i],
          result,
          summary: summarize(result, fnSpec, window, { reference: ref! }),
        })),
      };
      // SGD at lr 0.05 on this bowl gets within 1e-3 of f* = 0: the reading is a step count.
      expect(panel.runs[1].summary.reachedStep).toBeGreaterThan(0);
      const e: TrajectoryExperiment = { seed: 0, dtype: "f64", panels: [panel] };
      const { figures, animations } = surfaceFigures(backend, e);
      expect(figures.map((f) => f.title)).toEqual(["my bowl from (−2, 2): paths", "my bowl from (−2, 2): surface"]);
      expect(texts(figures[0].svg).join(" ")).toContain("adam lr 0.1");
      expect(figures[0].svg).toMatch(/minimum/);
      expect(animations[0].frames.length).toBeGreaterThan(10);
      expect(weightedSphereFigures(backend, e).at(-1)!.title).toBe("All optimizers on my bowl");
      expect(trajectoryBody(panel)).toMatch(/my bowl|adam lr 0\.1/);
    }
  });
});
