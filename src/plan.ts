/**
 * Coefficient plans: the per-step scalars of a whole run, computed ahead by
 * the same Optimizer and scheduler code that a step-by-step run uses, so an
 * engine can run the trajectory without coming back to JS between steps.
 *
 * A plan is one flat `Float64Array` of steps × row length (row t holds step
 * t + 1, in the kernel's slot order), written by the optimizer's own
 * coefficient function with no object per step. The only costly call in a
 * step's coefficients is `Math.pow` (β1ᵗ, β2ᵗ, 0.96^(tψ)); a
 * {@link PowerCache} shared by several plans (the optimizers of a race, the
 * cells of a sweep) computes each power once — the same `Math.pow` call, so
 * the same bits as an unplanned step.
 *
 * A plan exists when nothing in it depends on the trajectory: every scheduler
 * except `reduceLROnPlateau` (it reads the loss) qualifies.
 *
 * A run without a scheduler needs no plan when its kernel says how its rows
 * go with fixed options ({@link FixedPlan}): declared `inputs`, and the core
 * writes each step's row itself (from the inputs and β-power tables computed
 * here with the same `Math.pow` calls: a few operations a step instead of
 * the JS coefficient function's call and a row of memory); or `stepScalars`
 * declared empty, and every step's row is the reference's row of step 1.
 */
import { isClosureDef, mathPow, type KernelDecl, type OptimizerDef, type Pow } from "./optim/def.js";
import { resolveOptimizer } from "./optim/index.js";
import { Optimizer } from "./optim/optimizer.js";
import type { NormalizedSpec } from "./run.js";
import { resolveOptions, type Options } from "./optim/schema.js";
import { createScheduler, type LRScheduler, type SchedulerSpec } from "./schedulers/index.js";

export interface CoefficientPlan {
  /** Algorithm (`sgd` for the aliases). */
  readonly algorithm: string;
  readonly kernel: KernelDecl;
  /** Step t + 1's coefficients at `rows[t · K …]`, K = kernel.scalars.length. */
  readonly rows: Float64Array;
  /** The lr used at each step. */
  readonly lr: Float64Array;
  /** Every state buffer any step needs (a scheduler may switch momentum on mid-run). */
  readonly buffers: readonly string[];
  /** Initial element value of each buffer. */
  readonly initialValues: Readonly<Record<string, number>>;
}

/**
 * A run whose options never change (see {@link fixedPlan}): a row is a
 * function of the step and these numbers. Exactly one of `inputs` and `row`.
 */
export interface FixedPlan {
  readonly algorithm: string;
  readonly kernel: KernelDecl;
  /** The core coefficient function's inputs, in `kernel.inputs` order. */
  readonly inputs?: Float64Array;
  /** The base of each power table, in `kernel.powers` order: table[t] = Math.pow(base, t) (empty with `row`). */
  readonly powerBases: readonly number[];
  /** The row of every step (a kernel whose declared step scalars are none): the reference's `coefficients` at step 1. */
  readonly row?: Float64Array;
  /** The lr of every step. */
  readonly lr: number;
  readonly buffers: readonly string[];
  readonly initialValues: Readonly<Record<string, number>>;
}

/**
 * The {@link FixedPlan} of a spec whose options stay fixed (no scheduler)
 * and whose kernel either has a core coefficient function (`inputs` in its
 * declaration, {@link OptimizerDef.coreInputs}) or declares no step scalars;
 * undefined otherwise (plan it with {@link coefficientPlan}).
 */
export function fixedPlan(spec: { readonly optimizer: NormalizedSpec["optimizer"]; readonly scheduler?: SchedulerSpec }): FixedPlan | undefined {
  if (spec.scheduler) return undefined;
  const r = resolved(spec.optimizer);
  if (!r) return undefined;
  const { def, options: o } = r;
  const k = def.kernel;
  const writes = def.coreInputs !== undefined && k.inputs.length > 0;
  if (!writes && k.stepScalars?.length !== 0) return undefined;
  def.validate?.(o);
  const initialValues: Record<string, number> = {};
  const buffers = def.buffers(o);
  for (const b of buffers) initialValues[b] = def.initialValue?.(b, o) ?? 0;
  const common = { algorithm: def.name, kernel: k, lr: o.lr as number, buffers, initialValues };
  if (!writes) {
    const row = new Float64Array(k.scalars.length);
    def.coefficients(o, 1, def.initialScalars?.(o) ?? {}, row, 0, mathPow);
    return { ...common, powerBases: [], row };
  }
  const inputs = new Float64Array(k.inputs.length);
  def.coreInputs!(o, inputs, 0);
  return { ...common, inputs, powerBases: k.powers.map((p) => inputs[k.input[p]]) };
}

