// The sweep library (src/sweep/): axis values as the formulas, paths into run specs,
// objectives recomputed by hand (also with several evaluations per step), the worker pool's
// ordering and cancellation, and the tuner's quality against a 4× finer grid.
import { describe, expect, it } from "vitest";
import { exp, log } from "../src/models/math.js";

/** log10 as the tuner computes it (the library's pure-arithmetic log over ln 10). */
const log10 = (x: number) => log(x) / Math.LN10;
import { createNodePool } from "../bindings/nodePool.js";
import { createFunction } from "../src/functions/index.js";
import { normalizeSpec } from "../src/run.js";
import {
  axisValues,
  CancelledError,
  chunkTasks,
  drawStarts,
  fStar,
  median,
  normalizeSweep,
  objectives,
  parsePath,
  scaleSchedule,
  tune,
  withValues,
  WorkerPool,
  type Objective,
  type Task,
  type WorkerReply,
  type WorkerRequest,
} from "../src/sweep/index.js";
import { fieldOf } from "./field-error.js";

function expectFieldError(f: () => unknown, field: string, message: RegExp): void {
  const e = fieldOf(f);
  expect(e.field).toBe(field);
  expect(e.message.slice(field.length + 2)).toMatch(message);
}

describe("axes", () => {
  it("log and linear values are the issue's formulas, both ends included", () => {
    const log = axisValues(1e-4, 1, 5, "log");
    expect(log).toEqual([0, 1, 2, 3, 4].map((k) => 1e-4 * Math.pow(1 / 1e-4, k / 4)));
    expect(log[0]).toBe(1e-4);
    const lin = axisValues(0.5, 0.99, 3, "linear");
    expect(lin).toEqual([0.5, 0.5 + (0.49 * 1) / 2, 0.5 + (0.49 * 2) / 2]);
    expect(axisValues(3, 3, 1, "log")).toEqual([3]);
  });

  it("a sweep spec is checked axis by axis; a refused value names its end", () => {
    const run = { function: "rosenbrock", optimizer: { name: "adam" }, steps: 10 };
    const ok = normalizeSweep({ run, axes: [{ path: "optimizer.betas.0", from: 0.5, to: 0.9, count: 3 }] });
    expect(ok.axes[0].values).toHaveLength(3);
    expect(ok.map).toBe("final");
    expect(
      normalizeSweep({
        run,
        axes: [
          { path: "x0.0", from: -1, to: 1, count: 2 },
          { path: "x0.1", from: -1, to: 1, count: 2 },
        ],
      }).map,
    ).toBe("minimum");
    expectFieldError(
      () => normalizeSweep({ run, axes: [{ path: "optimizer.betas.0", from: 0.5, to: 1, count: 3 }] }),
      "axes[0].to",
      /optimizer\.betas\.0 = 1 gives a run the library refuses: optimizer\.betas: /,
    );
    expectFieldError(
      () => normalizeSweep({ run, axes: [{ path: "optimizer.momentum", from: 0, to: 1, count: 3 }] }),
      "axes[0].path",
      /not a numeric option of adam; allowed: optimizer\.lr, optimizer\.betas\.0, optimizer\.betas\.1, optimizer\.eps, optimizer\.weightDecay/,
    );
    expectFieldError(
      () => normalizeSweep({ run, axes: [{ path: "optimizer.lr", from: 0, to: 1, count: 3, scale: "log" }] }),
      "axes[0].from",
      /> 0 on a log axis/,
    );
    expectFieldError(() => normalizeSweep({ run, axes: [{ path: "optimizer.lr", from: 1, to: 1, count: 3 }] }), "axes[0].to", /greater than from/);
    expectFieldError(() => normalizeSweep({ run, axes: [{ path: "x0.2", from: 0, to: 1, count: 3 }] }), "axes[0].path", /x0\.0 … x0\.1/);
    expectFieldError(() => normalizeSweep({ run, axes: [] }), "axes", /one or two axes/);
    expectFieldError(() => normalizeSweep({ run: { ...run, steps: -1 }, axes: [] }), "run.steps", /./);
    expectFieldError(() => normalizeSweep({ run, axes: [{ path: "optimizer.lr", from: 0.1, to: 1, count: 0 }] }), "axes[0].count", /integer in \[1, 4096\]/);
    expectFieldError(
      () => normalizeSweep({ run, axes: [{ path: "scheduler.gamma", from: 0.1, to: 1, count: 2 }] }),
      "axes[0].path",
      /the run has no scheduler/,
    );
  });
});

