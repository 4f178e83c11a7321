// The test functions on the wasm core (assembly/fns/, bindings/functions.ts)
// against the reference (src/functions/).
//
// Polynomial functions: value, every gradient component and every grid value
// are bit-identical (Object.is, so NaN matches NaN and −0 ≠ +0), at random
// points, minima, start points and special values (±0, subnormals, huge,
// NaN, ±Infinity), with f32 and f64 arrays, plain or views into wasm memory.
//
// Transcendental functions (rastrigin, ackley, levi13, easom, mccormick) use
// AssemblyScript's own sin/cos/exp, which differ from V8's by at most 1 ULP
// (measured over 10⁶ arguments each: about 0.5–1% of sin/cos and 9% of exp
// results differ at all, never by more than 1 ULP). Everything after them is
// the same IEEE arithmetic, so a difference only comes from those 1-ULP seeds,
// amplified by what follows. Where the expression cancels (the gradients of
// all five, the values of ackley, rastrigin and mccormick near their zeros)
// the error relative to the *result* has no useful bound: ackley's
// ∂f/∂xᵢ = k1·xᵢ + k2·sin(c·xᵢ) measured 4096 ULP near a zero of the gradient.
// So the bound is the classical one for a sum: |wasm − ref| ≤ K · ulp(S),
// S = the sum of the magnitudes of the terms of the final sum (each term as
// in the reference, in absolute value; SCALES below). Measured maximum of
// |wasm − ref| / ulp(S), 400 000 random window points per function and dim
// (dims 1, 2, 3, 5, 17): levi13 1 (value) / 2 (gradient), easom 2 / 2,
// mccormick 0 / 0, rastrigin 0 / 2, ackley 1 / 3; this suite's points
// (random, minima, special values, grids) print their own maxima at the end
// (at most 3 ulp(S) so far). K = 4. Where nothing cancels the bound is also a
// pure ULP bound of the result: levi13's value (non-negative terms; measured
// max 1 ULP over 4·10⁶ random points, 2 ULP at this suite's points) and
// easom's value (a product; measured max 3 ULP over 6·10⁶ points), ≤ 4 ULP. An f32 gradient component may additionally
// land on the neighbouring f32 when the two f64 gradients straddle a
// rounding boundary (one f32 ULP of slack).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend, init, type Backend, type Core } from "../bindings/index.js";
import { FUNCTION_TABLE, functionRow, kernelParams, wasmFunction, wasmGrid } from "../bindings/functions.js";
import type { DType, FloatArray } from "../src/api.js";
import { fieldOf } from "./field-error.js";
import { createFunction, functionNames, grid, type FunctionName, type FunctionSpec, type TestFunction } from "../src/functions/index.js";
import { mulberry32 } from "../src/experiments/random.js";

let wasm: Backend;
let core: Core;
beforeAll(async () => {
  wasm = await createBackend("wasm");
  core = await init();
});

// ---------------------------------------------------------------- ULPs

const dv = new DataView(new ArrayBuffer(8));
/** The f64 bit pattern as a signed integer ordered like the numbers (−0 and +0 both 0). */
function orderedBits(v: number): bigint {
  dv.setFloat64(0, v);
  const k = dv.getBigInt64(0);
  return k < 0n ? -(k & 0x7fffffffffffffffn) : k;
}
/** Number of f64 values between a and b (0 for equal, Infinity if either is NaN and they are not both NaN). */
function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const d = orderedBits(a) - orderedBits(b);
  return Number(d < 0n ? -d : d);
}
/** The spacing of f64 at |s|: nextUp(|s|) − |s| (the smallest subnormal at 0). */
function ulpOf(s: number): number {
  const a = Math.abs(s);
  if (!Number.isFinite(a)) return NaN;
  dv.setFloat64(0, a);
  dv.setBigUint64(0, dv.getBigUint64(0) + 1n);
  return dv.getFloat64(0) - a;
}
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The spacing of f32 at |v|. */
function ulp32Of(v: number): number {
  f32[0] = Math.abs(v);
  const a = f32[0];
  if (!Number.isFinite(a)) return NaN;
  u32[0] += 1;
  return f32[0] - a;
}

