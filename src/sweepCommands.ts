/**
 * The bodies of `optimlab sweep`, `optimlab merge` and `optimlab tune`
 * (src/cli.ts holds their flags and help). Every input is checked before
 * any run starts; outputs are written only when the work is done, through
 * src/output.ts; Ctrl-C cancels the pool (exit 130, nothing written).
 */
import { isFieldError, rangeError, withField, type FieldError } from "./errors.js";
import { progressBar, readJson, toJson, UsageError, type CliDeps, type CliIO } from "./cli.js";
import { functionTitle, type FunctionSpec } from "./functions/index.js";
import { normalizeSpec, type BackendName, type RunSpec } from "./run.js";
import { CancelledError, localPool, type RunPool } from "./sweep/pool.js";
import { mergeSweeps, parseShard } from "./sweep/shard.js";
import { normalizeSweep, runSweep, sweepSummary } from "./sweep/sweep.js";
import { sweepSvg } from "./sweep/figure.js";
import { fStar } from "./sweep/cells.js";
import { optimizerOptions } from "./sweep/paths.js";
import { OBJECTIVES, type Objective } from "./sweep/objective.js";
import {
  DEFAULT_ALSO_RANGE,
  DEFAULT_LR_RANGE,
  DEFAULT_SETTINGS,
  drawStarts,
  evaluatesPerStep,
  tune,
  type TuneEntry,
  type TuneOutcome,
  type TuneResult,
} from "./sweep/tune.js";

type Flags = Record<string, string>;

/** `--workers N`: an integer in [1, 1024]; undefined: the machine's cores. */
function workersFlag(flags: Flags): number | undefined {
  if (flags.workers === undefined) return undefined;
  const n = Number(flags.workers);
  if (!/^\d+$/.test(flags.workers) || !(n >= 1 && n <= 1024))
    throw new UsageError(`--workers must be an integer in [1, 1024]; got ${JSON.stringify(flags.workers)}`);
  return n;
}

function makePool(deps: CliDeps, workers: number | undefined): RunPool {
  return deps.createPool ? deps.createPool(workers) : localPool((name) => deps.createBackend(name));
}

/** Runs `work` with Ctrl-C wired to an AbortSignal (the pool stops; the command exits 130). */
async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const c = new AbortController();
  const stop = () => c.abort();
  process.on("SIGINT", stop);
  try {
    return await work(c.signal);
  } finally {
    process.off("SIGINT", stop);
  }
}

/** Checks --json and --out before the work (same file refused); `exts` are --out's allowed endings. */
async function checkOutputs(flags: Flags, exts: string[]): Promise<void> {
  const { checkOutputFile } = await import("./output.js");
  if (flags.out !== undefined) {
    if (!new RegExp(`\\.(${exts.join("|")})$`, "i").test(flags.out))
      throw new UsageError(`--out must end in ${exts.map((e) => "." + e).join(" or ")}; got ${JSON.stringify(flags.out)}`);
    checkOutputFile(flags.out, "--out");
    if (/\.(png|gif)$/i.test(flags.out)) {
      const { loadRaster } = await import("./plot/export.js");
      await loadRaster(`${/\.gif$/i.test(flags.out) ? "GIF" : "PNG"} output (--out ${flags.out})`);
    }
  }
  if (flags.json !== undefined) {
    checkOutputFile(flags.json, "--json");
    const { resolve } = await import("node:path");
    if (flags.out !== undefined && resolve(flags.out) === resolve(flags.json)) throw new UsageError("--json: is the same file as --out; give two files");
  }
}

