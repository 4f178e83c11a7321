/**
 * The network engine's two backends agree bit for bit (Object.is, so NaN
 * matches NaN and −0 ≠ +0): the SIMD math functions against src/models/math.ts,
 * every kernel against its reference at awkward sizes, and whole trainings
 * (every activation × loss × dtype, every optimizer, schedulers, shuffling,
 * test splits), through train(), the stepping API and predictions.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend, init, type Backend, type Core } from "../bindings/index.js";
import { erfTablePtr, wasmKernels } from "../bindings/models.js";
import type { DType } from "../src/api.js";
import {
  ACT_GELU,
  ACT_RELU,
  ACT_SIGMOID,
  ACT_TANH,
  LOSS_BCE,
  LOSS_CE,
  LOSS_MSE,
  MATH_ERF,
  MATH_EXP,
  MATH_EXPM1,
  MATH_LOG,
  MATH_LOG1P,
  MATH_SIGMOID,
  MATH_TANH,
} from "../src/models/kernelIds.js";
import { erf, exp, expm1, log, log1p, sigmoid, tanh } from "../src/models/math.js";
import { referenceKernels, type KernelSet, type TrainSpec } from "../src/models/index.js";
import { optimizerNames } from "../src/optim/index.js";

let core: Core;
let js: Backend, wasm: Backend;
beforeAll(async () => {
  core = await init();
  js = await createBackend("js");
  wasm = await createBackend("wasm");
});

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `element ${i}: ${a[i]} vs ${b[i]}`;
  return undefined;
}

/** Deep comparison of plain JSON-like values with Object.is on numbers. */
function sameDeep(a: unknown, b: unknown, path = ""): string | undefined {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b) ? undefined : `${path}: ${a} vs ${b}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = sameDeep(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort(),
      kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka} vs ${kb}`;
    for (const k of ka) {
      const d = sameDeep((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
}

describe("math functions: wasm lanes = reference", () => {
  const FNS: [string, number, (x: number) => number][] = [
    ["exp", MATH_EXP, exp],
    ["expm1", MATH_EXPM1, expm1],
    ["log", MATH_LOG, log],
    ["log1p", MATH_LOG1P, log1p],
    ["tanh", MATH_TANH, tanh],
    ["erf", MATH_ERF, erf],
    ["sigmoid", MATH_SIGMOID, sigmoid],
  ];
  const fixtures = JSON.parse(readFileSync(new URL("./fixtures/nn-math.json", import.meta.url), "utf8")) as {
    functions: Record<string, [number, number, number][]>;
  };
  const allPoints = Object.values(fixtures.functions).flatMap((rows) => rows.map((r) => r[0]));
  const specials = [
    0,
    -0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    -1e-300,
    1,
    -1,
    0.5,
    2,
    709.78,
    709.79,
    -745.13,
    -745.14,
    710,
    -746,
    40,
    -40,
    22,
    -22,
    6,
    -6,
    1e300,
    -1e300,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    Infinity,
    -Infinity,
    NaN,
    0.5493061443340549,
    0.34657359027997264,
    -1 + 2 ** -52,
  ];
  const run = (id: number, xs: number[]): Float64Array => {
    const n = xs.length + (xs.length & 1);
    const p = core.arena.alloc(16 * n);
    try {
      new Float64Array(core.memory.buffer, p, n).set(xs);
      (core.exports.nnMathF64 as (...a: number[]) => void)(id, p, p + 8 * n, n, erfTablePtr(core));
      return new Float64Array(core.memory.buffer, p + 8 * n, xs.length).slice();
    } finally {
      core.arena.release(p);
    }
  };
  for (const [name, id, f] of FNS) {
    it(`${name}: fixture points, special values and 20000 random doubles`, () => {
      const rnd = fc.sample(fc.oneof(fc.double({ min: -800, max: 800 }), fc.double({ min: -8, max: 8 }), fc.double()), { numRuns: 20000, seed: 14 });
      const xs = [...allPoints, ...specials, ...rnd];
      const got = run(id, xs);
      const want = xs.map(f);
      expect(firstDifference(got, want)).toBeUndefined();
    });
  }
});

describe("kernels: wasm = reference at awkward sizes", () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [2, 3, 5],
    [3, 7, 9],
    [5, 4, 8],
    [4, 9, 13],
    [7, 2, 31],
    [9, 5, 64],
    [2, 6, 2],
  ];
  const rand = (seed: number) => {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  };
  for (const dtype of ["f32", "f64"] as DType[]) {
    for (const [nIn, nOut, n] of sizes) {
      it(`${dtype} in ${nIn}, out ${nOut}, n ${n}: forward, activations, losses, gradients`, () => {
        const ref = referenceKernels(dtype),
          w = wasmKernels(core, dtype);
        const L = ref.lanes,
          S = Math.ceil(n / L) * L;
        const r = rand(nIn * 100 + nOut * 10 + n);
        const W = Array.from({ length: nOut * nIn }, r),
          b = Array.from({ length: nOut }, r);
        const A = Array.from({ length: nIn * S }, (_, i) => (i % S < n ? r() : 0));
        const dZ = Array.from({ length: nOut * S }, (_, i) => (i % S < n ? r() : 0));
        type Bufs<B> = Record<string, B>;
        const setup = <B, I>(k: KernelSet<B, I>): Bufs<B> => {
          const mk = (vals: number[] | number) => {
            const buf = k.alloc(typeof vals === "number" ? vals : vals.length);
            if (typeof vals !== "number") k.write(buf, vals);
            return buf;
          };
          return {
            W: mk(W),
            b: mk(b),
            A: mk(A),
            Z: mk(nOut * S),
            H: mk(nOut * S),
            dZ: mk(dZ),
            dA: mk(nIn * S),
            dW: mk(nOut * nIn),
            db: mk(nOut),
            D: mk(nOut * S),
            Y: mk(nOut * S),
            C: mk(S),
          };
        };
        const rb = setup(ref),
          wb = setup(w);
        const both = (f: <B, I>(k: KernelSet<B, I>, x: Bufs<B>) => void) => {
          f(ref, rb);
          f(w, wb);
        };
        const check = (name: string, len: number, rows = 0) => {
          const a = ref.view(rb[name], len),
            c = w.view(wb[name], len);
          for (let i = 0; i < len; i++) {
            const real = rows === 0 || i % S < n;
            if (real && !Object.is(a[i], c[i])) throw new Error(`${name}[${i}]: reference ${a[i]} vs wasm ${c[i]}`);
          }
        };
        both((k, x) => k.denseForward(x.W, x.b, x.A, x.Z, nIn, nOut, n, S));
        check("Z", nOut * S, 1);
        both((k, x) => k.denseBackwardInput(x.W, x.dZ, x.dA, nIn, nOut, n, S));
        check("dA", nIn * S, 1);
        both((k, x) => k.weightGrad(x.dZ, x.A, x.dW, x.db, nIn, nOut, n, S));
        check("dW", nOut * nIn);
        check("db", nOut);
        for (const act of [ACT_TANH, ACT_RELU, ACT_SIGMOID, ACT_GELU]) {
          both((k, x) => k.actForward(act, x.Z, x.H, nOut, n, S));
          check("H", nOut * S, 1);
          // the padding of an activation is +0 (the sums over samples rely on it)
          const h = w.view(wb.H, nOut * S);
          for (let i = 0; i < nOut * S; i++) if (i % S >= n) expect(Object.is(h[i], 0)).toBe(true);
          both((k, x) => k.actBackward(act, x.dZ, x.Z, x.H, x.D, nOut, n, S));
          check("D", nOut * S, 1);
        }
        // targets: numbers for mse, 0/1 for bce, class indices for ce
        const targets = (kind: number): { Y: number[]; C: number[] } => {
          const rr = rand(7 + kind);
          return {
            Y: Array.from({ length: nOut * S }, (_, i) => (i % S >= n ? 0 : kind === LOSS_BCE ? (rr() > 0 ? 1 : 0) : rr())),
            C: Array.from({ length: S }, (_, i) => (i >= n ? 0 : Math.floor(((rr() + 2) / 4) * nOut))),
          };
        };
        for (const loss of [LOSS_MSE, LOSS_BCE, LOSS_CE]) {
          if (loss === LOSS_CE && nOut < 2) continue;
          const t = targets(loss);
          const y = loss === LOSS_CE ? "C" : "Y";
          const vals: number[] = [];
          both((k, x) => {
            k.write(x.Y, t.Y);
            k.write(x.C, t.C);
            vals.push(k.loss(loss, x.Z, x[y], x.D, nOut, n, S, 1 / (nOut * n)), k.loss(loss, x.Z, x[y], null, nOut, n, S, 0));
          });
          expect(firstDifference(vals.slice(0, 2), vals.slice(2))).toBeUndefined();
          check("D", nOut * S, 1);
        }
      });
    }
  }
});

