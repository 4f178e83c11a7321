// Formulas on the wasm core (assembly/expr/, bindings/functions.ts) against
// the reference interpreter (src/expr/eval.ts):
// - the opcode table and the formula id agree with the core's;
// - formulas of IEEE-exact operations (+ − × ÷, sqrt, abs, sign, min, max,
//   integer powers) are bit-identical: values, gradients (f32 and f64, views
//   into wasm memory or plain arrays), grids (every chunking and both x-table
//   modes) and whole runs, batched ones included;
// - each transcendental primitive is within its stated ULP bound of V8's
//   (PRIMITIVE_ULP), and whole formulas within K · ulp(S), S the sum of the
//   magnitudes of their terms (value) or of the terms' partial derivatives;
// - formulas restating built-ins follow the built-ins' runs on this backend too.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend, init, type Backend, type Core } from "../bindings/index.js";
import { EXPR_ID, exprGridPlan, wasmFunction } from "../bindings/functions.js";
import { FUNCTIONS, Op, OP_ARITY, OP_COUNT } from "../src/expr/index.js";
import { mulberry32 } from "../src/experiments/random.js";
import { createFunction, grid, type FunctionSpec, type TestFunction } from "../src/functions/index.js";
import { runMany, type RunSpec } from "../src/run.js";
import { exactFormula, RESTATED, RESTATED_OPTIMIZERS, trajectoryGap } from "./expr-gen.js";
import { fieldOf } from "./field-error.js";
import { ulpDistance, ulpOf } from "./ulp.js";

let wasm: Backend;
let core: Core;
beforeAll(async () => {
  wasm = await createBackend("wasm");
  core = await init();
});

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const SPECIAL = [0, -0, 1, -1, 0.5, 1e-300, -5e-324, 1e150, -1e150, 1e300, -1e308, NaN, Infinity, -Infinity];

describe("tables", () => {
  it("the core's opcodes and formula id are the reference's", () => {
    const k = core.exports;
    expect(k.exprOpCount()).toBe(OP_COUNT);
    for (let op = 0; op < OP_COUNT; op++) expect(k.exprOpArity(op), `op ${op}`).toBe(OP_ARITY[op]);
    expect([k.exprOpArity(-1), k.exprOpArity(OP_COUNT)]).toEqual([-1, -1]);
    expect(k.fnExprId()).toBe(EXPR_ID);
    expect(Object.keys(Op).length).toBe(OP_COUNT);
  });
});

/** Value and gradient of a formula on both backends at x, compared with Object.is; returns a description of the first mismatch. */
function mismatch(ref: TestFunction, w: TestFunction, x: number[]): string | undefined {
  const n = ref.dim;
  const g1 = new Float64Array(n),
    g2 = new Float64Array(n);
  const v1 = ref.valueAndGrad(x, g1),
    v2 = w.valueAndGrad(x, g2);
  if (!same(v1, v2)) return `value ${v2} vs ${v1}`;
  if (!same(w.value(x), v1)) return `value() ${w.value(x)} vs ${v1}`;
  for (let k = 0; k < n; k++) if (!same(g1[k], g2[k])) return `∂${k} ${g2[k]} vs ${g1[k]}`;
  // f32 in and out, plain and as views into wasm memory
  const xf = Float32Array.from(x);
  const gr = new Float32Array(n),
    gw = new Float32Array(n);
  const vf = ref.valueAndGrad(xf, gr);
  if (!same(vf, w.valueAndGrad(xf, gw))) return "f32 value";
  for (let k = 0; k < n; k++) if (!same(gr[k], gw[k])) return `f32 ∂${k} ${gw[k]} vs ${gr[k]}`;
  const p = wasm.param("f32", xf);
  try {
    if (!same(vf, w.valueAndGrad(p.data, p.grad))) return "f32 view value";
    for (let k = 0; k < n; k++) if (!same(gr[k], p.grad[k])) return `f32 view ∂${k}`;
  } finally {
    p.dispose();
  }
  return undefined;
}

