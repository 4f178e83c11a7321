/**
 * Run specs (the CLI's JSON contract) and the reference run engine.
 *
 * One step t of a run: evaluate f and ∇f at xₜ, record xₜ and f(xₜ), check
 * the stopping rules, take one optimizer step with the current lr (recorded),
 * then one scheduler step (ReduceLROnPlateau is given f(xₜ)). An optimizer
 * that evaluates f several times per step (L-BFGS) takes its step as
 * `step(closure)`, the closure evaluating f and ∇f at the current point; its
 * result records the closure calls of each step (`evals`).
 */
import { allocate, RUN_DEFAULTS, type DType, type Param, type RecordMode, type StopReason } from "./api.js";
import { check, checkKnownKeys, isFieldError, rangeError, under, withPrefix } from "./errors.js";
import { createFunction, functionDimensions, type FunctionSpec, type TestFunction } from "./functions/index.js";
import { checkRunFits, checkRunsFit } from "./limits.js";
import { createOptimizer, resolveOptimizer, type OptimizerName } from "./optim/index.js";
import type { Closure, Optimizer } from "./optim/optimizer.js";
import { createScheduler, schedulerStepLimit, type LRScheduler, type SchedulerSpec } from "./schedulers/index.js";

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
  /** Stop after the step during which the function evaluations (one per step, or each closure call) reach this many. */
  maxEvals?: number;
}

/**
 * A validated spec with every default filled in, frozen. `fn` is its
 * function, built once during validation; every engine uses it instead of
 * building its own. Passing a normalized spec to `run`, `runMany` or
 * `normalizeSpec` again does not validate it again.
 */
export interface NormalizedSpec {
  readonly fn: TestFunction;
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
  maxEvals: number | undefined;
}

/**
 * A run's result. Points are kept flat (`points`: row-major, `dim` numbers
 * per point); `x` builds the `number[][]` form the first time it is read.
 * `JSON.stringify` gives `{ x, loss, lr, steps, stopReason }`.
 */
export interface RunResult {
  /** Recorded points: x0 first, the final point last (all of them with `record: "all"`). Built on first read. */
  readonly x: number[][];
  /** The same points, row-major: point k is `points[k·dim … (k+1)·dim)`. */
  readonly points: Float64Array;
  /** Numbers per point. */
  readonly dim: number;
  /** f at each point of `x`, or at every point with `record: "loss"`. */
  loss: number[];
  /** The learning rate used at each step taken. */
  lr: number[];
  /** Optimizer steps taken. */
  steps: number;
  /**
   * `steps`: ran them all; `tol`: early stopping; `diverged`: f became NaN or
   * ±Infinity; `evals`: the step that reached `maxEvals` evaluations was the last.
   */
  stopReason: StopReason;
  /**
   * Function evaluations (closure calls, the first included) of each step
   * taken; only for optimizers that evaluate more than once per step
   * (L-BFGS). Absent otherwise: every step evaluates once.
   */
  evals?: number[];
  /**
   * Only for a run asked to watch for it ({@link RunManyOptions.within}):
   * the first step t whose loss satisfies f(x_t) − value ≤ epsilon (t = 0 is
   * x0), NaN when no point of the run does. Found as the run goes, so it
   * needs no recorded losses.
   */
  reached?: number;
}

/** What `runMany` can watch for besides what a run records. */
export interface RunManyOptions {
  /** Find each run's first step with f − value ≤ epsilon (`RunResult.reached`), e.g. a sweep's steps to within ε of f*. */
  within?: Within;
}

/** A target loss: f − value ≤ epsilon (computed in that order, so every engine compares the same numbers). */
export interface Within {
  value: number;
  epsilon: number;
}

/** The public fields of a result without its flat form: what code that only reads a trajectory needs (a hand-made one will do). */
export type RunRecord = Pick<RunResult, "x" | "loss" | "lr" | "steps" | "stopReason" | "evals">;

/** The {@link RunResult} every engine returns. */
export class Trajectory implements RunResult {
  private rows: number[][] | undefined;
  constructor(
    readonly points: Float64Array,
    readonly dim: number,
    public loss: number[],
    public lr: number[],
    public steps: number,
    public stopReason: StopReason,
    public evals?: number[],
  ) {}
  reached?: number;

