import { describe, expect, it } from "vitest";
import { isFieldError } from "../src/errors.js";
import {
  createScheduler,
  normalizeSchedulerSpec,
  schedulerStepLimit,
  schedulerNames,
  type LRScheduler,
  type SchedulerSpec,
  type SchedulerTarget,
  type SequentialLRSpec,
  type StepLRSpec,
} from "../src/schedulers/index.js";

interface FakeTarget extends SchedulerTarget {
  opts: Record<string, unknown>;
  /** Every setOption call, in order. */
  log: [string, unknown][];
}

function fakeTarget(lr: number, momentumOption: "momentum" | "betas" | undefined = undefined): FakeTarget {
  const opts: Record<string, unknown> = {};
  if (momentumOption === "momentum") opts.momentum = 0.9;
  if (momentumOption === "betas") opts.betas = [0.9, 0.999];
  const log: [string, unknown][] = [];
  return {
    lr,
    momentumOption,
    opts,
    log,
    getOption: (name) => structuredClone(opts[name]),
    setOption: (name, value) => {
      opts[name] = structuredClone(value);
      log.push([name, structuredClone(value)]);
    },
  };
}

/** lr after construction (t = 0) and after each of `n` steps (t = 1..n); checks target.lr === lastLr. */
function run(s: LRScheduler, target: SchedulerTarget, n: number, metrics?: readonly number[]): number[] {
  const out = [s.lastLr];
  expect(target.lr).toBe(s.lastLr);
  for (let t = 1; t <= n; t++) {
    s.step(metrics?.[t - 1]);
    expect(s.lastEpoch).toBe(t);
    expect(target.lr).toBe(s.lastLr);
    out.push(s.lastLr);
  }
  return out;
}

/** |a − b| ≤ tol · scale for every element. */
function expectClose(actual: readonly number[], expected: readonly number[], scale: number, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * scale)) {
      throw new Error(`at t = ${i}: got ${actual[i]}, expected ${expected[i]} (error ${err}, allowed ${tol * scale})`);
    }
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("schedulerNames", () => {
  it("lists the thirteen schedulers", () => {
    expect([...schedulerNames]).toEqual([
      "stepLR",
      "multiStepLR",
      "exponentialLR",
      "cosineAnnealingLR",
      "linearLR",
      "oneCycleLR",
      "reduceLROnPlateau",
      "sequentialLR",
      "constantLR",
      "polynomialLR",
      "cosineAnnealingWarmRestarts",
      "cyclicLR",
      "chainedScheduler",
    ]);
  });
});

describe("stepLR", () => {
  it("halves every 50 epochs from 0.1 over 200 epochs", () => {
    const target = fakeTarget(0.1);
    const s = createScheduler(target, { name: "stepLR", stepSize: 50, gamma: 0.5 });
    expect(s.lastEpoch).toBe(0);
    const lrs = run(s, target, 199);
    const expected = range(200).map((t) => (t < 50 ? 0.1 : t < 100 ? 0.05 : t < 150 ? 0.025 : 0.0125));
    expectClose(lrs, expected, 0.1);
    expect(lrs.slice(0, 50).every((x) => x === 0.1)).toBe(true);
  });

  it("defaults gamma to 0.1", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, { name: "stepLR", stepSize: 2 });
    expectClose(run(s, target, 5), [1, 1, 0.1, 0.1, 0.01, 0.01], 1);
  });
});

describe("multiStepLR", () => {
  it("halves at 50, 125 and 160", () => {
    const target = fakeTarget(0.1);
    const s = createScheduler(target, { name: "multiStepLR", milestones: [50, 125, 160], gamma: 0.5 });
    const lrs = run(s, target, 199);
    const expected = range(200).map((t) => (t < 50 ? 0.1 : t < 125 ? 0.05 : t < 160 ? 0.025 : 0.0125));
    expectClose(lrs, expected, 0.1);
  });

  it("applies a repeated milestone once per repetition, in any order", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, { name: "multiStepLR", milestones: [5, 3, 3], gamma: 0.1 });
    expectClose(run(s, target, 6), [1, 1, 1, 0.01, 0.01, 0.001, 0.001], 1);
  });
});