describe("IEEE-exact formulas are bit-identical", () => {
  it("values and gradients at random and special points (random formulas)", () => {
    const rnd = mulberry32(7);
    fc.assert(
      fc.property(exactFormula, (text) => {
        const ref = createFunction({ expr: text });
        const w = wasm.createFunction({ expr: text });
        expect(ref.polynomial, text).toBe(true);
        const pts: number[][] = Array.from({ length: 30 }, () => [8 * rnd() - 4, 8 * rnd() - 4]);
        for (let t = 0; t < 12; t++) pts.push([SPECIAL[Math.floor(rnd() * SPECIAL.length)], SPECIAL[Math.floor(rnd() * SPECIAL.length)]]);
        for (const x of pts) {
          const bad = mismatch(ref, w, x);
          if (bad) throw new Error(`${text} at (${x}): ${bad}`);
        }
      }),
      { numRuns: 250, seed: 1204 },
    );
  });

  it("n-D formulas, with dim larger than the highest index", () => {
    for (const [text, dim] of [
      ["x1^2 + 2*x2*x3 - x5/x4 + min(x1, x3)", 5],
      ["(x1 - 1)^4 + abs(x2)", 7],
      ["sqrt(x3)", 3],
    ] as const) {
      const ref = createFunction({ expr: text }, dim),
        w = wasm.createFunction({ expr: text }, dim);
      const rnd = mulberry32(dim);
      for (let t = 0; t < 50; t++) {
        const x = Array.from({ length: dim }, () => 6 * rnd() - 3);
        const bad = mismatch(ref, w, x);
        if (bad) throw new Error(`${text} at (${x}): ${bad}`);
      }
    }
  });

  it("grids: every chunk size, with and without the x table, odd and even widths", () => {
    const texts = [
      "(1 - x)^2 + 100*(y - x^2)^2",
      "x^3 - 3*x*y^2 + min(x, y)/max(abs(y), 1)",
      "sqrt(abs(x*y)) + sign(x - y)",
      "y^2 + 2",
      "x",
      "7",
      "x^-2 + y^-1",
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...texts), exactFormula),
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 2, max: 9 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (text, nx, ny, lo, span) => {
          const ref = createFunction({ expr: text });
          const want = grid(ref, [lo, lo + span], [-lo, -lo + span / 2], nx, ny);
          const got = wasm.grid(wasm.createFunction({ expr: text }), [lo, lo + span], [-lo, -lo + span / 2], nx, ny);
          for (let i = 0; i < want.length; i++) if (!same(want[i], got[i])) throw new Error(`${text}: grid[${i}] ${got[i]} vs ${want[i]}`);
          // the kernel directly, at other chunk sizes and without the x table
          for (const [chunk, hoistX] of [
            [2, 1],
            [6, 0],
            [64, 1],
            [256, 0],
          ]) {
            const direct = kernelGrid(ref, [lo, lo + span], [-lo, -lo + span / 2], nx, ny, chunk, hoistX);
            for (let i = 0; i < want.length; i++) if (!same(want[i], direct[i])) throw new Error(`${text} chunk ${chunk} hoist ${hoistX}: [${i}]`);
          }
        },
      ),
      { numRuns: 120, seed: 77 },
    );
  });

  it("grids of a reference instance, fnGrid's one-point-at-a-time path, and the plan for big formulas", () => {
    const ref = createFunction({ expr: "x*y - x^2" });
    const want = Array.from(grid(ref, [-1, 1], [0, 2], 5, 4));
    expect(Array.from(wasm.grid(ref, [-1, 1], [0, 2], 5, 4))).toEqual(want);
    // fnGrid takes the formula id too (without work memory: point by point through the interpreter)
    const k = core.exports as unknown as Record<string, (...a: number[]) => void>;
    const tape = Float64Array.from(ref.params.tape as number[]);
    const t = core.arena.alloc(tape.length * 8);
    new Float64Array(core.memory.buffer, t, tape.length).set(tape);
    const out = core.arena.alloc(20 * 8);
    k.fnGrid(EXPR_ID, t, -1, 1, 5, 0, 2, 4, out);
    expect(Array.from(new Float64Array(core.memory.buffer, out, 20))).toEqual(want);
    core.arena.release(t);
    core.arena.release(out);
    const big = createFunction({ expr: Array.from({ length: 600 }, (_v, k) => `sin(x*${k + 1})*y`).join("+") });
    // 1199 ops depend on x and y (600 products, 599 sums): 2^20 bytes / (8 · 1199) → 108 points per chunk
    expect(exprGridPlan(big.params.tape as number[], 1000)).toEqual({ chunk: 108, hoistX: 1 });
    const wide = createFunction({ expr: Array.from({ length: 800 }, (_v, k) => `sin(x*${k + 1})`).join("+") }); // 2399 x-only ops: a table of 19 MB
    expect(exprGridPlan(wide.params.tape as number[], 1000).hoistX).toBe(0);
    expect(exprGridPlan(createFunction({ expr: "x*y" }).params.tape as number[], 1000)).toEqual({ chunk: 256, hoistX: 1 });
    expect(fieldOf(() => wasm.grid(wasm.createFunction({ expr: "x1 + x3" }), [0, 1], [0, 1], 3, 3)).field).toBe("fn");
  });

  it("whole runs, single and batched, f32 and f64, every record mode", () => {
    const formulas = [
      "(1 - x)^2 + 100*(y - x^2)^2",
      "x^4 - 2*x^2 + y^2 + abs(x*y)/4",
      "max(x^2, (y - 1)^2) + 0.1*x*y",
      "(x1 - 1)^2 + 2*(x2 + x1)^2 + x3^2/(1 + x1^2)",
    ];
    const specs: RunSpec[] = [];
    for (const expr of formulas) {
      const dim = expr.includes("x3") ? 3 : 2;
      for (const dtype of ["f32", "f64"] as const) {
        for (const optimizer of [
          { name: "adam", lr: 0.02 },
          { name: "sgd", lr: 1e-3, momentum: 0.9 },
          { name: "rmsprop", lr: 0.01 },
        ] as RunSpec["optimizer"][]) {
          for (let k = 0; k < 5; k++) {
            specs.push({
              function: { expr },
              optimizer,
              x0: Array.from({ length: dim }, (_v, i) => -1.5 + 0.3 * k + 0.2 * i),
              steps: 120,
              dtype,
              record: (["all", "loss", "final"] as const)[k % 3],
            });
          }
        }
      }
    }
    specs.push({ function: { expr: "x^2 + y^2", start: [1, 1] }, optimizer: { name: "sgd", lr: 0.5 }, steps: 50, tol: 1e-12, patience: 2 });
    specs.push({ function: { expr: "x^3 - y" }, optimizer: { name: "sgd", lr: 0.5 }, x0: [2, 0], steps: 80 }); // diverges
    specs.push({ function: { expr: "x^2 + y^2" }, optimizer: { name: "sgd", lr: 0.1 }, scheduler: { name: "reduceLROnPlateau", patience: 1 }, steps: 40 });
    const strip = (r: unknown) => JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    const js = runMany(specs);
    const w = wasm.runMany(specs);
    expect(js.some((r) => r.stopReason === "diverged")).toBe(true);
    expect(js.some((r) => r.stopReason === "tol")).toBe(true);
    for (let i = 0; i < specs.length; i++) expect(strip(w[i]), JSON.stringify(specs[i])).toBe(strip(js[i]));
    // one at a time too (no batching)
    for (const i of [0, 7, specs.length - 1]) expect(strip(wasm.run(specs[i]))).toBe(strip(js[i]));
  });

  it("different formulas in one runMany are not batched together", () => {
    const specs: RunSpec[] = ["x^2 + y^2", "2*x^2 + y^2", "x^2 + 3*y^2"].map((expr) => ({
      function: { expr },
      optimizer: { name: "sgd", lr: 0.1 },
      x0: [1, 1],
      steps: 5,
      dtype: "f64",
    }));
    const w = wasm.runMany(specs);
    // one SGD step from (1, 1): x − 0.1·∇f
    expect(w.map((r) => r.x[1])).toEqual([
      [1 - 0.1 * 2, 1 - 0.1 * 2],
      [1 - 0.1 * 4, 1 - 0.1 * 2],
      [1 - 0.1 * 2, 1 - 0.1 * 6],
    ]);
  });
});

