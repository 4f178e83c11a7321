/**
 * The command line (bin/optimlab.js). Each subcommand is one entry of
 * {@link COMMANDS}: its flags, its help text and its body; `main` parses,
 * answers `--help`/`-h`/`--version`, and maps errors to exit codes. Bad
 * input exits 2 with one line on stderr and nothing on stdout.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { Backend } from "./backend.js";
import { formatTable, tableRows, tableSpecs } from "./compare.js";
import { check, isFieldError, under, withField } from "./errors.js";
import { maxOf } from "./extrema.js";
import { checkJsonFits } from "./limits.js";
import { writeResultsJson } from "./resultJson.js";
import { normalizeSpec, type BackendName, type NormalizedSpec, type RunResult } from "./run.js";
import type { RunPool } from "./sweep/pool.js";
import { packageVersion } from "./version.js";

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
}

export interface CliDeps {
  createBackend(kind?: BackendName): Promise<Backend>;
  /** A pool of `workers` worker threads (undefined: the machine's cores); without it, sweeps and tuning run in this thread. */
  createPool?(workers: number | undefined): RunPool;
}

/** Input the user must fix: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Errors that are the user's to fix (exit 2, one line), besides field errors. */
const USER_ERRORS = new Set(["UsageError", "OutputError", "MissingPackageError", "WasmUnavailableError"]);

/** JSON with non-finite numbers as the strings "NaN", "Infinity", "-Infinity". */
export function toJson(v: unknown): string {
  // A replacer is called for every value (most of the time of a big batch); only results with a
  // non-finite number need it, and both forms write finite numbers the same.
  return allFinite(v) ? JSON.stringify(v) : JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}

function allFinite(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v !== "object" || v === null) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === "number" ? !Number.isFinite(x) : !allFinite(x)) return false;
    }
    return true;
  }
  for (const x of Object.values(v)) if (!allFinite(x)) return false;
  return true;
}

/** Flags of a command: name → allowed values (empty: free text such as a path). */
type FlagSpec = Record<string, readonly string[]>;
type Flags = Record<string, string>;