describe("exponentialLR", () => {
  it("gives 0.1·0.95^t", () => {
    const target = fakeTarget(0.1);
    const s = createScheduler(target, { name: "exponentialLR", gamma: 0.95 });
    expectClose(
      run(s, target, 100),
      range(101).map((t) => 0.1 * 0.95 ** t),
      0.1,
    );
  });
});

describe("cosineAnnealingLR", () => {
  it("follows etaMin + (base − etaMin)(1 + cos(πt/tMax))/2, also past tMax", () => {
    const target = fakeTarget(0.1);
    const s = createScheduler(target, { name: "cosineAnnealingLR", tMax: 10, etaMin: 0.001 });
    const lrs = run(s, target, 45);
    expectClose(
      lrs,
      range(46).map((t) => 0.001 + (0.099 * (1 + Math.cos((Math.PI * t) / 10))) / 2),
      0.1,
    );
    expect(lrs[10]).toBeCloseTo(0.001, 15);
    expect(lrs[20]).toBeCloseTo(0.1, 14);
  });

  it("defaults etaMin to 0 and handles tMax = 1", () => {
    const target = fakeTarget(2);
    const s = createScheduler(target, { name: "cosineAnnealingLR", tMax: 1 });
    expectClose(run(s, target, 4), [2, 0, 2, 0, 2], 2);
  });
});

describe("linearLR", () => {
  it("warms up linearly from startFactor to endFactor", () => {
    const target = fakeTarget(0.1);
    const s = createScheduler(target, { name: "linearLR", startFactor: 0.25, totalIters: 4 });
    expect(target.lr).toBeCloseTo(0.025, 16); // the initial step multiplies by startFactor
    expectClose(run(s, target, 7), [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1, 0.1], 0.1);
  });

  it("uses the torch defaults 1/3, 1, 5", () => {
    const target = fakeTarget(3);
    const s = createScheduler(target, { name: "linearLR" });
    expectClose(run(s, target, 6), [1, 1.4, 1.8, 2.2, 2.6, 3, 3], 3);
  });

  it("can decay to endFactor 0", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, { name: "linearLR", startFactor: 1, endFactor: 0, totalIters: 4 });
    expectClose(run(s, target, 5), [1, 0.75, 0.5, 0.25, 0, 0], 1);
  });
});