/** exprGrid called directly with a chosen chunk size and x-table mode. */
function kernelGrid(fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number, chunk: number, hoistX: number): Float64Array {
  const k = core.exports as unknown as Record<string, (...a: number[]) => number>;
  const tape = Float64Array.from(fn.params.tape as number[]);
  const t = core.arena.alloc(tape.length * 8);
  new Float64Array(core.memory.buffer, t, tape.length).set(tape);
  const out = core.arena.alloc(nx * ny * 8);
  const work = core.arena.alloc(k.exprGridWorkBytes(t, nx, chunk, hoistX));
  try {
    k.exprGrid(t, x[0], x[1], nx, y[0], y[1], ny, out, work, chunk, hoistX);
    return new Float64Array(core.memory.buffer, out, nx * ny).slice();
  } finally {
    core.arena.release(t);
    core.arena.release(out);
    core.arena.release(work);
  }
}

// ------------------------------------------------------------ transcendental

/**
 * Stated bound (ULP) of each primitive's value, wasm (AssemblyScript's Math,
 * musl ports) against V8's: the measured maximum over 2·10⁶ arguments per
 * range (scripts/expr-ulp.mjs), at least 1. The derivatives are these
 * primitives again (cos for sin, …) or exact arithmetic on their values.
 */
const PRIMITIVE_ULP: Readonly<Record<string, number>> = {
  sin: 1,
  cos: 1,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  sinh: 2,
  cosh: 2,
  tanh: 3,
  exp: 1,
  log: 1,
  log2: 1,
  log10: 2,
  cbrt: 1,
  pow: 1,
  atan2: 1,
  hypot: 2,
};