  get x(): number[][] {
    if (this.rows) return this.rows;
    const n = this.dim === 0 ? 0 : this.points.length / this.dim;
    const rows: number[][] = new Array(n);
    for (let k = 0; k < n; k++) {
      const row: number[] = new Array(this.dim);
      for (let i = 0; i < this.dim; i++) row[i] = this.points[k * this.dim + i];
      rows[k] = row;
    }
    return (this.rows = rows);
  }

  /** `evals` only when the optimizer evaluates several times per step (so other results keep their bytes). */
  toJSON(): { x: number[][]; loss: number[]; lr: number[]; evals?: number[]; steps: number; stopReason: StopReason } {
    const { x, loss, lr, evals, steps, stopReason } = this;
    return evals ? { x, loss, lr, evals, steps, stopReason } : { x, loss, lr, steps, stopReason };
  }
}

const SPEC_KEYS = ["function", "optimizer", "scheduler", "x0", "dim", "steps", "dtype", "backend", "record", "tol", "patience", "maxEvals"] as const;

/** Upper bound on `steps`, so a typo cannot ask for an unbounded allocation. */
export const MAX_STEPS = 10_000_000;

/** Upper bound on a run's dimension (`dim`, x0's length). Memory limits: see src/limits.ts. */
export const MAX_DIM = 2 ** 20;

/**
 * A spec's `optimizer` and `scheduler` as given, checked now (names, options
 * and every cross-option rule, by building both on a one-element tensor), so
 * nothing is refused mid-run; with the most steps the scheduler accepts
 * (Infinity without one). Shared by run and training specs.
 */
export function checkOptimizerAndScheduler(
  optimizer: unknown,
  schedulerIn: unknown,
  dtype: DType,
): { optRaw: Record<string, unknown>; scheduler: SchedulerSpec | undefined; stepLimit: number } {
  const optRaw = check.object("optimizer", optimizer);
  const { name: optName, ...optOptions } = optRaw;
  under("optimizer", () => resolveOptimizer(optName, optOptions));
  const probe = under("optimizer", () => createOptimizer(optName as OptimizerName, [{ data: allocate(dtype, 1), grad: allocate(dtype, 1) }], optOptions));
  if (schedulerIn === undefined) return { optRaw, scheduler: undefined, stepLimit: Infinity };
  const scheduler = check.object("scheduler", schedulerIn) as SchedulerSpec;
  under("scheduler", () => createScheduler(probe, scheduler));
  return { optRaw, scheduler, stepLimit: schedulerStepLimit(scheduler) };
}

/**
 * Checks a spec completely (by building its function, optimizer and
 * scheduler once) and fills defaults. Errors name the field, e.g.
 * `optimizer.betas: …`; the caller prefixes `specs[3]`.
 */
export function normalizeSpec(raw: unknown): NormalizedSpec {
  if (normalized.has(raw as object)) return raw as NormalizedSpec;
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
  const maxEvals = s.maxEvals === undefined ? undefined : check.number("maxEvals", s.maxEvals, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true });

  let dim: number | undefined;
  if (s.dim !== undefined) dim = check.number("dim", s.dim, { min: 1, max: MAX_DIM, integer: true });
  let x0: number[] | undefined;
  if (typeof s.x0 === "number") {
    const v = check.finite("x0", s.x0);
    if (dim === undefined) throw rangeError("dim", "is required when x0 is a single number");
    x0 = [];
    for (let i = 0; i < dim; i++) x0.push(v);
  } else if (s.x0 !== undefined) {
    const arr = check.array("x0", s.x0);
    if (arr.length === 0) throw rangeError("x0", "must not be empty");
    if (arr.length > MAX_DIM) throw rangeError("x0", `has ${arr.length} elements; at most ${MAX_DIM} (2^20) are allowed`);
    x0 = [];
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      // The field name is built only for a bad value: x0 may hold a million numbers.
      x0.push(typeof v === "number" && Number.isFinite(v) ? v : check.finite(`x0[${i}]`, v));
    }
    if (dim !== undefined && dim !== x0.length) throw rangeError("dim", `is ${dim} but x0 has ${x0.length} elements`);
  }
  const fnSpec = s.function as FunctionSpec;
  const fn = functionAt(fnSpec, x0?.length ?? dim, Array.isArray(s.x0) ? "x0" : "dim");
  if (x0 === undefined) x0 = fn.start.slice();
  if (x0.length !== fn.dim) throw rangeError("x0", `has ${x0.length} elements; ${fn.name} here is ${fn.dim}-dimensional`);
  checkRunFits({ dim: fn.dim, steps, record, dtype });

  const { optRaw, scheduler, stepLimit: limit } = checkOptimizerAndScheduler(s.optimizer, s.scheduler, dtype);
  if (scheduler !== undefined) {
    if (steps > limit) {
      throw rangeError("steps", `is ${steps} but the scheduler accepts at most ${limit} steps (its oneCycleLR totalSteps); lower steps or raise totalSteps`);
    }
  }
  // Copies, frozen: the caller may change their objects later; this spec stays what was validated.
  const out: NormalizedSpec = {
    fn,
    function: frozenCopy(fnSpec),
    optimizer: frozenCopy(optRaw) as NormalizedSpec["optimizer"],
    scheduler: scheduler === undefined ? undefined : frozenCopy(scheduler),
    // A private copy (not frozen: freezing a million-element array makes every later read slow).
    x0,
    steps,
    dtype,
    backend,
    record,
    tol,
    patience,
    maxEvals,
  };
  // fn stays out of JSON (a spec printed or hashed is the user's spec).
  Object.defineProperty(out, "fn", { enumerable: false });
  normalized.add(Object.freeze(out));
  return out;
}