export async function sweepCommand(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length !== 1) throw new UsageError('sweep needs exactly one SPEC.json (a sweep spec; "-" reads stdin); see the README');
  const spec = normalizeSweep(readJson(positional[0], io));
  const shard = flags.shard === undefined ? undefined : parseShard("--shard", flags.shard);
  if (shard && flags.out !== undefined) throw new UsageError("--out: a shard holds only part of the cells; draw the whole sweep (run it without --shard)");
  const workers = workersFlag(flags);
  await checkOutputs(flags, ["svg", "png"]);
  const pool = makePool(deps, workers);
  const t0 = performance.now();
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    const bar = progressBar(io);
    result = await cancellable((signal) => runSweep(spec, pool, { shard, signal, onProgress: (d, t) => bar(d, t, `${d} / ${t} cells`) }));
    if (process.stderr.isTTY) io.stderr("\n");
  } finally {
    pool.close();
  }
  const { writeOutputFile } = await import("./output.js");
  const lines: string[] = [];
  if (flags.json !== undefined) {
    writeOutputFile(flags.json, toJson(result) + "\n", "--json");
    lines.push(`optimlab: wrote ${flags.json} (${result.cells.length} cells${shard ? `, shard ${shard[0]}/${shard[1]}` : ""})`);
  }
  if (flags.out !== undefined) {
    const svg = sweepSvg(spec, result);
    const png = /\.png$/i.test(flags.out);
    writeOutputFile(flags.out, png ? (await import("./plot/export.js")).svgToPng(svg) : svg, "--out");
    lines.push(`optimlab: wrote ${flags.out}`);
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  lines.push(
    `optimlab: ${result.cells.length} cells of ${spec.run.optimizer.name} on ${functionTitle(spec.run.fn)} (${spec.run.steps} steps each) in ${secs} s on ${pool.size} worker${pool.size > 1 ? "s" : ""} (${spec.backend})`,
  );
  lines.push(sweepSummary(spec, result));
  io.stdout(lines.join("\n") + "\n");
  return 0;
}

export async function mergeCommand(positional: string[], flags: Flags, io: CliIO): Promise<number> {
  if (positional.length === 0) throw new UsageError("merge needs the PART files written by sweep --shard K/N");
  if (flags.json === undefined) throw new UsageError("merge needs --json OUT (the merged result)");
  await checkOutputs(flags, []);
  const merged = mergeSweeps(positional.map((name) => ({ name, value: readJson(name, io) })));
  const { writeOutputFile } = await import("./output.js");
  writeOutputFile(flags.json, toJson(merged) + "\n", "--json");
  io.stdout(`optimlab: wrote ${flags.json} (${merged.cells.length} cells from ${positional.length} parts)\n`);
  return 0;
}

/** Parses "LO,HI" (0 < LO < HI for a log range). */
function rangeFlag(flag: string, text: string, log: boolean): [number, number] {
  const p = text.split(",");
  const lo = Number(p[0]),
    hi = Number(p[1]);
  if (p.length !== 2 || p.some((x) => x.trim() === "") || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo) || (log && !(lo > 0))) {
    throw new UsageError(`${flag} must be LO,HI with ${log ? "0 < LO < HI" : "LO < HI"}, e.g. ${log ? "1e-5,10" : "0.5,0.999"}; got ${JSON.stringify(text)}`);
  }
  return [lo, hi];
}

function intFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !(n >= min && n <= max)) throw new UsageError(`${flag} must be an integer in [${min}, ${max}]; got ${JSON.stringify(text)}`);
  return n;
}

/** Renames a run's field errors to the flags that set them (`optimizer.betas` → `--optimizers[1].betas`). */
function asTuneFlags<T>(i: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isFieldError(e)) throw e;
    const f = (e as FieldError).field;
    const to = f.startsWith("optimizer.")
      ? `--optimizers[${i}].${f.slice("optimizer.".length)}`
      : f === "x0"
        ? "--start"
        : f === "steps"
          ? "--steps"
          : f === "dim"
            ? "--dim"
            : f.startsWith("function")
              ? "--function"
              : f === "maxEvals"
                ? "--steps"
                : f === "budget"
                  ? "--budget"
                  : f;
    throw withField(e as FieldError, to);
  }
}