describe("oneCycleLR", () => {
  it("goes maxLr/divFactor → maxLr at pctStart·T − 1 → maxLr/(divFactor·finalDivFactor), cycling momentum", () => {
    const target = fakeTarget(0.123, "momentum");
    const s = createScheduler(target, { name: "oneCycleLR", maxLr: 1, totalSteps: 100 });
    expect(target.lr).toBeCloseTo(0.04, 16);
    expect(target.opts.momentum).toBe(0.95);
    const moms: unknown[] = [target.opts.momentum];
    const lrs = [s.lastLr];
    for (let t = 1; t <= 99; t++) {
      s.step();
      lrs.push(s.lastLr);
      moms.push(target.opts.momentum);
    }
    expect(lrs[0]).toBeCloseTo(0.04, 16);
    expect(lrs[29]).toBeCloseTo(1, 15);
    expect(Math.max(...lrs)).toBe(lrs[29]);
    expect(lrs[99]).toBeCloseTo(0.04 / 1e4, 18);
    expect(moms[0]).toBeCloseTo(0.95, 15);
    expect(moms[29]).toBeCloseTo(0.85, 15);
    expect(moms[99]).toBeCloseTo(0.95, 15);
    // the warm-up is a half cosine from 0.04 to 1 over steps 0..29
    const pct = 14 / 29;
    expect(lrs[14]).toBeCloseTo(1 + ((0.04 - 1) / 2) * (Math.cos(Math.PI * pct) + 1), 14);
    // momentum is written through setOption at construction (maxMomentum) and at each step
    expect(target.log.length).toBe(1 + 1 + 99);
    expect(target.log.every(([k]) => k === "momentum")).toBe(true);
    // like torch, step T is allowed; step T + 1 throws and changes nothing
    s.step();
    expect(s.lastEpoch).toBe(100);
    const e = catchError(() => s.step());
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^totalSteps: tried to step 101 times/);
    expect(s.lastEpoch).toBe(100);
    expect(() => s.lrAt(101)).toThrow(RangeError);
  });

  it("cycles betas[0] and keeps betas[1] for Adam-like targets", () => {
    const target = fakeTarget(0.001, "betas");
    target.opts.betas = [0.9, 0.98];
    const s = createScheduler(target, { name: "oneCycleLR", maxLr: 0.01, epochs: 2, stepsPerEpoch: 10, baseMomentum: 0.8, maxMomentum: 0.9 });
    expect(target.opts.betas).toEqual([0.9, 0.98]);
    for (let t = 1; t <= 5; t++) s.step();
    expect(target.opts.betas).toEqual([0.8, 0.98]); // the peak is at pctStart·20 − 1 = 5
    expect(s.lastLr).toBeCloseTo(0.01, 17);
  });

  it("three-phase and linear annealing", () => {
    const target = fakeTarget(1, "momentum");
    const s = createScheduler(target, {
      name: "oneCycleLR",
      maxLr: 1,
      totalSteps: 100,
      threePhase: true,
      annealStrategy: "linear",
      divFactor: 10,
      finalDivFactor: 100,
    });
    const lrs = run(s, target, 99);
    expect(lrs[0]).toBeCloseTo(0.1, 15);
    expect(lrs[29]).toBeCloseTo(1, 15);
    expect(lrs[58]).toBeCloseTo(0.1, 15);
    expect(lrs[99]).toBeCloseTo(0.001, 15);
    expect(lrs[10]).toBeCloseTo(0.1 + (0.9 * 10) / 29, 14);
    expect(lrs[40]).toBeCloseTo(1 - (0.9 * (40 - 29)) / 29, 14);
    expect(target.opts.momentum).toBeCloseTo(0.95, 15);
  });

  it("refuses cycleMomentum for a target without momentum, like torch", () => {
    const target = fakeTarget(0.1, undefined);
    const e = catchError(() => createScheduler(target, { name: "oneCycleLR", maxLr: 1, totalSteps: 10 }));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^cycleMomentum: must be false/);
    expect(target.lr).toBe(0.1);
    const s = createScheduler(target, { name: "oneCycleLR", maxLr: 1, totalSteps: 10, cycleMomentum: false });
    run(s, target, 10);
    expect(target.log).toEqual([]);
  });

  it("refuses a zero-length warm-up (torch divides by zero)", () => {
    const e = catchError(() => createScheduler(fakeTarget(1, "momentum"), { name: "oneCycleLR", maxLr: 1, totalSteps: 10, pctStart: 0.1 }));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error & { field: string }).field).toBe("pctStart");
  });
});

describe("reduceLROnPlateau", () => {
  it("reduces after patience + 1 bad epochs, honours cooldown and minLr", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, { name: "reduceLROnPlateau", patience: 2, factor: 0.5, cooldown: 2, minLr: 0.2 });
    expect(s.lastEpoch).toBe(0);
    expect(target.lr).toBe(1);
    const metrics = range(20).map(() => 1);
    const lrs = run(s, target, 20, metrics);
    // epoch 1 improves on +inf; epochs 2, 3, 4 are bad → reduce at 4 (3 > patience 2);
    // cooldown swallows 5 and 6; 7, 8, 9 bad → reduce at 9; then 14 (to minLr); 19 would go below minLr.
    const expected = range(21).map((t) => (t < 4 ? 1 : t < 9 ? 0.5 : t < 14 ? 0.25 : 0.2));
    expect(lrs).toEqual(expected);
    expect(s.lrAt(20, metrics)).toBe(0.2);
    for (let t = 0; t <= 20; t++) expect(s.lrAt(t, metrics)).toBe(lrs[t]);
  });

  it("counts improvements by the threshold (min/rel default, max/abs)", () => {
    // min, rel 1e-4: 1 → 0.99995 is not an improvement of more than 0.01 %
    let target = fakeTarget(1);
    let s = createScheduler(target, { name: "reduceLROnPlateau", patience: 0 });
    s.step(1);
    expect(target.lr).toBe(1);
    s.step(0.99995);
    expect(target.lr).toBeCloseTo(0.1, 16);
    s.step(0.5);
    expect(target.lr).toBeCloseTo(0.1, 16);
    // max, abs 0.5: improvements must exceed best + 0.5
    target = fakeTarget(1);
    s = createScheduler(target, { name: "reduceLROnPlateau", mode: "max", thresholdMode: "abs", threshold: 0.5, patience: 1, factor: 0.1 });
    const lrs = run(s, target, 5, [1, 1.4, 2, 2.4, 2.45]);
    expect(lrs).toEqual([1, 1, 1, 1, 1, 0.1]); // 1.4 and 2.4, 2.45 are within 0.5 of the best
  });

  it("ignores reductions not larger than eps and treats NaN as no improvement", () => {
    const target = fakeTarget(1e-8);
    const s = createScheduler(target, { name: "reduceLROnPlateau", patience: 0 });
    s.step(NaN);
    expect(target.lr).toBe(1e-8); // 1e-8 − 1e-9 is not > eps = 1e-8
  });

  it("requires the metric", () => {
    const s = createScheduler(fakeTarget(1), { name: "reduceLROnPlateau" });
    const e = catchError(() => s.step());
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^metric: /);
    expect(s.lastEpoch).toBe(0);
    expect(() => s.lrAt(3, [1, 2])).toThrow(/^metrics: must hold at least t = 3/);
  });
});