describe("paths", () => {
  const run = normalizeSpec({
    function: "rosenbrock",
    optimizer: { name: "adam", lr: 0.1 },
    scheduler: {
      name: "sequentialLR",
      milestones: [5],
      schedulers: [
        { name: "oneCycleLR", maxLr: 0.2, totalSteps: 5 },
        { name: "cosineAnnealingLR", tMax: 10, etaMin: 0.01 },
      ],
    },
    steps: 12,
  });
  it("optimizer.lr scales every absolute rate of the schedule, in nested stages too", () => {
    const p = parsePath("path", "optimizer.lr", run);
    const out = withValues({ ...run }, [p], [0.4], 0.1);
    expect(out.optimizer.lr).toBe(0.4);
    const stages = out.scheduler!.schedulers as Record<string, number>[];
    expect(stages[0].maxLr).toBe(0.2 * (0.4 / 0.1));
    expect(stages[1].etaMin).toBe(0.01 * (0.4 / 0.1));
    expect(stages[1].tMax).toBe(10);
    // The caller's spec is untouched.
    expect((run.scheduler!.schedulers as Record<string, number>[])[0].maxLr).toBe(0.2);
    expect(scaleSchedule({ name: "reduceLROnPlateau", minLr: 1e-3 }, 10)!.minLr).toBe(1e-2);
    expect(scaleSchedule({ name: "cyclicLR", baseLr: 1e-3, maxLr: 1e-2 } as never, 2)).toEqual({ name: "cyclicLR", baseLr: 2e-3, maxLr: 2e-2 });
  });
  it("betas.0 starts from the defaults; nested scheduler options and x0 are set where they are", () => {
    expect(withValues({ ...run }, [parsePath("p", "optimizer.betas.0", run)], [0.7], 0.1).optimizer.betas).toEqual([0.7, 0.999]);
    const t = withValues({ ...run }, [parsePath("p", "scheduler.schedulers.1.tMax", run)], [20], 0.1);
    expect((t.scheduler!.schedulers as Record<string, number>[])[1].tMax).toBe(20);
    expect(withValues({ ...run, x0: [1, 2] }, [parsePath("p", "x0.1", run)], [5], 0.1).x0).toEqual([1, 5]);
    expectFieldError(() => parsePath("p", "scheduler.schedulers.2.tMax", run), "p", /sequentialLR has 2 schedulers/);
  });
});

describe("objectives", () => {
  it("final, auc and steps of a first-order run, by hand", () => {
    // f* = 1: gaps 9, 0.5, 0.01 at x0, x1, x2; T = 3 pads the last loss once.
    const r = { loss: [10, 1.5, 1.01], stopReason: "tol" };
    const [final, auc, steps] = objectives(r, 1, 0.1, 3);
    const g = (f: number) => log10(f - 1 + 1e-16);
    expect(final).toBe(g(1.01));
    expect(auc).toBe((g(1.5) + g(1.01) + g(1.01)) / 3);
    expect(steps).toBe(2);
    expect(objectives({ loss: [10, 9], stopReason: "steps" }, 1, 0.1, 1)[2]).toBe(2); // never: T + 1
    expect(objectives({ loss: [0.5, 0.2], stopReason: "steps" }, 1, 0.1, 1)).toEqual([log10(1e-16), log10(1e-16), 0]); // below f*: the floor
    expect(objectives({ loss: [1, NaN], stopReason: "diverged" }, 0, 0.1, 5)).toEqual([Infinity, Infinity, Infinity]);
  });
  it("with several evaluations per step (L-BFGS's evals), the objectives count evaluations", () => {
    // Point 1 is known after 2 evaluations, point 2 after 5 (past the budget of 4: it does not count).
    const r = { loss: [10, 1, 0.1], evals: [2, 3], stopReason: "evals" };
    const [final, auc, steps] = objectives(r, 0, 0.5, 4);
    expect(final).toBe(log10(1 + 1e-16));
    expect(auc).toBe((log10(10 + 1e-16) + 3 * log10(1 + 1e-16)) / 4);
    expect(steps).toBe(5);
    expect(objectives(r, 0, 0.5, 5)[2]).toBe(5);
    expect(objectives(r, 0, 2, 5)[2]).toBe(2);
  });
  it("the median of an even count is the mean of the middle two; diverged stays last", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, Infinity, Infinity, 2])).toBe(Infinity);
  });
});