interface Command {
  name: string;
  /** One line for the overview. */
  summary: string;
  /** The synopsis after `optimlab `. */
  usage: string;
  flags: FlagSpec;
  /** [flag, what it does] for the help text; the flags' allowed values are added. */
  options: [string, string][];
  example: string;
  run(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number>;
}

const BACKEND: FlagSpec = { backend: ["js", "wasm"] };

const COMMANDS: Command[] = [
  {
    name: "run",
    summary: "run JSON spec(s) from FILE and print the results as JSON",
    usage: "run FILE [--backend js|wasm] [--dtype f32|f64]",
    flags: { ...BACKEND, dtype: ["f32", "f64"] },
    options: [
      ["FILE", 'a JSON run spec or an array of specs ("-" reads stdin); see the README for the fields'],
      ["--backend", "run every spec on this backend (overrides the specs' own backend)"],
      ["--dtype", "run every spec in this precision (overrides the specs' own dtype)"],
    ],
    example: "optimlab run specs.json --backend wasm > results.json",
    run: cmdRun,
  },
  {
    name: "report",
    summary: "every experiment of the course notes as figures and a page",
    usage: "report [--out DIR] [--backend js|wasm]",
    flags: { out: [], ...BACKEND },
    options: [
      ["--out", "the folder to write (default out; its parent must exist); files already there that the report does not write stay"],
      ["--backend", "the backend of the trajectories (default: wasm when the engine has SIMD)"],
    ],
    example: "optimlab report --out out && open out/index.html",
    run: cmdReport,
  },
  {
    name: "compare",
    summary: "your own comparison of optimizers on a function, as a figure",
    usage:
      "compare --function NAME[:param=value…]|expr:FORMULA --optimizers NAME[:option=value…],… [--start X,Y] [--steps N]\n" +
      "        [--out FILE.svg|png|gif] [--view contour|surface|loss] [--window X0,X1,Y0,Y1] [--dtype f32|f64] [--backend js|wasm]",
    flags: { function: [], optimizers: [], start: [], steps: [], out: [], window: [], view: ["contour", "surface", "loss"], dtype: ["f32", "f64"], ...BACKEND },
    options: [
      [
        "--function",
        "a test function and its parameters, e.g. rosenbrock or quadratic:weights=0.2/2, or your own formula verbatim after expr:, e.g. 'expr:atan2(y, x)/2'",
      ],
      ["--optimizers", "comma-separated name[:option=value]… (arrays as a/b), e.g. sgd:lr=0.001,adam:lr=0.01"],
      ["--start", "the start point (default: the function's customary start)"],
      ["--steps", "optimizer steps (default 100)"],
      ["--out", "the figure to write, by extension: .svg (default compare.svg), .png, or .gif (animated)"],
      ["--view", "contour (default for 2-D), surface, or loss (default for N-D)"],
      ["--window", "the plotting window (default: the function's, grown to include the start)"],
      ["--dtype", "precision of the runs (default f64)"],
      ["--backend", "the backend of the runs"],
    ],
    example: "optimlab compare --function rosenbrock --optimizers sgd:lr=0.001,adam:lr=0.01 --start -1.5,2 --steps 300 --out rosen.gif",
    run: cmdCompare,
  },
  {
    name: "plot",
    summary: "the same as compare, from a JSON comparison spec",
    usage: "plot SPEC.json [--backend js|wasm]",
    flags: { ...BACKEND },
    options: [
      ["SPEC.json", "a comparison spec (see the README): function, optimizers (each may have a label and a color), x0, steps, view, window, title, out"],
      ["--backend", "the backend of the runs"],
    ],
    example: "optimlab plot comparison.json   # writes the spec's out, relative to comparison.json",
    run: cmdPlot,
  },
  {
    name: "train",
    summary: "train small dense networks with any optimizer; results as JSON",
    usage: "train FILE [--backend js|wasm] [--dtype f32|f64]",
    flags: { ...BACKEND, dtype: ["f32", "f64"] },
    options: [
      ["FILE", 'a JSON training spec or an array of them ("-" reads stdin); see the README\'s Networks section'],
      ["--backend", "the backend of the trainings (overrides the specs')"],
      ["--dtype", "precision of the trainings (overrides the specs')"],
    ],
    example: "optimlab train moons.json --backend wasm",
    run: async (positional, flags, io, deps) => (await import("./trainCommand.js")).trainCommand(positional, flags, io, deps),
  },
  {
    name: "sweep",
    summary: "run a grid of runs over one or two options (or start coordinates) on every core",
    usage: "sweep SPEC.json [--out FILE.svg|FILE.png] [--json FILE] [--workers N] [--shard K/N]",
    flags: { out: [], json: [], workers: [], shard: [] },
    options: [
      [
        "SPEC.json",
        '{ "run": a run spec, "axes": [{ "path", "from", "to", "count", "scale": "log"|"linear" }, …], "epsilon": 1e-4, "map": "final"|"steps"|"minimum" } ("-" reads stdin); paths: optimizer.lr, optimizer.betas.0, scheduler.gamma, x0.0, x0.1 …',
      ],
      ["--out", "the heatmap: .svg or .png (colours by the spec's map: final loss, steps to f − f* ≤ epsilon, or the minimum each run ends near)"],
      ["--json", "the cells as JSON: { axes, cells: [{ index, final, steps, diverged, minimum }] }"],
      ["--workers", "worker threads (default: the machine's cores); the results are the same for any number"],
      ["--shard", "run only the K-th of N slices of the cells (K from 1) and write a partial result; join the parts with merge"],
    ],
    example: "optimlab sweep adam-lr-beta1.json --out map.png --json cells.json",
    run: async (positional, flags, io, deps) => (await import("./sweepCommands.js")).sweepCommand(positional, flags, io, deps),
  },
  {
    name: "merge",
    summary: "join the partial results of sweep --shard K/N into the whole sweep's",
    usage: "merge PART… --json OUT",
    flags: { json: [] },
    options: [
      ["PART…", "every shard's --json file (any order)"],
      ["--json", "the merged result: exactly what the sweep gives unsharded"],
    ],
    example: "optimlab merge part-1.json part-2.json part-3.json --json cells.json",
    run: async (positional, flags, io) => (await import("./sweepCommands.js")).mergeCommand(positional, flags, io),
  },
  {
    name: "tune",
    summary: "the best learning rate of each optimizer for an objective, over several starts, on every core",
    usage:
      "tune --function F --optimizers SPECS [--start X,Y | --starts N [--seed S]] --steps T [--objective final|auc|steps] [--epsilon E]\n" +
      "        [--also PATH[:LO,HI]] [--budget RUNS] [--lr-range LO,HI] [--json FILE] [--out FILE.svg|png|gif] [--workers N] [--dim D] [--dtype f32|f64] [--backend js|wasm]",
    flags: {
      function: [],
      optimizers: [],
      start: [],
      starts: [],
      seed: [],
      steps: [],
      objective: ["final", "auc", "steps"],
      epsilon: [],
      also: [],
      budget: [],
      "lr-range": [],
      json: [],
      out: [],
      workers: [],
      dim: [],
      dtype: ["f32", "f64"],
      ...BACKEND,
    },
    options: [
      ["--function", "a test function (compare's syntax, or expr:FORMULA with minima); it needs a known minimum f*"],
      ["--optimizers", "compare's syntax, e.g. sgd:momentum=0.9,adam; every option but lr stays as given"],
      ["--start", "one start point (default: the function's customary start)"],
      ["--starts", "N starts drawn uniformly in the function's domain (seeded by --seed, default 0); the median over them counts"],
      ["--seed", "the seed of --starts"],
      ["--steps", "T, the steps of every run (for an optimizer that evaluates f several times per step, T evaluations: maxEvals)"],
      [
        "--objective",
        "auc (default): mean of log10(max(f − f*, 0) + 1e-16) over the steps; final: that at the last step; steps: the first step with f − f* ≤ ε (T + 1 when never); all smaller-is-better, diverged runs last",
      ],
      ["--epsilon", "ε of the steps objective (default 1e-4)"],
      ["--also", "tune one more option too, e.g. betas.0 or momentum, over LO,HI (default 0,0.99, linear)"],
      [
        "--budget",
        "runs per optimizer (one start at one setting), default 48 × starts: a grid of 16 lrs (8 lrs × 5 values with --also), then refinement around the three best",
      ],
      ["--lr-range", "the lr range, log-spaced (default 1e-5,10)"],
      ["--json", "the results: [{ optimizer, lr, also, objective, spread: [min, max] }]"],
      ["--out", "the race of the tuned optimizers from the first start: .svg, .png or .gif"],
      ["--workers", "worker threads (default: the machine's cores)"],
      ["--dim", "the dimension of an N-D function (default: the start's length, or the function's)"],
      ["--dtype", "precision of the runs (default f64)"],
      ["--backend", "the backend of the runs (default wasm)"],
    ],
    example:
      "optimlab tune --function rosenbrock --optimizers sgd:momentum=0.9,adam,rmsprop --starts 5 --steps 1000 --objective auc --json tuned.json --out race.png",
    run: async (positional, flags, io, deps) => (await import("./sweepCommands.js")).tuneCommand(positional, flags, io, deps),
  },
  {
    name: "table",
    summary: "every optimizer on the notes' problems, as a table",
    usage: "table [--backend js|wasm]",
    flags: { ...BACKEND },
    options: [["--backend", "the backend of the runs (default js)"]],
    example: "optimlab table --backend wasm",
    run: cmdTable,
  },
];

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function overview(): string {
  const w = maxOf(COMMANDS, (c) => c.name.length);
  return [
    "usage: optimlab COMMAND [options]        (optimlab COMMAND --help for its options)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    `  ${"help".padEnd(w)}  this text, or help COMMAND`,
    "",
    "options: --help, -h   this text        --version, -v   the version",
  ].join("\n");
}

function commandHelp(c: Command): string {
  const w = Math.max(
    maxOf(c.options, ([f]) => f.length),
    "--help, -h".length,
  );
  const allowed = (flag: string) => {
    const values = c.flags[flag.replace(/^--/, "")];
    return values?.length ? ` (${values.join(" or ")})` : "";
  };
  return [
    `usage: optimlab ${c.usage}`,
    "",
    c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + ".",
    "",
    "options:",
    ...c.options.map(([f, text]) => `  ${f.padEnd(w)}  ${text}${allowed(f)}`),
    `  ${"--help, -h".padEnd(w)}  this text`,
    "",
    "example:",
    `  ${c.example}`,
  ].join("\n");
}

const wantsHelp = (args: string[]) => args.some((a) => a === "--help" || a === "-h");

function parseFlags(args: string[], allowed: FlagSpec): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const [k, inline] = a.slice(2).split("=", 2);
      if (!(k in allowed))
        throw new UsageError(
          `unknown option --${k}; allowed: ${
            Object.keys(allowed)
              .map((f) => "--" + f)
              .join(", ") || "none"
          }`,
        );
      const v = inline ?? args[++i];
      if (v === undefined || (allowed[k].length === 0 && v.startsWith("--")))
        throw new UsageError(`--${k} needs a value${allowed[k].length ? ": " + allowed[k].join(" or ") : ""}`);
      // An empty list of allowed values means free text (a path, a list).
      if (allowed[k].length && !allowed[k].includes(v)) throw new UsageError(`--${k} must be ${allowed[k].join(" or ")}; got ${JSON.stringify(v)}`);
      flags[k] = v;
    } else if (a.startsWith("-") && a !== "-") {
      throw new UsageError(
        `unknown option ${a}; allowed: ${Object.keys(allowed)
          .map((f) => "--" + f)
          .join(", ")}, --help`,
      );
    } else positional.push(a);
  }
  return { positional, flags };
}