describe("sequentialLR", () => {
  it("switches at a milestone to the next scheduler's closed form at 0", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, {
      name: "sequentialLR",
      schedulers: [
        { name: "linearLR", startFactor: 0.1, totalIters: 5 },
        { name: "exponentialLR", gamma: 0.9 },
      ],
      milestones: [3],
    });
    expect(target.lr).toBeCloseTo(0.1, 16);
    const lrs = run(s, target, 6);
    expectClose(lrs, [0.1, 0.28, 0.46, 1, 0.9, 0.81, 0.729], 1);
    for (let t = 0; t <= 6; t++) expect(Math.abs(s.lrAt(t) - lrs[t])).toBeLessThan(1e-15);
  });

  it("resets to the initial lr and keeps only the first scheduler's initial step", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, {
      name: "sequentialLR",
      schedulers: [
        { name: "exponentialLR", gamma: 0.5 },
        { name: "linearLR", startFactor: 0.5, totalIters: 2 },
        { name: "stepLR", stepSize: 1, gamma: 0.1 },
      ],
      milestones: [2, 5],
    });
    expect(target.lr).toBe(1); // not 0.5 from linearLR's construction
    const lrs = run(s, target, 7);
    expectClose(lrs, [1, 0.5, 0.5, 0.75, 1, 1, 0.1, 0.01], 1);
  });

  it("replicates torch's shared initial_lr when a later child is oneCycleLR", () => {
    const target = fakeTarget(0.1, "momentum");
    const s = createScheduler(target, {
      name: "sequentialLR",
      schedulers: [
        { name: "stepLR", stepSize: 2, gamma: 0.5 },
        { name: "oneCycleLR", maxLr: 1, totalSteps: 10 },
      ],
      milestones: [4],
    });
    // oneCycleLR set initial_lr = 1/25, and SequentialLR resets the lr to it
    expect(target.lr).toBeCloseTo(0.04, 16);
    const lrs = run(s, target, 8);
    expectClose(lrs.slice(0, 5), [0.04, 0.04, 0.02, 0.02, 0.04], 1);
    for (let t = 0; t <= 8; t++) expect(Math.abs(s.lrAt(t) - lrs[t])).toBeLessThan(1e-15);
  });
});

