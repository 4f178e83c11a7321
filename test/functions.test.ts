import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fieldOf } from "./field-error.js";
import { createFunction, functionNames, grid, type FunctionName, type FunctionSpec, type TestFunction } from "../src/functions/index.js";
import { mulberry32 } from "../src/experiments/random.js";

const ND: ReadonlySet<FunctionName> = new Set(["quadratic", "rosenbrock", "rastrigin", "ackley", "styblinskiTang"]);
const dimsFor = (name: FunctionName): number[] => (name === "rosenbrock" ? [2, 3, 5] : ND.has(name) ? [1, 2, 5] : [2]);

/** Every function at its test dimensions with default parameters, plus parameter variants. */
function instances(): TestFunction[] {
  const out: TestFunction[] = [];
  for (const name of functionNames) for (const d of dimsFor(name)) out.push(createFunction(name, d));
  const variants: [FunctionSpec, number?][] = [
    [{ name: "quadratic", weights: [0.2, 2] }],
    [{ name: "quadratic", weights: [0.05, 1] }],
    [{ name: "quadratic", weights: [-0.5, 1] }],
    [{ name: "quadratic", weights: [0.5] }],
    [{ name: "quadratic", weights: [3, 0.1, 2, 0.7, 1.5] }],
    [{ name: "rosenbrock", a: 2, b: 10 }],
    [{ name: "rosenbrock", a: 0, b: 50 }, 4],
    [{ name: "rastrigin", A: 3 }, 3],
    [{ name: "ackley", a: 10, b: 0.5, c: 3 }, 3],
  ];
  for (const [spec, d] of variants) out.push(createFunction(spec, d));
  return out;
}
const ALL = instances();
const label = (fn: TestFunction): string => `${fn.name} dim ${fn.dim} ${JSON.stringify(fn.params)}`;

/** Per-coordinate sampling range: coordinate 1 uses the window's y range, every other one its x range. */
const rangeOf = (fn: TestFunction, i: number): [number, number] => (i === 1 ? fn.domain.y : fn.domain.x);

function randomPoint(fn: TestFunction, rnd: () => number): number[] {
  return Array.from({ length: fn.dim }, (_, i) => {
    const [lo, hi] = rangeOf(fn, i);
    return lo + (hi - lo) * rnd();
  });
}

function gradAt(fn: TestFunction, x: number[]): { f: number; g: number[] } {
  const g = new Float64Array(fn.dim);
  const f = fn.valueAndGrad(x, g);
  return { f, g: Array.from(g) };
}

/** Central differences with step 1e-6 · max(1, |xᵢ|), divided by the step actually taken. */
function fdGrad(fn: TestFunction, x: number[]): number[] {
  return x.map((xi, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(xi));
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = xi + h;
    xm[i] = xi - h;
    return (fn.value(xp) - fn.value(xm)) / (xp[i] - xm[i]);
  });
}

const maxAbs = (v: number[]): number => v.reduce((m, t) => Math.max(m, Math.abs(t)), 0);