// ------------------------------------------------- magnitudes of the terms

const TWO_PI = 2 * Math.PI;
const THREE_PI = 3 * Math.PI;
const FOUR_PI = 4 * Math.PI;
const SIX_PI = 6 * Math.PI;
const abs = Math.abs;

/**
 * S for the value and each gradient component of a transcendental function:
 * the reference expression with every term of its final sum taken in
 * absolute value (src/functions/transcendental2d.ts, nd.ts).
 */
const SCALES: Partial<Record<FunctionName, (x: number[], p: TestFunction["params"]) => number[]>> = {
  levi13: ([x0, x1]) => {
    const sx = Math.sin(THREE_PI * x0),
      cx = Math.cos(THREE_PI * x0);
    const sy = Math.sin(THREE_PI * x1),
      cy = Math.cos(THREE_PI * x1);
    const sz = Math.sin(TWO_PI * x1),
      cz = Math.cos(TWO_PI * x1);
    const dx = x0 - 1,
      dy = x1 - 1,
      py = 1 + sy * sy,
      qy = 1 + sz * sz;
    return [
      sx * sx + dx * dx * py + dy * dy * qy,
      abs(SIX_PI * sx * cx) + abs(2 * dx * py),
      abs(SIX_PI * dx * dx * sy * cy) + abs(2 * dy * qy) + abs(FOUR_PI * dy * dy * sz * cz),
    ];
  },
  easom: ([x0, x1]) => {
    const dx = x0 - Math.PI,
      dy = x1 - Math.PI,
      e = Math.exp(-(dx * dx + dy * dy));
    const c0 = Math.cos(x0),
      s0 = Math.sin(x0),
      c1 = Math.cos(x1),
      s1 = Math.sin(x1);
    return [abs(c0 * c1 * e), (abs(s0) + abs(2 * dx * c0)) * abs(c1) * e, (abs(s1) + abs(2 * dy * c1)) * abs(c0) * e];
  },
  mccormick: ([x0, x1]) => {
    const s = Math.sin(x0 + x1),
      c = Math.cos(x0 + x1),
      d = x0 - x1;
    return [abs(s) + d * d + abs(1.5 * x0) + abs(2.5 * x1) + 1, abs(c) + abs(2 * d) + 1.5, abs(c) + abs(2 * d) + 2.5];
  },
  rastrigin: (x, p) => {
    const A = p.A as number,
      k = TWO_PI * A;
    let f = abs(A * x.length);
    const g = x.map((xi) => {
      f += xi * xi + abs(A * Math.cos(TWO_PI * xi));
      return abs(2 * xi) + abs(k * Math.sin(TWO_PI * xi));
    });
    return [f, ...g];
  },
  ackley: (x, p) => {
    const a = p.a as number,
      b = p.b as number,
      c = p.c as number,
      n = x.length;
    let s = 0,
      cs = 0;
    for (const xi of x) {
      s += xi * xi;
      cs += Math.cos(c * xi);
    }
    const r = Math.sqrt(s / n),
      e1 = Math.exp(-b * r),
      e2 = Math.exp(cs / n);
    const k1 = r === 0 ? 0 : (a * b * e1) / (n * r),
      k2 = (c * e2) / n;
    return [abs(a) + abs(a * e1) + Math.E + e2, ...x.map((xi) => abs(k1 * xi) + abs(k2 * Math.sin(c * xi)))];
  },
};
/** K of the bound |wasm − ref| ≤ K · ulp(S). */
const K = 4;
/** Pure ULP bound where the value does not cancel. */
const PURE_VALUE_ULP: Partial<Record<FunctionName, number>> = { levi13: 4, easom: 4 };