/** In-process fake workers answering after a delay that depends on the task (so they finish out of order). */
function fakePool(size: number, log: string[]) {
  return new WorkerPool(size, (onReply) => {
    let stopped = false;
    return {
      post(req: WorkerRequest) {
        log.push(`post ${req.id}`);
        const n = req.task.specs.length;
        setTimeout(() => {
          if (stopped) return;
          const reply: WorkerReply = (req.task.specs[0] as { fail?: boolean }).fail
            ? { id: req.id, error: { name: "RangeError", message: "runs[3].steps: bad", field: "runs[3].steps", detail: "bad" } }
            : { id: req.id, values: new Float64Array([n, req.id]) };
          onReply(reply);
        }, 30 / n);
      },
      terminate() {
        stopped = true;
        log.push("terminate");
      },
    };
  });
}

const task = (n: number, extra: Record<string, unknown> = {}): Task => ({
  backend: "js",
  specs: Array.from({ length: n }, () => ({ ...extra }) as never),
  measure: { kind: "objectives", fStar: 0, epsilon: 0, budget: 1 },
});

describe("WorkerPool", () => {
  it("results come back in task order whatever finishes first; progress counts runs", async () => {
    const log: string[] = [];
    const pool = fakePool(3, log);
    const seen: number[] = [];
    const out = await pool.run(
      [1, 2, 3, 4, 5].map((n) => task(n)),
      { onProgress: (d) => seen.push(d) },
    );
    expect(out.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(seen.at(-1)).toBe(15);
    expect(seen).toHaveLength(5);
    pool.close();
  });
  it("an abort rejects with CancelledError, terminates the busy workers, and the pool works again", async () => {
    const log: string[] = [];
    const pool = fakePool(2, log);
    const c = new AbortController();
    const p = pool.run(
      [1, 1, 1, 1].map((n) => task(n)),
      { signal: c.signal },
    );
    setTimeout(() => c.abort(), 5);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(log.filter((l) => l === "terminate")).toHaveLength(2);
    const again = await pool.run([task(2)]);
    expect(again[0][0]).toBe(2);
    pool.close();
  });
  it("a worker's field error comes back as a field error", async () => {
    const pool = fakePool(2, []);
    await expect(pool.run([task(1), task(1, { fail: true })])).rejects.toMatchObject({
      name: "RangeError",
      field: "runs[3].steps",
      message: "runs[3].steps: bad",
    });
    pool.close();
  });
});

describe("the tuner against a 4× finer grid", () => {
  // Its best lr must never be beaten by more than 0.1 (log10 units, final and auc) or 5 % (steps)
  // by any lr of a 61-point grid over the same range (the tuner's grid has 16 points).
  const names = ["sgd", "momentum", "adam", "rmsprop", "adagrad", "nadam"];
  for (const fname of ["rosenbrock", "beale"] as const) {
    it(`six optimizers on ${fname}, every objective`, async () => {
      const pool = createNodePool(2);
      try {
        const fn = createFunction(fname);
        const starts = drawStarts(fn, 4, 0);
        const steps = 500;
        const problem = { function: fname, fn, starts, steps, dtype: "f64" as const, backend: "wasm" as const, epsilon: 1e-4, fStar: fStar(fn)! };
        const entries = names.map((n) => ({ text: n, optimizer: { name: n } }));
        const objs: Objective[] = ["final", "auc", "steps"];
        const tuned = await tune(problem, entries, { objectives: objs }, pool);
        const lrs = Array.from({ length: 61 }, (_v, k) => 1e-5 * exp(log(10 / 1e-5) * (k / 60)));
        const specs = entries.flatMap((e) =>
          lrs.flatMap((lr) => starts.map((x0) => ({ function: fname, optimizer: { ...e.optimizer, lr }, x0, steps, dtype: "f64" as const }))),
        );
        const values = await pool.run(chunkTasks(specs as never, 64, "wasm", { kind: "objectives", fStar: problem.fStar, epsilon: 1e-4, budget: steps }));
        const flat = values.flatMap((v) => Array.from(v));
        entries.forEach((e, ei) =>
          objs.forEach((o, oi) => {
            let fine = Infinity;
            lrs.forEach((_lr, li) => {
              const m = median(starts.map((_s, si) => flat[((ei * lrs.length + li) * starts.length + si) * 3 + oi]));
              if (m < fine) fine = m;
            });
            const t = tuned.find((x) => x.optimizer === e.text && x.objectiveName === o)!;
            if (o === "steps") expect(t.objective, `${e.text} ${o}`).toBeLessThanOrEqual(fine * 1.05);
            else expect(t.objective, `${e.text} ${o}`).toBeLessThanOrEqual(fine + 0.1);
            expect(t.settings).toBeLessThanOrEqual(48);
          }),
        );
      } finally {
        pool.close();
      }
    }, 120_000);
  }
});
