import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../bindings/index.js";
import { createFunction } from "../src/functions/index.js";
import { MAX_STRING_CHARS, runSize, WASM32_BYTES } from "../src/limits.js";
import { normalizeSpec, normalizeSpecs, run } from "../src/run.js";
import { cliRunner } from "./cli-harness.js";
import { fieldOf } from "./field-error.js";

const ROOT = join(__dirname, "..");
const { cli } = cliRunner("limits");
let wasm: Backend;
beforeAll(async () => {
  wasm = await createBackend("wasm");
});

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((f) => {
    const p = join(folder, f);
    if (statSync(p).isDirectory()) return f === "generated" ? [] : sources(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

describe("no argument spread or apply of arrays (their length may be the user's)", () => {
  // Math.max(...a), push(...a), f.apply(x, a) pass every element as an argument: beyond ~10⁵ the stack overflows.
  it("in src/, bindings/ and web/", () => {
    const found: string[] = [];
    for (const file of ["src", "bindings", "web"].flatMap((d) => sources(join(ROOT, d)))) {
      const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
      const visit = (n: ts.Node) => {
        const at = () => `${file.slice(ROOT.length + 1)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
        if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) found.push(`${at()} ${n.parent.getText().slice(0, 60)}`);
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "apply" && n.arguments.length === 2)
          found.push(`${at()} ${n.getText().slice(0, 60)}`);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(found).toEqual([]);
  });

  it("a 500,000-dimensional quadratic runs on wasm (createFunction and the CLI)", () => {
    const n = 500_000;
    const fn = wasm.createFunction({ name: "quadratic" }, n);
    const x = wasm.paramFromValues("f64", new Float64Array(n).fill(0.5));
    // Σ xᵢ² at 0.5 is n/4; ∇ = 2x = 1.
    expect(fn.valueAndGrad(x.data, x.grad)).toBe(n / 4);
    expect(x.grad[n - 1]).toBe(1);
    x.dispose();
    const r = cli(["run", "FILE", "--backend", "wasm"], {
      function: { name: "quadratic" },
      dim: n,
      x0: 0.5,
      optimizer: { name: "adam" },
      steps: 10,
      record: "final",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.x).toHaveLength(2);
    expect(out.x[1]).toHaveLength(n);
    // Adam's first steps move every coordinate by ≈ lr = 1e-3 toward 0.
    expect(out.x[1][0]).toBeCloseTo(0.5 - 10e-3, 4);
  });
});

describe("specs that cannot be held are refused up front, naming dim, steps, record and the limit", () => {
  it("records past wasm32's 4 GiB, at once and on every backend", () => {
    // 524,288 × 301 points × 8 bytes × 4 f32 lanes ≈ 5.05 GB.
    const spec = { function: "rosenbrock", dim: 524_288, x0: 0.5, optimizer: { name: "adam" }, steps: 300, record: "all" };
    const t0 = performance.now();
    const e = fieldOf(() => normalizeSpec(spec));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(e).toMatchObject({ kind: "RangeError", field: "steps" });
    const msg = (() => {
      try {
        normalizeSpec(spec);
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(msg).toMatch(
      /^steps: 300 steps with record "all" keep 301 points of dim 524288 \(f32\): about 5\.\d\d GB .*wasm32: 4 GiB.*lower steps or dim, or record "loss" or "final"/,
    );
    expect(() => wasm.run(spec as never)).toThrow(/^steps: 300 steps with record "all"/);
    // The same run recording only its ends fits.
    expect(() => normalizeSpec({ ...spec, record: "final" })).not.toThrow();
    // Just under and just over the line, by the arithmetic stated in the README.
    expect(runSize({ dim: 524_288, steps: 300, record: "all", dtype: "f32" }).wasmBytes).toBeGreaterThan(WASM32_BYTES);
    expect(runSize({ dim: 524_288, steps: 200, record: "all", dtype: "f32" }).wasmBytes).toBeLessThan(WASM32_BYTES);
  });

  it("runs that fit alone but not together (field specs)", () => {
    const one = { function: "rosenbrock", dim: 100_000, x0: 0.5, optimizer: { name: "sgd" }, steps: 300, record: "all" };
    expect(() => normalizeSpecs([one])).not.toThrow();
    expect(fieldOf(() => normalizeSpecs([one, one, one, one, one]))).toMatchObject({ kind: "RangeError", field: "specs" });
  });

  it("CLI output past V8's string limit: exit 2 at once, nothing on stdout", () => {
    // 1,048,576 × 101 points ≈ 1.06e8 numbers: up to 2.6e9 characters of JSON (the js run took 35 s and 2.9 GB before).
    const spec = { function: "rastrigin", dim: 1_048_576, x0: 0.5, optimizer: { name: "adam" }, steps: 100 };
    const t0 = performance.now();
    const r = cli(["run", "FILE"], spec);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^optimlab: spec\.steps: 100 steps with record "all" and dim 1048576 give 105,906,377 numbers: .*V8: 2\^29 − 24.*lower steps or dim, or record "loss" or "final" .*\n$/,
    );
    expect(r.stderr.split("\n")).toHaveLength(2);
    // Together: each fits alone, the array does not (field specs).
    const part = { ...spec, dim: 262_144, steps: 60 };
    expect(runSize({ dim: 262_144, steps: 60, record: "all", dtype: "f32" }).jsonChars).toBeLessThan(MAX_STRING_CHARS);
    const many = cli(["run", "FILE"], [part, part, part, part]);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/^optimlab: specs: the 4 results together are up to [\d,]+ characters of JSON/);
  });

  it("x0 longer than 2^20 elements", () => {
    expect(fieldOf(() => run({ function: "rastrigin", x0: new Array(2 ** 20 + 1).fill(0), optimizer: { name: "sgd" }, steps: 1 }))).toMatchObject({
      kind: "RangeError",
      field: "x0",
    });
  });
});

describe("errors name the field the user wrote", () => {
  const base = { optimizer: { name: "adam" }, steps: 1 };
  it("x0's length against the function's dimension", () => {
    expect(() => normalizeSpec({ ...base, function: "beale", x0: [1, 2, 3] })).toThrow(/^x0: has 3 elements; beale takes exactly 2 \(its dimension\)$/);
    expect(() => normalizeSpec({ ...base, function: "rosenbrock", x0: [1] })).toThrow(/^x0: has 1 element; rosenbrock takes 2 or more \(its dimension\)$/);
    expect(() => normalizeSpec({ ...base, function: { name: "quadratic", weights: [0.2, 2] }, x0: [1, 2, 3] })).toThrow(
      /^x0: has 3 elements; quadratic takes exactly 2/,
    );
    expect(() => normalizeSpec({ ...base, function: "beale", dim: 3, x0: 1 })).toThrow(/^dim: is 3; beale takes exactly 2/);
    // Right lengths pass.
    expect(normalizeSpec({ ...base, function: "rosenbrock", x0: [1, 2, 3] }).x0).toEqual([1, 2, 3]);
  });

  it("a missing function name", () => {
    expect(fieldOf(() => normalizeSpec({ ...base, function: {} }))).toMatchObject({ kind: "TypeError", field: "function.name" });
    expect(() => createFunction({} as never)).toThrow(/^name: is required: one of quadratic, cubic/);
  });

  it("one wording for a number below its range and an infinite one", () => {
    const msg = (lr: number) => {
      try {
        normalizeSpec({ ...base, function: "booth", optimizer: { name: "adam", lr } });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    expect(msg(-1)).toBe("optimizer.lr: must be a number in [0, Infinity); got -1");
    expect(msg(1e400)).toBe("optimizer.lr: must be a number in [0, Infinity); got Infinity");
    expect(msg(NaN)).toBe("optimizer.lr: must be a number in [0, Infinity); got NaN");
  });
});