/** Specs with enough steps to exercise every branch; oneCycle ones need a momentum target. */
const CASES: { spec: SchedulerSpec; steps: number; lr?: number; metrics?: number[] }[] = [
  { spec: { name: "stepLR", stepSize: 7, gamma: 0.7 }, steps: 60 },
  { spec: { name: "multiStepLR", milestones: [0, 4, 4, 9, 30], gamma: 0.3 }, steps: 40 },
  { spec: { name: "exponentialLR", gamma: 1.01 }, steps: 80 },
  { spec: { name: "cosineAnnealingLR", tMax: 7, etaMin: 0.003 }, steps: 100 },
  { spec: { name: "cosineAnnealingLR", tMax: 13, etaMin: 0.5 }, steps: 60 },
  { spec: { name: "linearLR", startFactor: 0.01, endFactor: 0.6, totalIters: 17 }, steps: 30 },
  { spec: { name: "oneCycleLR", maxLr: 0.3, totalSteps: 57 }, steps: 57 },
  { spec: { name: "oneCycleLR", maxLr: 2, totalSteps: 40, threePhase: true, pctStart: 0.35, annealStrategy: "linear" }, steps: 40 },
  { spec: { name: "oneCycleLR", maxLr: 2, totalSteps: 40, pctStart: 0 }, steps: 40 },
  {
    spec: { name: "reduceLROnPlateau", mode: "max", patience: 1, cooldown: 1, factor: 0.7, minLr: 0.01 },
    steps: 40,
    metrics: range(40).map((i) => Math.sin(i / 3) + i / 40),
  },
  {
    spec: {
      name: "sequentialLR",
      schedulers: [
        { name: "linearLR", startFactor: 0.2, totalIters: 6 },
        { name: "cosineAnnealingLR", tMax: 9, etaMin: 0.01 },
        { name: "multiStepLR", milestones: [2, 5], gamma: 0.5 },
      ],
      milestones: [6, 30],
    },
    steps: 45,
  },
  {
    spec: {
      name: "sequentialLR",
      schedulers: [
        { name: "cosineAnnealingLR", tMax: 5 },
        { name: "oneCycleLR", maxLr: 3, totalSteps: 20, threePhase: true },
        { name: "oneCycleLR", maxLr: 1, totalSteps: 20, cycleMomentum: false },
      ],
      milestones: [12, 25],
    },
    steps: 44,
  },
];

describe("step() agrees with lrAt(t)", () => {
  for (const c of CASES) {
    it(`${c.spec.name} ${JSON.stringify(c.spec).slice(0, 90)}`, () => {
      const lr = c.lr ?? 0.1;
      const target = fakeTarget(lr, "momentum");
      const s = createScheduler(target, c.spec);
      const lrs = run(s, target, c.steps, c.metrics);
      const closed = range(c.steps + 1).map((t) => s.lrAt(t, c.metrics));
      const scale = Math.max(lr, ...lrs.map(Math.abs));
      expectClose(lrs, closed, scale, 1e-12);
    });
  }
});

describe("stateDict", () => {
  for (const c of CASES) {
    it(`round-trips ${c.spec.name} through JSON and continues identically`, () => {
      const a = fakeTarget(0.1, "betas");
      const s1 = createScheduler(a, c.spec);
      const k = Math.floor(c.steps / 2);
      run(s1, a, k, c.metrics);
      const saved = JSON.parse(JSON.stringify(s1.stateDict())) as Record<string, unknown>;
      expect(saved).toEqual(s1.stateDict());

      const b = fakeTarget(0.1, "betas");
      const s2 = createScheduler(b, c.spec);
      // loadStateDict restores the momentum of an active momentum-cycling oneCycleLR
      if (c.spec.name === "oneCycleLR") b.opts.betas = [0.5, 0.999];
      s2.loadStateDict(saved);
      expect(s2.lastEpoch).toBe(s1.lastEpoch);
      expect(s2.lastLr).toBe(s1.lastLr);
      expect(b.lr).toBe(a.lr);
      if (c.spec.name === "oneCycleLR") expect(b.opts.betas).toEqual(a.opts.betas);
      const rest = c.metrics?.slice(k);
      for (let t = k + 1; t <= c.steps; t++) {
        s1.step(rest?.[t - k - 1]);
        s2.step(rest?.[t - k - 1]);
        expect(s2.lastLr).toBe(s1.lastLr);
        expect(b.lr).toBe(a.lr);
        expect(b.opts.betas).toEqual(a.opts.betas);
        expect(s2.lrAt(t, c.metrics)).toBe(s1.lrAt(t, c.metrics));
      }
      expect(s2.stateDict()).toEqual(s1.stateDict());
    });
  }

  it("encodes reduceLROnPlateau's infinite best for JSON", () => {
    const s = createScheduler(fakeTarget(1), { name: "reduceLROnPlateau" });
    expect(s.stateDict().best).toBe("Infinity");
    s.step(-Infinity);
    expect(s.stateDict().best).toBe("-Infinity");
  });

  it("refuses a state of another scheduler or other options, changing nothing", () => {
    const target = fakeTarget(1);
    const s = createScheduler(target, { name: "stepLR", stepSize: 2 });
    s.step();
    const other = createScheduler(fakeTarget(1), { name: "exponentialLR", gamma: 0.5 }).stateDict();
    let e = catchError(() => s.loadStateDict(other));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^name: is the state of "exponentialLR", not of stepLR/);
    const diff = createScheduler(fakeTarget(1), { name: "stepLR", stepSize: 3 }).stateDict();
    e = catchError(() => s.loadStateDict(diff));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^options: /);
    e = catchError(() => s.loadStateDict({ ...s.stateDict(), lastEpoch: 1.5 }));
    expect(e.message).toMatch(/^lastEpoch: must be an integer/);
    expect(s.lastEpoch).toBe(1);
    expect(target.lr).toBe(1);
  });

  it("prefixes errors inside sequentialLR states", () => {
    const spec: SchedulerSpec = {
      name: "sequentialLR",
      schedulers: [
        { name: "stepLR", stepSize: 2 },
        { name: "exponentialLR", gamma: 0.5 },
      ],
      milestones: [3],
    };
    const s = createScheduler(fakeTarget(1), spec);
    const st = s.stateDict();
    const bad = structuredClone(st);
    (bad.schedulers as Record<string, unknown>[])[1].lastLr = "oops";
    const e = catchError(() => s.loadStateDict(bad));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^schedulers\[1\]\.lastLr: /);
  });
});

