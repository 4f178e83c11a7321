// L-BFGS against real torch.optim.LBFGS (test/fixtures/zoo-torch.json, torch
// 1.13 with PR 135026's max_ls patched in by scripts/zoo_fixtures.py: run it
// with `/usr/bin/python3 scripts/zoo_fixtures.py`): positions, losses and
// closure calls per step, on both backends; the closure contract; the state
// dict; independent checks of the pieces (cubic interpolation, the first
// step's length, the history window).
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { jsBackend, type Backend } from "../src/backend.js";
import { createOptimizer, type Param } from "../src/index.js";
import { cubicInterpolate } from "../src/optim/lineSearch.js";
import { loadZoo, replay } from "./zoo-replay.js";

const wasmBackend: Backend = await createBackend("wasm");
const cases = loadZoo("zoo-torch.json").filter((c) => c.optimizer === "lbfgs");

describe("lbfgs vs torch.optim.LBFGS (zoo-torch.json)", () => {
  it("fixtures cover both line-search settings, both dtypes, several tensors, maximize and a scheduler", () => {
    expect(cases.some((c) => c.options.lineSearchFn === "strongWolfe")).toBe(true);
    expect(cases.some((c) => c.options.lineSearchFn === undefined)).toBe(true);
    expect(new Set(cases.map((c) => c.dtype))).toEqual(new Set(["f32", "f64"]));
    expect(cases.some((c) => c.split.length > 1 && c.options.lineSearchFn === "strongWolfe")).toBe(true);
    expect(cases.some((c) => c.options.maximize === true)).toBe(true);
    expect(cases.some((c) => c.scheduler)).toBe(true);
    for (const c of cases) expect(c.evals?.length).toBe(c.steps);
  });

  for (const backend of [jsBackend, wasmBackend]) {
    for (const c of cases) {
      it(`${c.id} [${c.horizon} of ${c.steps} steps, evals ${c.evals!.slice(0, 4).join(",")}…] on ${backend.name}`, () => {
        expect(c.horizon).toBeGreaterThan(0);
        expect(replay(c, backend)).toBeUndefined();
      });
    }
  }
});

/** f = Σ wᵢ(xᵢ − 1)² + 0.1·Σ xᵢ⁴ over the tensors' concatenation, as a closure filling the grads. */
function problem(params: Param[]): () => number {
  return () => {
    let f = 0,
      k = 0;
    for (const p of params) {
      for (let j = 0; j < p.data.length; j++, k++) {
        const x = p.data[j],
          w = 1 + (k % 3);
        f += w * (x - 1) * (x - 1) + 0.1 * x ** 4;
        p.grad[j] = 2 * w * (x - 1) + 0.4 * x ** 3;
      }
    }
    return f;
  };
}

const tensors = (dtype: "f32" | "f64", lengths: number[]): Param[] =>
  lengths.map((n, k) => {
    const make = (m: number) => (dtype === "f32" ? new Float32Array(m) : new Float64Array(m));
    const data = make(n);
    for (let j = 0; j < n; j++) data[j] = Math.sin(2 + j + 5 * k) * 2;
    return { data, grad: make(n) };
  });