/** Measured maxima per function: ULP distance of value / gradient, and |wasm − ref| / ulp(S). */
const measured = new Map<string, { value: number; grad: number; valueS: number; gradS: number; n: number }>();
function note(name: string, part: "value" | "grad", ulps: number, scaled: number): void {
  const m = measured.get(name) ?? { value: 0, grad: 0, valueS: 0, gradS: 0, n: 0 };
  if (part === "value") {
    m.value = Math.max(m.value, ulps);
    m.valueS = Math.max(m.valueS, scaled);
    m.n++;
  } else {
    m.grad = Math.max(m.grad, ulps);
    m.gradS = Math.max(m.gradS, scaled);
  }
  measured.set(name, m);
}
afterAll(() => {
  if (measured.size === 0) return;
  const rows = [...measured].map(([k, m]) => `${k}: value ${m.value} ULP (${m.valueS} ulp(S)), gradient ${m.grad} ULP (${m.gradS} ulp(S)), ${m.n} evaluations`);
  console.info(`transcendental functions, wasm vs reference (bound ${K} ulp(S)):\n  ${rows.join("\n  ")}`);
});

/**
 * Asserts that wasm result w matches reference r: identical for polynomial
 * functions (and for any non-finite result), else within K·ulp(S) (+ one f32
 * ULP for an f32 gradient component).
 */
function agree(fn: TestFunction, x: number[], part: number, w: number, r: number, dtype: DType, what: () => string): void {
  if (Object.is(w, r)) {
    if (!fn.polynomial) note(fn.name, part === 0 ? "value" : "grad", 0, 0);
    return;
  }
  if (fn.polynomial || !Number.isFinite(w) || !Number.isFinite(r)) {
    expect.fail(`${what()}: wasm ${w} !== reference ${r}`);
  }
  const s = SCALES[fn.name as FunctionName]!(x, fn.params)[part];
  const slack = part > 0 && dtype === "f32" ? ulp32Of(Math.max(abs(w), abs(r))) : 0;
  const scaled = abs(w - r) / ulpOf(s);
  const ulps = ulpDistance(w, r);
  note(fn.name, part === 0 ? "value" : "grad", ulps, slack ? (abs(w - r) - slack) / ulpOf(s) : scaled);
  if (!(abs(w - r) <= K * ulpOf(s) + slack)) {
    expect.fail(`${what()}: wasm ${w} vs reference ${r}: ${ulps} ULP, ${scaled} ulp(S) with S = ${s} (bound ${K})`);
  }
  const pure = PURE_VALUE_ULP[fn.name as FunctionName];
  if (part === 0 && pure !== undefined && ulps > pure) expect.fail(`${what()}: value ${ulps} ULP from the reference (bound ${pure})`);
}

// ------------------------------------------------------------ instances

const ND: ReadonlySet<FunctionName> = new Set(["quadratic", "rosenbrock", "rastrigin", "ackley", "styblinskiTang"]);
// Every tail length of the four-way partial sums (n mod 4, and n − 1 mod 4 for rosenbrock's n − 1 terms), blocks included.
const dimsFor = (name: FunctionName): number[] => (name === "rosenbrock" ? [2, 3, 4, 5, 6, 7, 9, 17] : ND.has(name) ? [1, 2, 3, 4, 5, 6, 7, 8, 17] : [2]);

/** Every function at its dims with default parameters, plus parameter variants. */
function specs(): [FunctionSpec, number | undefined][] {
  const out: [FunctionSpec, number | undefined][] = [];
  for (const name of functionNames) for (const d of dimsFor(name)) out.push([name, ND.has(name) ? d : undefined]);
  const rnd = mulberry32(99);
  for (const d of [1, 2, 3, 4, 5, 6, 7, 17])
    out.push([{ name: "quadratic", weights: Array.from({ length: d }, (_, i) => (i === 1 ? 0 : 4 * rnd() - 2)) }, undefined]);
  out.push([{ name: "quadratic", weights: [-0.5, 1] }, undefined]);
  out.push([{ name: "rosenbrock", a: -0.7, b: 3.5 }, 2], [{ name: "rosenbrock", a: 2, b: 10 }, 5]);
  out.push([{ name: "rastrigin", A: 3.3 }, 2], [{ name: "rastrigin", A: 0 }, 3]);
  out.push([{ name: "ackley", a: 5, b: 0.5, c: 1.3 }, 2], [{ name: "ackley", a: 0, b: 2, c: -3 }, 5]);
  return out;
}
const SPECS = specs();
const label = (fn: TestFunction): string => `${fn.name} dim ${fn.dim} ${JSON.stringify(fn.params)}`;

