/**
 * optimlab benchmarks: the WebAssembly SIMD core against the TypeScript
 * reference and TensorFlow.js, and against this machine's memory bandwidth
 * (STREAM-style copy and triad in the same process).
 *
 *   npm run bench                      full run, tables on stdout
 *   npm run bench -- --json FILE       also every figure as JSON
 *   npm run bench -- --quick           a small version that only checks everything runs
 *   npm run bench -- --only step,grid  some sections: bandwidth, step, grid, batched, overhead, e2e, cli, torch, network, sweep
 *
 * Ratios are meaningful within one run; absolute times drift on a shared VM.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cpus, totalmem } from "node:os";
import { Bench } from "tinybench";
import {
  createBackend,
  init,
  isClosureDef,
  jsBackend,
  optimizerNames,
  resolveOptimizer,
  type Backend,
  type Core,
  type OptimizerName,
} from "../bindings/index.js";
import { resolveOptions } from "../src/schema.js";
import type { DType, ParamTensor } from "../src/api.js";
import { benchBatched, benchGrids } from "./cases.js";
import { benchSweeps } from "./sweeps.js";
import { benchCli, benchEndToEnd } from "./endToEnd.js";
import { benchNetwork, NETWORK_CASES } from "./networks.js";
import { TF_OPTIMIZERS, tfStepper } from "./tfjs.js";

export interface Row {
  section: string;
  case: string;
  impl: string;
  n: number;
  dtype?: DType;
  /** Median seconds per operation (one step, one grid, one batch of runs, one call). */
  seconds: number;
  /** Elements (or points, or run-steps) per second. */
  perSecond: number;
  /** Bytes moved per second, where the bytes per element are known (STREAM convention for copy/triad). */
  gbPerSecond?: number;
  /** Bytes per second including the write-allocate read of arrays written without being read (copy, triad). */
  gbPerSecondWithAllocate?: number;
  /** Samples behind the median. */
  samples: number;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const jsonAt = args.indexOf("--json");
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) {
  console.error("optimlab bench: --json needs a FILE");
  process.exit(2);
}
const SECTIONS = ["bandwidth", "step", "grid", "batched", "overhead", "e2e", "cli", "torch", "network", "sweep"];
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? "").split(",") : SECTIONS;
if (only.some((x) => !SECTIONS.includes(x))) {
  console.error(`optimlab bench: --only takes a comma-separated list of ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const unitAt = args.indexOf("--unit");
const unit = unitAt >= 0 ? args[unitAt + 1] : undefined;
const unknown = args.filter(
  (a, i) =>
    a !== "--quick" &&
    a !== "--json" &&
    a !== "--only" &&
    a !== "--unit" &&
    !(jsonAt >= 0 && i === jsonAt + 1) &&
    !(onlyAt >= 0 && i === onlyAt + 1) &&
    !(unitAt >= 0 && i === unitAt + 1),
);
if (unknown.length) {
  console.error(`optimlab bench: unknown argument ${JSON.stringify(unknown[0])}; allowed: --quick, --json FILE, --only SECTIONS`);
  process.exit(2);
}

/** Median seconds of `fn` with a warm-up; `budgetMs` bounds the measuring time. */
export async function measure(fn: () => void, budgetMs: number): Promise<{ seconds: number; samples: number }> {
  const bench = new Bench({
    time: quick ? Math.min(budgetMs, 30) : budgetMs,
    iterations: quick ? 2 : 8,
    warmupTime: quick ? 5 : Math.min(200, budgetMs / 2),
    warmupIterations: quick ? 1 : 3,
  });
  bench.add("case", fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== "completed") throw new Error(`benchmark did not complete: ${r.state}${"error" in r ? ` (${String(r.error)})` : ""}`);
  return { seconds: r.latency.p50 / 1e3, samples: r.latency.samples?.length ?? bench.tasks[0].runs };
}

/**
 * Arrays an optimizer step reads and writes per element (params, grads and
 * the state buffers its default options use: read p, g and each buffer,
 * write p and each buffer). Every array it writes it has just read, so there
 * is no write-allocate traffic on top: these are the arrays that cross the bus.
 */
export function arraysTouched(name: OptimizerName): number {
  const r = resolveOptimizer(name);
  if (isClosureDef(r.def)) throw new Error(`${name} has no element-wise step`);
  const buffers = r.def.buffers(resolveOptions(r.def.schema, r.options, name)).length;
  return 3 + 2 * buffers;
}

/**
 * Every element-wise optimizer of the registry. L-BFGS (a closure optimizer)
 * has no step without a function to evaluate: its time is its evaluations
 * and its dot products, not an element-wise pass, so it is not in this table.
 */
const OPTIMIZERS: readonly OptimizerName[] = optimizerNames.filter((n) => !isClosureDef(resolveOptimizer(n).def));
const SIZES_F32 = quick ? [1e3, 1e4] : [1e3, 1e4, 1e5, 1e6, 1e7];
const SIZES_F64 = quick ? [1e3] : [1e5];
const rows: Row[] = [];

function fill(p: ParamTensor): void {
  const d = p.data,
    g = p.grad;
  for (let i = 0; i < d.length; i++) {
    d[i] = Math.sin(i) * 0.5;
    g[i] = Math.cos(0.7 * i) * 0.1;
  }
}

/** Budget in ms for one case, larger for big arrays so the median has samples. */
const budget = (n: number) => (n >= 1e7 ? 1500 : n >= 1e6 ? 600 : 300);

async function bandwidth(core: Core): Promise<void> {
  const k = core.exports as unknown as {
    copyF32(d: number, s: number, n: number): void;
    triadF32(a: number, b: number, c: number, n: number, s: number): void;
  };
  for (const n of SIZES_F32) {
    const a = core.arena.alloc(n * 4),
      b = core.arena.alloc(n * 4),
      c = core.arena.alloc(n * 4);
    new Float32Array(core.memory.buffer, b, n).fill(1);
    new Float32Array(core.memory.buffer, c, n).fill(2);
    const copy = await measure(() => k.copyF32(a, b, n), budget(n));
    const triad = await measure(() => k.triadF32(a, b, c, n, 0.5), budget(n));
    // A store to a line not in cache first reads it (write-allocate): copy really moves 12 bytes, triad 16.
    rows.push({
      section: "bandwidth",
      case: "copy",
      impl: "wasm",
      n,
      dtype: "f32",
      seconds: copy.seconds,
      perSecond: n / copy.seconds,
      gbPerSecond: (8 * n) / copy.seconds / 1e9,
      gbPerSecondWithAllocate: (12 * n) / copy.seconds / 1e9,
      samples: copy.samples,
    });
    rows.push({
      section: "bandwidth",
      case: "triad",
      impl: "wasm",
      n,
      dtype: "f32",
      seconds: triad.seconds,
      perSecond: n / triad.seconds,
      gbPerSecond: (12 * n) / triad.seconds / 1e9,
      gbPerSecondWithAllocate: (16 * n) / triad.seconds / 1e9,
      samples: triad.samples,
    });
    core.arena.release(a);
    core.arena.release(b);
    core.arena.release(c);
  }
}

async function optimizerSteps(wasm: Backend, names: OptimizerName[]): Promise<void> {
  const cases: [DType, number][] = [...SIZES_F32.map((n) => ["f32", n] as [DType, number]), ...SIZES_F64.map((n) => ["f64", n] as [DType, number])];
  for (const name of names) {
    const bytes = arraysTouched(name);
    for (const [dtype, n] of cases) {
      const size = dtype === "f32" ? 4 : 8;
      const record = (impl: string, m: { seconds: number; samples: number }) =>
        rows.push({
          section: "step",
          case: name,
          impl,
          n,
          dtype,
          seconds: m.seconds,
          perSecond: n / m.seconds,
          gbPerSecond: (bytes * size * n) / m.seconds / 1e9,
          samples: m.samples,
        });
      for (const [impl, backend] of [
        ["reference", jsBackend],
        ["wasm", wasm],
      ] as const) {
        const p = backend.param(dtype, n);
        fill(p);
        const opt = backend.createOptimizer(name, [p]);
        record(impl, await measure(() => opt.step(), budget(n)));
        (opt as unknown as { dispose?(): void }).dispose?.();
        p.dispose();
      }
      if (dtype === "f32" && TF_OPTIMIZERS[name]) {
        for (const b of ["wasm", "cpu"] as const) {
          if (b === "cpu" && n > 1e6) continue; // minutes per sample; the ratio is clear at 1e6
          const s = await tfStepper(b, name, n);
          record(`tfjs-${b}`, await measure(() => s.step(), budget(n)));
          s.dispose();
        }
      }
      process.stderr.write(".");
    }
  }
}

async function overhead(wasm: Backend): Promise<void> {
  for (const [impl, backend] of [
    ["reference", jsBackend],
    ["wasm", wasm],
  ] as const) {
    const p = backend.param("f32", 16);
    fill(p);
    const opt = backend.createOptimizer("adam", [p]);
    // Many calls per sample so the timer's resolution does not matter.
    const reps = 1000;
    const m = await measure(() => {
      for (let i = 0; i < reps; i++) opt.step();
    }, 300);
    rows.push({
      section: "overhead",
      case: "adam step, n = 16",
      impl,
      n: 16,
      dtype: "f32",
      seconds: m.seconds / reps,
      perSecond: (16 * reps) / m.seconds,
      samples: m.samples,
    });
    p.dispose();
  }
}

function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 1e9) return (x / 1e9).toPrecision(digits) + " G";
  if (a >= 1e6) return (x / 1e6).toPrecision(digits) + " M";
  if (a >= 1e3) return (x / 1e3).toPrecision(digits) + " k";
  return x.toPrecision(digits);
}

function table(header: string[], body: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j < 2 ? c.padEnd(w[j]) : c.padStart(w[j]))).join("  ");
  return [line(header), w.map((x) => "-".repeat(x)).join("  "), ...body.map(line)].join("\n");
}

function find(section: string, c: string, impl: string, n: number, dtype?: DType): Row | undefined {
  return rows.find((r) => r.section === section && r.case === c && r.impl === impl && r.n === n && (dtype === undefined || r.dtype === dtype));
}

function report(machine: Record<string, unknown>): string {
  const out: string[] = [];
  out.push(`optimlab benchmarks${quick ? " (--quick: sizes and samples too small for conclusions)" : ""}`);
  out.push(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; wasm ${String(machine.wasmSha256).slice(0, 12)}`);
  out.push("");
  out.push(
    "Memory-bandwidth ceiling (wasm f32x4). STREAM counts copy 8 and triad 12 bytes per element; with the write-allocate read of the destination, 12 and 16.",
  );
  out.push(
    table(
      ["kernel", "n", "GB/s (STREAM)", "GB/s (with write-allocate)", "elements/s"],
      rows
        .filter((r) => r.section === "bandwidth")
        .map((r) => [r.case, fmt(r.n), (r.gbPerSecond ?? 0).toFixed(2), (r.gbPerSecondWithAllocate ?? 0).toFixed(2), fmt(r.perSecond)]),
    ),
  );
  out.push("");
  out.push(
    "Optimizer step (default options). ×ref = wasm speed / reference; ×tfjs = wasm / TF.js-wasm; ceiling = wasm GB/s / triad GB/s with write-allocate at that n (in cache, n ≤ 1e5, both are compute-bound and the ratio is not a bandwidth fraction)",
  );
  const body: string[][] = [];
  for (const r of rows.filter((x) => x.section === "step" && x.impl === "wasm")) {
    const ref = find("step", r.case, "reference", r.n, r.dtype);
    const tfw = find("step", r.case, "tfjs-wasm", r.n, r.dtype);
    const tfc = find("step", r.case, "tfjs-cpu", r.n, r.dtype);
    const t1 = find("step", r.case, "torch-1t", r.n, r.dtype);
    const tn = find("step", r.case, `torch-${machine.torchThreads}t`, r.n, r.dtype);
    const triad = find("bandwidth", "triad", "wasm", r.n);
    body.push([
      r.case,
      `${r.dtype} ${fmt(r.n)}`,
      fmt(r.perSecond) + "el/s",
      (r.gbPerSecond ?? 0).toFixed(2),
      ref ? (ref.seconds / r.seconds).toFixed(1) : "—",
      tfw ? (tfw.seconds / r.seconds).toFixed(1) : "—",
      tfc ? (tfc.seconds / r.seconds).toFixed(1) : "—",
      t1 ? (t1.seconds / r.seconds).toFixed(1) : "—",
      tn && machine.torchThreads !== 1 ? (tn.seconds / r.seconds).toFixed(1) : "—",
      triad && r.dtype === "f32" ? ((100 * (r.gbPerSecond ?? 0)) / (triad.gbPerSecondWithAllocate ?? 1)).toFixed(0) + "%" : "—",
    ]);
  }
  out.push(
    table(
      ["optimizer", "size", "wasm", "GB/s", "×ref", "×tfjs-wasm", "×tfjs-cpu", "×torch 1 thread", `×torch ${machine.torchThreads ?? "all"} threads`, "ceiling"],
      body,
    ),
  );
  if (machine.torch) out.push(`PyTorch: ${machine.torch}`);
  for (const section of ["e2e", "cli"]) {
    const wasmRows = rows.filter((x) => x.section === section && x.impl === "wasm");
    if (!wasmRows.length) continue;
    out.push("");
    out.push(section === "e2e" ? "End to end (race: run-steps/s; functions: elements/s)" : "CLI, whole process (optimlab run, seconds)");
    out.push(
      table(
        ["case", "size", "wasm", "reference", "×ref"],
        wasmRows.map((r) => {
          const ref = find(section, r.case, "reference", r.n, r.dtype);
          const per = (x: Row) => (section === "cli" ? `${x.seconds.toFixed(2)} s` : fmt(x.perSecond) + "/s");
          return [r.case, `${r.dtype ?? ""} ${fmt(r.n)}`.trim(), per(r), ref ? per(ref) : "—", ref ? (ref.seconds / r.seconds).toFixed(2) : "—"];
        }),
      ),
    );
  }
  const plan = rows.filter((x) => x.section === "plan");
  if (plan.length) {
    out.push("");
    out.push(`Coefficient plans of ${fmt(plan[0].n)} Adam steps (ns per step)`);
    out.push(
      table(
        ["case", "ns/step"],
        plan.map((r) => [r.case, (r.seconds * 1e9).toFixed(1)]),
      ),
    );
  }
  const compile = rows.find((x) => x.section === "compile");
  if (compile) out.push(`Compiling ${compile.case}: ${(compile.seconds * 1e6).toFixed(0)} µs`);
  for (const section of ["grid", "batched", "overhead"]) {
    const wasmRows = rows.filter((x) => x.section === section && x.impl === "wasm");
    if (!wasmRows.length) continue;
    out.push("");
    out.push(
      section === "grid" ? "Grid evaluation (value at every point)" : section === "batched" ? "Batched 2-D runs (run-steps per second)" : "Per-call overhead",
    );
    out.push(
      table(
        ["case", "size", "wasm", "reference", "×ref"],
        wasmRows.map((r) => {
          const ref = find(section, r.case, "reference", r.n, r.dtype);
          const per = section === "overhead" ? `${(r.seconds * 1e9).toFixed(0)} ns` : fmt(r.perSecond) + "/s";
          const refPer = ref ? (section === "overhead" ? `${(ref.seconds * 1e9).toFixed(0)} ns` : fmt(ref.perSecond) + "/s") : "—";
          return [r.case, fmt(r.n), per, refPer, ref ? (ref.seconds / r.seconds).toFixed(1) : "—"];
        }),
      ),
    );
  }
  const nets = rows.filter((x) => x.section === "network" && x.impl === "wasm");
  if (nets.length) {
    out.push("");
    out.push("Network training step (forward + backward + Adam, f32; TF.js-wasm single-threaded). ×ref, ×tfjs-wasm, ×tfjs-cpu = their time / wasm's");
    out.push(
      table(
        ["case", "batch", "wasm", "reference", "tfjs-wasm", "tfjs-cpu", "×ref", "×tfjs-wasm", "×tfjs-cpu"],
        nets.map((r) => {
          const other = (impl: string) => find("network", r.case, impl, r.n);
          const us = (x: Row | undefined) => (x ? `${(x.seconds * 1e6).toFixed(0)} µs` : "—");
          const ratio = (x: Row | undefined) => (x ? (x.seconds / r.seconds).toFixed(2) : "—");
          return [
            r.case,
            String(r.n),
            us(r),
            us(other("reference")),
            us(other("tfjs-wasm")),
            us(other("tfjs-cpu")),
            ratio(other("reference")),
            ratio(other("tfjs-wasm")),
            ratio(other("tfjs-cpu")),
          ];
        }),
      ),
    );
  }
  const sweepRows = rows.filter((x) => x.section === "sweep");
  if (sweepRows.length) {
    out.push("");
    out.push(
      "Sweeps and tuning on the worker pool (cell-steps per second; pool-N: N worker threads, warm; command: the whole optimlab sweep, start-up included)",
    );
    const cases = [...new Set(sweepRows.map((r) => r.case))];
    out.push(
      table(
        ["case", "impl", "seconds", "cell-steps/s", "ratio"],
        cases.flatMap((c) => {
          const rs = sweepRows.filter((r) => r.case === c);
          // Pools and commands against one worker; one worker against the reference (by rate: the reference may run a slice).
          const one = rs.find((r) => r.impl === "pool-1");
          const ref = rs.find((r) => r.impl.startsWith("reference"));
          return rs.map((r) => {
            const base = r.impl === "pool-1" || r.impl === "wasm-1" ? ref : r.impl.startsWith("reference") ? undefined : one;
            return [c, r.impl, r.seconds.toFixed(3), fmt(r.perSecond) + "/s", base ? `${(r.perSecond / base.perSecond).toFixed(2)}× ${base.impl}` : "—"];
          });
        }),
      ),
    );
  }
  return out.join("\n");
}