describe("the closure contract", () => {
  it("lbfgs refuses step() without a closure, with a TypeError naming closure", () => {
    const opt = createOptimizer("lbfgs", tensors("f64", [2]));
    expect(() => opt.step()).toThrow(TypeError);
    expect(() => opt.step()).toThrow(/^closure: is required by lbfgs/);
    expect(() => opt.step(42 as never)).toThrow(/^closure: must be a function/);
    expect(() => opt.step((() => "x") as never)).toThrow(/^closure: must return the loss as a number/);
    expect(opt.requiresClosure).toBe(true);
  });

  it("other optimizers call a given closure once and return its loss", () => {
    const ps = tensors("f64", [3]);
    const opt = createOptimizer("adam", ps, { lr: 0.1 });
    let calls = 0;
    const f = problem(ps);
    const at0 = f();
    const loss = opt.step(() => {
      calls++;
      return f();
    });
    expect(calls).toBe(1);
    expect(loss).toBe(at0);
    expect(opt.requiresClosure).toBe(false);
    expect(opt.step()).toBeUndefined();
  });

  it("step returns the loss of the closure's first call (as given, also with maximize)", () => {
    for (const maximize of [false, true]) {
      const ps = tensors("f64", [2]);
      const f = problem(ps);
      const first = f();
      const opt = createOptimizer("lbfgs", ps, { maximize, maxIter: 3 });
      expect(opt.step(f)).toBe(first);
    }
  });

  it("tensors of different dtypes are refused (the step works on their concatenation)", () => {
    const ps: Param[] = [
      { data: new Float32Array(2), grad: new Float32Array(2) },
      { data: new Float64Array(2), grad: new Float64Array(2) },
    ];
    expect(() => createOptimizer("lbfgs", ps)).toThrow(/^params\[1\]\.data: must have the dtype of params\[0\] \(f32\)/);
  });

  it("bad options name the field", () => {
    const ps = tensors("f64", [2]);
    // A JSON spec's value, unchecked by the compiler: the run-time check refuses it.
    expect(() => createOptimizer("lbfgs", ps, { lineSearchFn: "wolfe" } as Record<string, unknown>)).toThrow(/^lineSearchFn: must be one of "strongWolfe"/);
    expect(() => createOptimizer("lbfgs", ps, { maxIter: 0 })).toThrow(/^maxIter: must be an integer in \[1, Infinity\)/);
    expect(() => createOptimizer("lbfgs", ps, { historySize: 1.5 })).toThrow(/^historySize: /);
    expect(() => createOptimizer("lbfgs", ps, { maxEval: 0 })).toThrow(/^maxEval: /);
  });
});

describe("lbfgs: the pieces, checked independently", () => {
  it("cubicInterpolate is the minimiser of the cubic through two points and slopes (clamped; midpoint without one)", () => {
    // c(x) = x³ − 3x (minimum at 1): values and slopes at 0 and 2
    const c = (x: number) => x ** 3 - 3 * x,
      dc = (x: number) => 3 * x * x - 3;
    expect(cubicInterpolate(0, c(0), dc(0), 2, c(2), dc(2))).toBeCloseTo(1, 14);
    expect(cubicInterpolate(2, c(2), dc(2), 0, c(0), dc(0))).toBeCloseTo(1, 14);
    expect(cubicInterpolate(0, c(0), dc(0), 2, c(2), dc(2), [1.5, 3])).toBe(1.5);
    // a concave cubic segment with no real minimiser: d1² < g1·g2 → the middle of the bounds
    expect(cubicInterpolate(0, 0, 1, 1, 2 / 3, 1, [0, 4])).toBe(2);
  });

  it("the first iteration steps −g·min(1, 1/Σ|g|)·lr; maxIter 1 without line search evaluates once", () => {
    const ps = tensors("f64", [3]);
    const f = problem(ps);
    const x0 = Array.from(ps[0].data);
    f();
    const g = Array.from(ps[0].grad);
    const sumAbs = g.reduce((s, v) => s + Math.abs(v), 0);
    let calls = 0;
    const opt = createOptimizer("lbfgs", ps, { lr: 0.7, maxIter: 1 });
    opt.step(() => (calls++, f()));
    expect(calls).toBe(1);
    const t = Math.min(1, 1 / sumAbs) * 0.7;
    ps[0].data.forEach((v, j) => expect(v).toBeCloseTo(x0[j] - t * g[j], 14));
  });

  it("the history keeps the last historySize pairs; ρ = 1/(y·s) of the stored pairs", () => {
    const ps = tensors("f64", [4]);
    const f = problem(ps);
    const opt = createOptimizer("lbfgs", ps, { maxIter: 8, historySize: 3 });
    opt.step(f);
    const st = opt.stateDict() as unknown as { flat: { oldDirs: number[][]; oldStps: number[][]; ro: number[] }; scalars: Record<string, number> };
    expect(st.flat.oldDirs).toHaveLength(3);
    st.flat.ro.forEach((r, i) => {
      const ys = st.flat.oldDirs[i].reduce((s, y, j) => s + y * st.flat.oldStps[i][j], 0);
      expect(r).toBeCloseTo(1 / ys, 10);
    });
    expect(st.scalars.nIter).toBeGreaterThan(3);
  });

  it("converges on a strictly convex problem with either line search, across tensors, and then stops evaluating", () => {
    for (const lineSearchFn of [null, "strongWolfe"] as const) {
      const ps = tensors("f64", [3, 5]);
      const f = problem(ps);
      // toleranceChange 1e-15: with the default 1e-9, fixed steps of 0.2 stall where g·d > −1e-9 (max|g| ≈ 4e-5 here), as torch's do.
      const opt = createOptimizer("lbfgs", ps, { lineSearchFn, lr: lineSearchFn ? 1 : 0.2, toleranceGrad: 1e-6, toleranceChange: 1e-15 });
      for (let k = 0; k < 40; k++) opt.step(f);
      f();
      const gmax = Math.max(...ps.flatMap((p) => Array.from(p.grad, Math.abs)));
      expect(gmax, String(lineSearchFn)).toBeLessThan(1e-6);
      let calls = 0;
      opt.step(() => (calls++, f()));
      expect(calls).toBe(1);
    }
  });
});