const SPECIAL = [0, -0, 1, -1, 1e-300, -5e-324, 1e150, -1e150, 1e300, -1e308, 3.4e38, NaN, Infinity, -Infinity];

/** 500 random points in the window, the minima, the start and special points. */
function points(fn: TestFunction, seed: number): number[][] {
  const rnd = mulberry32(seed);
  const n = fn.dim;
  const range = (i: number) => (i % 2 === 1 ? fn.domain.y : fn.domain.x);
  const random = () => Array.from({ length: n }, (_, i) => range(i)[0] + (range(i)[1] - range(i)[0]) * rnd());
  const out: number[][] = [];
  for (let t = 0; t < 500; t++) out.push(random());
  for (const m of fn.minima) out.push([...m.x]);
  out.push([...fn.start], new Array<number>(n).fill(0), new Array<number>(n).fill(-0));
  if (n === 2) {
    for (const a of SPECIAL) for (const b of SPECIAL) out.push([a, b]);
  } else {
    for (const v of SPECIAL) {
      out.push(new Array<number>(n).fill(v));
      for (const at of [0, n - 1]) {
        const x = random();
        x[at] = v;
        out.push(x);
      }
    }
  }
  return out;
}

const allocate = (dtype: DType, n: number): FloatArray => (dtype === "f32" ? new Float32Array(n) : new Float64Array(n));

// ------------------------------------------------------------------ tests

describe("function ids", () => {
  it("FUNCTION_TABLE lists every function in registry order with ids 0 … n − 1", () => {
    expect(Object.keys(FUNCTION_TABLE)).toEqual([...functionNames]);
    expect(functionNames.map((n) => FUNCTION_TABLE[n].id)).toEqual(functionNames.map((_, i) => i));
    expect(functionRow("toString")).toBeUndefined();
  });

  it("the core's FN_* table agrees: count, dimensions, parameter counts, polynomial flags", () => {
    const k = core.exports;
    expect(k.fnCount()).toBe(functionNames.length);
    for (const name of functionNames) {
      const id = FUNCTION_TABLE[name].id;
      const ref = createFunction(name);
      const nd = ND.has(name);
      expect(k.fnPolynomial(id), name).toBe(ref.polynomial ? 1 : 0);
      expect(k.fnIsNd(id), name).toBe(nd ? 1 : 0);
      const minDim = nd
        ? (() => {
            try {
              createFunction(name, 1);
              return 1;
            } catch {
              return 2;
            }
          })()
        : 2;
      expect(k.fnMinDim(id), name).toBe(minDim);
      for (const d of nd ? [minDim, 2, 3, 7] : [2]) {
        expect(k.fnParamCount(id, d), `${name} dim ${d}`).toBe(kernelParams(createFunction(name, d))!.length);
      }
      expect(FUNCTION_TABLE[name].params).toEqual(Object.keys(ref.params));
    }
    for (const bad of [-1, functionNames.length, 1000]) {
      expect([k.fnPolynomial(bad), k.fnIsNd(bad), k.fnMinDim(bad), k.fnParamCount(bad, 2)]).toEqual([-1, -1, -1, -1]);
    }
  });
});