export async function tuneCommand(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length) throw new UsageError(`tune takes options only; got ${JSON.stringify(positional[0])}`);
  if (!flags.function) throw new UsageError("tune needs --function NAME (e.g. --function rosenbrock)");
  if (!flags.optimizers) throw new UsageError("tune needs --optimizers (compare's syntax, e.g. sgd:momentum=0.9,adam)");
  if (flags.steps === undefined) throw new UsageError("tune needs --steps T (the steps of every run; evaluations for L-BFGS)");
  const cmp = await import("./report/compare.js");
  const fnSpec = cmp.parseFunctionOption(flags.function) as FunctionSpec;
  const steps = intFlag("--steps", flags.steps, 1, 1_000_000)!;
  const dim = intFlag("--dim", flags.dim, 1, 1 << 20);
  if (flags.start !== undefined && flags.starts !== undefined)
    throw new UsageError("--start and --starts exclude each other: one start point, or N drawn ones");
  if (flags.seed !== undefined && flags.starts === undefined) throw new UsageError("--seed needs --starts N (the seed of the drawn starts)");
  const start = flags.start === undefined ? undefined : cmp.parsePoint("--start", flags.start);
  const fn = asTuneFlags(
    0,
    () => normalizeSpec({ function: fnSpec, optimizer: { name: "sgd" }, steps: 0, ...(start ? { x0: start } : dim ? { dim, x0: 0 } : {}) }).fn,
  );
  const nStarts = intFlag("--starts", flags.starts, 1, 1000);
  const seed = intFlag("--seed", flags.seed, 0, 0xffffffff) ?? 0;
  const starts = start ? [start] : nStarts ? drawStarts(fn, nStarts, seed) : [fn.start.slice()];
  const objective = (flags.objective ?? "auc") as Objective;
  const epsilon = flags.epsilon === undefined ? 1e-4 : Number(flags.epsilon);
  if (!(epsilon >= 0) || flags.epsilon?.trim() === "") throw new UsageError(`--epsilon must be a number ≥ 0; got ${JSON.stringify(flags.epsilon)}`);
  const budget = intFlag("--budget", flags.budget, 1, 1e9);
  const lrRange = flags["lr-range"] === undefined ? DEFAULT_LR_RANGE : rangeFlag("--lr-range", flags["lr-range"], true);
  let also: { path: string; range: readonly [number, number] } | undefined;
  if (flags.also !== undefined) {
    const [path, range] = flags.also.split(":", 2);
    if (!/^[A-Za-z]\w*(\.\d+)?$/.test(path) || path === "lr")
      throw new UsageError(
        `--also must be an option path of the optimizers such as betas.0 or momentum (not lr), optionally :LO,HI; got ${JSON.stringify(flags.also)}`,
      );
    also = { path, range: range === undefined ? DEFAULT_ALSO_RANGE : rangeFlag("--also", range, false) };
  }
  const f0 = fStar(fn);
  if (f0 === undefined)
    throw rangeError("--function", `${functionTitle(fn)} has no known minimum, so f − f* has no f*; give a function with minima (a formula's "minima")`);
  const texts = flags.optimizers.split(",").map((t) => t.trim());
  const entries: TuneEntry[] = cmp.parseOptimizerList(flags.optimizers).map((o, i) => ({ text: texts[i], optimizer: o as TuneEntry["optimizer"] }));
  const dtype = (flags.dtype ?? "f64") as "f32" | "f64";
  const backend = (flags.backend ?? "wasm") as BackendName;
  // Each optimizer's run, checked now (the tuner checks the ends of the ranges too).
  entries.forEach((e, i) =>
    asTuneFlags(i, () =>
      normalizeSpec({
        function: fnSpec,
        optimizer: e.optimizer as RunSpec["optimizer"],
        x0: starts[0],
        steps,
        dtype,
        ...(evaluatesPerStep(e.optimizer.name) ? { maxEvals: steps } : {}),
      } as RunSpec),
    ),
  );
  const workers = workersFlag(flags);
  await checkOutputs(flags, ["svg", "png", "gif"]);
  const problem = { function: fnSpec, fn, starts, steps, dtype, backend, epsilon, fStar: f0 };
  const pool = makePool(deps, workers);
  const t0 = performance.now();
  let results: TuneOutcome[];
  try {
    const bar = progressBar(io);
    results = await cancellable((signal) =>
      tune(problem, entries, { objectives: [objective], budget, lrRange, also }, pool, { signal, onProgress: (d, t) => bar(d, t, `${d} / ${t} runs`) }).catch(
        (e) =>
          asTuneFlags(0, () => {
            throw e;
          }),
      ),
    );
    if (process.stderr.isTTY) io.stderr("\n");
  } finally {
    pool.close();
  }
  const secs = (performance.now() - t0) / 1000;
  const { writeOutputFile } = await import("./output.js");
  const lines: string[] = [];
  const json = results.map((r) => ({ optimizer: r.optimizer, lr: r.lr, also: r.also, objective: r.objective, spread: r.spread }));
  if (flags.json !== undefined) {
    writeOutputFile(flags.json, toJson(json) + "\n", "--json");
    lines.push(`optimlab: wrote ${flags.json}`);
  }
  if (flags.out !== undefined) {
    const race = await cmp.writeComparison(
      await deps.createBackend(backend),
      {
        function: fnSpec,
        optimizers: results.map((r, i) => ({ ...entries[i].optimizer, lr: r.lr, ...alsoOptions(entries[i], r), label: tunedLabel(r) })),
        x0: starts[0],
        steps,
        dtype,
        out: flags.out,
        title: `${functionTitle(fn)}: tuned for ${objective} (${starts.length} start${starts.length > 1 ? "s" : ""}), ${steps} steps`,
      },
      { option: "--out" },
    );
    lines.push(`optimlab: wrote ${race.file}`);
  }
  const budgetRuns = budget ?? DEFAULT_SETTINGS * starts.length;
  lines.push(
    `optimlab: tuned ${entries.length} optimizer${entries.length > 1 ? "s" : ""} on ${functionTitle(fn)} for ${objective} (${OBJECTIVE_TEXT[objective]}), ${starts.length} start${starts.length > 1 ? "s" : ""}, ${steps} steps, at most ${budgetRuns} runs each, lr in [${lrRange.map((v) => (v < 1e-3 ? v.toExponential() : String(v))).join(", ")}], in ${secs.toFixed(1)} s on ${pool.size} worker${pool.size > 1 ? "s" : ""}`,
  );
  lines.push(tuneTable(results, objective, also?.path));
  io.stdout(lines.join("\n") + "\n");
  return 0;
}