const base = (over: Partial<TrainSpec>): TrainSpec => ({
  model: { layers: [2, 6, 5, 1], activation: "tanh" },
  loss: "bce",
  data: { name: "moons", n: 67, noise: 0.2, seed: 3, testFraction: 0.2 },
  init: { scheme: "torch", seed: 1 },
  optimizer: { name: "adam", lr: 0.02 },
  batchSize: 10,
  epochs: 3,
  shuffle: true,
  seed: 5,
  dtype: "f32",
  ...over,
});

describe("whole trainings: wasm = reference", () => {
  const models: [string, Partial<TrainSpec>][] = [
    ["bce moons", {}],
    ["ce gaussians (3 classes)", { loss: "ce", model: { layers: [2, 7, 3] }, data: { name: "gaussians", n: 50, classes: 3, seed: 2, testFraction: 0.3 } }],
    ["mse sine", { loss: "mse", model: { layers: [1, 9, 1] }, data: { name: "sine", n: 41, noise: 0.1, seed: 4 } }],
    ["ce spirals", { loss: "ce", model: { layers: [2, 8, 8, 2] }, data: { name: "spirals", n: 60, noise: 0.1 } }],
  ];
  for (const [label, over] of models) {
    for (const activation of ["tanh", "relu", "sigmoid", "gelu"] as const) {
      for (const dtype of ["f32", "f64"] as const) {
        it(`${label}, ${activation}, ${dtype}`, () => {
          const spec = base({ ...over, model: { ...(over.model ?? base({}).model), activation }, dtype });
          expect(sameDeep(wasm.train(spec), js.train(spec))).toBeUndefined();
        });
      }
    }
  }
  for (const name of optimizerNames) {
    it(`optimizer ${name} with a cosine schedule, f32 and f64`, () => {
      for (const dtype of ["f32", "f64"] as const) {
        const spec = base({ optimizer: { name, lr: name === "adadelta" ? 1 : 0.05 }, scheduler: { name: "cosineAnnealingLR", tMax: 12 }, dtype });
        expect(sameDeep(wasm.train(spec), js.train(spec))).toBeUndefined();
      }
    });
  }
  it("reduceLROnPlateau per epoch, oneCycleLR per step, heNormal and xavierUniform inits, no shuffle", () => {
    const specs = [
      base({ scheduler: { name: "reduceLROnPlateau", factor: 0.5, patience: 0 }, epochs: 5, init: { scheme: "heNormal", seed: 9 } }),
      base({ scheduler: { name: "oneCycleLR", maxLr: 0.1, totalSteps: 21 }, init: { scheme: "xavierUniform", seed: 2 }, shuffle: false }),
    ];
    for (const spec of specs) expect(sameDeep(wasm.train(spec), js.train(spec))).toBeUndefined();
  });
  it("a diverging training stays identical (NaN and Infinity included)", () => {
    const spec = base({
      optimizer: { name: "sgd", lr: 1e6 },
      loss: "mse",
      model: { layers: [1, 5, 1], activation: "relu" },
      data: { name: "linear", n: 30, noise: 0.1 },
      epochs: 4,
    });
    const r = js.train(spec);
    expect(r.epochLoss.some((v) => !Number.isFinite(v))).toBe(true);
    expect(sameDeep(wasm.train(spec), r)).toBeUndefined();
  });
});

