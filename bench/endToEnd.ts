/**
 * End to end: what users touch, on both backends, in one process per unit.
 *
 * - `e2e`: a lab-sized race through `backend.runMany` (six optimizers ×
 *   2000 steps on 2-D rosenbrock, f64, record "all"): the first call in a
 *   fresh process (cold plan and power caches) and the best of 15 after
 *   warm-up; a 10,000-step Adam coefficient plan (cold caches every time);
 *   value and gradient of the N-D functions at n = 1e6 as the run engine
 *   calls them (the core's fnValueGrad on wasm memory) against the reference.
 * - `cli`: `optimlab run` as whole processes (start-up and writing the
 *   1e6-number final point included), wasm and js interleaved.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBackend, createFunction, jsBackend, type Backend, type RunSpec } from "../bindings/index.js";
import { coefficientPlan, PowerCache } from "../src/plan.js";
import type { Row } from "./index.js";

type Measure = (fn: () => void, ms: number) => Promise<{ seconds: number; samples: number }>;

/** The race: what the lab runs for six optimizers. */
export const RACE: RunSpec[] = [
  { name: "sgd", lr: 0.001, momentum: 0.9 },
  { name: "adam", lr: 0.02 },
  { name: "rmsprop", lr: 0.005 },
  { name: "adagrad", lr: 0.5 },
  { name: "nadam", lr: 0.02 },
  { name: "adamw", lr: 0.02, weightDecay: 0.01 },
].map((o) => ({ function: "rosenbrock", optimizer: o as RunSpec["optimizer"], x0: [-1.5, 2], steps: 2000, dtype: "f64", record: "all" }));

function bestOf(n: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best / 1e3;
}