describe("registry", () => {
  it("lists the 18 functions", () => {
    expect([...functionNames].sort()).toEqual(
      [
        "quadratic",
        "cubic",
        "rosenbrock",
        "beale",
        "booth",
        "matyas",
        "himmelblau",
        "threeHumpCamel",
        "sixHumpCamel",
        "goldsteinPrice",
        "rastrigin",
        "ackley",
        "styblinskiTang",
        "levi13",
        "easom",
        "mccormick",
        "saddle",
        "monkeySaddle",
      ].sort(),
    );
  });

  it("resolves parameters and dimensions", () => {
    expect(createFunction("rosenbrock").params).toEqual({ a: 1, b: 100 });
    expect(createFunction({ name: "rosenbrock", b: 10 }).params).toEqual({ a: 1, b: 10 });
    expect(createFunction("ackley").params).toEqual({ a: 20, b: 0.2, c: 2 * Math.PI });
    expect(createFunction("rastrigin", 3).params).toEqual({ A: 10 });
    expect(createFunction("beale").params).toEqual({});
    expect(createFunction("beale").dim).toBe(2);
    expect(createFunction("rastrigin").dim).toBe(2);
    const q = createFunction("quadratic", 3);
    expect(q.dim).toBe(3);
    expect(q.params).toEqual({ weights: [1, 1, 1] });
    const w = createFunction({ name: "quadratic", weights: [0.2, 2] });
    expect(w.dim).toBe(2);
    expect(w.params).toEqual({ weights: [0.2, 2] });
    expect(createFunction({ name: "quadratic", weights: new Float64Array([1, 2, 3]) }, 3).params).toEqual({ weights: [1, 2, 3] });
  });

  it("does not let a caller mutate the weights after creation", () => {
    const weights = [1, 2];
    const q = createFunction({ name: "quadratic", weights });
    weights[0] = 100;
    expect(q.value([1, 1])).toBe(3);
    expect(() => (q.params.weights as number[]).push(1)).toThrow(TypeError);
  });

  it("flags polynomial functions as such", () => {
    const poly = functionNames.filter((n) => createFunction(n).polynomial).sort();
    expect(poly).toEqual(
      [
        "quadratic",
        "cubic",
        "rosenbrock",
        "beale",
        "booth",
        "matyas",
        "himmelblau",
        "threeHumpCamel",
        "sixHumpCamel",
        "goldsteinPrice",
        "styblinskiTang",
        "saddle",
        "monkeySaddle",
      ].sort(),
    );
  });

  it("has domains, and start points of length dim that are not minima", () => {
    for (const fn of ALL) {
      const { x, y } = fn.domain;
      expect(x[0] < x[1] && y[0] < y[1], label(fn)).toBe(true);
      expect(fn.start.length, label(fn)).toBe(fn.dim);
      expect(maxAbs(gradAt(fn, fn.start).g), label(fn)).toBeGreaterThan(1e-3);
      for (const m of fn.minima) expect(m.x, label(fn)).not.toEqual(fn.start);
    }
    expect(createFunction("rosenbrock", 4).start).toEqual([-1.2, 1, 1, 1]);
    expect(createFunction("quadratic", 1).start).toEqual([3]);
    expect(createFunction("quadratic", 4).start).toEqual([3, 4, 1, 1]);
  });
});

describe("gradients match central differences", () => {
  for (const fn of ALL) {
    it(label(fn), () => {
      const rnd = mulberry32(0x5eed ^ (fn.dim * 7919) ^ fn.name.length);
      for (let k = 0; k < 200; k++) {
        const x = randomPoint(fn, rnd);
        const { g } = gradAt(fn, x);
        const fd = fdGrad(fn, x);
        // Observed worst case over 2000 points per instance is ~7e-8 (levi13, truncation error), so 1e-6 has margin
        // and still catches a 1e-5 relative slip in a single gradient term.
        const tol = 1e-6 * Math.max(1, maxAbs(g));
        for (let i = 0; i < fn.dim; i++) {
          if (!(Math.abs(g[i] - fd[i]) <= tol)) {
            throw new Error(`${label(fn)} at ${JSON.stringify(x)}: ∂${i} analytic ${g[i]} vs finite difference ${fd[i]}`);
          }
        }
      }
    });
  }
});

