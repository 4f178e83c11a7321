/**
 * The element-wise zoo optimizers against their references, on both
 * backends: rprop and asgd against real torch 1.13 (test/fixtures/zoo-torch.json),
 * lion, adopt, sfsgd and sfadamw against the official updates restated in
 * torch operations and cross-checked bit for bit against the official files
 * (test/fixtures/zoo-official.json). Both are written by
 * `/usr/bin/python3 scripts/zoo_fixtures.py` (sources and commits in each
 * case's `torch` / `source` field and in scripts/ZOO_SPEC.md).
 *
 * Tolerances as test/torch.test.ts (per coordinate, e = fixture, a = optimlab):
 * f64 |a − e| ≤ 1e-10·max(|e|, 1e-3); f32 |a − e| ≤ 1e-5·max(|e|, 1), for
 * steps 1..horizon; the same for the recorded state buffers (asgd's average
 * `ax`, schedule-free's `x` and `z`); learning rates 1e-10 relative.
 */
import { describe, expect, it } from "vitest";
import type { ParamTensor } from "../src/api.js";
import { createBackend } from "../bindings/index.js";
import { jsBackend, type Backend } from "../src/backend.js";
import { createOptimizer, type OptimizerName } from "../src/optim/index.js";
import type { Optimizer } from "../src/optim/optimizer.js";
import { createScheduler } from "../src/schedulers/index.js";
import { loadZoo, TOL, type ZooCase } from "./zoo-replay.js";

/** A zoo case, with the state buffers these optimizers record. */
type Case = ZooCase & { state?: Record<string, number[][]> };

const MINE = ["rprop", "asgd", "lion", "adopt", "sfsgd", "sfadamw"];
const cases: Case[] = [...loadZoo("zoo-torch.json"), ...loadZoo("zoo-official.json")].filter((c) => MINE.includes(c.optimizer));

/** The fixture's state names → optimlab's buffer names. */
const BUFFER: Record<string, string> = { ax: "ax", x: "x", z: "z" };

/** The first place (step, what, coordinate) where optimlab leaves the fixture; undefined if none. */
function replay(c: Case, backend: Backend): string | undefined {
  const { rel, floor } = TOL[c.dtype];
  const exp = (v: number): number => (c.dtype === "f32" ? Math.fround(v) : v);
  const far = (a: number, e: number, r: number = rel, f: number = floor) => !(Math.abs(a - e) <= r * Math.max(Math.abs(e), f));
  const params: ParamTensor[] = [];
  let off = 0;
  for (const n of c.split) {
    params.push(backend.param(c.dtype, c.x0.slice(off, off + n)));
    off += n;
  }
  try {
    const fn = backend.createFunction(c.function, c.dim);
    const x = new Float64Array(c.dim),
      g = new Float64Array(c.dim);
    const flat = (get: (i: number) => ArrayLike<number>) => params.flatMap((_p, i) => Array.from(get(i)));
    const opt = backend.createOptimizer(c.optimizer, params, c.options);
    const sched = c.scheduler ? createScheduler(opt, c.scheduler) : undefined;
    for (let k = 0; k < c.horizon; k++) {
      let o = 0;
      for (const p of params) {
        x.set(p.data, o);
        o += p.data.length;
      }
      fn.valueAndGrad(x, g);
      o = 0;
      for (const p of params) {
        p.grad.set(g.subarray(o, o + p.grad.length));
        o += p.grad.length;
      }
      if (c.lr && far(opt.lr, c.lr[k], 1e-10, 1e-12)) return `step ${k + 1}: lr ${opt.lr}, fixture ${c.lr[k]}`;
      opt.step();
      sched?.step();
      const xs = flat((i) => params[i].data);
      for (let i = 0; i < c.dim; i++) if (far(xs[i], exp(c.x[k + 1][i]))) return `step ${k + 1}: x[${i}] = ${xs[i]}, fixture ${c.x[k + 1][i]}`;
      for (const [name, rows] of Object.entries(c.state ?? {})) {
        const s = flat((i) => opt.state(i)[BUFFER[name]]);
        for (let i = 0; i < c.dim; i++) if (far(s[i], exp(rows[k + 1][i]))) return `step ${k + 1}: ${name}[${i}] = ${s[i]}, fixture ${rows[k + 1][i]}`;
      }
    }
    return undefined;
  } finally {
    for (const p of params) p.dispose();
  }
}

const wasm = await createBackend("wasm");

describe("zoo element-wise optimizers vs their fixtures (zoo-torch.json, zoo-official.json)", () => {
  it("cover every optimizer in both dtypes, with multi-tensor and scheduler cases", () => {
    for (const name of MINE) {
      const mine = cases.filter((c) => c.optimizer === name);
      for (const dtype of ["f32", "f64"])
        expect(
          mine.some((c) => c.dtype === dtype),
          `${name} ${dtype}`,
        ).toBe(true);
      expect(
        mine.some((c) => c.split.length > 1),
        `${name} multi-tensor`,
      ).toBe(true);
      expect(
        mine.some((c) => c.scheduler),
        `${name} scheduler`,
      ).toBe(true);
    }
  });

  for (const backend of [jsBackend, wasm]) {
    for (const c of cases) {
      const cut = c.horizon < c.steps ? `, compared to step ${c.horizon}` : "";
      it(`${c.id} [${c.steps} steps${cut}] on ${backend.name}`, () => {
        expect(c.horizon).toBeGreaterThan(0);
        expect(replay(c, backend)).toBeUndefined();
      });
    }
  }
});