export async function benchEndToEnd(rows: Row[], measure: Measure, quick: boolean): Promise<void> {
  const wasm = await createBackend("wasm");
  const race = quick ? RACE.map((s) => ({ ...s, steps: 200 })) : RACE;
  const runSteps = race.reduce((a, s) => a + s.steps, 0);
  // The same race at other learning rates: the code is warm, but nothing of the measured race is planned yet.
  const other = (k: number) => race.map((s) => ({ ...s, optimizer: { ...s.optimizer, lr: (s.optimizer.lr as number) * (1 + k / 100) } }));
  for (const [impl, backend] of [
    ["wasm", wasm],
    ["reference", jsBackend],
  ] as [string, Backend][]) {
    for (let i = 1; i <= 5; i++) backend.runMany(other(i));
    // Each sample a race never run before: the first race a user starts (its plans not cached).
    const cold = Math.min(...[11, 12, 13].map((k) => bestOf(1, () => backend.runMany(other(k)))));
    rows.push({
      section: "e2e",
      case: "race, new specs (nothing planned yet)",
      impl,
      n: runSteps,
      dtype: "f64",
      seconds: cold,
      perSecond: runSteps / cold,
      samples: 3,
    });
    for (let i = 0; i < 5; i++) backend.runMany(race);
    const warm = bestOf(15, () => backend.runMany(race));
    rows.push({ section: "e2e", case: "race, best of 15", impl, n: runSteps, dtype: "f64", seconds: warm, perSecond: runSteps / warm, samples: 15 });
  }

  // Formulas (issue 12): the same race on a typed Rosenbrock, a grid, and compiling a formula of about 200 ops.
  const formulaRace = race.map((s) => ({ ...s, function: { expr: "(1 - x)^2 + 100*(y - x^2)^2" } }));
  for (const [impl, backend] of [
    ["wasm", wasm],
    ["reference", jsBackend],
  ] as [string, Backend][]) {
    for (let i = 0; i < 5; i++) backend.runMany(formulaRace);
    const t = bestOf(15, () => backend.runMany(formulaRace));
    rows.push({ section: "e2e", case: "formula race, best of 15", impl, n: runSteps, dtype: "f64", seconds: t, perSecond: runSteps / t, samples: 15 });
  }
  const side = quick ? 100 : 1000;
  const gridFn = { expr: "sin(x)*cos(y) + (x^2 + y^2)/10" };
  for (const [impl, backend] of [
    ["wasm", wasm],
    ["reference", jsBackend],
  ] as [string, Backend][]) {
    const fn = backend.createFunction(gridFn);
    const m = await measure(() => void backend.grid(fn, [-4, 4], [-4, 4], side, side), 600);
    rows.push({
      section: "e2e",
      case: "formula grid sin(x)*cos(y) + (x^2 + y^2)/10",
      impl,
      n: side * side,
      seconds: m.seconds,
      perSecond: (side * side) / m.seconds,
      samples: m.samples,
    });
  }
  const terms = (seed: number) =>
    Array.from({ length: 26 }, (_, k) => {
      const a = ((seed * 31 + k * 7) % 97) / 10 + 0.1,
        b = ((seed * 17 + k * 13) % 89) / 10 + 0.2,
        c = (k % 9) + 1.5;
      return k % 2 ? `${c}*sin(${a}*x + ${b}*y)` : `${c}*(x - ${a})^2*(y + ${b})`;
    }).join(" + ");
  let seed = 0;
  const compile = await measure(() => void createFunction({ expr: terms(++seed) }), 400);
  rows.push({
    section: "compile",
    case: "a formula of about 200 operations",
    impl: "reference",
    n: 1,
    seconds: compile.seconds,
    perSecond: 1 / compile.seconds,
    samples: compile.samples,
  });

  // Plans as the engine makes them: into rows it provides (wasm memory there, a reused array here).
  const planSteps = quick ? 1000 : 10_000;
  const rowsBuf = new Float64Array(planSteps * 13);
  const storage = (k: number) => rowsBuf.subarray(0, k);
  const adam = { optimizer: { name: "adam" as const, lr: 1e-3 }, steps: planSteps };
  const cold = await measure(() => void coefficientPlan(adam, undefined, storage), 400);
  rows.push({
    section: "plan",
    case: "adam plan, Math.pow every step",
    impl: "reference",
    n: planSteps,
    seconds: cold.seconds / planSteps,
    perSecond: planSteps / cold.seconds,
    samples: cold.samples,
  });
  const shared = new PowerCache();
  const warm = await measure(() => void coefficientPlan(adam, shared, storage), 400);
  rows.push({
    section: "plan",
    case: "adam plan, powers from a warm PowerCache",
    impl: "reference",
    n: planSteps,
    seconds: warm.seconds / planSteps,
    perSecond: planSteps / warm.seconds,
    samples: warm.samples,
  });
  // The floor the issue names: the two Math.pow calls of a step, alone in a loop.
  let sink = 0;
  const pows = await measure(() => {
    for (let t = 1; t <= planSteps; t++) sink += Math.pow(0.9, t) + Math.pow(0.999, t);
  }, 400);
  rows.push({
    section: "plan",
    case: "two Math.pow calls alone",
    impl: "reference",
    n: planSteps,
    seconds: pows.seconds / planSteps,
    perSecond: planSteps / pows.seconds,
    samples: pows.samples + (sink > 0 ? 0 : 1),
  });

  const n = quick ? 1e4 : 1e6;
  for (const name of ["quadratic", "rosenbrock", "styblinskiTang"] as const) {
    for (const dtype of ["f32", "f64"] as const) {
      const ref = createFunction(name, n);
      const fw = wasm.createFunction(name, n);
      const x = dtype === "f32" ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = 0.5 + 0.25 * Math.sin(i);
      const g = dtype === "f32" ? new Float32Array(n) : new Float64Array(n);
      const r = await measure(() => void ref.valueAndGrad(x, g), 400);
      // Views into wasm memory go straight to fnValueGrad{F32,F64}, the run engine's call, with no copy.
      const p = wasm.paramFromValues(dtype, x);
      const w = await measure(() => void fw.valueAndGrad(p.data, p.grad), 400);
      p.dispose();
      rows.push({ section: "e2e", case: `${name} value+grad`, impl: "reference", n, dtype, seconds: r.seconds, perSecond: n / r.seconds, samples: r.samples });
      rows.push({ section: "e2e", case: `${name} value+grad`, impl: "wasm", n, dtype, seconds: w.seconds, perSecond: n / w.seconds, samples: w.samples });
    }
  }
}

/** Whole CLI processes: the Adam runs on 1e6-dimensional functions, each backend `reps` times, interleaved. */
export function benchCli(rows: Row[], quick: boolean): void {
  const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "optimlab.js");
  const dir = mkdtempSync(join(tmpdir(), "optimlab-bench-cli-"));
  const dim = quick ? 1e4 : 1e6;
  const steps = quick ? 20 : 300;
  const reps = quick ? 1 : 2;
  try {
    for (const name of ["styblinskiTang", "rosenbrock"]) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ function: name, dim, x0: 0.5, optimizer: { name: "adam", lr: 1e-3 }, steps, record: "loss", dtype: "f32" }));
      const times: Record<string, number[]> = { wasm: [], js: [] };
      for (let r = 0; r < reps; r++) {
        for (const backend of ["wasm", "js"]) {
          const t = performance.now();
          const out = spawnSync(process.execPath, [bin, "run", file, "--backend", backend], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
          if (out.status !== 0) throw new Error(`optimlab run failed: ${out.stderr}`);
          times[backend].push((performance.now() - t) / 1e3);
        }
      }
      for (const [backend, ts] of Object.entries(times)) {
        const s = Math.min(...ts);
        rows.push({
          section: "cli",
          case: `${name} dim ${dim}, ${steps} Adam steps`,
          impl: backend === "js" ? "reference" : "wasm",
          n: dim,
          dtype: "f32",
          seconds: s,
          perSecond: (dim * steps) / s,
          samples: ts.length,
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
