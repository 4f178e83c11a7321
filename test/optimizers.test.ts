import { describe, expect, it } from "vitest";
import { createOptimizer, isClosureDef, optimizerNames, resolveOptimizer, type Optimizer, type OptimizerName } from "../src/optim/index.js";
import { resolveOptions } from "../src/optim/schema.js";
import type { FloatArray, Param } from "../src/api.js";

function params(dtype: "f32" | "f64", lengths: number[]): Param[] {
  const make = (n: number): FloatArray => (dtype === "f32" ? new Float32Array(n) : new Float64Array(n));
  return lengths.map((n, k) => {
    const data = make(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(1 + i + 10 * k);
    return { data, grad: make(n) };
  });
}

/** Gradient of Σ (i+1)·x²/2 + Σ x³/10 over each tensor (so every state buffer moves); returns that loss. */
function fillGrad(ps: Param[]): number {
  let f = 0;
  for (const p of ps) {
    for (let i = 0; i < p.data.length; i++) {
      const x = p.data[i];
      p.grad[i] = (i + 1) * x + 0.3 * x * x;
      f += 0.5 * (i + 1) * x * x + 0.1 * x * x * x;
    }
  }
  return f;
}

/** One step from fillGrad's gradient: through a closure for an optimizer that needs one (L-BFGS). */
function stepOn(opt: Optimizer, ps: Param[], negate = false): void {
  const fill = () => {
    const f = fillGrad(ps);
    if (negate) for (const p of ps) p.grad.forEach((g, i) => (p.grad[i] = -g));
    return negate ? -f : f;
  };
  if (opt.requiresClosure) opt.step(fill);
  else {
    fill();
    opt.step();
  }
}

/** Whether these options couple the tensors (a reduce phase over all of them, or the flat vector of L-BFGS). */
function couplesTensors(name: OptimizerName, options: Record<string, unknown> | undefined): boolean {
  const r = resolveOptimizer(name, options ?? {});
  return isClosureDef(r.def) || r.def.reduces?.(resolveOptions(r.def.schema, r.options, name)) === true;
}

const RICH: Record<string, Record<string, unknown>> = {
  sgd: { lr: 0.05, momentum: 0.8, dampening: 0.1, weightDecay: 0.01 },
  momentum: { lr: 0.05 },
  nesterov: { lr: 0.05, weightDecay: 0.01 },
  adagrad: { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.01 },
  rmsprop: { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01 },
  adadelta: { lr: 1, weightDecay: 0.01 },
  adam: { lr: 0.05, amsgrad: true, weightDecay: 0.01 },
  adamw: { lr: 0.05, amsgrad: true },
  adamax: { lr: 0.05, weightDecay: 0.01 },
  nadam: { lr: 0.05, weightDecay: 0.01, decoupledWeightDecay: true },
  radam: { lr: 0.05, weightDecay: 0.01 },
  rprop: { lr: 0.05, etas: [0.4, 1.3], stepSizes: [1e-3, 0.5] },
  asgd: { lr: 0.05, lambd: 0.01, t0: 2, weightDecay: 0.01 },
  lion: { lr: 0.01, weightDecay: 0.1 },
  adopt: { lr: 0.05, weightDecay: 0.01, decoupledWeightDecay: true },
  sfsgd: { lr: 0.05, warmupSteps: 3, weightDecay: 0.01 },
  sfadamw: { lr: 0.05, warmupSteps: 3, weightDecay: 0.01, innerMomentum: 0.5 },
  adabelief: { lr: 0.05, amsgrad: true, weightDecay: 0.01, rectify: false },
  adan: { lr: 0.05, weightDecay: 0.01, maxGradNorm: 0.5 },
  prodigy: { lr: 0.5, weightDecay: 0.01, d0: 1e-3 },
  lbfgs: { lr: 0.5, maxIter: 3, historySize: 2, lineSearchFn: "strongWolfe" },
};

describe("every optimizer", () => {
  for (const name of optimizerNames) {
    for (const dtype of ["f32", "f64"] as const) {
      it(`${name} ${dtype}: stateDict round-trips through JSON and continues identically`, () => {
        const a = params(dtype, [3, 5]);
        const optA = createOptimizer(name, a, RICH[name]);
        for (let t = 0; t < 7; t++) stepOn(optA, a);
        const saved = JSON.parse(JSON.stringify(optA.stateDict()));
        const b = a.map((p) => ({ data: p.data.slice(), grad: p.grad.slice() })) as Param[];
        const optB = createOptimizer(name, b, {});
        optB.loadStateDict(saved);
        expect(optB.options).toEqual(optA.options);
        expect(optB.stepCount).toBe(7);
        for (let t = 0; t < 9; t++) {
          stepOn(optA, a);
          stepOn(optB, b);
        }
        // bit-identical continuation (not just close)
        a.forEach((p, k) => expect(Array.from(b[k].data)).toEqual(Array.from(p.data)));
        expect(JSON.stringify(optB.stateDict())).toBe(JSON.stringify(optA.stateDict()));
      });
    }

    it.skipIf(couplesTensors(name, RICH[name]))(`${name}: tensors are updated independently (multi-tensor = separate optimizers)`, () => {
      const joint = params("f64", [4, 2]);
      const sep = joint.map((p) => [{ data: p.data.slice(), grad: p.grad.slice() }] as Param[]);
      const optJ = createOptimizer(name, joint, RICH[name]);
      const optS = sep.map((ps) => createOptimizer(name, ps, RICH[name]));
      for (let t = 0; t < 12; t++) {
        stepOn(optJ, joint);
        sep.forEach((ps, k) => stepOn(optS[k], ps));
      }
      joint.forEach((p, k) => expect(Array.from(sep[k][0].data)).toEqual(Array.from(p.data)));
    });

    it(`${name}: maximize ascends exactly as minimizing −f`, () => {
      const up = params("f64", [3]);
      const down = params("f64", [3]);
      const optUp = createOptimizer(name, up, { ...RICH[name], maximize: true });
      const optDown = createOptimizer(name, down, RICH[name]);
      for (let t = 0; t < 6; t++) {
        stepOn(optUp, up, true); // −f and ∇(−f)
        stepOn(optDown, down);
      }
      expect(Array.from(up[0].data)).toEqual(Array.from(down[0].data));
    });
  }
});

describe("state dicts are refused when they do not fit", () => {
  const ps = () => params("f64", [3]);
  it("another optimizer", () => {
    const s = createOptimizer("adam", ps()).stateDict();
    expect(() => createOptimizer("adamax", ps()).loadStateDict(s)).toThrow(/state of "adam", not of adamax/);
  });
  it("another length", () => {
    const s = createOptimizer("adam", ps()).stateDict();
    expect(() => createOptimizer("adam", params("f64", [4])).loadStateDict(s)).toThrow(/length: is 3; the tensor has 4/);
  });
  it("another dtype", () => {
    const s = createOptimizer("adam", ps()).stateDict();
    expect(() => createOptimizer("adam", params("f32", [3])).loadStateDict(s)).toThrow(TypeError);
    expect(() => createOptimizer("adam", params("f32", [3])).loadStateDict(s)).toThrow(/dtype: is "f64"; the tensor is f32/);
  });
  it("another number of tensors", () => {
    const s = createOptimizer("sgd", ps()).stateDict();
    expect(() => createOptimizer("sgd", params("f64", [3, 3])).loadStateDict(s)).toThrow(/holds 1 tensors; this optimizer has 2/);
  });
  it("a failed load changes nothing", () => {
    const p = ps();
    const opt = createOptimizer("adam", p, { lr: 0.5 });
    fillGrad(p);
    opt.step();
    const before = JSON.stringify(opt.stateDict());
    const bad = JSON.parse(before);
    bad.options.lr = 0.1;
    bad.params[0].buffers.expAvg[2] = "oops";
    expect(() => opt.loadStateDict(bad)).toThrow(/expAvg\[2\]/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
  it("non-finite state survives JSON exactly", () => {
    const p = params("f32", [2]);
    const opt = createOptimizer("adam", p);
    p[0].grad[0] = Infinity;
    p[0].grad[1] = NaN;
    opt.step();
    const s = JSON.parse(JSON.stringify(opt.stateDict()));
    expect(s.params[0].buffers.expAvgSq[0]).toBe("Infinity");
    const q = params("f32", [2]);
    const o2 = createOptimizer("adam", q);
    o2.loadStateDict(s);
    expect(o2.state(0).expAvg[1]).toBeNaN();
    expect(o2.state(0).expAvgSq[0]).toBe(Infinity);
  });
});

describe("hyperparameter validation names the option and the allowed values", () => {
  const p = () => params("f64", [2]);
  const cases: [OptimizerName, Record<string, unknown>, ErrorConstructor, RegExp][] = [
    ["sgd", { lr: -0.1 }, RangeError, /^lr: must be a number in \[0, Infinity\); got -0.1$/],
    ["adam", { lr: NaN }, RangeError, /^lr: .*got NaN/],
    // One wording for a value below the range and an infinite one (an infinite bound is open).
    ["adam", { lr: Infinity }, RangeError, /^lr: must be a number in \[0, Infinity\); got Infinity$/],
    ["adam", { lr: "0.1" }, TypeError, /^lr: must be a number; got "0.1"/],
    ["adam", { betas: [0.9, 1] }, RangeError, /^betas: .*each in \[0, 1\)/],
    ["adam", { betas: [0.9] }, TypeError, /^betas: must be an array of two numbers/],
    ["adam", { beta1: 0.9 }, TypeError, /^beta1: unknown option of adam; allowed: lr, betas, eps, epsMode, weightDecay, amsgrad, maximize$/],
    ["adam", { epsMode: "inner" }, RangeError, /^epsMode: must be one of "outside", "inside", "hat"; got "inner"/],
    ["adamax", { epsMode: "inside" }, TypeError, /^epsMode: unknown option of adamax/],
    ["sgd", { nesterov: true }, RangeError, /^nesterov: Nesterov momentum needs momentum > 0 and dampening 0/],
    ["sgd", { nesterov: true, momentum: 0.9, dampening: 0.1 }, RangeError, /^nesterov: .*dampening 0.1/],
    ["nesterov", { dampening: 0.5 }, RangeError, /^nesterov:/],
    ["sgd", { momentum: -1 }, RangeError, /^momentum:/],
    ["adagrad", { lrDecay: -1 }, RangeError, /^lrDecay:/],
    ["adagrad", { initialAccumulatorValue: -1 }, RangeError, /^initialAccumulatorValue:/],
    ["rmsprop", { alpha: 1.5 }, RangeError, /^alpha: must be a number in \[0, 1\]/],
    ["rmsprop", { centered: 1 }, TypeError, /^centered: must be true or false/],
    ["adadelta", { rho: 2 }, RangeError, /^rho:/],
    ["nadam", { momentumDecay: -0.1 }, RangeError, /^momentumDecay:/],
    ["adamw", { weightDecay: -0.01 }, RangeError, /^weightDecay:/],
    ["adam", { eps: -1e-8 }, RangeError, /^eps:/],
  ];
  for (const [name, opts, cls, re] of cases) {
    it(`${name} ${JSON.stringify(opts)}`, () => {
      let err: unknown;
      try {
        createOptimizer(name, p(), opts);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(re);
    });
  }
  it("unknown optimizer names list the allowed ones", () => {
    expect(() => createOptimizer("adamm" as OptimizerName, p())).toThrow(/^name: unknown optimizer "adamm"; allowed: sgd, momentum, nesterov, adagrad/);
  });
  it("bad params are refused before anything runs", () => {
    expect(() => createOptimizer("sgd", [])).toThrow(/params: must hold at least one/);
    expect(() => createOptimizer("sgd", [{ data: new Float32Array(2), grad: new Float64Array(2) }])).toThrow(
      /params\[0\]\.grad: must have the dtype of data \(f32\)/,
    );
    expect(() => createOptimizer("sgd", [{ data: new Float32Array(2), grad: new Float32Array(3) }])).toThrow(/params\[0\]\.grad: must have the length of data/);
    expect(() => createOptimizer("sgd", [{ data: [1, 2] as unknown as FloatArray, grad: new Float32Array(2) }])).toThrow(
      /params\[0\]\.data: must be a Float32Array or Float64Array/,
    );
  });
  it("setOption validates and leaves the old value on error", () => {
    const opt = createOptimizer("adam", p(), { lr: 0.1 });
    expect(() => opt.setOption("lr", -1)).toThrow(RangeError);
    expect(() => (opt.lr = NaN)).toThrow(/^lr: must be a finite number/);
    expect(opt.lr).toBe(0.1);
    opt.lr = -1e-4; // what torch's linear one-cycle reaches at its last step
    expect(opt.lr).toBe(-1e-4);
    opt.setOption("betas", [0.5, 0.9]);
    expect(opt.getOption("betas")).toEqual([0.5, 0.9]);
  });
});

describe("aliases and defaults (PyTorch 2.x)", () => {
  it("momentum is SGD with 0.9; nesterov adds Nesterov", () => {
    expect(createOptimizer("momentum", params("f64", [1])).options).toMatchObject({ momentum: 0.9, nesterov: false, lr: 1e-3 });
    expect(createOptimizer("nesterov", params("f64", [1])).options).toMatchObject({ momentum: 0.9, nesterov: true });
    expect(createOptimizer("momentum", params("f64", [1]), { momentum: 0.5 }).options).toMatchObject({ momentum: 0.5 });
  });
  it("torch's defaults", () => {
    const d = (n: OptimizerName) => createOptimizer(n, params("f64", [1])).options;
    expect(d("adagrad")).toMatchObject({ lr: 0.01, eps: 1e-10, lrDecay: 0, initialAccumulatorValue: 0 });
    expect(d("rmsprop")).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8 });
    expect(d("adadelta")).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6, epsMode: "inside" });
    expect(d("adam")).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(d("adamw")).toMatchObject({ weightDecay: 0.01 });
    expect(d("adamax")).toMatchObject({ lr: 2e-3 });
    expect(d("nadam")).toMatchObject({ lr: 2e-3, momentumDecay: 4e-3 });
    expect(d("radam")).toMatchObject({ lr: 1e-3, epsMode: "hat" });
  });
  it("zeroGrad zeroes every gradient", () => {
    const ps = params("f32", [2, 3]);
    fillGrad(ps);
    createOptimizer("sgd", ps).zeroGrad();
    for (const p of ps) expect(Array.from(p.grad)).toEqual(new Array(p.grad.length).fill(0));
  });
});

describe("hand-computed single steps", () => {
  it("adam f64 step 1 moves every coordinate by ≈ lr·sign(g)", () => {
    const [p] = params("f64", [3]);
    const x0 = Array.from(p.data);
    p.grad.set([2, -0.5, 1e-3]);
    createOptimizer("adam", [p], { lr: 0.1 }).step();
    // m̂ = g, v̂ = g²: step = lr·g/(|g| + ε)
    [2, -0.5, 1e-3].forEach((g, i) => expect(p.data[i]).toBeCloseTo(x0[i] - (0.1 * g) / (Math.abs(g) + 1e-8), 14));
  });
  it("radam's first steps are un-adapted SGD with momentum (ρₜ ≤ 5)", () => {
    const [p] = params("f64", [1]);
    const x0 = p.data[0];
    p.grad[0] = 0.5;
    createOptimizer("radam", [p], { lr: 0.1 }).step();
    expect(p.data[0]).toBeCloseTo(x0 - 0.1 * 0.5, 15);
  });
  it("adamw decays the weights by (1 − lr·wd) before the Adam step", () => {
    const [p] = params("f64", [1]);
    const x0 = p.data[0];
    p.grad[0] = 0;
    createOptimizer("adamw", [p], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(p.data[0]).toBe(x0 * (1 - 0.05));
  });
});
