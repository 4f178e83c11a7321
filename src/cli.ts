/**
 * The command line: `optimlab run FILE [--backend js|wasm] [--dtype f32|f64]`
 * and `optimlab table`. Bad input exits 2 with one line on stderr and
 * nothing on stdout.
 */
import { readFileSync } from "node:fs";
import type { Backend } from "./backend.js";
import { formatTable, tableRows, tableSpecs } from "./compare.js";
import { check, isFieldError, under } from "./errors.js";
import { normalizeSpec, type BackendName, type NormalizedSpec, type RunResult } from "./run.js";

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
}

export interface CliDeps {
  createBackend(kind?: BackendName): Promise<Backend>;
}

const USAGE = `usage: optimlab run FILE [--backend js|wasm] [--dtype f32|f64]   run JSON spec(s) from FILE ("-" for stdin)
       optimlab report [--out DIR] [--backend js|wasm]            every experiment of the notes as figures (default out/)
       optimlab compare --function NAME[:param=value…] --optimizers NAME[:option=value…],… [--start X,Y]
                [--steps N] [--out FILE.svg|png|gif] [--view contour|surface|loss] [--window X0,X1,Y0,Y1]
                [--dtype f32|f64] [--backend js|wasm]                  your own comparison as a figure
       optimlab plot SPEC.json [--backend js|wasm]                 the same from a JSON comparison spec
       optimlab table [--backend js|wasm]                         compare every optimizer on the notes' problems
       optimlab train FILE [--backend js|wasm] [--dtype f32|f64]  train the network spec(s) in FILE; results as JSON
       optimlab help`;

/** Input the user must fix: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** JSON with non-finite numbers as the strings "NaN", "Infinity", "-Infinity". */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}

function parseFlags(args: string[], allowed: Record<string, readonly string[]>): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const [k, inline] = a.slice(2).split("=", 2);
      if (!(k in allowed)) throw new UsageError(`unknown option --${k}; allowed: ${Object.keys(allowed).map((f) => "--" + f).join(", ") || "none"}`);
      const v = inline ?? args[++i];
      if (v === undefined || (allowed[k].length === 0 && v.startsWith("--"))) throw new UsageError(`--${k} needs a value${allowed[k].length ? ": " + allowed[k].join(" or ") : ""}`);
      // An empty list of allowed values means free text (a path, a list).
      if (allowed[k].length && !allowed[k].includes(v)) throw new UsageError(`--${k} must be ${allowed[k].join(" or ")}; got ${JSON.stringify(v)}`);
      flags[k] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

async function cmdRun(args: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const { positional, flags } = parseFlags(args, { backend: ["js", "wasm"], dtype: ["f32", "f64"] });
  if (positional.length !== 1) throw new UsageError("run needs exactly one FILE (a JSON spec or array of specs; \"-\" reads stdin)");
  const raw = readJson(positional[0], io);
  const many = Array.isArray(raw);
  const list = many ? (raw as unknown[]) : [raw];
  const specs: NormalizedSpec[] = list.map((s, i) =>
    under(many ? `specs[${i}]` : "spec", () => {
      const o = check.object("", s);
      // Command-line flags override the file, so one file can be run on every backend and dtype.
      const merged = { ...o, ...(flags.dtype ? { dtype: flags.dtype } : {}), ...(flags.backend ? { backend: flags.backend } : {}) };
      return normalizeSpec(merged);
    }),
  );
  const backends = new Map<BackendName, Backend>();
  const results: RunResult[] = [];
  for (const s of specs) {
    const name = s.backend ?? "js";
    if (!backends.has(name)) backends.set(name, await deps.createBackend(name));
    results.push(backends.get(name)!.run(s));
  }
  io.stdout(toJson(many ? results : results[0]) + "\n");
  return 0;
}