describe("value and gradient against the reference", () => {
  for (const [spec, dim] of SPECS) {
    const ref = createFunction(spec, dim);
    it(`${label(ref)}${ref.polynomial ? " (bit-identical)" : ` (≤ ${K} ulp(S))`}`, () => {
      const fn = wasm.createFunction(spec, dim);
      const n = fn.dim;
      expect({ ...fn }).toMatchObject({ name: ref.name, dim: ref.dim, params: ref.params, polynomial: ref.polynomial });
      expect([fn.minima, fn.domain, fn.start]).toEqual([ref.minima, ref.domain, ref.start]);
      for (const dtype of ["f64", "f32"] as const) {
        const param = wasm.param(dtype, n);
        const longGrad = wasm.tensor(dtype, n + 1);
        try {
          const pts = points(ref, n * 1000 + (dtype === "f32" ? 1 : 0) + ref.name.length);
          for (let t = 0; t < pts.length; t++) {
            const xr = allocate(dtype, n);
            xr.set(pts[t]);
            const x = Array.from(xr); // the point as the kernels see it (f32-rounded for f32)
            const gr = allocate(dtype, n);
            const vr = ref.valueAndGrad(xr, gr);
            const what = (path: string) => () => `${label(ref)} ${dtype} ${path} at [${x.join(", ")}]`;
            const check = (path: string, v: number, g: ArrayLike<number>) => {
              agree(ref, x, 0, v, vr, dtype, what(path + " value"));
              for (let i = 0; i < n; i++) agree(ref, x, i + 1, g[i], gr[i], dtype, what(`${path} ∂f/∂x${i}`));
            };
            // Plain typed arrays: copied through the scratch block.
            const gp = allocate(dtype, n);
            const vp = fn.valueAndGrad(Float64Array.from(xr), gp);
            check("plain", vp, gp);
            // Views into wasm memory: zero-copy (read .data again after every call into the backend).
            param.data.set(xr);
            const vw = fn.valueAndGrad(param.data, param.grad);
            check("view", vw, param.grad);
            expect(Object.is(vw, vp), "view and plain paths agree").toBe(true);
            expect(Array.from(param.grad)).toEqual(Array.from(gp));
            expect(Object.is(fn.value(param.data), vw), "value(view) = valueAndGrad's value").toBe(true);
            expect(Object.is(fn.value(x), vw), "value(plain) = valueAndGrad's value").toBe(true);
            if (t % 7 === 0) {
              // number[] in and out (f64 gradient: rounded here for comparison with an f32 one); a longer grad keeps its extra element.
              const ga: number[] = new Array(n + 1).fill(7);
              check("number[]", fn.valueAndGrad(x, ga), dtype === "f32" ? ga.map(Math.fround) : ga);
              expect(ga[n]).toBe(7);
              longGrad.data.fill(7);
              check("long view", fn.valueAndGrad(param.data, longGrad.data), longGrad.data);
              expect(longGrad.data[n]).toBe(7);
              // Mixed: a wasm x with a plain grad, and a plain x with the other dtype's grad.
              const gm = new Float64Array(n);
              fn.valueAndGrad(param.data, gm);
              expect(Array.from(gm).map((v) => (dtype === "f32" ? Math.fround(v) : v))).toEqual(Array.from(gp));
            }
          }
        } finally {
          param.dispose();
          longGrad.dispose();
        }
      }
    });
  }

  it("keeps working after memory growth and after a larger function resized the scratch block", () => {
    const f = wasm.createFunction("rosenbrock", 3);
    const r = createFunction("rosenbrock", 3);
    const x = [0.3, -1.1, 2];
    const g1 = new Float64Array(3),
      g2 = new Float64Array(3);
    const v = r.valueAndGrad(x, g1);
    const big = wasm.createFunction("quadratic", 50_000); // grows the scratch (and memory)
    const huge = wasm.tensor("f64", 4_000_000); // grows memory further
    try {
      expect(Object.is(f.valueAndGrad(x, g2), v)).toBe(true);
      expect(Array.from(g2)).toEqual(Array.from(g1));
      const xb = Array.from({ length: 50_000 }, (_, i) => Math.sin(i));
      const gb = new Float64Array(50_000),
        gbr = new Float64Array(50_000);
      expect(Object.is(big.valueAndGrad(xb, gb), createFunction("quadratic", 50_000).valueAndGrad(xb, gbr))).toBe(true);
      expect(gb).toEqual(gbr);
    } finally {
      huge.dispose();
    }
  });
});