const measuredUlp = new Map<string, number>();
afterAll(() => {
  if (measuredUlp.size) console.info(`formula primitives, wasm vs reference (max ULP seen): ${[...measuredUlp].map(([k, v]) => `${k} ${v}`).join(", ")}`);
});

describe("transcendental primitives within their ULP bounds", () => {
  const rnd = mulberry32(2024);
  const ranges: Record<string, () => number[]> = {
    trig: () => [(rnd() * 2 - 1) * 1e3, 0],
    mid: () => [rnd() * 20 - 10, 0],
    unit: () => [rnd() * 2 - 1, 0],
    wide: () => [(rnd() < 0.5 ? -1 : 1) * Math.exp((rnd() * 2 - 1) * 20), 0],
    pos: () => [Math.exp((rnd() * 2 - 1) * 30), 0],
    big: () => [rnd() * 1400 - 700, 0],
    pair: () => [(rnd() < 0.5 ? -1 : 1) * Math.exp((rnd() * 2 - 1) * 20), (rnd() < 0.5 ? -1 : 1) * Math.exp((rnd() * 2 - 1) * 20)],
    powArgs: () => [Math.exp((rnd() * 2 - 1) * 30), rnd() * 20 - 10],
  };
  const cases: [string, string[]][] = [
    ["sin", ["trig", "mid"]],
    ["cos", ["trig", "mid"]],
    ["tan", ["trig", "mid"]],
    ["asin", ["unit"]],
    ["acos", ["unit"]],
    ["atan", ["wide"]],
    ["sinh", ["mid", "big"]],
    ["cosh", ["mid", "big"]],
    ["tanh", ["mid", "unit"]],
    ["exp", ["mid", "big"]],
    ["log", ["pos"]],
    ["log2", ["pos"]],
    ["log10", ["pos"]],
    ["cbrt", ["wide"]],
    ["pow", ["powArgs"]],
    ["atan2", ["pair"]],
    ["hypot", ["pair"]],
  ];
  for (const [name, use] of cases) {
    it(`${name}: ≤ ${PRIMITIVE_ULP[name]} ULP`, () => {
      const text = FUNCTIONS.get(name)![1] === 1 ? `${name}(x)` : `${name}(x, y)`;
      const ref = createFunction({ expr: text }),
        w = wasm.createFunction({ expr: text });
      let worst = 0;
      for (const r of use) {
        for (let t = 0; t < 20_000; t++) {
          const x = ranges[r]();
          const u = ulpDistance(ref.value(x), w.value(x));
          worst = Math.max(worst, u);
          if (u > PRIMITIVE_ULP[name]) expect.fail(`${text} at ${x}: ${w.value(x)} vs ${ref.value(x)}, ${u} ULP`);
        }
      }
      measuredUlp.set(name, worst);
    });
  }
});

/** A term c·P(x) or c·Q(y) or c·P(x)·Q(y) of primitives of affine arguments, kept where the primitives are well-conditioned. */
function randomTerm(rnd: () => number): string {
  const r = (lo: number, hi: number) => +(lo + (hi - lo) * rnd()).toPrecision(3);
  const prims = (v: string) => {
    const lin = () => `(${r(-2, 2)}*${v} + ${r(-1, 1)})`;
    return [
      () => `sin${lin()}`,
      () => `cos${lin()}`,
      () => `tan(${r(-0.3, 0.3)}*${v})`,
      () => `atan${lin()}`,
      () => `asin(${r(-1, 1)}*${v}/3)`,
      () => `acos(${r(-1, 1)}*${v}/3)`,
      () => `sinh${lin()}`,
      () => `cosh${lin()}`,
      () => `tanh(${r(-0.6, 0.6)}*${v})`,
      () => `exp${lin()}`,
      () => `log(${lin()}^2 + 1)`,
      () => `log2(${lin()}^2 + 0.5)`,
      () => `log10(${lin()}^2 + 2)`,
      () => `cbrt(${lin()}^2 + 1)`,
      () => `pow(${lin()}^2 + 1, ${r(-2, 2)})`,
      () => `pow(2, ${lin()})`,
      () => `hypot(${lin()}, ${r(0.5, 2)})`,
      () => `atan2(${lin()}, ${r(0.5, 2)})`,
      () => `sqrt(${lin()}^2 + 1)`,
      () => `${lin()}^2`,
    ];
  };
  const pick = (v: string) => {
    const p = prims(v);
    return p[Math.floor(rnd() * p.length)]();
  };
  // One factor per variable, so a term's partial derivative is a product (no sum of its own to cancel).
  const one = rnd() < 0.5 ? "x" : "y";
  return `${r(-3, 3)}*${rnd() < 0.6 ? `${pick("x")}*${pick("y")}` : pick(one)}`;
}