/**
 * One unit of work, run in its own process: `bandwidth`, `step:NAME`, `grid`,
 * `batched`, `overhead` or `network:I` (a case of bench/networks.ts). A fresh process per unit gives every case the same
 * clean JIT state: in one long process V8's type feedback for the shared
 * reference code (one update function serves sgd, momentum and nesterov; one
 * Optimizer.step serves all eleven) degrades as more optimizers run through
 * it, which slowed later cases by up to 6× and made their ratios unfair.
 * Within a unit every implementation is measured in the same process.
 */
async function runUnit(u: string): Promise<void> {
  const core = await init();
  const wasm = await createBackend("wasm");
  if (u === "bandwidth") await bandwidth(core);
  else if (u.startsWith("step:")) await optimizerSteps(wasm, [u.slice(5) as OptimizerName]);
  else if (u === "grid") await benchGrids(wasm, rows, measure, quick);
  else if (u === "batched") await benchBatched(wasm, rows, measure, quick);
  else if (u === "overhead") await overhead(wasm);
  else if (u === "e2e") await benchEndToEnd(rows, measure, quick);
  else if (u === "cli") benchCli(rows, quick);
  else if (u === "network:all") for (const c of NETWORK_CASES) await benchNetwork(wasm, c, rows, measure, quick);
  else if (u.startsWith("network:")) await benchNetwork(wasm, NETWORK_CASES[Number(u.slice(8))], rows, measure, quick);
  else if (u === "sweep") await benchSweeps(rows, quick);
  else throw new Error(`unknown unit ${u}`);
  process.stdout.write(JSON.stringify(rows));
}