/** Writes Math.pow(base, t) at index t of `table` for t = 1 … length − 1 (index 0 holds 1): a power table of {@link FixedPlan}. */
export function fillPowers(base: number, table: Float64Array): void {
  table[0] = 1;
  for (let t = 1; t < table.length; t++) table[t] = mathPow(base, t);
}

/** Powers at most this step are kept (8 bytes each per base); later ones are computed directly. */
const MAX_CACHED_STEP = 1 << 20;

/**
 * `Math.pow(base, t · scale)` memoised per (base, scale) and step t. A table
 * is started only for a base first asked for at t = 1 (a plan starting);
 * bases that appear mid-run (a scheduler cycling β1 writes a new one every
 * step) are computed directly, so they cost no memory. When the tables would
 * hold more than `capacity` numbers they are all dropped and refilled on
 * demand (a memo: what it returns never depends on what it holds).
 */
export class PowerCache {
  private readonly tables = new Map<number, Map<number, Float64Array>>();
  private held = 0;
  constructor(readonly capacity = 1 << 20) {}
  // The last few tables used, checked before the maps: a plan alternates between β1 and β2.
  private readonly recentBase = [NaN, NaN, NaN, NaN];
  private readonly recentScale = [NaN, NaN, NaN, NaN];
  private readonly recentTable: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0)];
  private next = 0;

  /** The memoised power, with {@link Pow}'s signature. */
  readonly pow: Pow = (base, t, scale = 1) => {
    // 0 and −0 compare equal but their odd powers differ: never cache them.
    if (base === 0 || t > MAX_CACHED_STEP) return Math.pow(base, t * scale);
    for (let k = 0; k < 4; k++) {
      if (this.recentBase[k] === base && this.recentScale[k] === scale) return this.at(k, base, t, scale);
    }
    let byBase = this.tables.get(scale);
    let table = byBase?.get(base);
    if (!table) {
      if (t !== 1) return Math.pow(base, t * scale);
      table = new Float64Array(64).fill(NaN);
      if (!this.reserve(table.length)) return Math.pow(base, t * scale);
      if (!byBase) this.tables.set(scale, (byBase = new Map()));
      byBase.set(base, table);
    }
    const k = this.next;
    this.next = (k + 1) & 3;
    this.recentBase[k] = base;
    this.recentScale[k] = scale;
    this.recentTable[k] = table;
    return this.at(k, base, t, scale);
  };

  /** Makes room for n more numbers (dropping every table when full); false when n alone exceeds the capacity. */
  private reserve(n: number): boolean {
    if (n > this.capacity) return false;
    if (this.held + n > this.capacity) {
      this.tables.clear();
      this.recentBase.fill(NaN);
      this.recentScale.fill(NaN);
      this.held = 0;
    }
    this.held += n;
    return true;
  }

  private at(k: number, base: number, t: number, scale: number): number {
    let table = this.recentTable[k];
    if (t >= table.length) {
      const length = Math.min(MAX_CACHED_STEP + 1, Math.max(2 * table.length, t + 1));
      if (!this.reserve(length - table.length)) return Math.pow(base, t * scale);
      const grown = new Float64Array(length).fill(NaN);
      grown.set(table);
      table = grown;
      // (Re-)register: reserve() may have dropped every table, this one included.
      let byBase = this.tables.get(scale);
      if (!byBase) this.tables.set(scale, (byBase = new Map()));
      byBase.set(base, grown);
      this.recentBase[k] = base;
      this.recentScale[k] = scale;
      this.recentTable[k] = grown;
    }
    const v = table[t];
    if (!Number.isNaN(v)) return v;
    return (table[t] = Math.pow(base, t * scale));
  }
}

