// The Networks view's part of the lab link (web/networks/link.ts, through
// web/link.ts): any valid state survives serialize → parse → serialize
// unchanged, mangled links never throw and keep only trainings the library
// accepts, a bad field is dropped alone and named, and a race link without
// the view carries none of its fields.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activationNames, datasetNames, normalizeTrainSpec, optimizerNames, schedulerNames, type SchedulerName } from "../src/index.js";
import { parseState, serializeState } from "../web/link.js";
import { defaultState, newScheduler, type LabState } from "../web/state.js";
import { checkNets, checkProblem, defaultNets, NETS_SPEEDS, netsSpec, netsSteps, type NetsState } from "../web/networks/state.js";

const nets = fc
  .record({
    page: fc.constantFrom("race" as const, "nets" as const),
    data: fc.constantFrom(...datasetNames),
    n: fc.integer({ min: 8, max: 600 }),
    noise: fc.double({ min: 0, max: 2, noNaN: true }),
    dataSeed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    test: fc.constantFrom(0, 0.1, 0.25, 0.5),
    classes: fc.integer({ min: 2, max: 6 }),
    factor: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    hidden: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 4 }),
    activation: fc.constantFrom(...activationNames),
    batchSize: fc.integer({ min: 1, max: 256 }),
    epochs: fc.integer({ min: 1, max: 500 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    dtype: fc.constantFrom("f32" as const, "f64" as const),
    speed: fc.constantFrom(...NETS_SPEEDS),
    optimizers: fc.array(
      fc.record({
        name: fc.constantFrom(...optimizerNames),
        lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
        sched: fc.option(fc.constantFrom(...schedulerNames), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map((r): LabState => {
    const s = defaultState();
    s.page = r.page;
    const n: NetsState = {
      data: {
        name: r.data,
        n: r.n,
        noise: r.noise,
        seed: r.dataSeed,
        testFraction: r.test,
        ...(r.data === "gaussians" ? { classes: r.classes } : {}),
        ...(r.data === "circles" ? { factor: r.factor } : {}),
      },
      hidden: r.hidden,
      activation: r.activation,
      batchSize: r.batchSize,
      epochs: r.epochs,
      seed: r.seed,
      dtype: r.dtype,
      speed: r.speed,
      optimizers: [],
    };
    const steps = netsSteps(n);
    n.optimizers = r.optimizers.map((o) => ({
      name: o.name,
      options: { lr: o.lr },
      ...(o.sched ? { scheduler: newScheduler(o.sched as SchedulerName, steps, o.lr, o.name) } : {}),
    }));
    s.nets = n;
    return s;
  });

describe("lab link: the Networks view", () => {
  it("the default view trains: every optimizer's spec is accepted by the library", () => {
    const n = defaultNets();
    expect(n.optimizers).toHaveLength(6);
    expect(() => checkProblem(n)).not.toThrow();
    n.optimizers.forEach((_o, k) => expect(normalizeTrainSpec(netsSpec(n, k)).layers).toEqual([2, 16, 16, 1]));
  });

  it("round-trips: parse(serialize(s)) serializes to the same text, with no errors", () => {
    fc.assert(
      fc.property(nets, (s) => {
        const text = serializeState(s);
        const { state: back, errors } = parseState("#" + text);
        expect(errors).toEqual([]);
        expect(serializeState(back)).toBe(text);
        expect(back.page).toBe(s.page);
        expect(back.nets.optimizers.map((o) => o.scheduler?.name)).toEqual(s.nets.optimizers.map((o) => o.scheduler?.name));
        expect(back.nets).toEqual(JSON.parse(JSON.stringify(s.nets)));
      }),
      { numRuns: 120 },
    );
  });

  it("never throws on mangled links; whatever it keeps trains", () => {
    const s = defaultState();
    s.page = "nets";
    s.nets.data = { name: "gaussians", n: 300, noise: 1, seed: 3, testFraction: 0.25, classes: 3 };
    s.nets.optimizers[1].scheduler = newScheduler("oneCycleLR", netsSteps(s.nets), 0.3, "momentum");
    s.nets.optimizers[4].scheduler = newScheduler("sequentialLR", netsSteps(s.nets), 0.1, "adam");
    const good = serializeState(s);
    const mangled = fc
      .tuple(fc.nat(good.length), fc.nat(30), fc.string({ maxLength: 12 }))
      .map(([at, cut, ins]) => good.slice(0, at) + ins + good.slice(Math.min(good.length, at + cut)));
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string({ maxLength: 200 })), (text) => {
        const { state } = parseState("#" + text);
        checkProblem(state.nets);
        state.nets.optimizers.forEach((_o, k) => checkNets(state.nets, k));
        expect(["race", "nets"]).toContain(state.page);
      }),
      { numRuns: 300 },
    );
  });

  it("names the field of each refused value and keeps the rest", () => {
    const { state: s, errors } = parseState("#page=nets&nd=moons:n=abc:noise=0.2&nh=8-x&nb=16&na=swish&no=adam:lr=0.1,nope,sgd:lr=-1&ns=-,-,stepLR:stepSize=0");
    expect(errors).toEqual([
      'nd.n: must be an integer 1…1000000; got "abc"',
      'nh[1]: must be an integer 1…1000000; got "x"',
      'na: must be one of tanh, relu, sigmoid, gelu; got "swish"',
      'no[1]: unknown optimizer "nope"',
      expect.stringMatching(/^no\[2\]\.lr: /),
      expect.stringMatching(/^no\[2\]: scheduler\.stepSize: /),
    ]);
    expect(s.page).toBe("nets");
    expect(s.nets.data).toEqual(defaultNets().data);
    expect(s.nets.hidden).toEqual([16, 16]);
    expect(s.nets.batchSize).toBe(16);
    expect(s.nets.optimizers.map((o) => [o.name, o.options.lr])).toEqual([
      ["adam", 0.1],
      ["sgd", undefined],
    ]);
  });

  it("takes the data and the network only when the library can build them", () => {
    const { state: s, errors } = parseState("#page=nets&nd=moons:n=10:test=0.99&ne=0&nh=1-2-3-4-5-6-7");
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^nd: testFraction: /);
    expect(errors[1]).toMatch(/^nh: /);
    expect(errors[2]).toMatch(/^ne: /);
    expect(s.nets).toEqual(defaultNets());
  });

  it("a scheduler that the training would refuse goes alone, named, and the optimizer stays", () => {
    // oneCycleLR for 10 steps, but 200 epochs of 10 batches take 2000.
    const { state: s, errors } = parseState("#page=nets&no=adam:lr=0.1,sgd:lr=1&ns=oneCycleLR:maxLr=1:totalSteps=10,-");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no\[0\]: /);
    expect(s.nets.optimizers).toEqual([
      { name: "adam", options: { lr: 0.1 } },
      { name: "sgd", options: { lr: 1 } },
    ]);
  });

  it("a race link carries no field of the view while the view holds its defaults", () => {
    const race = serializeState(defaultState());
    expect(race).not.toMatch(/(^|&)(page|nd|nh|no)=/);
    const s = defaultState();
    s.nets.batchSize = 8;
    expect(serializeState(s)).toContain("&nb=8");
    expect(serializeState(s)).not.toContain("page=");
  });
});