describe("validation", () => {
  const target = () => fakeTarget(0.1, "momentum");
  const err = (spec: unknown) => catchError(() => createScheduler(target(), spec as SchedulerSpec));

  it("unknown scheduler name → TypeError on name listing the allowed names", () => {
    const e = err({ name: "cosine" });
    expect(e).toBeInstanceOf(TypeError);
    expect(isFieldError(e) && e.field).toBe("name");
    expect(e.message).toBe(`name: unknown scheduler "cosine"; allowed: ${schedulerNames.join(", ")}`);
    expect(err({}).message).toMatch(/^name: unknown scheduler undefined; allowed: stepLR, /);
  });

  it("unknown option → TypeError naming it and the allowed ones", () => {
    const e = err({ name: "stepLR", stepSize: 3, gama: 0.5 });
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("gama: unknown option of stepLR; allowed: name, stepSize, gamma");
    expect(err({ name: "exponentialLR", gamma: 0.5, step_size: 1 }).message).toMatch(/^step_size: unknown option of exponentialLR/);
  });

  it("missing required options", () => {
    expect(err({ name: "stepLR" }).message).toBe("stepSize: is required by stepLR; must be an integer in [1, Infinity)");
    expect(err({ name: "exponentialLR" }).message).toBe("gamma: is required by exponentialLR; must be a number in (0, Infinity)");
    expect(err({ name: "cosineAnnealingLR" }).message).toMatch(/^tMax: is required by cosineAnnealingLR/);
    expect(err({ name: "multiStepLR" }).message).toMatch(/^milestones: is required by multiStepLR/);
    expect(err({ name: "oneCycleLR", totalSteps: 10 }).message).toMatch(/^maxLr: is required by oneCycleLR/);
    expect(err({ name: "oneCycleLR", maxLr: 1 }).message).toMatch(/^totalSteps: is required by oneCycleLR: give totalSteps/);
    expect(err({ name: "oneCycleLR", maxLr: 1, epochs: 3 }).message).toMatch(/^stepsPerEpoch: is required/);
    expect(err({ name: "sequentialLR", milestones: [] }).message).toMatch(/^schedulers: is required/);
    for (const e of [err({ name: "stepLR" }), err({ name: "oneCycleLR", maxLr: 1 })]) expect(e).toBeInstanceOf(TypeError);
  });

  it("bad values → RangeError/TypeError naming the option and allowed values", () => {
    let e = err({ name: "exponentialLR", gamma: -1 });
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("gamma: must be a number in (0, Infinity); got -1");
    e = err({ name: "stepLR", stepSize: 2.5 });
    expect(e.message).toBe("stepSize: must be an integer in [1, Infinity); got 2.5");
    e = err({ name: "stepLR", stepSize: "3" });
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('stepSize: must be a number; got "3"');
    expect(err({ name: "linearLR", startFactor: 0 }).message).toBe("startFactor: must be a number in (0, 1]; got 0");
    expect(err({ name: "linearLR", endFactor: 1.5 }).message).toBe("endFactor: must be a number in [0, 1]; got 1.5");
    expect(err({ name: "multiStepLR", milestones: [3, -1] }).message).toBe("milestones[1]: must be an integer in [0, Infinity); got -1");
    e = err({ name: "oneCycleLR", maxLr: 1, totalSteps: 10, annealStrategy: "cosine" });
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('annealStrategy: must be one of "cos", "linear"; got "cosine"');
    expect(err({ name: "oneCycleLR", maxLr: 1, totalSteps: 10, pctStart: 1.2 }).message).toBe("pctStart: must be a number in [0, 1]; got 1.2");
    expect(err({ name: "oneCycleLR", maxLr: 1, totalSteps: 10, threePhase: 1 }).message).toBe("threePhase: must be true or false; got 1");
    expect(err({ name: "reduceLROnPlateau", factor: 1 }).message).toBe("factor: must be a number in [0, 1); got 1");
    expect(err({ name: "reduceLROnPlateau", mode: "minimum" }).message).toBe('mode: must be one of "min", "max"; got "minimum"');
    expect(err({ name: "reduceLROnPlateau", patience: -1 }).message).toBe("patience: must be an integer in [0, Infinity); got -1");
    expect(err({ name: "reduceLROnPlateau", thresholdMode: "pct" }).message).toMatch(/^thresholdMode: must be one of "rel", "abs"/);
  });

  it("prefixes nested sequentialLR errors with their path", () => {
    const base = { name: "sequentialLR", milestones: [5] };
    let e = err({
      ...base,
      schedulers: [
        { name: "stepLR", stepSize: 2 },
        { name: "exponentialLR", gamma: -1 },
      ],
    });
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("schedulers[1].gamma: must be a number in (0, Infinity); got -1");
    e = err({
      ...base,
      schedulers: [
        { name: "stepLR", stepSize: 2, foo: 1 },
        { name: "exponentialLR", gamma: 0.5 },
      ],
    });
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^schedulers\[0\]\.foo: unknown option of stepLR/);
    e = err({ ...base, schedulers: [{ name: "stepLR", stepSize: 2 }, { name: "nope" }] });
    expect(e.message).toMatch(/^schedulers\[1\]\.name: unknown scheduler "nope"; allowed: /);
    e = err({ ...base, schedulers: [{ name: "reduceLROnPlateau" }, { name: "exponentialLR", gamma: 0.5 }] });
    expect(e.message).toMatch(/^schedulers\[0\]\.name: reduceLROnPlateau cannot be a child of sequentialLR/);
    e = err({
      ...base,
      schedulers: [
        { name: "stepLR", stepSize: 2 },
        { name: "sequentialLR", schedulers: [], milestones: [] },
      ],
    });
    expect(e.message).toMatch(/^schedulers\[1\]\.name: sequentialLR cannot be nested/);
    e = catchError(() =>
      createScheduler(fakeTarget(1), {
        ...base,
        schedulers: [
          { name: "stepLR", stepSize: 2 },
          { name: "oneCycleLR", maxLr: 1, totalSteps: 5 },
        ],
      } as SchedulerSpec),
    );
    expect(e.message).toMatch(/^schedulers\[1\]\.cycleMomentum: must be false/);
  });

  it("checks sequentialLR milestones", () => {
    const two = [{ name: "stepLR", stepSize: 2 }, { name: "exponentialLR", gamma: 0.5 }, { name: "linearLR" }];
    expect(err({ name: "sequentialLR", schedulers: two, milestones: [3] }).message).toBe("milestones: must hold one fewer entry than schedulers (2); got 1");
    expect(err({ name: "sequentialLR", schedulers: two, milestones: [3, 3] }).message).toMatch(/^milestones\[1\]: must be greater than milestones\[0\] = 3/);
    expect(err({ name: "sequentialLR", schedulers: two, milestones: [0, 3] }).message).toBe("milestones[0]: must be an integer in [1, Infinity); got 0");
    expect(err({ name: "sequentialLR", schedulers: [], milestones: [] }).message).toMatch(/^schedulers: must hold at least one/);
  });

  it("writes nothing to the target when validation fails", () => {
    const t = target();
    expect(() =>
      createScheduler(t, {
        name: "sequentialLR",
        schedulers: [{ name: "linearLR" }, { name: "oneCycleLR", maxLr: 1, totalSteps: 10, pctStart: 7 }],
        milestones: [2],
      }),
    ).toThrow(/^schedulers\[1\]\.pctStart: /);
    expect(t.lr).toBe(0.1);
    expect(t.log).toEqual([]);
  });

  it("checks lrAt's argument", () => {
    const s = createScheduler(target(), { name: "stepLR", stepSize: 2 });
    expect(() => s.lrAt(-1)).toThrow(/^t: must be an integer in \[0, Infinity\); got -1/);
    expect(() => s.lrAt(1.5)).toThrow(RangeError);
  });

  it("normalizeSchedulerSpec fills in defaults", () => {
    expect(normalizeSchedulerSpec({ name: "linearLR" })).toEqual({ name: "linearLR", startFactor: 1 / 3, endFactor: 1, totalIters: 5 });
    expect(normalizeSchedulerSpec({ name: "oneCycleLR", maxLr: 1, epochs: 2, stepsPerEpoch: 5 })).toMatchObject({ totalSteps: 10, pctStart: 0.3 });
  });
});