async function cmdRun(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length !== 1) throw new UsageError('run needs exactly one FILE (a JSON spec or array of specs; "-" reads stdin)');
  const raw = readJson(positional[0], io);
  const many = Array.isArray(raw);
  const list = many ? (raw as unknown[]) : [raw];
  const prefix = (i: number) => (many ? `specs[${i}]` : "spec");
  const specs: NormalizedSpec[] = list.map((s, i) =>
    under(prefix(i), () => {
      const o = check.object("", s);
      // Command-line flags override the file, so one file can be run on every backend and dtype.
      const merged = { ...o, ...(flags.dtype ? { dtype: flags.dtype } : {}), ...(flags.backend ? { backend: flags.backend } : {}) };
      return normalizeSpec(merged);
    }),
  );
  // Before any run: the results must fit in one JSON text.
  checkJsonFits(
    specs.map((s) => ({ dim: s.x0.length, steps: s.steps, record: s.record, dtype: s.dtype })),
    prefix,
  );
  // One runMany per backend (it batches the runs), results back in the file's order.
  const byBackend = new Map<BackendName, number[]>();
  specs.forEach((s, i) => {
    const name = s.backend ?? "js";
    const list = byBackend.get(name);
    if (list) list.push(i);
    else byBackend.set(name, [i]);
  });
  const results: RunResult[] = new Array(specs.length);
  for (const [name, indices] of byBackend) {
    const backend = await deps.createBackend(name);
    const out = backend.runMany(indices.map((i) => specs[i]));
    indices.forEach((i, k) => (results[i] = out[k]));
  }
  writeResultsJson(many ? results : results[0], io.stdout);
  io.stdout("\n");
  return 0;
}

