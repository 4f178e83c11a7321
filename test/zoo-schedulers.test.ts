/**
 * The zoo's schedulers (constantLR, polynomialLR, cosineAnnealingWarmRestarts,
 * cyclicLR, chainedScheduler) against torch 1.13's lr_scheduler
 * (test/fixtures/zoo-schedulers.json, written by
 * `/usr/bin/python3 scripts/zoo_fixtures.py` through scripts/zoo_schedulers.py;
 * the two "torch-proxy" sequences are cyclicLR's betas[0] cycling, which
 * 1.13 refuses on Adam: its CyclicLR on an SGD proxy, the same closed form).
 * Each sequence is replayed through step() (on a bare target and on a real
 * optimizer) and through lrAt(t), lr and momentum within 1e-10 relative.
 * Then: state round trips, the composition rules and validation.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Param } from "../src/api.js";
import { createOptimizer, type OptimizerName } from "../src/optim/index.js";
import type { Optimizer } from "../src/optim/optimizer.js";
import { createScheduler, schedulerStepLimit, type LRScheduler, type SchedulerSpec, type SchedulerTarget } from "../src/schedulers/index.js";

interface Sequence {
  id: string;
  reference: "torch" | "torch-proxy";
  scheduler: SchedulerSpec;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  steps: number;
  lr: number[];
  momentumOption?: "momentum" | "betas";
  momentum?: number[];
}

const sequences = (JSON.parse(readFileSync(new URL("./fixtures/zoo-schedulers.json", import.meta.url), "utf8")) as { sequences: Sequence[] }).sequences;

const close = (a: number, e: number) => Math.abs(a - e) <= 1e-10 * Math.max(Math.abs(e), 1e-12);

interface Bare extends SchedulerTarget {
  opts: Record<string, unknown>;
}

function bare(lr: number, momentumOption: "momentum" | "betas" | undefined): Bare {
  const opts: Record<string, unknown> = { momentum: 0.9, betas: [0.9, 0.999] };
  return {
    lr,
    momentumOption,
    opts,
    getOption: (name) => structuredClone(opts[name]),
    setOption: (name, value) => {
      opts[name] = structuredClone(value);
    },
  };
}

const momentumOf = (t: SchedulerTarget) => (t.momentumOption === "betas" ? (t.getOption("betas") as number[])[0] : (t.getOption("momentum") as number));

/** The first mismatch of lr (and momentum) over t = 0..steps, stepping `s` on `t`. */
function follow(seq: Sequence, target: SchedulerTarget, s: LRScheduler, before?: () => void): string | undefined {
  for (let k = 0; k <= seq.steps; k++) {
    if (k > 0) {
      before?.();
      s.step();
    }
    if (!close(target.lr, seq.lr[k]) || !close(s.lastLr, seq.lr[k])) return `t = ${k}: lr ${target.lr} (lastLr ${s.lastLr}), torch ${seq.lr[k]}`;
    if (seq.momentum && !close(momentumOf(target), seq.momentum[k])) return `t = ${k}: momentum ${momentumOf(target)}, torch ${seq.momentum[k]}`;
  }
  return undefined;
}

describe("zoo schedulers vs torch sequences (test/fixtures/zoo-schedulers.json)", () => {
  it("cover every new scheduler, each cyclicLR mode, scale mode and momentum target, and chains", () => {
    const ids = sequences.map((s) => s.id).join("\n");
    for (const n of ["constantLR", "polynomialLR", "cosineAnnealingWarmRestarts", "cyclicLR", "chainedScheduler"]) expect(ids).toContain(n);
    for (const m of ["triangular2", "expRange", "scaleMode", "stepSizeDown", 'cycleMomentum":false']) expect(ids).toContain(m);
    expect(sequences.some((s) => s.momentumOption === "betas")).toBe(true);
  });

  for (const seq of sequences) {
    const { name, ...options } = seq.optimizer;
    const momentumOption = name === "adam" ? "betas" : "momentum";

    it(`${seq.id} [${seq.reference}]: step() on a bare target`, () => {
      const t = bare(options.lr as number, momentumOption);
      expect(follow(seq, t, createScheduler(t, seq.scheduler))).toBeUndefined();
    });

    it(`${seq.id}: lrAt(t), in order and out of order`, () => {
      const s = createScheduler(bare(options.lr as number, momentumOption), seq.scheduler);
      const ts = [...Array(seq.steps + 1).keys()];
      for (const k of [...ts, ...ts.reverse()]) expect(close(s.lrAt(k), seq.lr[k]), `lrAt(${k}) = ${s.lrAt(k)}, torch ${seq.lr[k]}`).toBe(true);
    });

    it(`${seq.id}: step() on a real ${name} optimizer`, () => {
      const p: Param = { data: new Float64Array([0.5]), grad: new Float64Array(1) };
      const opt = createOptimizer(name, [p], options);
      const s = createScheduler(opt, seq.scheduler);
      expect(
        follow(seq, opt, s, () => {
          p.grad[0] = p.data[0];
          opt.step();
        }),
      ).toBeUndefined();
    });
  }
});

