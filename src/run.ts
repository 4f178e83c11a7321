/**
 * Run specs (the CLI's JSON contract) and the reference run engine.
 *
 * One step t of a run: evaluate f and ∇f at xₜ, record xₜ and f(xₜ), check
 * the stopping rules, take one optimizer step with the current lr (recorded),
 * then one scheduler step (ReduceLROnPlateau is given f(xₜ)).
 */
import { allocate, RUN_DEFAULTS, type DType, type Param, type RecordMode, type StopReason } from "./api.js";
import { check, checkKnownKeys, isFieldError, rangeError, under, withPrefix } from "./errors.js";
import { createFunction, functionDimensions, type FunctionSpec, type TestFunction } from "./functions/index.js";
import { checkRunFits, checkRunsFit } from "./limits.js";
import { createOptimizer, resolveOptimizer, type OptimizerName } from "./optim/index.js";
import type { Optimizer } from "./optim/optimizer.js";
import { createScheduler, schedulerStepLimit, type LRScheduler, type SchedulerSpec } from "./schedulers.js";

export type BackendName = "js" | "wasm";

/** A run as written in JSON (see the README's CLI section). */
export interface RunSpec {
  function: FunctionSpec;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  scheduler?: SchedulerSpec;
  /** Start point, or one number repeated `dim` times; default: the function's customary start. */
  x0?: number[] | number;
  dim?: number;
  steps: number;
  dtype?: DType;
  backend?: BackendName;
  record?: RecordMode;
  /** Early stopping: stop after `patience` consecutive steps whose |Δloss| < tol. */
  tol?: number;
  patience?: number;
}

/** A validated spec with every default filled in. */
export interface NormalizedSpec {
  function: FunctionSpec;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  scheduler: SchedulerSpec | undefined;
  x0: number[];
  steps: number;
  dtype: DType;
  backend: BackendName | undefined;
  record: RecordMode;
  tol: number | undefined;
  /** undefined: the default ({@link RUN_DEFAULTS}.patience), so normalizing twice gives the same spec. */
  patience: number | undefined;
}

export interface RunResult {
  /** Recorded points: x0 first, the final point last (all of them with `record: "all"`). */
  x: number[][];
  /** f at each point of `x`, or at every point with `record: "loss"`. */
  loss: number[];
  /** The learning rate used at each step taken. */
  lr: number[];
  /** Optimizer steps taken. */
  steps: number;
  /** `steps`: ran them all; `tol`: early stopping; `diverged`: f became NaN or ±Infinity. */
  stopReason: StopReason;
}

const SPEC_KEYS = ["function", "optimizer", "scheduler", "x0", "dim", "steps", "dtype", "backend", "record", "tol", "patience"] as const;

/** Upper bound on `steps`, so a typo cannot ask for an unbounded allocation. */
export const MAX_STEPS = 10_000_000;

/** Upper bound on a run's dimension (`dim`, x0's length). Memory limits: see src/limits.ts. */
export const MAX_DIM = 2 ** 20;

/**
 * Checks a spec completely (by building its function, optimizer and
 * scheduler once) and fills defaults. Errors name the field, e.g.
 * `optimizer.betas: …`; the caller prefixes `specs[3]`.
 */
