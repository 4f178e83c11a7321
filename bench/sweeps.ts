/**
 * Sweeps and tuning on the worker pool (src/sweep/, bindings/nodePool.ts):
 * the warm pool (every core) against one worker, the whole command with its
 * start-up, one wasm worker against the reference, and tune's time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { createFunction, jsBackend } from "../bindings/index.js";
import { createNodePool, defaultWorkers } from "../bindings/nodePool.js";
import { fStar, localPool, normalizeSweep, runSweep, tune, type RunPool } from "../src/sweep/index.js";
import type { Row } from "./index.js";

/** Median seconds of an async operation of seconds: a warm-up, then `iterations` timed runs. */
async function timeAsync(fn: () => Promise<unknown>, iterations: number): Promise<{ seconds: number; samples: number }> {
  const bench = new Bench({ time: 0, iterations, warmupTime: 0, warmupIterations: 1 });
  bench.add("case", fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== "completed") throw new Error(`benchmark did not complete: ${r.state}${"error" in r ? ` (${String(r.error)})` : ""}`);
  return { seconds: r.latency.p50 / 1e3, samples: r.latency.samples?.length ?? iterations };
}

/** The sweep of the targets: lr (log) × β1 of Adam on rosenbrock. */
function adamSweep(side: number, steps: number, rows?: number) {
  return {
    run: { function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, x0: [-1.2, 1], steps },
    axes: [
      { path: "optimizer.lr", from: 1e-4, to: 1, count: side, scale: "log" },
      { path: "optimizer.betas.0", from: 0.5, to: 0.99, count: rows ?? side, scale: "linear" },
    ],
    epsilon: 1e-4,
  };
}

const bin = fileURLToPath(new URL("../../bin/optimlab.js", import.meta.url));

export async function benchSweeps(rows: Row[], quick: boolean): Promise<void> {
  const workers = defaultWorkers();
  const side = quick ? 16 : 128;
  const steps = quick ? 200 : 4000;
  const reps = quick ? 1 : 3;
  const cellSteps = side * side * steps;
  const push = (c: string, impl: string, n: number, m: { seconds: number; samples: number }) =>
    rows.push({ section: "sweep", case: c, impl, n, seconds: m.seconds, perSecond: n / m.seconds, samples: m.samples });

  const pools: [string, RunPool][] = [
    [`pool-${workers}`, createNodePool(workers)],
    ["pool-1", createNodePool(1)],
  ];
  try {
    const lrBeta = `adam lr × β1 on rosenbrock, ${side} × ${side} × ${steps} steps`;
    const spec = normalizeSweep(adamSweep(side, steps));
    for (const [impl, pool] of pools) push(lrBeta, impl, cellSteps, await timeAsync(() => runSweep(spec, pool), reps));

    // The whole command, start-up included (fresh process, fresh pool).
    const dir = mkdtempSync(join(tmpdir(), "optimlab-bench-"));
    try {
      const file = join(dir, "spec.json");
      writeFileSync(file, JSON.stringify(adamSweep(side, steps)));
      push(
        lrBeta,
        `command-${workers}`,
        cellSteps,
        await timeAsync(async () => {
          const r = spawnSync(process.execPath, [bin, "sweep", file, "--json", join(dir, "out.json")], { stdio: "ignore" });
          if (r.status !== 0) throw new Error(`optimlab sweep exited with ${r.status}`);
        }, reps),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // The reference on a slice of the same sweep (its first rows: every cell costs the same, 4000 steps), rated per
    // cell-step: the whole sweep would take it ~15 s. Shown against one worker on the whole sweep, and on the slice itself
    // (where the wasm worker's tasks are smaller: its per-task costs show).
    const sliceRows = quick ? 2 : 8;
    const slice = normalizeSweep(adamSweep(side, steps, sliceRows));
    const sliceSteps = side * sliceRows * steps;
    const sliceCase = `adam lr × β1 on rosenbrock, ${side} × ${sliceRows} × ${steps} steps (the first rows of the sweep above)`;
    push(sliceCase, "wasm-1", sliceSteps, await timeAsync(() => runSweep(slice, pools[1][1]), reps));
    const ref = normalizeSweep({ ...adamSweep(side, steps, sliceRows), run: { ...adamSweep(side, steps).run, backend: "js" } });
    const refTime = await timeAsync(
      () =>
        runSweep(
          ref,
          localPool(() => jsBackend),
        ),
      1,
    );
    push(sliceCase, "reference", sliceSteps, refTime);
    push(lrBeta, `reference (${side} × ${sliceRows} slice)`, sliceSteps, refTime);

    // Basins of sixHumpCamel: every cell shares one plan.
    const bside = quick ? 32 : 256;
    const bsteps = quick ? 100 : 500;
    const fn = createFunction("sixHumpCamel");
    const basins = normalizeSweep({
      run: { function: "sixHumpCamel", optimizer: { name: "adam", lr: 0.05 }, steps: bsteps },
      axes: [
        { path: "x0.0", from: fn.domain.x[0], to: fn.domain.x[1], count: bside },
        { path: "x0.1", from: fn.domain.y[0], to: fn.domain.y[1], count: bside },
      ],
    });
    const bcase = `basins of sixHumpCamel (adam), ${bside} × ${bside} × ${bsteps} steps`;
    for (const [impl, pool] of pools) push(bcase, impl, bside * bside * bsteps, await timeAsync(() => runSweep(basins, pool), reps));

    // tune of six optimizers on rosenbrock with the default budget, from its customary start.
    const rosen = createFunction("rosenbrock");
    const tsteps = quick ? 100 : 1000;
    const problem = {
      function: "rosenbrock" as const,
      fn: rosen,
      starts: [rosen.start.slice()],
      steps: tsteps,
      dtype: "f64" as const,
      backend: "wasm" as const,
      epsilon: 1e-4,
      fStar: fStar(rosen)!,
    };
    const six = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "nadam"].map((n) => ({ text: n, optimizer: { name: n } }));
    const tcase = `tune 6 optimizers on rosenbrock (auc, 1 start, ${tsteps} steps, default budget)`;
    for (const [impl, pool] of pools)
      push(tcase, impl, six.length * 48 * tsteps, await timeAsync(() => tune(problem, six, { objectives: ["auc"] }, pool), reps));
    push(
      tcase,
      `command-${workers}`,
      six.length * 48 * tsteps,
      await timeAsync(async () => {
        const r = spawnSync(
          process.execPath,
          [bin, "tune", "--function", "rosenbrock", "--optimizers", six.map((e) => e.text).join(","), "--steps", String(tsteps)],
          { stdio: "ignore" },
        );
        if (r.status !== 0) throw new Error(`optimlab tune exited with ${r.status}`);
      }, reps),
    );
  } finally {
    for (const [, p] of pools) p.close();
  }
}