describe("grid against the reference", () => {
  const gridSpecs: FunctionSpec[] = [
    ...functionNames,
    { name: "quadratic", weights: [-0.5, 1] },
    { name: "rosenbrock", a: -0.7, b: 3.5 },
    { name: "rastrigin", A: 3.3 },
    { name: "ackley", a: 5, b: 0.5, c: 1.3 },
  ];
  for (const spec of gridSpecs) {
    const ref = createFunction(spec, 2);
    // 257×129 over the window has dyadic coordinates (spacing (hi − lo)/256), where many
    // polynomial expressions are exact and a reassociation would go unnoticed; the
    // shifted 250×131 grid has coordinates with full mantissas.
    const grids: [[number, number], [number, number], number, number][] = [
      [ref.domain.x, ref.domain.y, 257, 129],
      [[ref.domain.x[0] + Math.SQRT1_2 / 10, ref.domain.x[1] - Math.LN2 / 10], [ref.domain.y[0] - Math.E / 100, ref.domain.y[1] + Math.PI / 100], 250, 131],
    ];
    it(`${label(ref)} on a 257×129 grid of its window and a shifted 250×131 one${ref.polynomial ? " (bit-identical)" : ""}`, () => {
      const fn = wasm.createFunction(spec, 2);
      for (const [x, y, nx, ny] of grids) checkGrid(ref, fn, x, y, nx, ny);
    });
  }

  function checkGrid(ref: TestFunction, fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): void {
    const want = grid(ref, x, y, nx, ny);
    const got = wasm.grid(fn, x, y, nx, ny);
    expect(got).toBeInstanceOf(Float64Array);
    expect(got.buffer).not.toBe(core.memory.buffer);
    expect(got.length).toBe(nx * ny);
    const dx = x[1] - x[0],
      dy = y[1] - y[0];
    for (let j = 0; j < ny; j++) {
      const py = y[0] + (j * dy) / (ny - 1);
      for (let i = 0; i < nx; i++) {
        const px = x[0] + (i * dx) / (nx - 1);
        const k = j * nx + i;
        agree(ref, [px, py], 0, got[k], want[k], "f64", () => `${label(ref)} grid (${i}, ${j})`);
        if (!Object.is(got[k], fn.value([px, py]))) expect.fail(`grid (${i}, ${j}) differs from the wasm value`);
      }
    }
    // A reference instance handed to the wasm grid (parameters copied in) gives the same values.
    expect(wasm.grid(ref, x, y, nx, ny)).toEqual(got);
  }

  it("is bit-identical on even, minimal and non-finite grids for polynomial functions", () => {
    for (const name of functionNames) {
      const ref = createFunction(name, 2);
      if (!ref.polynomial) continue;
      const fn = wasm.createFunction(name, 2);
      const cases: [[number, number], [number, number], number, number][] = [
        [[-1, 1], [-2, 2], 2, 2],
        [[-3, 0.5], [1, -1], 4, 3],
        [[-1e200, 1e200], [-1e160, 1e170], 6, 5],
        [[-Number.MAX_VALUE, Number.MAX_VALUE], [0, 1e-310], 3, 3],
      ];
      for (const [x, y, nx, ny] of cases) {
        const want = Array.from(grid(ref, x, y, nx, ny));
        const got = Array.from(wasm.grid(fn, x, y, nx, ny));
        for (let k = 0; k < want.length; k++) {
          if (!Object.is(got[k], want[k])) expect.fail(`${name} ${JSON.stringify([x, y, nx, ny])} [${k}]: ${got[k]} vs ${want[k]}`);
        }
      }
    }
  });

  it("frees its output block", () => {
    const fn = wasm.createFunction("himmelblau");
    wasm.grid(fn, [-5, 5], [-5, 5], 64, 64);
    const used = core.arena.used;
    for (let t = 0; t < 5; t++) wasm.grid(fn, [-5, 5], [-5, 5], 300, 200);
    expect(core.arena.used).toBe(used);
    expect(wasmGrid(core, createFunction("beale"), [-1, 1], [-1, 1], 3, 3)).toEqual(grid(createFunction("beale"), [-1, 1], [-1, 1], 3, 3));
    expect(core.arena.used).toBe(used);
  });
});