describe("lbfgs state dict", () => {
  for (const dtype of ["f32", "f64"] as const) {
    for (const options of [
      { maxIter: 3, historySize: 2 },
      { lineSearchFn: "strongWolfe" as const, maxIter: 4 },
    ]) {
      it(`${dtype} ${JSON.stringify(options)}: round-trips through JSON and continues bit for bit, on either backend`, async () => {
        const a = tensors(dtype, [2, 3]);
        const optA = createOptimizer("lbfgs", a, options);
        for (let k = 0; k < 3; k++) optA.step(problem(a));
        const saved = JSON.parse(JSON.stringify(optA.stateDict()));
        expect(saved.flat.d).toHaveLength(5);
        for (const backend of [jsBackend, wasmBackend]) {
          const b = a.map((p) => backend.param(dtype, p.data));
          const optB = backend.createOptimizer("lbfgs", b, {});
          optB.loadStateDict(saved);
          expect(JSON.stringify(optB.stateDict())).toBe(JSON.stringify(saved));
          const a2 = a.map((p) => ({ data: p.data.slice(), grad: p.grad.slice() }));
          const optA2 = createOptimizer("lbfgs", a2, {});
          optA2.loadStateDict(saved);
          for (let k = 0; k < 4; k++) {
            optA2.step(problem(a2));
            optB.step(problem(b));
          }
          a2.forEach((p, k) => expect(Array.from(b[k].data)).toEqual(Array.from(p.data)));
          expect(JSON.stringify(optB.stateDict())).toBe(JSON.stringify(optA2.stateDict()));
        }
      });
    }
  }

  it("a bad state is refused, naming the field, and changes nothing", () => {
    const ps = tensors("f64", [3]);
    const opt = createOptimizer("lbfgs", ps, { maxIter: 3 });
    opt.step(problem(ps));
    const before = JSON.stringify(opt.stateDict());
    const bad = JSON.parse(before);
    bad.flat.oldDirs[0] = [1, 2];
    expect(() => opt.loadStateDict(bad)).toThrow(/^state\.flat\.oldDirs\[0\]: has 2 values; expected 3/);
    const bad2 = JSON.parse(before);
    bad2.flat.ro.pop();
    expect(() => opt.loadStateDict(bad2)).toThrow(/^state\.flat: oldDirs, oldStps and ro must have one entry per pair/);
    const bad3 = JSON.parse(before);
    delete bad3.scalars.hDiag;
    expect(() => opt.loadStateDict(bad3)).toThrow(/^state\.scalars\.hDiag: is missing/);
    expect(() => opt.loadStateDict(createOptimizer("adam", tensors("f64", [3])).stateDict())).toThrow(/state of "adam", not of lbfgs/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
});