describe("cyclicLR on optimizers", () => {
  it("sets sgd's momentum from construction on (momentum 0 becomes maxMomentum) and steps with it", () => {
    const p: Param = { data: new Float64Array([1]), grad: new Float64Array([1]) };
    const opt = createOptimizer("sgd", [p], { lr: 0.5 });
    createScheduler(opt, { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
    expect(opt.getOption("momentum")).toBe(0.9);
    expect(opt.lr).toBe(0.01);
  });

  it("cycles betas[0] of every optimizer with betas and keeps betas[1]", () => {
    for (const name of ["lion", "adopt", "sfadamw", "adam"] as const) {
      const opt = createOptimizer(name, [{ data: new Float64Array(1), grad: new Float64Array(1) }], { betas: [0.5, 0.95] });
      const s = createScheduler(opt, { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
      s.step();
      expect(opt.getOption("betas"), name).toEqual([0.9 - (0.9 - 0.8) * 0.5, 0.95]);
    }
  });

  it("is refused with cycleMomentum on an optimizer with neither momentum nor betas, like torch", () => {
    for (const name of ["rprop", "asgd"] as const) {
      const opt = createOptimizer(name, [{ data: new Float64Array(1), grad: new Float64Array(1) }]);
      expect(() => createScheduler(opt, { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1 })).toThrow(
        /^cycleMomentum: must be false for an optimizer with neither momentum nor betas/,
      );
      expect(() => createScheduler(opt, { name: "chainedScheduler", schedulers: [{ name: "cyclicLR", baseLr: 0.01, maxLr: 0.1 }] })).toThrow(
        /^schedulers\[0\]\.cycleMomentum: must be false/,
      );
      expect(createScheduler(opt, { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, cycleMomentum: false }).lastLr).toBe(0.01);
    }
  });
});

/**
 * Specs whose state must round-trip, including composites of the new
 * schedulers; `true`: a momentum-cycling scheduler is active at the saved
 * step, so loading restores the momentum too.
 */
const ROUND_TRIPS: [SchedulerSpec, boolean][] = [
  [{ name: "constantLR", factor: 0.5, totalIters: 7 }, false],
  [{ name: "polynomialLR", totalIters: 9, power: 2 }, false],
  [{ name: "cosineAnnealingWarmRestarts", tZero: 3, tMult: 2, etaMin: 0.001 }, false],
  [{ name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 2, mode: "expRange", gamma: 0.95 }, true],
  [
    {
      name: "chainedScheduler",
      schedulers: [
        { name: "constantLR", factor: 0.5, totalIters: 4 },
        { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 },
      ],
    },
    true,
  ],
  [
    {
      name: "chainedScheduler",
      schedulers: [
        {
          name: "sequentialLR",
          schedulers: [
            { name: "linearLR", totalIters: 4 },
            { name: "cosineAnnealingWarmRestarts", tZero: 5 },
          ],
          milestones: [4],
        },
        { name: "exponentialLR", gamma: 0.97 },
        { name: "oneCycleLR", maxLr: 1, totalSteps: 30 },
      ],
    },
    true,
  ],
  [
    {
      name: "sequentialLR",
      schedulers: [
        { name: "cyclicLR", baseLr: 0.02, maxLr: 0.2, stepSizeUp: 2, cycleMomentum: false },
        { name: "constantLR", totalIters: 0 },
      ],
      milestones: [7],
    },
    false,
  ],
];

describe("state dicts of the new schedulers", () => {
  for (const [spec, cycling] of ROUND_TRIPS) {
    it(`${JSON.stringify(spec).slice(0, 110)}: round-trips through JSON and continues identically`, () => {
      const a = bare(0.1, "betas");
      const s1 = createScheduler(a, spec);
      for (let t = 0; t < 11; t++) s1.step();
      const saved = JSON.parse(JSON.stringify(s1.stateDict())) as Record<string, unknown>;
      expect(saved).toEqual(s1.stateDict());
      const b = bare(0.1, "betas");
      const s2 = createScheduler(b, spec);
      if (cycling) b.opts.betas = [0.5, 0.999];
      s2.loadStateDict(saved);
      expect(b.lr).toBe(a.lr);
      expect(b.opts.betas).toEqual(a.opts.betas);
      for (let t = 12; t <= 25; t++) {
        s1.step();
        s2.step();
        expect(b.lr).toBe(a.lr);
        expect(b.opts.betas).toEqual(a.opts.betas);
        expect(s2.lrAt(t)).toBe(s1.lrAt(t));
        expect(s1.lrAt(t)).toBeCloseTo(a.lr, 14);
      }
      expect(s2.stateDict()).toEqual(s1.stateDict());
    });
  }

  it("a state of another chain is refused with the child's path, changing nothing", () => {
    const spec = ROUND_TRIPS[4][0];
    const t = bare(0.1, "betas");
    const s = createScheduler(t, spec);
    s.step();
    const st = s.stateDict() as { schedulers: Record<string, unknown>[] };
    const broken = structuredClone(st);
    broken.schedulers[1].zeroBase = "x";
    expect(() => s.loadStateDict(broken)).toThrow(/^schedulers\[1\]\.zeroBase: /);
    expect(() => s.loadStateDict({ ...st, schedulers: [st.schedulers[0]] })).toThrow(/^schedulers: holds 1 states; this scheduler has 2 children/);
    expect(s.stateDict()).toEqual(st);
  });
});

describe("composition", () => {
  it("constantLR with totalIters 0 stays at base·factor alone, and is base from its milestone inside sequentialLR (torch's step(0))", () => {
    const alone = createScheduler(bare(0.1, undefined), { name: "constantLR", factor: 0.1, totalIters: 0 });
    expect([0, 1, 5].map((t) => alone.lrAt(t))).toEqual([0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1]);
    const t = bare(0.1, undefined);
    const seq = createScheduler(t, {
      name: "sequentialLR",
      schedulers: [
        { name: "exponentialLR", gamma: 0.5 },
        { name: "constantLR", factor: 0.1, totalIters: 0 },
      ],
      milestones: [2],
    });
    const lrs = [t.lr];
    for (let k = 0; k < 4; k++) {
      seq.step();
      lrs.push(t.lr);
    }
    expect(lrs).toEqual([0.1, 0.05, 0.1 * (0.1 + (1 - 0.1)), 0.1 * (0.1 + (1 - 0.1)), 0.1 * (0.1 + (1 - 0.1))]);
    expect([0, 1, 2, 3, 4].map((k) => seq.lrAt(k))).toEqual(lrs);
  });

  it("a cyclicLR first in sequentialLR starts at baseLr (its initial step runs again after construction); later ones start at their milestone", () => {
    const t = bare(0.3, "momentum");
    const seq = createScheduler(t, {
      name: "sequentialLR",
      schedulers: [
        { name: "cyclicLR", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 },
        { name: "cyclicLR", baseLr: 0.02, maxLr: 0.2, stepSizeUp: 2 },
      ],
      milestones: [3],
    });
    const lrs = [t.lr];
    for (let k = 0; k < 5; k++) {
      seq.step();
      lrs.push(t.lr);
    }
    const want = [0.01, 0.055, 0.1, 0.02, 0.11, 0.2];
    lrs.forEach((v, k) => expect(v).toBeCloseTo(want[k], 15));
    lrs.forEach((v, k) => expect(seq.lrAt(k)).toBe(v));
  });

  it("schedulerStepLimit holds for a oneCycleLR anywhere in a chain", () => {
    const oc = (n: number): SchedulerSpec => ({ name: "oneCycleLR", maxLr: 1, totalSteps: n });
    const specs: SchedulerSpec[] = [
      { name: "chainedScheduler", schedulers: [{ name: "exponentialLR", gamma: 0.9 }, oc(13)] },
      { name: "chainedScheduler", schedulers: [oc(20), { name: "chainedScheduler", schedulers: [oc(9)] }] },
      { name: "chainedScheduler", schedulers: [{ name: "sequentialLR", schedulers: [{ name: "constantLR" }, oc(7)], milestones: [4] }] },
      { name: "chainedScheduler", schedulers: [{ name: "polynomialLR" }, { name: "cyclicLR", baseLr: 0.1, maxLr: 1, stepSizeUp: 3 }] },
    ];
    const accepted = (spec: SchedulerSpec) => {
      const s = createScheduler(bare(0.1, "momentum"), spec);
      for (let k = 0; k < 100; k++) {
        try {
          s.step();
        } catch {
          return k;
        }
      }
      return Infinity;
    };
    expect(specs.map(schedulerStepLimit)).toEqual([13, 9, 11, Infinity]);
    expect(specs.map(accepted)).toEqual([13, 9, 11, Infinity]);
  });

  it("chains with a real optimizer: every lr the optimizer used is what the chain set", () => {
    const p: Param = { data: new Float64Array([1]), grad: new Float64Array(1) };
    const opt: Optimizer = createOptimizer("sfsgd", [p], { lr: 0.1 });
    const spec: SchedulerSpec = {
      name: "chainedScheduler",
      schedulers: [
        { name: "constantLR", factor: 0.5, totalIters: 3 },
        { name: "exponentialLR", gamma: 0.9 },
      ],
    };
    const s = createScheduler(opt, spec);
    const want = [0.05, 0.045, 0.0405, 0.0729];
    for (const w of want) {
      expect(opt.lr).toBeCloseTo(w, 15);
      opt.step();
      s.step();
    }
  });
});

describe("validation of the new schedulers", () => {
  const target = () => bare(0.1, "momentum");
  const cases: [SchedulerSpec, ErrorConstructor, RegExp][] = [
    [{ name: "constantLR", factor: 0 }, RangeError, /^factor: must be a number in \(0, 1\]; got 0$/],
    [{ name: "constantLR", totalIters: -1 }, RangeError, /^totalIters: must be an integer in \[0, Infinity\)/],
    [{ name: "polynomialLR", totalIters: 0 }, RangeError, /^totalIters: must be an integer in \[1, Infinity\)/],
    [{ name: "polynomialLR", power: -1 }, RangeError, /^power: must be a number in \[0, Infinity\)/],
    [
      { name: "cosineAnnealingWarmRestarts" } as SchedulerSpec,
      TypeError,
      /^tZero: is required by cosineAnnealingWarmRestarts; must be an integer in \[1, Infinity\)/,
    ],
    [{ name: "cosineAnnealingWarmRestarts", tZero: 10, tMult: 1.5 }, RangeError, /^tMult: must be an integer in \[1, Infinity\)/],
    [{ name: "cyclicLR", maxLr: 0.1 } as SchedulerSpec, TypeError, /^baseLr: is required by cyclicLR/],
    [
      { name: "cyclicLR", baseLr: 0.1, maxLr: 1, mode: "exp_range" },
      RangeError,
      /^mode: must be one of "triangular", "triangular2", "expRange"; got "exp_range"/,
    ],
    [{ name: "cyclicLR", baseLr: 0.1, maxLr: 1, scaleMode: "steps" }, RangeError, /^scaleMode: must be one of "cycle", "iterations", or null/],
    [{ name: "cyclicLR", baseLr: 0.1, maxLr: 1, gamma: 1.5 }, RangeError, /^gamma: must be a number in \(0, 1\]/],
    [{ name: "cyclicLR", baseLr: 0.1, maxLr: 1, stepSizeDown: 1.5 }, RangeError, /^stepSizeDown: must be an integer in \[0, Infinity\)/],
    [{ name: "cyclicLR", baseLr: 0.1, maxLr: 1, maxMomentum: 1 }, RangeError, /^maxMomentum: must be a number in \[0, 1\)/],
    [{ name: "chainedScheduler", schedulers: [] }, RangeError, /^schedulers: must hold at least one scheduler spec/],
    [
      { name: "chainedScheduler", schedulers: [{ name: "reduceLROnPlateau" }] },
      RangeError,
      /^schedulers\[0\]\.name: reduceLROnPlateau cannot be a child of chainedScheduler/,
    ],
    [
      {
        name: "chainedScheduler",
        schedulers: [
          { name: "stepLR", stepSize: 2 },
          { name: "polynomialLR", power: "2" },
        ],
      },
      TypeError,
      /^schedulers\[1\]\.power: must be a number/,
    ],
    [
      { name: "sequentialLR", schedulers: [{ name: "chainedScheduler", schedulers: [{ name: "stepLR", stepSize: 2 }] }], milestones: [] },
      RangeError,
      /^schedulers\[0\]\.name: chainedScheduler cannot be nested in sequentialLR/,
    ],
  ];
  for (const [spec, cls, re] of cases) {
    it(JSON.stringify(spec), () => {
      const t = target();
      let err: unknown;
      try {
        createScheduler(t, spec);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(re);
      expect(t.lr).toBe(0.1);
    });
  }
});