async function cmdReport(args: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const { positional, flags } = parseFlags(args, { out: [], backend: ["js", "wasm"] });
  if (positional.length) throw new UsageError(`report takes no arguments; got ${JSON.stringify(positional[0])}`);
  const dir = flags.out ?? "out";
  const backend = await deps.createBackend(flags.backend as BackendName | undefined);
  const { writeReport } = await import("./report/write.js");
  const bar = progressBar(io);
  const r = writeReport(dir, { backend, progress: bar });
  io.stderr("\n");
  io.stdout(`optimlab: wrote ${r.files.length} files (${r.figures} figures as SVG + PNG, ${r.animations} GIF animations, results.json) to ${dir}/ in ${r.seconds.toFixed(1)} s on the ${backend.name} backend; open ${dir}/index.html\n`);
  return 0;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
function progressBar(io: CliIO): (done: number, total: number, what: string) => void {
  const tty = Boolean(process.stderr.isTTY);
  let lastTenth = -1;
  return (done, total, what) => {
    const frac = total ? done / total : 0;
    const width = 30;
    const filled = Math.round(frac * width);
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}% ${what}`;
    if (tty) io.stderr(`\r${line.padEnd(72)}`);
    else if (Math.floor(frac * 10) > lastTenth) {
      lastTenth = Math.floor(frac * 10);
      io.stderr(line + "\n");
    }
  };
}

async function cmdCompare(args: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const { positional, flags } = parseFlags(args, {
    function: [], optimizers: [], start: [], steps: [], out: [], window: [], view: ["contour", "surface", "loss"], dtype: ["f32", "f64"], backend: ["js", "wasm"],
  });
  if (positional.length) throw new UsageError(`compare takes options only; got ${JSON.stringify(positional[0])}`);
  if (!flags.function) throw new UsageError("compare needs --function NAME (e.g. --function rosenbrock or --function quadratic:weights=0.2/2)");
  if (!flags.optimizers) throw new UsageError("compare needs --optimizers (e.g. --optimizers sgd:lr=0.001,adam:lr=0.01)");
  const cmp = await import("./report/compare.js");
  // The function takes the optimizers' syntax: name[:param=value…].
  const fnSpec = flags.function.includes(":") ? cmp.parseOptimizerList(flags.function)[0] : flags.function;
  const steps = flags.steps === undefined ? 100 : Number(flags.steps);
  let window: { x: number[]; y: number[] } | undefined;
  if (flags.window) {
    const w = cmp.parsePoint("--window", flags.window);
    if (w.length !== 4) throw new UsageError(`--window must be X0,X1,Y0,Y1; got ${JSON.stringify(flags.window)}`);
    window = { x: [w[0], w[1]], y: [w[2], w[3]] };
  }
  const spec = (() =>
    cmp.normalizeComparison({
      function: fnSpec,
      optimizers: cmp.parseOptimizerList(flags.optimizers),
      ...(flags.start ? { x0: cmp.parsePoint("--start", flags.start) } : {}),
      steps: Number.isInteger(steps) ? steps : flags.steps,
      out: flags.out ?? "compare.svg",
      ...(flags.view ? { view: flags.view } : {}),
      ...(flags.dtype ? { dtype: flags.dtype } : {}),
      ...(window ? { window } : {}),
    }))();
  return writeComparisonCli(spec, io, deps, flags.backend as BackendName | undefined);
}

async function cmdPlot(args: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const { positional, flags } = parseFlags(args, { backend: ["js", "wasm"] });
  if (positional.length !== 1) throw new UsageError("plot needs exactly one SPEC.json (a comparison spec; see the README)");
  const raw = readJson(positional[0], io);
  const cmp = await import("./report/compare.js");
  const spec = cmp.normalizeComparison(raw);
  return writeComparisonCli(spec, io, deps, flags.backend as BackendName | undefined);
}

async function writeComparisonCli(spec: import("./report/compare.js").ComparisonSpec, io: CliIO, deps: CliDeps, backendName: BackendName | undefined): Promise<number> {
  const cmp = await import("./report/compare.js");
  const backend = await deps.createBackend(backendName);
  const { results, file, frames } = cmp.writeComparison(backend, spec);
  const lines = results.map((r, i) => {
    const o = spec.optimizers[i];
    const last = r.loss[r.loss.length - 1];
    return `  ${o.label ?? o.name}: ${r.steps} steps, final loss ${Number.isFinite(last) ? +last.toPrecision(6) : last}${r.stopReason === "steps" ? "" : ` (${r.stopReason})`}`;
  });
  io.stdout(`optimlab: wrote ${file}${frames > 1 ? ` (${frames} frames)` : ""}\n${lines.join("\n")}\n`);
  return 0;
}

function readJson(file: string, io: CliIO): unknown {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

async function cmdTable(args: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const { positional, flags } = parseFlags(args, { backend: ["js", "wasm"] });
  if (positional.length) throw new UsageError(`table takes no arguments; got ${JSON.stringify(positional[0])}`);
  const backend = await deps.createBackend((flags.backend as BackendName) ?? "js");
  const { specs } = tableSpecs();
  io.stdout(formatTable(tableRows(backend.runMany(specs))) + "\n");
  return 0;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIO, deps: CliDeps): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "run":
        return await cmdRun(rest, io, deps);
      case "table":
        return await cmdTable(rest, io, deps);
      case "report":
        return await cmdReport(rest, io, deps);
      case "compare":
        return await cmdCompare(rest, io, deps);
      case "plot":
        return await cmdPlot(rest, io, deps);
      case "train":
        return await (await import("./trainCommand.js")).trainCommand(rest, io, deps);
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE + "\n");
        return 0;
      case undefined:
        throw new UsageError("missing command; try: optimlab help");
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}; commands: run, report, compare, plot, table, train, help`);
    }
  } catch (e) {
    if (e instanceof UsageError || isFieldError(e) || (e as Error)?.name === "WasmUnavailableError") {
      io.stderr(`optimlab: ${oneLine((e as Error).message)}\n`);
      return 2;
    }
    if (process.env.OPTIMLAB_DEBUG) io.stderr(String((e as Error)?.stack ?? e) + "\n");
    io.stderr(`optimlab: internal error: ${oneLine(String((e as Error)?.message ?? e))} (set OPTIMLAB_DEBUG=1 for details)\n`);
    return 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}

/** Node I/O for bin/optimlab.js. */
export const nodeIO: CliIO = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  readFile: (p) => readFileSync(p === "-" ? 0 : p, "utf8"),
};