/** Specs {@link normalizeSpec} has returned (frozen, so they stay valid). */
const normalized = new WeakSet<object>();

/**
 * A deep, frozen copy of validated spec data (plain objects, arrays and
 * primitives; anything else goes through structuredClone). By hand: a sweep
 * normalizes every cell, and structuredClone was a tenth of that.
 */
function frozenCopy<T>(v: T): T {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return Object.freeze(v.map(frozenCopy)) as T;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return deepFreeze(structuredClone(v));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = frozenCopy((v as Record<string, unknown>)[k]);
  return Object.freeze(out) as T;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * The spec's function at the dimension the spec asks for (x0's length or
 * `dim`). A dimension the function cannot take is blamed on the field the
 * user wrote (`x0: has 3 elements; beale takes exactly 2`), not on the
 * function's internal `dim`.
 */
function functionAt(spec: FunctionSpec, n: number | undefined, from: "x0" | "dim"): TestFunction {
  if (n === undefined) return under("function", () => createFunction(spec));
  try {
    return sharedFunction(spec, n);
  } catch (e) {
    if (!isFieldError(e) || e.field !== "dim") throw withPrefix(e, "function");
    const rule = functionDimensions(spec);
    const what = rule.fixed ? `takes exactly ${rule.min}` : `takes ${rule.min} or more`;
    const has = from === "x0" ? `has ${n} element${n === 1 ? "" : "s"}` : `is ${n}`;
    throw rangeError(from, `${has}; ${rule.name} ${what} (its dimension)`);
  }
}

/**
 * createFunction(spec, n), the same object for the same small spec (a name,
 * or parameters that are all numbers and strings: no weight vectors) among
 * the last 32 made. A function is immutable and its scratch is used
 * only within one call, so specs may share it; a sweep's cells and a race's
 * optimizers all name one function, and building it was a tenth of a cell's
 * set-up.
 */
function sharedFunction(spec: FunctionSpec, n: number): TestFunction {
  const small = typeof spec === "string" || (typeof spec === "object" && spec !== null && Object.values(spec).every((v) => typeof v !== "object"));
  if (!small) return createFunction(spec, n);
  const key = `${n}:${typeof spec === "string" ? spec : JSON.stringify(spec)}`;
  let fn = sharedFunctions.get(key);
  if (!fn) {
    fn = createFunction(spec, n);
    // The oldest made goes first (Map order is insertion order).
    if (sharedFunctions.size >= 32) sharedFunctions.delete(sharedFunctions.keys().next().value!);
    sharedFunctions.set(key, fn);
  }
  return fn;
}
const sharedFunctions = new Map<string, TestFunction>();