/** K of the whole-formula bound |wasm − ref| ≤ K · ulp(S). */
const FORMULA_K = 8;

describe("whole transcendental formulas within K · ulp(S)", () => {
  it(`K = ${FORMULA_K}: values and gradients of random sums of products of primitives`, () => {
    const rnd = mulberry32(31);
    let worst = 0;
    for (let trial = 0; trial < 150; trial++) {
      const terms = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => randomTerm(rnd));
      const text = terms.join(" + ");
      const ref = createFunction({ expr: text }),
        w = wasm.createFunction({ expr: text });
      const parts = terms.map((t) => createFunction({ expr: t }));
      for (let p = 0; p < 40; p++) {
        const x = [4 * rnd() - 2, 4 * rnd() - 2];
        const gr = [0, 0],
          gw = [0, 0],
          gt = [0, 0];
        const vr = ref.valueAndGrad(x, gr),
          vw = w.valueAndGrad(x, gw);
        const S = [0, 0, 0];
        for (const t of parts) {
          S[0] += Math.abs(t.valueAndGrad(x, gt));
          S[1] += Math.abs(gt[0]);
          S[2] += Math.abs(gt[1]);
        }
        const pairs: [number, number][] = [
          [vr, vw],
          [gr[0], gw[0]],
          [gr[1], gw[1]],
        ];
        pairs.forEach(([a, b], k) => {
          const scaled = S[k] === 0 ? (a === b ? 0 : Infinity) : Math.abs(a - b) / ulpOf(S[k]);
          worst = Math.max(worst, scaled);
          if (!(scaled <= FORMULA_K)) expect.fail(`${text} at (${x}) part ${k}: wasm ${b} vs reference ${a}: ${scaled} ulp(S), S = ${S[k]}`);
        });
      }
    }
    console.info(`random transcendental formulas: worst |wasm − reference| = ${worst.toFixed(2)} ulp(S) (bound ${FORMULA_K})`);
  });
});

describe("formulas restating built-ins, on the wasm backend", () => {
  for (const [builtin, expr, x0] of RESTATED) {
    it(expr, () => {
      const specs: RunSpec[] = RESTATED_OPTIMIZERS.flatMap((optimizer) => [
        { function: builtin, optimizer, x0, steps: 300, dtype: "f64" as const },
        { function: { expr } as FunctionSpec, optimizer, x0, steps: 300, dtype: "f64" as const },
      ]);
      const runs = wasm.runMany(specs);
      for (let k = 0; k < runs.length; k += 2) expect(trajectoryGap(runs[k + 1], runs[k])).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe("wasm formula instances", () => {
  it("carry the formula's metadata and validation", () => {
    const spec = { expr: "(x - 1)^2 + y^2", label: "bowl", minima: [{ x: [1, 0] }], start: [3, 3] };
    const r = createFunction(spec),
      w = wasm.createFunction(spec);
    expect({ ...w }).toMatchObject({
      name: "expr",
      dim: 2,
      expr: spec.expr,
      label: "bowl",
      minima: r.minima,
      domain: r.domain,
      start: [3, 3],
      polynomial: true,
    });
    expect(w).toBe(Object.freeze(w));
    expect(fieldOf(() => wasm.createFunction({ expr: "(x" }))).toEqual(fieldOf(() => createFunction({ expr: "(x" })));
    expect(fieldOf(() => w.valueAndGrad([1], [0, 0])).field).toBe("x");
    expect(wasmFunction(core, { expr: "x*y" }).value([2, 3])).toBe(6);
  });
});