describe("evaluation contract", () => {
  it("value() is bit-identical to valueAndGrad() and accepts typed arrays", () => {
    const rnd = mulberry32(42);
    for (const fn of ALL) {
      for (let k = 0; k < 20; k++) {
        const x = randomPoint(fn, rnd);
        const g = new Float64Array(fn.dim);
        const f = fn.valueAndGrad(x, g);
        expect(Object.is(fn.value(x), f), label(fn)).toBe(true);
        expect(Object.is(fn.value(Float64Array.from(x)), f), label(fn)).toBe(true);
        const g2: number[] = new Array(fn.dim).fill(0);
        expect(Object.is(fn.valueAndGrad(Float64Array.from(x), g2), f)).toBe(true);
        expect(g2).toEqual(Array.from(g));
      }
    }
  });

  it("computes in f64 and rounds once when storing into a Float32Array grad", () => {
    const rnd = mulberry32(7);
    for (const fn of ALL) {
      for (let k = 0; k < 20; k++) {
        const x = randomPoint(fn, rnd);
        const g64 = new Float64Array(fn.dim);
        const g32 = new Float32Array(fn.dim);
        const f64 = fn.valueAndGrad(x, g64);
        const f32 = fn.valueAndGrad(x, g32);
        expect(Object.is(f32, f64), label(fn)).toBe(true);
        for (let i = 0; i < fn.dim; i++) expect(Object.is(g32[i], Math.fround(g64[i])), label(fn)).toBe(true);
      }
    }
  });

  it("writes only grad[0..dim) when grad is longer", () => {
    const fn = createFunction("rosenbrock", 3);
    const g = new Float64Array(5).fill(-7);
    fn.valueAndGrad([0.5, 0.2, -0.3], g);
    expect(g[3]).toBe(-7);
    expect(g[4]).toBe(-7);
  });

  it("propagates NaN without throwing, and tolerates infinities", () => {
    for (const fn of ALL) {
      const g = new Float64Array(fn.dim);
      const f = fn.valueAndGrad(new Array(fn.dim).fill(NaN), g);
      expect(f, label(fn)).toBeNaN();
      for (let i = 0; i < fn.dim; i++) expect(g[i], label(fn)).toBeNaN();
      expect(() => fn.valueAndGrad(new Array(fn.dim).fill(Infinity), g)).not.toThrow();
      expect(() => fn.value(new Array(fn.dim).fill(-Infinity))).not.toThrow();
    }
  });
});

describe("N-D sums: four partial sums by index mod 4, combined (p0 + p2) + (p1 + p3)", () => {
  // Terms [1, 1e16, 1, −1e16, 1]: left to right gives 1 (1e16 swallows the 1s), the documented order
  // p0 = 1 + 1, p1 = 1e16, p2 = 1, p3 = −1e16 gives (2 + 1) + 0 = 3.
  const x = [1, 1, 1, 1, 1];
  const w = [1, 1e16, 1, -1e16, 1];
  it("quadratic, styblinskiTang and rosenbrock follow it", () => {
    expect(createFunction({ name: "quadratic", weights: w }).value(x)).toBe(3);
    // Styblinski–Tang term (x⁴ − 16x² + 5x) at x = 1 is −10: ½ · 5 · (−10) in any order; the order shows in the last bits.
    const st = createFunction("styblinskiTang", 7);
    const xs = [0.1, 3.7, -2.9, 1.3, 0.6, -4.1, 2.2];
    const t = xs.map((v) => v * v * (v * v) - 16 * (v * v) + 5 * v);
    expect(st.value(xs)).toBe(0.5 * (0 + t[0] + t[4] + (0 + t[2] + t[6]) + (0 + t[1] + t[5] + (0 + t[3]))));
    const rb = createFunction({ name: "rosenbrock", a: 1, b: 100 }, 6);
    const xr = [0.5, -1.2, 2.5, 0.3, -0.7, 1.9];
    const r = [0, 1, 2, 3, 4].map((i) => {
      const d = xr[i + 1] - xr[i] * xr[i],
        e = 1 - xr[i];
      return 100 * d * d + e * e;
    });
    expect(rb.value(xr)).toBe(0 + r[0] + r[4] + (0 + r[2]) + (0 + r[1] + (0 + r[3])));
  });
});