describe("stepping API", () => {
  it("step(k) in any grouping gives train()'s result, on both backends; predictions and grids agree", () => {
    const spec = base({});
    const whole = js.train(spec);
    for (const b of [js, wasm]) {
      const t = b.createTrainer(spec);
      try {
        expect(t.batchesPerEpoch).toBe(6);
        expect(t.totalSteps).toBe(18);
        expect(t.step(1)).toBe(1);
        expect(t.step(4)).toBe(4);
        expect(t.epoch).toBe(0);
        expect(t.step(2)).toBe(2);
        expect(t.epoch).toBe(1);
        expect(t.history.epochLoss.length).toBe(1);
        expect(t.step(100)).toBe(11);
        expect(t.done).toBe(true);
        expect(t.step(5)).toBe(0);
        expect(sameDeep(t.result(), whole)).toBeUndefined();
        expect(t.history.lr.length).toBe(18);
      } finally {
        t.dispose();
      }
    }
    const tj = js.createTrainer(spec),
      tw = wasm.createTrainer(spec);
    try {
      tj.step(7);
      tw.step(7);
      const gj = tj.grid([-1.5, 2.5], [-1, 1.5], 64, 64),
        gw = tw.grid([-1.5, 2.5], [-1, 1.5], 64, 64);
      expect(gj.length).toBe(4096);
      expect(firstDifference(gw, gj)).toBeUndefined();
      expect(sameDeep(tw.evaluate("test"), tj.evaluate("test"))).toBeUndefined();
      const pts = [0.5, 0.25, -1, 1, 2, -0.5];
      expect(firstDifference(tw.predict(pts), tj.predict(pts))).toBeUndefined();
      expect(tj.predict(pts).length).toBe(3);
    } finally {
      tj.dispose();
      tw.dispose();
    }
  });

  it("seeded runs are reproducible, and each seed matters", () => {
    const a = wasm.train(base({})),
      b = wasm.train(base({}));
    expect(sameDeep(a, b)).toBeUndefined();
    expect(sameDeep(js.train(base({})), a)).toBeUndefined();
    for (const over of [
      { seed: 6 },
      { init: { scheme: "torch" as const, seed: 2 } },
      { data: { name: "moons" as const, n: 67, noise: 0.2, seed: 4, testFraction: 0.2 } },
    ]) {
      expect(sameDeep(wasm.train(base(over)), a)).toBeDefined();
    }
  });

  it("a disposed trainer refuses further use and its memory is returned", () => {
    erfTablePtr(core); // allocated once per core, kept
    const before = core.arena.used;
    const t = wasm.createTrainer(base({}));
    t.step(3);
    t.grid([0, 1], [0, 1], 10, 10);
    expect(core.arena.used).toBeGreaterThan(before);
    t.dispose();
    t.dispose();
    expect(core.arena.used).toBe(before);
    expect(() => t.step()).toThrow(/disposed/);
  });
});

describe("property: random networks and data, both backends", () => {
  it("identical results", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 0, maxLength: 2 }),
        fc.constantFrom("tanh", "relu", "sigmoid", "gelu"),
        fc.constantFrom("f32", "f64"),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 3, max: 45 }),
        fc.constantFrom(...optimizerNames),
        fc.boolean(),
        (hidden, activation, dtype, batchSize, n, opt, shuffle) => {
          const spec = base({
            model: { layers: [2, ...hidden, 1], activation: activation as "tanh" },
            data: { name: "xor", n, noise: 0.1, seed: n },
            batchSize,
            epochs: 2,
            shuffle,
            dtype: dtype as DType,
            optimizer: { name: opt, lr: 0.03 },
          });
          const d = sameDeep(wasm.train(spec), js.train(spec));
          expect(d, JSON.stringify(spec)).toBeUndefined();
        },
      ),
      { numRuns: 60, seed: 14 },
    );
  });
});