describe("typed specs", () => {
  it("are assignable to SchedulerSpec", () => {
    const spec: StepLRSpec = { name: "stepLR", stepSize: 3 };
    const seq: SequentialLRSpec = { name: "sequentialLR", schedulers: [spec], milestones: [] };
    expect(createScheduler(fakeTarget(1), seq).lrAt(3)).toBeCloseTo(0.1, 16);
  });
});

describe("schedulerStepLimit", () => {
  /** How many step() calls the scheduler really accepts (up to `cap`), by stepping it until it throws. */
  function accepted(spec: SchedulerSpec, cap: number): number {
    const s = createScheduler(fakeTarget(0.1, "momentum"), spec);
    for (let t = 0; t < cap; t++) {
      try {
        s.step(1);
      } catch {
        return t;
      }
    }
    return Infinity;
  }

  const oc = (totalSteps: number): SchedulerSpec => ({ name: "oneCycleLR", maxLr: 1, totalSteps });
  const cases: [string, SchedulerSpec][] = [
    ["oneCycleLR alone", oc(17)],
    ["oneCycleLR given as epochs × stepsPerEpoch", { name: "oneCycleLR", maxLr: 1, epochs: 3, stepsPerEpoch: 4 }],
    ["stepLR (unbounded)", { name: "stepLR", stepSize: 3 }],
    ["sequentialLR ending in oneCycleLR", { name: "sequentialLR", schedulers: [{ name: "linearLR" }, oc(9)], milestones: [5] }],
    [
      "sequentialLR starting with a oneCycleLR that ends before the milestone",
      { name: "sequentialLR", schedulers: [oc(4), { name: "stepLR", stepSize: 2 }], milestones: [8] },
    ],
    ["sequentialLR whose oneCycleLR outlasts its segment", { name: "sequentialLR", schedulers: [oc(20), { name: "stepLR", stepSize: 2 }], milestones: [8] }],
    [
      "sequentialLR with a oneCycleLR in the middle",
      { name: "sequentialLR", schedulers: [{ name: "exponentialLR", gamma: 0.9 }, oc(6), oc(50)], milestones: [3, 9] },
    ],
    [
      "sequentialLR with a oneCycleLR just fitting its segment",
      { name: "sequentialLR", schedulers: [{ name: "exponentialLR", gamma: 0.9 }, oc(6), oc(50)], milestones: [3, 10] },
    ],
  ];
  for (const [what, spec] of cases) {
    it(`matches the step at which the scheduler throws: ${what}`, () => {
      expect(schedulerStepLimit(spec)).toBe(accepted(spec, 200));
    });
  }
});