const OBJECTIVE_TEXT: Record<Objective, string> = {
  final: "log10 of f(x_T) − f*",
  auc: "mean of log10 of f − f* over the steps",
  steps: "steps to f − f* ≤ ε",
};

/** A legend entry: the optimizer as given, its tuned lr (and other option) to 3 digits. */
export function tunedLabel(r: TuneResult): string {
  return `${r.optimizer} lr=${+r.lr.toPrecision(3)}${
    r.also
      ? Object.entries(r.also)
          .map(([k, v]) => ` ${k}=${+v.toPrecision(3)}`)
          .join("")
      : ""
  }`;
}

/** The tuned setting of `also` as optimizer options (betas.0 → a betas pair). */
function alsoOptions(e: TuneEntry, r: TuneOutcome): Record<string, unknown> {
  if (!r.also) return {};
  const [path, v] = Object.entries(r.also)[0];
  const [k, i] = path.split(".");
  if (i === undefined) return { [k]: v };
  const arr = (optimizerOptions(e.optimizer as RunSpec["optimizer"])[k] as number[]).slice();
  arr[Number(i)] = v;
  return { [k]: arr };
}

/** The table: rank by the objective (diverged last), best lr, objective, spread. */
export function tuneTable(results: readonly TuneOutcome[], objective: Objective, alsoPath?: string): string {
  const order = results
    .map((_r, i) => i)
    .sort((a, b) => (results[a].objective < results[b].objective ? -1 : results[a].objective > results[b].objective ? 1 : a - b));
  const show = (v: number) => (Number.isFinite(v) ? String(+v.toPrecision(4)) : v > 0 ? "diverged" : String(v));
  const rows = order.map((i, rank) => {
    const r = results[i];
    return [
      String(rank + 1),
      r.optimizer,
      String(+r.lr.toPrecision(4)),
      ...(alsoPath ? [String(+r.also![alsoPath].toPrecision(4))] : []),
      show(r.objective),
      `[${show(r.spread[0])}, ${show(r.spread[1])}]`,
    ];
  });
  const head = ["rank", "optimizer", "best lr", ...(alsoPath ? [alsoPath] : []), objective, "spread over starts"];
  const w = head.map((h, j) => rows.reduce((m, r) => Math.max(m, r[j].length), h.length));
  return [head, ...rows]
    .map(
      (r) =>
        "  " +
        r
          .map((c, j) => c.padEnd(w[j]))
          .join("  ")
          .trimEnd(),
    )
    .join("\n");
}

export { OBJECTIVES, CancelledError };
