/**
 * optimlab against real PyTorch: trajectories and LR sequences recorded by
 * scripts/torch_fixtures.py (torch 1.13 patched/emulated to 2.x semantics, see
 * that script's docstring) into test/fixtures/*.json. No torch needed here.
 *
 * Tolerances (per coordinate, e = the fixture value, a = optimlab's):
 * - f64 trajectories: |a − e| ≤ 1e-10 · max(|e|, 1e-3)
 * - f32 trajectories: |a − e| ≤ 1e-5 · max(|e|, 1)   (e = Math.fround of the stored decimal)
 *   The f32 floor is 1, not 1e-3: float32 rounding noise is absolute, set by the
 *   magnitude of the values the trajectory went through (O(1) here), so a
 *   coordinate crossing zero would otherwise fail on noise alone.
 * - learning rates / momenta: |a − e| ≤ 1e-10 · max(|e|, 1e-12)
 * - function parity (createFunction vs torch at the recorded points, f64):
 *   |a − e| ≤ 1e-12 · max(|e|, 1e-12) + 1e-15 · scale, scale = 1 + loss at x0
 * Trajectories are compared for steps 1..horizon only (see the script).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DType, FloatArray, Param, ParamTensor } from "../src/api.js";
import { createBackend } from "../bindings/index.js";
import { jsBackend, type Backend } from "../src/backend.js";
import { createFunction, type FunctionSpec } from "../src/functions/index.js";
import { createOptimizer, type OptimizerName } from "../src/optim/index.js";
import type { Optimizer } from "../src/optim/optimizer.js";
import { createScheduler, type SchedulerSpec, type SchedulerTarget } from "../src/schedulers/index.js";

interface OptimizerCase {
  id: string;
  reference: "torch" | "formula";
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  function: FunctionSpec;
  dim: number;
  split: number[];
  dtype: DType;
  x0: number[];
  steps: number;
  scheduler?: SchedulerSpec;
  horizon: number;
  horizonDetail: Record<string, number>;
  torch: string;
  lr?: number[];
  momentum?: number[];
  x: number[][];
  loss: number[];
}

interface ScheduleSequence {
  id: string;
  scheduler: SchedulerSpec;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  steps: number;
  torch: string;
  metrics?: number[];
  lr: number[];
  momentumOption?: "momentum" | "betas";
  momentum?: number[];
}

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as T;
}

const optimizerFixtures = load<{ cases: OptimizerCase[] }>("torch-optimizers.json");
const scheduleFixtures = load<{ sequences: ScheduleSequence[] }>("torch-schedulers.json");

const TOL = { f64: { rel: 1e-10, floor: 1e-3 }, f32: { rel: 1e-5, floor: 1 } } as const;
const LR_TOL = { rel: 1e-10, floor: 1e-12 };

function close(a: number, e: number, rel: number, floor: number): boolean {
  return Math.abs(a - e) <= rel * Math.max(Math.abs(e), floor);
}

/** The first step/coordinate where optimlab leaves the torch trajectory, with context; undefined if none. */
interface Mismatch {
  what: string;
  step: number;
  index?: number;
  optimlab: number;
  torch: number;
  relErr: number;
}

function mismatch(what: string, step: number, a: number, e: number, rel: number, floor: number, index?: number): Mismatch | undefined {
  if (close(a, e, rel, floor)) return undefined;
  return { what, step, index, optimlab: a, torch: e, relErr: Math.abs(a - e) / Math.max(Math.abs(e), floor) };
}

function momentumOf(opt: Optimizer): number {
  return opt.momentumOption === "betas" ? (opt.getOption("betas") as number[])[0] : (opt.getOption("momentum") as number);
}

/** Runs one fixture case with optimlab; returns the first mismatch (x, lr or momentum) within the horizon. */
function replay(c: OptimizerCase, backend: Backend): Mismatch | undefined {
  const { rel, floor } = TOL[c.dtype];
  const exp = (v: number): number => (c.dtype === "f32" ? Math.fround(v) : v);
  const params: ParamTensor[] = [];
  let off = 0;
  for (const n of c.split) {
    params.push(backend.param(c.dtype, c.x0.slice(off, off + n)));
    off += n;
  }
  const fn = backend.createFunction(c.function, c.dim);
  const x = new Float64Array(c.dim);
  const g = new Float64Array(c.dim);
  const evaluate = (): number => {
    let o = 0;
    for (const p of params) {
      x.set(p.data, o);
      o += p.data.length;
    }
    const f = fn.valueAndGrad(x, g); // f64, like torch's float64 autograd in the fixtures
    o = 0;
    for (const p of params) {
      p.grad.set(g.subarray(o, o + p.grad.length)); // one rounding to f32 for f32 cases
      o += p.grad.length;
    }
    return f;
  };
  const flat = (): number[] => params.flatMap((p: { data: FloatArray }) => Array.from(p.data));

  const x0 = flat();
  for (let i = 0; i < c.dim; i++) {
    const m = mismatch("x0", 0, x0[i], exp(c.x[0][i]), 0, 1, i);
    if (m) return m;
  }
  const opt = backend.createOptimizer(c.optimizer, params, c.options);
  const sched = c.scheduler ? createScheduler(opt, c.scheduler) : undefined;
  for (let k = 0; k < c.horizon; k++) {
    const f = evaluate();
    if (c.lr) {
      const m = mismatch("lr used", k + 1, opt.lr, c.lr[k], LR_TOL.rel, LR_TOL.floor);
      if (m) return m;
    }
    if (c.momentum) {
      const m = mismatch("momentum used", k + 1, momentumOf(opt), c.momentum[k], LR_TOL.rel, LR_TOL.floor);
      if (m) return m;
    }
    opt.step();
    sched?.step(f); // reduceLROnPlateau gets f(x_k); the others ignore it
    const xs = flat();
    for (let i = 0; i < c.dim; i++) {
      const m = mismatch("x", k + 1, xs[i], exp(c.x[k + 1][i]), rel, floor, i);
      if (m) return m;
    }
  }
  return undefined;
}