/** Writes the coefficients of every step instead of touching any element. */
class PlanningOptimizer extends Optimizer {
  /**
   * Steps 1 … steps: lr and coefficients of each, the scheduler stepped after
   * each (as a run steps it), `onOptions` called whenever an option changed
   * (the buffers it needs may have changed). One tight loop: this runs for
   * every step of every planned run.
   */
  planSteps(rows: Float64Array, lr: Float64Array, steps: number, pow: Pow, sched: LRScheduler | undefined, onOptions: (o: Readonly<Options>) => void): void {
    const def = this.ew;
    const K = def.kernel.scalars.length;
    const state = this.scalars;
    let seen = this.optionsVersion;
    onOptions(this.opts);
    // advance() inlined: this loop is the whole cost of planning, run for every step of every planned run.
    for (let t = 0; t < steps; t++) {
      if (this.optionsVersion !== seen) {
        seen = this.optionsVersion;
        onOptions(this.opts);
      }
      const o = this.opts;
      lr[t] = o.lr as number;
      def.coefficients(o, ++this.stepCount, state, rows, t * K, pow);
      sched?.step();
    }
    if (this.optionsVersion !== seen) onOptions(this.opts);
  }
}

/**
 * Whether {@link coefficientPlan} can plan this spec: not when its scheduler
 * reads the losses (`reduceLROnPlateau`), nor when its optimizer has a reduce
 * phase for these options (its scalars depend on the data, see
 * `OptimizerDef.reduce`) or evaluates the function within a step (L-BFGS).
 * Engines run such specs step by step.
 */
export function plannable(spec: { readonly optimizer: NormalizedSpec["optimizer"]; readonly scheduler?: SchedulerSpec }): boolean {
  if (spec.scheduler?.name === "reduceLROnPlateau") return false;
  return resolved(spec.optimizer) !== undefined;
}

/**
 * The element-wise definition and full options of an optimizer spec without
 * a reduce phase for them; undefined otherwise. Kept per frozen spec object
 * (what normalizeSpec returns): a sweep asks for every cell several times.
 */
function resolved(optimizer: NormalizedSpec["optimizer"]): { def: OptimizerDef; options: Options } | undefined {
  const kept = resolvedOf.get(optimizer);
  if (kept !== undefined) return kept ?? undefined;
  const { name, ...options } = optimizer;
  const r = resolveOptimizer(name, options);
  let out: { def: OptimizerDef; options: Options } | undefined;
  if (!isClosureDef(r.def)) {
    const o = resolveOptions(r.def.schema, r.options, name);
    if (!r.def.reduces?.(o)) out = { def: r.def, options: o };
  }
  if (Object.isFrozen(optimizer)) resolvedOf.set(optimizer, out ?? null);
  return out;
}
const resolvedOf = new WeakMap<object, { def: OptimizerDef; options: Options } | null>();

/**
 * The coefficients of every step of a run (see {@link plannable}). Pass one
 * `powers` cache to several plans to compute shared powers once (without
 * one, every power is a Math.pow call: the same bits). `storage`
 * provides the rows' array of a given length (an engine passes a view of its
 * own memory, so the plan is written where its kernels read it; nothing may
 * move that memory while planning).
 */
export function coefficientPlan(
  spec: { readonly optimizer: NormalizedSpec["optimizer"]; readonly scheduler?: SchedulerSpec; readonly steps: number },
  powers?: PowerCache,
  storage: (length: number) => Float64Array = (n) => new Float64Array(n),
): CoefficientPlan {
  if (!plannable(spec))
    throw new Error("this run's coefficients depend on its data (reduceLROnPlateau, or an optimizer with a reduce phase) and cannot be planned");
  const { name, ...options } = spec.optimizer;
  const r = resolveOptimizer(name, options);
  const def = r.def as OptimizerDef; // plannable: element-wise
  // One element: the optimizer only validates its tensors; nothing is updated.
  const dummy = { data: new Float64Array(1), grad: new Float64Array(1) };
  const opt = new PlanningOptimizer(name, def, [dummy], r.options);
  const sched = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
  const K = def.kernel.scalars.length;
  const steps = spec.steps;
  const rows = storage(steps * K);
  const lr = new Float64Array(steps);
  const buffers = new Set<string>();
  const initialValues: Record<string, number> = {};
  // Without a cache to share, Math.pow itself: memoising powers no other plan will read only costs.
  opt.planSteps(rows, lr, steps, powers?.pow ?? mathPow, sched, (o) => {
    for (const b of def.buffers(o)) {
      buffers.add(b);
      initialValues[b] ??= def.initialValue?.(b, o) ?? 0;
    }
  });
  return { algorithm: def.name, kernel: def.kernel, rows, lr, buffers: [...buffers], initialValues };
}