async function cmdReport(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length) throw new UsageError(`report takes no arguments; got ${JSON.stringify(positional[0])}`);
  const dir = flags.out ?? "out";
  const { checkOutputDir } = await import("./output.js");
  checkOutputDir(dir);
  const backend = await deps.createBackend(flags.backend as BackendName | undefined);
  const { writeReport } = await import("./report/write.js");
  const bar = progressBar(io);
  const pool = deps.createPool?.(undefined);
  let r: Awaited<ReturnType<typeof writeReport>>;
  try {
    r = await writeReport(dir, { backend, progress: bar, pool });
  } finally {
    pool?.close();
  }
  io.stderr("\n");
  io.stdout(
    `optimlab: wrote ${r.files.length} files (${r.figures} figures as SVG + PNG, ${r.animations} GIF animations, results.json) to ${dir}/ in ${r.seconds.toFixed(1)} s on the ${backend.name} backend; open ${dir}/index.html\n`,
  );
  return 0;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
export function progressBar(io: CliIO): (done: number, total: number, what: string) => void {
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

async function cmdCompare(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length) throw new UsageError(`compare takes options only; got ${JSON.stringify(positional[0])}`);
  if (!flags.function) throw new UsageError("compare needs --function NAME (e.g. --function rosenbrock or --function quadratic:weights=0.2/2)");
  if (!flags.optimizers) throw new UsageError("compare needs --optimizers (e.g. --optimizers sgd:lr=0.001,adam:lr=0.01)");
  const cmp = await import("./report/compare.js");
  // The function takes the optimizers' syntax, name[:param=value…], or a formula verbatim after "expr:".
  const fnSpec = cmp.parseFunctionOption(flags.function);
  const steps = flags.steps === undefined ? 100 : Number(flags.steps);
  let window: { x: number[]; y: number[] } | undefined;
  if (flags.window) {
    const w = cmp.parsePoint("--window", flags.window);
    if (w.length !== 4) throw new UsageError(`--window must be X0,X1,Y0,Y1; got ${JSON.stringify(flags.window)}`);
    window = { x: [w[0], w[1]], y: [w[2], w[3]] };
  }
  // The spec's fields are the flags here: `out` is `--out`.
  const spec = asFlags({ out: "--out" }, () =>
    cmp.normalizeComparison({
      function: fnSpec,
      optimizers: cmp.parseOptimizerList(flags.optimizers),
      ...(flags.start ? { x0: cmp.parsePoint("--start", flags.start) } : {}),
      steps: Number.isInteger(steps) ? steps : flags.steps,
      out: flags.out ?? "compare.svg",
      ...(flags.view ? { view: flags.view } : {}),
      ...(flags.dtype ? { dtype: flags.dtype } : {}),
      ...(window ? { window } : {}),
    }),
  );
  return writeComparisonCli(spec, "--out", io, deps, flags.backend as BackendName | undefined);
}