/** Stopping rules shared by every engine, so all backends stop at the same step. */
export class StopRule {
  private calm = 0;
  private prev = NaN;
  private readonly patience: number;
  constructor(
    private readonly tol: number | undefined,
    patience: number | undefined,
  ) {
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

/**
 * Collects the recorded part of a run according to its record mode: every
 * point, or (`loss`, `final`) only the first and — given once, when the run
 * ends — the last. Points go straight into one preallocated flat array.
 */
export class Recorder {
  readonly loss: number[] = [];
  readonly lr: number[] = [];
  private readonly points: Float64Array;
  private count = 0;
  private lastLoss = NaN;
  private reached = NaN;
  constructor(
    private readonly mode: RecordMode,
    private readonly dim: number,
    steps: number,
    private readonly within?: Within,
  ) {
    this.points = new Float64Array((mode === "all" ? steps + 1 : 2) * dim);
  }

  /** The loss at each point; the point itself for the first point and, with `record: "all"`, every point. */
  point(x: ArrayLike<number>, f: number): void {
    const w = this.within;
    if (w && Number.isNaN(this.reached) && f - w.value <= w.epsilon) this.reached = this.count;
    const first = this.count === 0;
    if (first || this.mode === "all") this.copy(x, this.count);
    this.count++;
    if (first || this.mode !== "final") this.loss.push(f);
    else this.lastLoss = f;
  }

  /** The run ended at `x` (the last point given) after `steps` steps; `evals` per step for closure optimizers. */
  finish(x: ArrayLike<number>, steps: number, stopReason: StopReason, evals?: number[]): RunResult {
    let rows = this.count;
    if (this.count > 1 && this.mode !== "all") {
      this.copy(x, 1);
      rows = 2;
    }
    if (this.count > 1 && this.mode === "final") this.loss.push(this.lastLoss);
    const used = rows * this.dim;
    const points = used === this.points.length ? this.points : this.points.slice(0, used);
    const t = new Trajectory(points, this.dim, this.loss, this.lr, steps, stopReason, evals);
    if (this.within) t.reached = this.reached;
    return t;
  }

  private copy(x: ArrayLike<number>, row: number): void {
    const base = row * this.dim;
    for (let i = 0; i < this.dim; i++) this.points[base + i] = x[i];
  }
}

/** The reference engine: a run with the pure-TypeScript optimizer and function. */
export function runReference(spec: NormalizedSpec, within?: Within): RunResult {
  const fn: TestFunction = spec.fn;
  const x = allocate(spec.dtype, fn.dim);
  const g = allocate(spec.dtype, fn.dim);
  x.set(spec.x0);
  const { name, ...options } = spec.optimizer;
  const opt: Optimizer = createOptimizer(name, [{ data: x, grad: g }], options);
  const sched: LRScheduler | undefined = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
  return drive(spec, fn, { data: x, grad: g }, opt, sched, within);
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
  opt: { step(closure?: Closure): unknown; readonly lr: number; readonly requiresClosure?: boolean },
  sched: LRScheduler | undefined,
  within?: Within,
): RunResult {
  const rec = new Recorder(spec.record, fn.dim, spec.steps, within);
  const stop = new StopRule(spec.tol, spec.patience);
  let f = fn.valueAndGrad(param.data, param.grad);
  rec.point(param.data, f);
  // Closure optimizers re-evaluate f at xₜ first, as torch's step(closure) does; every call is counted.
  let calls = 0;
  const closure = opt.requiresClosure ? () => (calls++, fn.valueAndGrad(param.data, param.grad)) : undefined;
  const evals: number[] | undefined = closure ? [] : undefined;
  let total = 0;
  let reason: StopReason = "steps";
  let t = 0;
  for (; t < spec.steps; t++) {
    const why = stop.check(f);
    if (why) {
      reason = why;
      break;
    }
    rec.lr.push(opt.lr);
    if (closure) {
      calls = 0;
      opt.step(closure);
      evals!.push(calls);
      total += calls;
    } else {
      opt.step();
      total++;
    }
    sched?.step(f);
    f = fn.valueAndGrad(param.data, param.grad);
    rec.point(param.data, f);
    // The step that reaches maxEvals is kept whole; ending on the last step anyway stays "steps".
    if (spec.maxEvals !== undefined && total >= spec.maxEvals && t + 1 < spec.steps) {
      t++;
      reason = "evals";
      break;
    }
  }
  if ((t === spec.steps && reason === "steps") || reason === "evals") {
    if (stop.check(f) === "diverged") reason = "diverged";
  }
  return rec.finish(param.data, t, reason, evals);
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
export function runMany(specs: RunSpec[], options: RunManyOptions = {}): RunResult[] {
  const within = checkWithin(options);
  return normalizeSpecs(specs).map((s) => runReference(s, within));
}

/** Checks {@link RunManyOptions}; returns its `within`. */
export function checkWithin(options: unknown): Within | undefined {
  const o = check.object("options", options ?? {});
  if (o.within === undefined) return undefined;
  const w = check.object("options.within", o.within);
  return { value: check.finite("options.within.value", w.value), epsilon: check.number("options.within.epsilon", w.epsilon, { min: 0 }) };
}