const wasmBackend = await createBackend("wasm");

describe("optimizers vs PyTorch trajectories (test/fixtures/torch-optimizers.json)", () => {
  it("fixtures cover every optimizer name in both dtypes", () => {
    const seen = new Set(optimizerFixtures.cases.map((c) => `${c.optimizer} ${c.dtype}`));
    for (const name of ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam"]) {
      expect(seen.has(`${name} f32`) && seen.has(`${name} f64`), name).toBe(true);
    }
  });

  for (const backend of [jsBackend, wasmBackend]) {
    for (const c of optimizerFixtures.cases) {
      const cut = c.horizon < c.steps ? `, compared to step ${c.horizon}` : "";
      it(`${c.id} [${c.reference}, ${c.steps} steps${cut}] on ${backend.name}`, () => {
        expect(c.horizon).toBeGreaterThan(0);
        expect(replay(c, backend)).toBeUndefined();
      });
    }
  }

  it("createFunction matches the torch functions at every recorded point", () => {
    const bad: string[] = [];
    for (const c of optimizerFixtures.cases) {
      const fn = createFunction(c.function, c.dim);
      const scale = 1 + Math.abs(c.loss[0]);
      c.x.forEach((p, k) => {
        const xk = Float64Array.from(p, c.dtype === "f32" ? Math.fround : (v) => v);
        const a = fn.value(xk);
        const e = c.loss[k];
        if (!(Math.abs(a - e) <= 1e-12 * Math.max(Math.abs(e), 1e-12) + 1e-15 * scale)) bad.push(`${c.id} step ${k}: ${a} vs ${e}`);
      });
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

/** A bare scheduler target: no validation, records what the scheduler writes. */
function bareTarget(lr: number, momentumOption: "momentum" | "betas" | undefined): SchedulerTarget & { opts: Record<string, unknown> } {
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

function bareMomentum(t: ReturnType<typeof bareTarget>): number {
  return t.momentumOption === "betas" ? (t.opts.betas as number[])[0] : (t.opts.momentum as number);
}

describe("LR schedulers vs PyTorch sequences (test/fixtures/torch-schedulers.json)", () => {
  for (const s of scheduleFixtures.sequences) {
    const { name: optName, ...optOptions } = s.optimizer;
    const momentumOption = optName === "adam" ? "betas" : "momentum";

    it(`${s.id}: step() on a bare target`, () => {
      const t = bareTarget(s.optimizer.lr as number, momentumOption);
      const sched = createScheduler(t, s.scheduler);
      const bad: Mismatch[] = [];
      const check = (k: number): void => {
        const m = mismatch("lr", k, t.lr, s.lr[k], LR_TOL.rel, LR_TOL.floor) ?? mismatch("lastLr", k, sched.lastLr, s.lr[k], LR_TOL.rel, LR_TOL.floor);
        if (m) bad.push(m);
        if (s.momentum) {
          const mm = mismatch("momentum", k, bareMomentum(t), s.momentum[k], LR_TOL.rel, LR_TOL.floor);
          if (mm) bad.push(mm);
        }
      };
      check(0);
      for (let k = 1; k <= s.steps; k++) {
        sched.step(s.metrics?.[k - 1]);
        check(k);
      }
      expect(bad.slice(0, 3)).toEqual([]);
    });

    it(`${s.id}: lrAt(t)`, () => {
      const t = bareTarget(s.optimizer.lr as number, momentumOption);
      const sched = createScheduler(t, s.scheduler);
      const bad: Mismatch[] = [];
      for (let k = 0; k <= s.steps; k++) {
        const m = mismatch("lrAt", k, sched.lrAt(k, s.metrics), s.lr[k], LR_TOL.rel, LR_TOL.floor);
        if (m) bad.push(m);
      }
      expect(bad.slice(0, 3)).toEqual([]);
    });

    it(`${s.id}: step() on a real ${optName} optimizer`, () => {
      const p: Param = { data: new Float64Array(1), grad: new Float64Array(1) };
      const opt = createOptimizer(optName, [p], optOptions);
      const sched = createScheduler(opt, s.scheduler);
      const bad: Mismatch[] = [];
      const check = (k: number): void => {
        const m = mismatch("lr", k, opt.lr, s.lr[k], LR_TOL.rel, LR_TOL.floor);
        if (m) bad.push(m);
        if (s.momentum) {
          const mm = mismatch("momentum", k, momentumOf(opt), s.momentum[k], LR_TOL.rel, LR_TOL.floor);
          if (mm) bad.push(mm);
        }
      };
      check(0);
      for (let k = 1; k <= s.steps; k++) {
        opt.step();
        sched.step(s.metrics?.[k - 1]);
        check(k);
      }
      expect(bad.slice(0, 3)).toEqual([]);
    });
  }
});