/** Runs `fn`, renaming the fields of its field errors to the flags that set them. */
function asFlags<T>(names: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isFieldError(e) && e.field in names) throw withField(e, names[e.field]);
    throw e;
  }
}

async function cmdPlot(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length !== 1) throw new UsageError("plot needs exactly one SPEC.json (a comparison spec; see the README)");
  const file = positional[0];
  const raw = readJson(file, io);
  const cmp = await import("./report/compare.js");
  const spec = cmp.normalizeComparison(raw);
  // `out` is relative to the spec file, so a spec works from any folder.
  const base = file === "-" ? process.cwd() : dirname(resolve(file));
  const out = isAbsolute(spec.out) ? spec.out : resolve(base, spec.out);
  return writeComparisonCli({ ...spec, out }, "out", io, deps, flags.backend as BackendName | undefined);
}

async function writeComparisonCli(
  spec: import("./report/compare.js").ComparisonSpec,
  option: string,
  io: CliIO,
  deps: CliDeps,
  backendName: BackendName | undefined,
): Promise<number> {
  const cmp = await import("./report/compare.js");
  const backend = await deps.createBackend(backendName);
  const { results, file, frames } = await cmp.writeComparison(backend, spec, { option });
  const lines = results.map((r, i) => {
    const o = spec.optimizers[i];
    const last = r.loss[r.loss.length - 1];
    return `  ${o.label ?? o.name}: ${r.steps} steps, final loss ${Number.isFinite(last) ? +last.toPrecision(6) : last}${r.stopReason === "steps" ? "" : ` (${r.stopReason})`}`;
  });
  io.stdout(`optimlab: wrote ${file}${frames > 1 ? ` (${frames} frames)` : ""}\n${lines.join("\n")}\n`);
  return 0;
}

/** FILE's JSON ("-": stdin); unreadable or invalid text is a UsageError naming the file. */
export function readJson(file: string, io: CliIO): unknown {
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

async function cmdTable(positional: string[], flags: Flags, io: CliIO, deps: CliDeps): Promise<number> {
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
    if (cmd === "--version" || cmd === "-v") {
      io.stdout(packageVersion() + "\n");
      return 0;
    }
    if (cmd === undefined) throw new UsageError("missing command; try: optimlab --help");
    if (cmd === "help" || cmd === "--help" || cmd === "-h") {
      const topic = cmd === "help" ? rest[0] : undefined;
      const c = topic === undefined ? undefined : findCommand(topic);
      if (topic !== undefined && !c) throw new UsageError(`no command ${JSON.stringify(topic)}; commands: ${COMMANDS.map((x) => x.name).join(", ")}`);
      io.stdout((c ? commandHelp(c) : overview()) + "\n");
      return 0;
    }
    const c = findCommand(cmd);
    if (!c) throw new UsageError(`unknown command ${JSON.stringify(cmd)}; commands: ${COMMANDS.map((x) => x.name).join(", ")}, help`);
    if (wantsHelp(rest)) {
      io.stdout(commandHelp(c) + "\n");
      return 0;
    }
    const { positional, flags } = parseFlags(rest, c.flags);
    return await c.run(positional, flags, io, deps);
  } catch (e) {
    if ((e as Error)?.name === "CancelledError") {
      io.stderr("\noptimlab: cancelled; nothing written\n");
      return 130;
    }
    if (isFieldError(e) || USER_ERRORS.has((e as Error)?.name)) {
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