/**
 * PyTorch's CPU optimizers at the step table's sizes, from bench/torch_peer.py
 * with Debian's python3-torch; skipped (with a note) where torch is absent,
 * and in --quick runs.
 */
function torchPeer(machine: Record<string, unknown>): void {
  if (quick) {
    machine.torch = "skipped in --quick runs";
    return;
  }
  const script = fileURLToPath(new URL("../../bench/torch_peer.py", import.meta.url));
  const names = optimizerNames.filter((n) => !isClosureDef(resolveOptimizer(n).def));
  process.stderr.write("  torch ");
  const r = spawnSync("/usr/bin/python3", [script, JSON.stringify({ names, sizes: { f32: SIZES_F32, f64: SIZES_F64 } })], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  process.stderr.write("\n");
  if (r.status !== 0) {
    machine.torch = `skipped: ${r.error ? r.error.message : (r.stderr.trim().split("\n").pop() ?? "python3 failed")} (apt-get install python3-torch)`;
    return;
  }
  const out = JSON.parse(r.stdout) as { torch: string; threads: number; rows: Row[] };
  machine.torch = `${out.torch}, torch.set_num_threads(1) and (${out.threads})`;
  machine.torchThreads = out.threads;
  rows.push(...out.rows);
}

async function main(): Promise<void> {
  if (unit) return runUnit(unit);
  const core = await init();
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    v8: process.versions.v8,
    wasmSha256: core.sha256,
    quick,
    date: new Date().toISOString(),
  };
  process.stderr.write(`bench: ${machine.cpu}, ${machine.cores} cores${quick ? " (quick)" : ""}\n`);
  const units: string[] = [];
  // The bandwidth ceiling is measured whenever steps are, so their ratios come from the same run.
  if (only.includes("bandwidth") || only.includes("step")) units.push("bandwidth");
  if (only.includes("step")) units.push(...OPTIMIZERS.map((o) => `step:${o}`));
  for (const s of ["grid", "batched", "overhead", "e2e", "cli", "sweep"]) if (only.includes(s)) units.push(s);
  // --quick loads TF.js's gradients (~1 s) once for both cases; a real run gives each case its own process.
  if (only.includes("network")) units.push(...(quick ? ["network:all"] : NETWORK_CASES.map((_c, i) => `network:${i}`)));
  const self = fileURLToPath(import.meta.url);
  for (const u of units) {
    process.stderr.write(`  ${u} `);
    const r = spawnSync(process.execPath, [self, "--unit", u, ...(quick ? ["--quick"] : [])], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`bench unit ${u} failed with exit code ${r.status}`);
    rows.push(...(JSON.parse(r.stdout) as Row[]));
    process.stderr.write("\n");
  }
  if (only.includes("torch")) torchPeer(machine);
  console.log(report(machine));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine, rows }, null, 1) + "\n");
}

await main();