export function normalizeSpec(raw: unknown): NormalizedSpec {
  const s = check.object("", raw);
  checkKnownKeys(s, SPEC_KEYS, "a run spec");
  if (s.function === undefined) throw rangeError("function", "is required: a function name or {name, ...params}");
  if (s.optimizer === undefined) throw rangeError("optimizer", "is required: {name, ...options}");
  if (s.steps === undefined) throw rangeError("steps", "is required: an integer ≥ 0");
  const steps = check.number("steps", s.steps, { min: 0, max: MAX_STEPS, integer: true });
  const dtype = s.dtype === undefined ? RUN_DEFAULTS.dtype : check.oneOf("dtype", s.dtype, ["f32", "f64"] as const);
  const backend = s.backend === undefined ? undefined : check.oneOf("backend", s.backend, ["js", "wasm"] as const);
  const record = s.record === undefined ? RUN_DEFAULTS.record : check.oneOf("record", s.record, ["all", "loss", "final"] as const);
  const tol = s.tol === undefined ? undefined : check.number("tol", s.tol, { min: 0 });
  const patience = s.patience === undefined ? undefined : check.number("patience", s.patience, { min: 1, integer: true });
  if (s.patience !== undefined && tol === undefined) throw rangeError("patience", "needs tol (stop after `patience` steps with |Δloss| < tol)");

  let dim: number | undefined;
  if (s.dim !== undefined) dim = check.number("dim", s.dim, { min: 1, max: MAX_DIM, integer: true });
  let x0: number[] | undefined;
  if (typeof s.x0 === "number") {
    const v = check.finite("x0", s.x0);
    if (dim === undefined) throw rangeError("dim", "is required when x0 is a single number");
    x0 = new Array<number>(dim).fill(v);
  } else if (s.x0 !== undefined) {
    const arr = check.array("x0", s.x0);
    if (arr.length === 0) throw rangeError("x0", "must not be empty");
    if (arr.length > MAX_DIM) throw rangeError("x0", `has ${arr.length} elements; at most ${MAX_DIM} (2^20) are allowed`);
    x0 = arr.map((v, i) => check.finite(`x0[${i}]`, v));
    if (dim !== undefined && dim !== x0.length) throw rangeError("dim", `is ${dim} but x0 has ${x0.length} elements`);
  }
  const fnSpec = s.function as FunctionSpec;
  const fn = functionAt(fnSpec, x0?.length ?? dim, Array.isArray(s.x0) ? "x0" : "dim");
  if (x0 === undefined) x0 = fn.start.slice();
  if (x0.length !== fn.dim) throw rangeError("x0", `has ${x0.length} elements; ${fn.name} here is ${fn.dim}-dimensional`);
  checkRunFits({ dim: fn.dim, steps, record, dtype });

  const optRaw = check.object("optimizer", s.optimizer);
  const { name: optName, ...optOptions } = optRaw;
  under("optimizer", () => resolveOptimizer(optName, optOptions));
  // Build once so every cross-option check runs now, not mid-run.
  const probe = under("optimizer", () =>
    createOptimizer(optName as OptimizerName, [{ data: allocate(dtype, 1), grad: allocate(dtype, 1) }], optOptions),
  );
  let scheduler: SchedulerSpec | undefined;
  if (s.scheduler !== undefined) {
    scheduler = check.object("scheduler", s.scheduler) as SchedulerSpec;
    under("scheduler", () => createScheduler(probe, scheduler!));
    const limit = schedulerStepLimit(scheduler);
    if (steps > limit) {
      throw rangeError("steps", `is ${steps} but the scheduler accepts at most ${limit} steps (its oneCycleLR totalSteps); lower steps or raise totalSteps`);
    }
  }
  return {
    function: fnSpec,
    optimizer: optRaw as NormalizedSpec["optimizer"],
    scheduler,
    x0,
    steps,
    dtype,
    backend,
    record,
    tol,
    patience,
  };
}

/**
 * The spec's function at the dimension the spec asks for (x0's length or
 * `dim`). A dimension the function cannot take is blamed on the field the
 * user wrote (`x0: has 3 elements; beale takes exactly 2`), not on the
 * function's internal `dim`.
 */
function functionAt(spec: FunctionSpec, n: number | undefined, from: "x0" | "dim"): TestFunction {
  const own = under("function", () => createFunction(spec));
  if (n === undefined || n === own.dim) return own;
  try {
    return createFunction(spec, n);
  } catch (e) {
    if (!isFieldError(e) || e.field !== "dim") throw withPrefix(e, "function");
    const rule = functionDimensions(spec);
    const what = rule.fixed ? `takes exactly ${rule.min}` : `takes ${rule.min} or more`;
    const has = from === "x0" ? `has ${n} element${n === 1 ? "" : "s"}` : `is ${n}`;
    throw rangeError(from, `${has}; ${rule.name} ${what} (its dimension)`);
  }
}