describe("polynomial kernels use only + − ×", () => {
  const spied = ["sin", "cos", "exp", "sqrt", "pow", "log", "tan", "atan2", "hypot", "abs"] as const;
  afterEach(() => vi.restoreAllMocks());

  it("no Math call while evaluating a polynomial function, at least one otherwise", () => {
    const spies = spied.map((m) => vi.spyOn(Math, m));
    const rnd = mulberry32(3);
    for (const fn of ALL) {
      for (const s of spies) s.mockClear();
      fn.valueAndGrad(randomPoint(fn, rnd), new Float64Array(fn.dim));
      const calls = spies.reduce((c, s) => c + s.mock.calls.length, 0);
      if (fn.polynomial) expect(calls, label(fn)).toBe(0);
      else expect(calls, label(fn)).toBeGreaterThan(0);
    }
  });

  it("the sources use no Math function but sin/cos/exp/sqrt and no ** or Math.pow", () => {
    const dir = new URL("../src/functions/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const code = readFileSync(new URL(file, dir), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      expect(code, file).not.toMatch(/\*\*/);
      const used = new Set([...code.matchAll(/Math\.(\w+)/g)].map((m) => m[1]));
      for (const u of used) expect(["sin", "cos", "exp", "sqrt", "PI", "E"], `${file} uses Math.${u}`).toContain(u);
    }
  });
});

describe("minima", () => {
  for (const fn of ALL.filter((f) => f.minima.length > 0)) {
    it(label(fn), () => {
      const rnd = mulberry32(99 + fn.dim);
      for (const m of fn.minima) {
        const where = `${label(fn)} minimum ${JSON.stringify(m.x)}`;
        expect(m.x.length, where).toBe(fn.dim);
        const { f, g } = gradAt(fn, m.x);
        expect(Math.abs(f - m.value), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(m.value)));
        expect(maxAbs(g), where).toBeLessThanOrEqual(1e-6);
        for (const r of [1e-4, 1e-2]) {
          for (let k = 0; k < 200; k++) {
            const p = m.x.map((xi) => xi + r * Math.max(1, Math.abs(xi)) * (2 * rnd() - 1));
            const fp = fn.value(p);
            if (!(fp >= f - 1e-12 * Math.max(1, Math.abs(f)))) throw new Error(`${where} beaten at ${JSON.stringify(p)}: ${fp} < ${f}`);
          }
        }
        if (m.kind === "global") {
          for (let k = 0; k < 2000; k++) {
            const p = randomPoint(fn, rnd);
            const fp = fn.value(p);
            if (!(fp >= f - 1e-12 * Math.max(1, Math.abs(f)))) throw new Error(`${where} (global) beaten at ${JSON.stringify(p)}: ${fp} < ${f}`);
          }
        }
      }
    });
  }

  it("are the documented ones", () => {
    const xs = (spec: FunctionSpec, dim?: number) => createFunction(spec, dim).minima.map((m) => [m.x, m.value, m.kind]);
    expect(xs("rosenbrock")).toEqual([[[1, 1], 0, "global"]]);
    expect(xs({ name: "rosenbrock", a: 2 })).toEqual([[[2, 4], 0, "global"]]);
    expect(xs({ name: "rosenbrock", a: 2 }, 3)).toEqual([]);
    expect(xs("rosenbrock", 5)).toEqual([[[1, 1, 1, 1, 1], 0, "global"]]);
    expect(xs({ name: "quadratic", weights: [0.2, 2] })).toEqual([[[0, 0], 0, "global"]]);
    expect(xs({ name: "quadratic", weights: [-0.5, 1] })).toEqual([]);
    expect(xs({ name: "quadratic", weights: [0, 1] })).toEqual([]);
    expect(xs("cubic")).toEqual([[[0, 0], 0, "local"]]);
    expect(xs("saddle")).toEqual([]);
    expect(xs("monkeySaddle")).toEqual([]);
    expect(createFunction("himmelblau").minima).toHaveLength(4);
    expect(createFunction("sixHumpCamel").minima.filter((m) => m.kind === "global")).toHaveLength(2);
    expect(xs("goldsteinPrice")[0]).toEqual([[0, -1], 3, "global"]);
    expect(xs("levi13")).toEqual([[[1, 1], 0, "global"]]);
    expect(xs("easom")).toEqual([[[Math.PI, Math.PI], -1, "global"]]);
    const st = createFunction("styblinskiTang", 5).minima[0];
    expect(st.x).toEqual(new Array(5).fill(-2.903534027771177));
    expect(st.value).toBeCloseTo(-39.16616570377142 * 5, 10);
  });

  it("six-hump camel and McCormick global minima have the published values", () => {
    const six = createFunction("sixHumpCamel").minima[0];
    expect(Math.abs(six.x[0] - 0.0898)).toBeLessThan(1e-4);
    expect(Math.abs(six.x[1] + 0.7126)).toBeLessThan(1e-4);
    expect(Math.abs(six.value + 1.0316284534898774)).toBeLessThan(1e-15);
    const mc = createFunction("mccormick").minima[0];
    expect(Math.abs(mc.x[0] + 0.54719755)).toBeLessThan(1e-8);
    expect(Math.abs(mc.x[1] + 1.54719755)).toBeLessThan(1e-8);
    expect(Math.abs(mc.value + 1.9132229549810367)).toBeLessThan(1e-15);
  });
});