describe("errors", () => {
  it("a wrong x length is a RangeError for field x, a short grad for field grad, with the reference's messages", () => {
    for (const [spec, dim] of [
      ["beale", undefined],
      ["rastrigin", 3],
      ["quadratic", 5],
    ] as [FunctionSpec, number | undefined][]) {
      const ref = createFunction(spec, dim);
      const fn = wasm.createFunction(spec, dim);
      const n = ref.dim;
      for (const x of [new Array(n + 1).fill(1), new Float32Array(n - 1), []]) {
        const e = fieldOf(() => fn.valueAndGrad(x, new Float64Array(n)));
        expect(e).toEqual(fieldOf(() => ref.valueAndGrad(x, new Float64Array(n))));
        expect(e).toMatchObject({ kind: "RangeError", field: "x" });
        expect(fieldOf(() => fn.value(x))).toEqual(fieldOf(() => ref.value(x)));
      }
      const e = fieldOf(() => fn.valueAndGrad(new Array(n).fill(1), new Float64Array(n - 1)));
      expect(e).toEqual(fieldOf(() => ref.valueAndGrad(new Array(n).fill(1), new Float64Array(n - 1))));
      expect(e).toMatchObject({ kind: "RangeError", field: "grad" });
    }
  });

  it("a view detached by memory growth is refused (length 0), not read", () => {
    const fn = wasm.createFunction("booth");
    const p = wasm.param("f64", [1, 2]);
    const stale = p.data;
    const t = wasm.tensor("f64", core.memory.buffer.byteLength / 8 + 1); // more than the whole memory: it grows, the old buffer is detached
    try {
      expect(stale.length).toBe(0);
      expect(fieldOf(() => fn.valueAndGrad(stale, p.grad))).toMatchObject({ kind: "RangeError", field: "x" });
      expect(fn.valueAndGrad(p.data, p.grad)).toBe(createFunction("booth").value([1, 2]));
    } finally {
      t.dispose();
      p.dispose();
    }
  });

  it("spec errors are the reference's", () => {
    const cases: [FunctionSpec, number?][] = [
      ["rosenbrok" as FunctionName],
      ["beale", 3],
      [{ name: "rosenbrock", b: 0 }],
      [{ name: "quadratic", weights: [] }],
      ["rastrigin", 0],
      [{ name: "ackley", d: 1 }],
    ];
    for (const [spec, dim] of cases) {
      expect(fieldOf(() => wasm.createFunction(spec, dim))).toEqual(fieldOf(() => createFunction(spec, dim)));
    }
  });

  it("grid errors are the reference's", () => {
    const cases: [TestFunction, [number, number], [number, number], number, number][] = [
      [createFunction("rastrigin", 3), [-1, 1], [-1, 1], 4, 4],
      [createFunction("beale"), [-1, 1], [-1, 1], 1, 4],
      [createFunction("beale"), [-1, 1], [-1, 1], 4, 2.5],
      [createFunction("beale"), [-1, NaN], [-1, 1], 4, 4],
      [createFunction("beale"), [-1, 1], [Infinity, 1], 4, 4],
    ];
    for (const [fn, x, y, nx, ny] of cases) {
      const e = fieldOf(() => grid(fn, x, y, nx, ny));
      expect(fieldOf(() => wasm.grid(fn, x, y, nx, ny))).toEqual(e);
      expect(fieldOf(() => wasm.grid(wasm.createFunction(fn.name as FunctionName, fn.dim), x, y, nx, ny))).toEqual(e);
    }
  });

  it("wasmFunction is what the backend's createFunction returns", () => {
    const a = wasmFunction(core, "matyas");
    const b = wasm.createFunction("matyas");
    expect(a.valueAndGrad([1, 2], [0, 0])).toBe(b.valueAndGrad([1, 2], [0, 0]));
    expect(Object.isFrozen(a)).toBe(true);
  });
});