/** Stopping rules shared by every engine, so all backends stop at the same step. */
export class StopRule {
  private calm = 0;
  private prev = NaN;
  private readonly patience: number;
  constructor(private readonly tol: number | undefined, patience: number | undefined) {
    this.patience = patience ?? RUN_DEFAULTS.patience;
  }

  /** Whether to stop at a point with loss `f` (already recorded), and why. */
  check(f: number): StopReason | undefined {
    if (!Number.isFinite(f)) return "diverged";
    if (this.tol !== undefined) {
      this.calm = Math.abs(f - this.prev) < this.tol ? this.calm + 1 : 0;
      this.prev = f;
      if (this.calm >= this.patience) return "tol";
    }
    return undefined;
  }
}

/** Collects the recorded part of a run according to its record mode. */
export class Recorder {
  readonly x: number[][] = [];
  readonly loss: number[] = [];
  readonly lr: number[] = [];
  private lastX: number[] = [];
  private lastLoss = NaN;
  private count = 0;
  constructor(private readonly mode: RecordMode) {}

  point(x: ArrayLike<number>, f: number): void {
    const first = this.count++ === 0;
    if (first || this.mode === "all") this.x.push(Array.from(x));
    else this.lastX = Array.from(x);
    if (first || this.mode !== "final") this.loss.push(f);
    else this.lastLoss = f;
  }

  finish(steps: number, stopReason: StopReason): RunResult {
    if (this.count > 1 && this.mode !== "all") this.x.push(this.lastX);
    if (this.count > 1 && this.mode === "final") this.loss.push(this.lastLoss);
    return { x: this.x, loss: this.loss, lr: this.lr, steps, stopReason };
  }
}

/** The reference engine: a run with the pure-TypeScript optimizer and function. */
export function runReference(spec: NormalizedSpec): RunResult {
  const fn: TestFunction = createFunction(spec.function, spec.x0.length);
  const x = allocate(spec.dtype, fn.dim);
  const g = allocate(spec.dtype, fn.dim);
  x.set(spec.x0);
  const { name, ...options } = spec.optimizer;
  const opt: Optimizer = createOptimizer(name, [{ data: x, grad: g }], options);
  const sched: LRScheduler | undefined = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
  return drive(spec, fn, { data: x, grad: g }, opt, sched);
}

/**
 * The step loop, shared by engines whose optimizer steps one tensor. The
 * point's arrays are read from `param` at every use, so a backend whose
 * memory may move hands out fresh views.
 */
export function drive(
  spec: NormalizedSpec,
  fn: TestFunction,
  param: Param,
  opt: { step(): void; readonly lr: number },
  sched: LRScheduler | undefined,
): RunResult {
  const rec = new Recorder(spec.record);
  const stop = new StopRule(spec.tol, spec.patience);
  let f = fn.valueAndGrad(param.data, param.grad);
  rec.point(param.data, f);
  let reason: StopReason = "steps";
  let t = 0;
  for (; t < spec.steps; t++) {
    const why = stop.check(f);
    if (why) {
      reason = why;
      break;
    }
    rec.lr.push(opt.lr);
    opt.step();
    sched?.step(f);
    f = fn.valueAndGrad(param.data, param.grad);
    rec.point(param.data, f);
  }
  if (t === spec.steps && reason === "steps") {
    const why = stop.check(f);
    if (why === "diverged") reason = why;
  }
  return rec.finish(t, reason);
}

/** Validates and runs one spec on the reference engine. */
export function run(spec: RunSpec): RunResult {
  return runReference(normalizeSpec(spec));
}

/** Validates a list of specs (errors name `specs[i]`) before any of them runs. */
export function normalizeSpecs(specs: unknown): NormalizedSpec[] {
  const out = check.array("specs", specs).map((s, i) => under(`specs[${i}]`, () => normalizeSpec(s)));
  checkRunsFit(out.map((s) => ({ dim: s.x0.length, steps: s.steps, record: s.record, dtype: s.dtype })));
  return out;
}

/** Validates every spec first (errors name `specs[i]`), then runs them all. */
export function runMany(specs: RunSpec[]): RunResult[] {
  return normalizeSpecs(specs).map(runReference);
}