describe("published values", () => {
  const cases: [FunctionSpec, number[], number][] = [
    ["rosenbrock", [0, 0], 1],
    ["rosenbrock", [1, 1, 1], 0],
    ["rosenbrock", [0, 0, 0], 2],
    ["goldsteinPrice", [0, 0], 600],
    ["goldsteinPrice", [0, -1], 3],
    ["beale", [1, 1], 14.203125],
    ["beale", [3, 0.5], 0],
    ["himmelblau", [0, 0], 170],
    ["himmelblau", [3, 2], 0],
    ["booth", [0, 0], 74],
    ["booth", [1, 3], 0],
    ["matyas", [1, 1], 0.04],
    ["threeHumpCamel", [1, 1], 2 - 1.05 + 1 / 6 + 1 + 1],
    ["sixHumpCamel", [1, 1], 4 - 2.1 + 1 / 3 + 1 - 4 + 4],
    ["cubic", [1, 1], 4],
    ["saddle", [2, 1], 3],
    ["monkeySaddle", [1, 1], -2],
    ["mccormick", [0, 0], 1],
    ["mccormick", [1, 2], 5.64112000805986722],
    ["easom", [Math.PI, Math.PI], -1],
    ["easom", [3, 3], -0.941564157536494494],
    ["levi13", [0, 0], 2],
    ["levi13", [0.5, 0.25], 2.5],
    ["rastrigin", [0, 0], 0],
    ["rastrigin", [0.5, 0.5], 40.5],
    ["ackley", [1, 1], 3.62538493844036283],
    ["ackley", [0.5, -1.5, 2], 7.10206294190750677],
    ["styblinskiTang", [1, 2, 3], -48],
    [{ name: "quadratic", weights: [0.2, 2] }, [3, 4], 0.2 * 9 + 2 * 16],
  ];
  for (const [spec, x, v] of cases) {
    it(`${JSON.stringify(spec)} at ${JSON.stringify(x)} = ${v}`, () => {
      const fn = createFunction(spec, x.length);
      expect(Math.abs(fn.value(x) - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
    });
  }

  it("ackley at the origin is exactly 0 with a finite zero gradient", () => {
    for (const d of [1, 2, 5]) {
      const fn = createFunction("ackley", d);
      const g = new Float64Array(d).fill(NaN);
      expect(fn.valueAndGrad(new Float64Array(d), g)).toBe(0);
      for (const gi of g) expect(gi).toBe(0);
    }
  });
});

describe("grid", () => {
  it("matches value() pointwise, row-major with y outer", () => {
    for (const name of functionNames) {
      const fn = createFunction(name);
      const { x, y } = fn.domain;
      const nx = 7;
      const ny = 5;
      const out = grid(fn, x, y, nx, ny);
      expect(out).toBeInstanceOf(Float64Array);
      expect(out.length).toBe(nx * ny);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const xi = x[0] + (i * (x[1] - x[0])) / (nx - 1);
          const yj = y[0] + (j * (y[1] - y[0])) / (ny - 1);
          expect(Object.is(out[j * nx + i], fn.value([xi, yj])), `${name} (${i}, ${j})`).toBe(true);
        }
      }
    }
  });

  it("puts x along rows and includes both endpoints", () => {
    const fn = createFunction("monkeySaddle"); // x³ − 3xy², not symmetric in x and y
    const out = grid(fn, [0, 2], [-1, 3], 3, 2);
    expect(Array.from(out)).toEqual([fn.value([0, -1]), fn.value([1, -1]), fn.value([2, -1]), fn.value([0, 3]), fn.value([1, 3]), fn.value([2, 3])]);
    expect(Array.from(out)).toEqual([0, -2, 2, 0, -26, -46]);
  });

  it("rejects bad arguments", () => {
    expect(fieldOf(() => grid(createFunction("rastrigin", 3), [-1, 1], [-1, 1], 4, 4))).toMatchObject({ kind: "RangeError", field: "fn" });
    expect(fieldOf(() => grid(createFunction("beale"), [-1, 1], [-1, 1], 1, 4))).toMatchObject({ kind: "RangeError", field: "nx" });
    expect(fieldOf(() => grid(createFunction("beale"), [-1, 1], [-1, 1], 4, 2.5))).toMatchObject({ kind: "RangeError", field: "ny" });
    expect(fieldOf(() => grid(createFunction("beale"), [-1, NaN], [-1, 1], 4, 4))).toMatchObject({ kind: "RangeError", field: "x[1]" });
  });
});

