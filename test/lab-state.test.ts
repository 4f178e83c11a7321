// The lab's link format (web/state.ts): any valid state survives
// serialize → parse → serialize unchanged, and no text, however mangled,
// makes the parser throw or accept a value the library would refuse.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { functionNames, normalizeSpec, optimizerNames, schedulerNames, type SchedulerName } from "../src/index.js";
import { checkRun, defaultState, followSteps, newScheduler, runSpec, SWEEP_EPS, SWEEP_SIZES, type LabState } from "../web/state.js";
import { parseState, serializeState } from "../web/link.js";

const state = fc
  .record({
    fn: fc.constantFrom(...functionNames.filter((n) => n !== "quadratic")),
    x0: fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true })),
    steps: fc.integer({ min: 1, max: 5000 }),
    tol: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    patience: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    dtype: fc.constantFrom("f32" as const, "f64" as const),
    backend: fc.constantFrom("wasm" as const, "js" as const),
    optimizers: fc.array(
      fc.record({
        name: fc.constantFrom(...optimizerNames),
        lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
        sched: fc.option(fc.constantFrom(...schedulerNames), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    view: fc.constantFrom("contour" as const, "surface" as const),
    frame: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
    sweepN: fc.constantFrom(...SWEEP_SIZES),
    metric: fc.constantFrom("loss" as const, "steps" as const),
    kind: fc.constantFrom("hyper" as const, "basins" as const),
    eps: fc.constantFrom(...SWEEP_EPS),
  })
  .map((r): LabState => {
    const s = defaultState();
    s.fn = { name: r.fn, params: {} };
    s.x0 = r.x0;
    s.steps = r.steps;
    s.tol = r.tol;
    s.patience = r.tol === undefined ? undefined : r.patience;
    s.dtype = r.dtype;
    s.backend = r.backend;
    s.optimizers = r.optimizers.map((o) => ({
      name: o.name,
      options: { lr: o.lr },
      ...(o.sched ? { scheduler: newScheduler(o.sched as SchedulerName, r.steps, o.lr, o.name) } : {}),
    }));
    s.view = r.view;
    s.frame = r.frame === undefined ? undefined : Math.min(r.frame, r.steps);
    s.sweep = { target: r.optimizers.length - 1, y: "beta1", n: r.sweepN, metric: r.metric, kind: r.kind, eps: r.eps };
    return s;
  });

describe("lab link", () => {
  it("the default state and every scheduler a user can pick are runs the library accepts", () => {
    const s = defaultState();
    for (let k = 0; k < s.optimizers.length; k++) expect(() => checkRun(s, k)).not.toThrow();
    for (const opt of optimizerNames) {
      for (const name of schedulerNames) {
        for (const steps of [1, 7, 300, 5000]) {
          s.optimizers[0] = { name: opt, options: {}, scheduler: newScheduler(name, steps, 0.01, opt) };
          s.steps = steps;
          expect(() => normalizeSpec(runSpec(s, 0)), `${opt} with ${name}, ${steps} steps`).not.toThrow();
        }
      }
    }
  });

  it("round-trips: parse(serialize(s)) serializes to the same text, with no errors", () => {
    fc.assert(
      fc.property(state, (s) => {
        const text = serializeState(s);
        const { state: back, errors } = parseState("#" + text);
        // A sweep y the optimizer lacks is replaced by one it has; compare the rest.
        expect(errors).toEqual([]);
        expect(serializeState({ ...back, sweep: { ...back.sweep, y: s.sweep.y } })).toBe(text);
        expect(back.optimizers.map((o) => o.scheduler?.name)).toEqual(s.optimizers.map((o) => o.scheduler?.name));
      }),
      { numRuns: 150 },
    );
  });

  it("never throws on mangled links; whatever it keeps is a run the library accepts", () => {
    const good = serializeState({
      ...defaultState(),
      optimizers: [
        { name: "adam", options: { lr: 0.1 }, scheduler: newScheduler("sequentialLR", 300, 0.1, "adam") },
        { name: "rmsprop", options: { lr: 0.01, centered: true }, scheduler: newScheduler("oneCycleLR", 300, 0.01, "rmsprop") },
      ],
    });
    const mangled = fc
      .tuple(fc.nat(good.length), fc.nat(40), fc.string({ maxLength: 12 }))
      .map(([at, cut, ins]) => good.slice(0, at) + ins + good.slice(Math.min(good.length, at + cut)));
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string({ maxLength: 200 })), (text) => {
        const { state: s } = parseState("#" + text);
        for (let k = 0; k < s.optimizers.length; k++) checkRun(s, k);
        expect(s.steps).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it("names the field of each refused value and keeps the rest", () => {
    const { state: s, errors } = parseState("#o=adam:lr=0.1,sgd:lr=0.5&s=oneCycleLR:maxLr=1:totalSteps=10,stepLR:stepSize=0&steps=20&t=x");
    expect(errors).toHaveLength(3);
    expect(errors).toContain('t: must be an integer 0…5000; got "x"');
    expect(errors.find((e) => e.startsWith("s[0]."))).toMatch(/^s\[0\]\.steps: is 20 but the scheduler accepts at most 10 steps/);
    expect(errors.find((e) => e.startsWith("s[1]."))).toMatch(/^s\[1\]\.scheduler\.stepSize: /);
    expect(s.optimizers.map((o) => [o.name, o.options.lr, o.scheduler])).toEqual([
      ["adam", 0.1, undefined],
      ["sgd", 0.5, undefined],
    ]);
    expect(s.steps).toBe(20);
  });

  it("a bad optimizer option drops only that option: the optimizer keeps running with its default", () => {
    const { state: s, errors } = parseState("#o=adam:lr=0.1,sgd:lr=abc");
    expect(errors).toEqual(['o[1].lr: must be a decimal number; got "abc"']);
    expect(s.optimizers).toEqual([
      { name: "adam", options: { lr: 0.1 } },
      { name: "sgd", options: {} },
    ]);
  });

  it("reports every bad field, including options the library refuses together", () => {
    // betas 1/2 parse but are out of range (the library's message names betas); nesterov needs momentum > 0.
    const { state: s, errors } = parseState("#o=adam:lr=x:betas=1/2:eps=1e-7,sgd:nesterov=true:lr=0.5,rmsprop:alpha=yes:centered=maybe");
    expect(errors).toHaveLength(5);
    expect(errors[0]).toBe('o[0].lr: must be a decimal number; got "x"');
    expect(errors[1]).toMatch(/^o\[0\]\.betas: /);
    expect(errors[2]).toMatch(/^o\[1\]\.nesterov: /);
    expect(errors[3]).toBe('o[2].alpha: must be a decimal number; got "yes"');
    expect(errors[4]).toBe('o[2].centered: must be true or false; got "maybe"');
    expect(s.optimizers).toEqual([
      { name: "adam", options: { eps: 1e-7 } },
      { name: "sgd", options: { lr: 0.5 } },
      { name: "rmsprop", options: {} },
    ]);
  });

  it("keeps each scheduler with its optimizer when an optimizer of the link is dropped", () => {
    const { state: s, errors } = parseState("#o=adam:lr=0.1,nope:lr=1,sgd:lr=0.5&s=-,stepLR:stepSize=3,cosineAnnealingLR:tMax=50&steps=50");
    expect(errors).toEqual(['o[1]: unknown optimizer "nope"']);
    expect(s.optimizers.map((o) => [o.name, o.scheduler?.name])).toEqual([
      ["adam", undefined],
      ["sgd", "cosineAnnealingLR"],
    ]);
    expect(s.optimizers[1].scheduler?.options).toEqual({ tMax: 50 });
    // A bad scheduler is dropped alone too.
    const two = parseState("#o=adam,sgd&s=stepLR:stepSize=x,stepLR:stepSize=4");
    expect(two.errors).toEqual(['s[0].stepSize: must be an integer 0…1000000000; got "x"']);
    expect(two.state.optimizers.map((o) => o.scheduler?.options)).toEqual([undefined, { stepSize: 4 }]);
  });

  it("stretches schedule lengths that spanned the race to a new number of steps, and only those", () => {
    const opts = followSteps(
      [
        { name: "adam", options: {}, scheduler: newScheduler("cosineAnnealingLR", 300, 0.1, "adam") },
        { name: "sgd", options: {}, scheduler: { name: "oneCycleLR", options: { maxLr: 1, totalSteps: 250 } } },
        { name: "rmsprop", options: {}, scheduler: newScheduler("sequentialLR", 300, 0.01, "rmsprop") },
        { name: "adagrad", options: {} },
      ],
      300,
      500,
    );
    expect(opts[0].scheduler?.options.tMax).toBe(500);
    expect(opts[1].scheduler?.options.totalSteps).toBe(250);
    // sequentialLR: warm-up to 30 unchanged, the cosine stage after it now spans 470.
    expect(opts[2].scheduler?.options.milestones).toEqual([30]);
    expect(opts[2].scheduler?.children?.map((c) => c.options)).toEqual([{ startFactor: 0.1, totalIters: 30 }, { tMax: 470 }]);
    expect(opts[3].scheduler).toBeUndefined();
  });
});