describe("what the fixtures do not reach, by hand", () => {
  /** A one-element f64 optimizer fed the gradients `gs`; the parameter after each step. */
  function feed(name: OptimizerName, options: Record<string, unknown>, gs: number[], between?: (opt: Optimizer, k: number) => void): number[] {
    const p = { data: new Float64Array([1]), grad: new Float64Array(1) };
    const opt = createOptimizer(name, [p], options);
    return gs.map((g, k) => {
      p.grad[0] = g;
      opt.step();
      between?.(opt, k);
      return p.data[0];
    });
  }

  it("adopt clips u to ±(t − 1)^c: the first move (t = 2) to ±1, the next to ±2^c; null does not clip", () => {
    // t = 1: v = 0.01, no move. t = 2: u = 10/0.1 = 100 → 1, m = 0.1·1, p = 1 − 0.1·0.1; v = 0.01·0.9999 + 0.0001·100.
    // t = 3: u = 10/√v ≈ 70.7 → 2^0.25, m = 0.1 + 0.1·(2^0.25 − 0.1).
    const clipped = feed("adopt", { lr: 0.1 }, [0.1, 10, 10]);
    const m3 = 0.1 + 0.1 * (2 ** 0.25 - 0.1);
    expectAll(clipped, [1, 1 - 0.01, 1 - 0.01 - 0.1 * m3]);
    const free = feed("adopt", { lr: 0.1, clipExponent: null }, [0.1, 10]);
    expectAll(free, [1, 1 - 0.1 * 10]);
    const half = feed("adopt", { lr: 0.1, clipExponent: 0.5 }, [0.1, 10, 10]);
    expectAll(half, [1, 1 - 0.01, 1 - 0.01 - 0.1 * (0.1 + 0.1 * (Math.SQRT2 - 0.1))]);
  });

  it("rprop grows the step by η+, halves it and skips the move after a sign change, and reads the lr only at its first step", () => {
    // Δ: 0.1, 0.12, 0.06 (g zeroed: no move), then g·g′ = 0 keeps 0.06.
    const ps = feed("rprop", { lr: 0.1 }, [1, 1, -1, -1], (opt) => (opt.lr = 5));
    expectAll(ps, [0.9, 0.78, 0.78, 0.84]);
  });

  function expectAll(got: number[], want: number[]): void {
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => expect(Math.abs(v - want[i]), `step ${i + 1}: ${v} vs ${want[i]}`).toBeLessThanOrEqual(1e-15));
  }
});

describe("options: the issue's defaults, no epsMode, errors naming the option and what is allowed", () => {
  const one = () => [{ data: new Float64Array(2), grad: new Float64Array(2) }];
  it("defaults", () => {
    const d = (n: OptimizerName) => createOptimizer(n, one()).options;
    expect(d("rprop")).toEqual({ lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
    expect(d("asgd")).toEqual({ lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
    expect(d("lion")).toEqual({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false });
    expect(d("adopt")).toEqual({ lr: 1e-3, betas: [0.9, 0.9999], eps: 1e-6, clipExponent: 0.25, weightDecay: 0, decoupledWeightDecay: false, maximize: false });
    expect(d("sfsgd")).toEqual({ lr: 1, momentum: 0.9, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, maximize: false });
    expect(d("sfadamw")).toEqual({
      lr: 0.0025,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      warmupSteps: 0,
      r: 0,
      weightLrPower: 2,
      decayAtZ: false,
      innerMomentum: 0,
      maximize: false,
    });
  });

  const bad: [OptimizerName, Record<string, unknown>, ErrorConstructor, RegExp][] = [
    ["rprop", { etas: [0.5, 0.9] }, RangeError, /^etas: must be \[etaMinus, etaPlus\] with 0 < etaMinus < 1 < etaPlus; got \[0.5,0.9\]$/],
    ["rprop", { etas: [0, 1.2] }, RangeError, /^etas: must be two numbers \[etaMinus, etaPlus\], each in \(0, Infinity\)/],
    ["rprop", { stepSizes: [1, 0.5] }, RangeError, /^stepSizes: must be \[min, max\] with min ≤ max; got \[1,0.5\]$/],
    ["rprop", { stepSizes: [1e-6] }, TypeError, /^stepSizes: must be an array of two numbers \[min, max\]/],
    ["asgd", { lambd: -1 }, RangeError, /^lambd: must be a number in \[0, Infinity\)/],
    ["asgd", { t0: "soon" }, TypeError, /^t0: must be a number/],
    ["lion", { betas: [1, 0.99] }, RangeError, /^betas: .*each in \[0, 1\)/],
    ["adopt", { clipExponent: -1 }, RangeError, /^clipExponent: must be a number in \[0, Infinity\), or null; got -1$/],
    ["adopt", { clipExponent: "none" }, TypeError, /^clipExponent: must be a number, or null; got "none"$/],
    ["sfsgd", { momentum: 0 }, RangeError, /^momentum: must be a number in \(0, 1\); got 0/],
    ["sfsgd", { warmupSteps: 2.5 }, RangeError, /^warmupSteps: must be an integer in \[0, Infinity\)/],
    ["sfadamw", { innerMomentum: 1 }, RangeError, /^innerMomentum: must be a number in \[0, 1\); got 1/],
    ["sfadamw", { weightLrPower: -2 }, RangeError, /^weightLrPower:/],
  ];
  for (const [name, opts, cls, re] of bad) {
    it(`${name} ${JSON.stringify(opts)}`, () => {
      let err: unknown;
      try {
        createOptimizer(name, one(), opts);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(re);
    });
  }
  it("none of them takes epsMode (each keeps its official ε placement)", () => {
    for (const name of MINE) expect(() => createOptimizer(name as OptimizerName, one(), { epsMode: "inside" })).toThrow(/^epsMode: unknown option of /);
  });
});