describe("errors", () => {
  it("unknown function → TypeError on name, listing the allowed names", () => {
    const e = fieldOf(() => createFunction("rosenbrok" as FunctionName));
    expect(e).toMatchObject({ kind: "TypeError", field: "name" });
    expect(e.message).toMatch(/^name: /);
    expect(e.message).toContain("rosenbrock");
    expect(e.message).toContain("monkeySaddle");
    expect(fieldOf(() => createFunction({ name: 42 } as unknown as FunctionSpec))).toMatchObject({ kind: "TypeError", field: "name" });
    expect(fieldOf(() => createFunction({ name: "toString" } as unknown as FunctionSpec))).toMatchObject({ kind: "TypeError", field: "name" });
    expect(fieldOf(() => createFunction(null as unknown as FunctionSpec))).toMatchObject({ kind: "TypeError" });
  });

  it("unknown parameter → TypeError naming it and the allowed ones", () => {
    const e = fieldOf(() => createFunction({ name: "rosenbrock", c: 1 }));
    expect(e).toMatchObject({ kind: "TypeError", field: "c" });
    expect(e.message).toMatch(/^c: /);
    expect(e.message).toContain("a, b");
    expect(fieldOf(() => createFunction({ name: "beale", a: 1 }))).toMatchObject({ kind: "TypeError", field: "a" });
    expect(fieldOf(() => createFunction({ name: "quadratic", weight: [1] }))).toMatchObject({ kind: "TypeError", field: "weight" });
    expect(fieldOf(() => createFunction({ name: "rastrigin", dim: 3 }))).toMatchObject({ kind: "TypeError", field: "dim" });
  });

  it("bad weights → error on weights", () => {
    expect(fieldOf(() => createFunction({ name: "quadratic", weights: "1,2" }))).toMatchObject({ kind: "TypeError", field: "weights" });
    expect(fieldOf(() => createFunction({ name: "quadratic", weights: [] }))).toMatchObject({ kind: "RangeError", field: "weights" });
    const e = fieldOf(() => createFunction({ name: "quadratic", weights: [1, NaN] }));
    expect(e).toMatchObject({ kind: "RangeError", field: "weights[1]" });
    expect(e.message).toMatch(/^weights\[1\]: must be a finite number/);
    expect(fieldOf(() => createFunction({ name: "quadratic", weights: [1, Infinity] }))).toMatchObject({ kind: "RangeError", field: "weights[1]" });
    expect(fieldOf(() => createFunction({ name: "quadratic", weights: [1, "2"] }))).toMatchObject({ kind: "TypeError", field: "weights[1]" });
    expect(fieldOf(() => createFunction({ name: "quadratic", weights: [1, 2] }, 3))).toMatchObject({ kind: "RangeError", field: "dim" });
  });

  it("bad scalar parameters → error on the parameter", () => {
    expect(fieldOf(() => createFunction({ name: "rosenbrock", b: 0 }))).toMatchObject({ kind: "RangeError", field: "b" });
    expect(fieldOf(() => createFunction({ name: "rosenbrock", a: NaN }))).toMatchObject({ kind: "RangeError", field: "a" });
    expect(fieldOf(() => createFunction({ name: "rosenbrock", a: "1" }))).toMatchObject({ kind: "TypeError", field: "a" });
    expect(fieldOf(() => createFunction({ name: "rastrigin", A: Infinity }))).toMatchObject({ kind: "RangeError", field: "A" });
    expect(fieldOf(() => createFunction({ name: "rastrigin", A: -1 }))).toMatchObject({ kind: "RangeError", field: "A" });
    expect(fieldOf(() => createFunction({ name: "ackley", b: -0.2 }))).toMatchObject({ kind: "RangeError", field: "b" });
  });

  it("wrong dim → RangeError on dim", () => {
    for (const name of functionNames.filter((n) => !ND.has(n))) {
      expect(fieldOf(() => createFunction(name, 3))).toMatchObject({ kind: "RangeError", field: "dim" });
      expect(fieldOf(() => createFunction(name, 1))).toMatchObject({ kind: "RangeError", field: "dim" });
      expect(createFunction(name, 2).dim).toBe(2);
    }
    for (const name of ND) {
      expect(fieldOf(() => createFunction(name, 0))).toMatchObject({ kind: "RangeError", field: "dim" });
      expect(fieldOf(() => createFunction(name, 2.5))).toMatchObject({ kind: "RangeError", field: "dim" });
      expect(fieldOf(() => createFunction(name, -1))).toMatchObject({ kind: "RangeError", field: "dim" });
    }
    expect(fieldOf(() => createFunction("rosenbrock", 1))).toMatchObject({ kind: "RangeError", field: "dim" });
    expect(fieldOf(() => createFunction("beale", "2" as unknown as number))).toMatchObject({ kind: "TypeError", field: "dim" });
  });

  it("x of the wrong length → RangeError on x; short grad → RangeError on grad", () => {
    const fn = createFunction("rastrigin", 3);
    expect(fieldOf(() => fn.valueAndGrad([1, 2], new Float64Array(3)))).toMatchObject({ kind: "RangeError", field: "x" });
    expect(fieldOf(() => fn.valueAndGrad([1, 2, 3, 4], new Float64Array(4)))).toMatchObject({ kind: "RangeError", field: "x" });
    expect(fieldOf(() => fn.value([1]))).toMatchObject({ kind: "RangeError", field: "x" });
    expect(fieldOf(() => fn.valueAndGrad([1, 2, 3], new Float64Array(2)))).toMatchObject({ kind: "RangeError", field: "grad" });
    expect(fieldOf(() => createFunction("beale").valueAndGrad([1, 2, 3], [0, 0, 0]))).toMatchObject({ kind: "RangeError", field: "x" });
  });
});
