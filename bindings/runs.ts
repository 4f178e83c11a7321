/**
 * Runs inside WebAssembly. Specs that share a function (name, parameters,
 * dimension), dtype, step count and recording rules form one batch: one
 * call into the core runs all of them to the end, whatever their
 * optimizers. Within a batch, specs with the same optimizer and scheduler
 * (name and options) form a group: one kernel, one coefficient plan
 * (computed by the reference's own Optimizer and scheduler code, see
 * src/plan.ts; powers shared across every plan of the call) and its own
 * state buffers. A group without a scheduler on a kernel with a core
 * coefficient function has no plan: the core writes its row before each
 * step from its inputs and power tables (kept in wasm memory across calls,
 * one per β and step count); on a kernel with lane inputs such runs that
 * differ only in those form one lane group, each lane with its own scalars
 * (see {@link groupRuns}). Each group is padded to whole vectors (runs × dim
 * a multiple of the lane count) so a v128 never mixes groups: its lanes
 * carry independent runs; padding lanes are stepped with a zero gradient
 * but never evaluated or recorded.
 *
 * Specs with `reduceLROnPlateau` (its lr depends on the losses), optimizers
 * with a reduce phase (data-dependent scalars) and L-BFGS (several
 * evaluations per step) run step by step: wasm kernels and functions, driven
 * from JS by the reference's run loop. A planned spec with `maxEvals` below
 * its steps (one evaluation per step) runs that many steps and ends with
 * `stopReason: "evals"` where it would have said "steps".
 */
import type { FloatArray, StopReason } from "../src/api.js";
import { isClosureDef, kernelId, resolveOptimizer } from "../src/optim/index.js";
import { coefficientPlan, fillPowers, fixedPlan, PowerCache, plannable, type CoefficientPlan, type FixedPlan } from "../src/plan.js";
import { drive, Trajectory, type NormalizedSpec, type RunResult, type Within } from "../src/run.js";
import { createScheduler } from "../src/schedulers/index.js";
import { functionArgs, wasmFunction } from "./functions.js";
import type { Core } from "./module.js";
import { WasmOptimizer } from "./optimizer.js";
import { initTensor, WasmParam } from "./tensor.js";

const RECORD_CODE = { all: 0, loss: 1, final: 2 } as const;
/**
 * Powers of β shared by every plan this module makes, across calls: a lab
 * re-racing after each edit, or the cells of a sweep, compute each β1ᵗ once.
 * At most 2²⁰ numbers (8 MB); the same bits as Math.pow either way.
 */
const powers = new PowerCache();
/**
 * Blocks of the core's own memory kept across calls, by key (at most
 * `capacity` bytes per store, least recently used freed first): plans by
 * optimizer, scheduler and steps, so a race re-run after an edit plans only
 * what changed and copies nothing; power tables by base and length, so the
 * cells of a sweep that share a β share its table. A block's value is a pure
 * function of its key, so a kept one holds the numbers a new one would.
 */
class Resident<V> {
  private readonly map = new Map<string, { ptr: number; bytes: number; value: V; call: number }>();
  private bytes = 0;
  private calls = 0;
  constructor(
    private readonly core: Core,
    private readonly capacity = 8 << 20,
  ) {}

  /** Starts a batch: blocks it uses are not freed until the next one. */
  begin(): void {
    this.calls++;
  }

  get(key: string): { ptr: number; value: V } | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    // Re-inserted: Map order is the recency order.
    this.map.delete(key);
    e.call = this.calls;
    this.map.set(key, e);
    return e;
  }

  /** Makes `key`'s value in a block of its own (`make` gets a view of it); undefined when it does not fit (the caller makes it for the call alone). */
  add(key: string, make: (storage: (n: number) => Float64Array) => V, bytes: number): { ptr: number; value: V } | undefined {
    if (bytes > this.capacity) return undefined;
    for (const [k, e] of this.map) {
      if (this.bytes + bytes <= this.capacity) break;
      if (e.call === this.calls) continue;
      this.map.delete(k);
      this.core.arena.release(e.ptr);
      this.bytes -= e.bytes;
    }
    // Full of this batch's own blocks (a sweep of many cells): the rest are made for the call alone.
    if (this.bytes + bytes > this.capacity) return undefined;
    const ptr = this.core.arena.alloc(Math.max(16, bytes));
    try {
      const value = make((n) => new Float64Array(this.core.memory.buffer, ptr, n));
      this.map.set(key, { ptr, bytes, value, call: this.calls });
      this.bytes += bytes;
      return { ptr, value };
    } catch (e) {
      this.core.arena.release(ptr);
      throw e;
    }
  }
}
const resident = new WeakMap<Core, { plans: Resident<CoefficientPlan>; powers: Resident<null> }>();
const REASONS: StopReason[] = ["steps", "tol", "diverged"];
/** i32s per group in the table the engine reads (assembly/run.ts GROUP_*). */
const GROUP_FIELDS = 16;

type Kernel = (...args: number[]) => void;

/** Runs every spec; results in the order of `specs`. */
export function wasmRunMany(core: Core, specs: readonly NormalizedSpec[], within?: Within): RunResult[] {
  const results: RunResult[] = new Array(specs.length);
  const batches = new Map<string, number[]>();
  const capped: boolean[] = new Array(specs.length).fill(false);
  specs = specs.map((s, i) => {
    if (s.maxEvals === undefined || s.maxEvals >= s.steps || !plannable(s)) return s;
    capped[i] = true;
    // Same spec with steps = maxEvals (fn is not enumerable: copied by hand).
    return Object.defineProperty({ ...s, steps: s.maxEvals, maxEvals: undefined }, "fn", { value: s.fn, enumerable: false });
  });
  specs.forEach((s, i) => {
    if (!plannable(s)) {
      results[i] = runStepwise(core, s, within);
      return;
    }
    const key = `${functionKey(s.fn)}|${s.dtype}|${s.steps}|${s.record}|${s.tol ?? ""}|${s.patience ?? ""}`;
    const list = batches.get(key);
    if (list) list.push(i);
    else batches.set(key, [i]);
  });
  for (const indices of batches.values()) {
    const out = runBatch(
      core,
      indices.map((i) => specs[i]),
      powers,
      within,
    );
    indices.forEach((i, k) => (results[i] = out[k]));
  }
  capped.forEach((c, i) => {
    if (c && results[i].stopReason === "steps") results[i].stopReason = "evals";
  });
  return results;
}

/** What identifies a function in a batch key (specs often share the function object: computed once per object). */
function functionKey(fn: NormalizedSpec["fn"]): string {
  let key = functionKeys.get(fn);
  // A formula is its text (its params are the compiled tape, a function of the text and dim).
  if (key === undefined) functionKeys.set(fn, (key = JSON.stringify([fn.name, fn.expr !== undefined ? fn.expr : fn.params, fn.dim])));
  return key;
}
const functionKeys = new WeakMap<object, string>();

/** One step at a time, for specs whose coefficients cannot be planned. */
export function runStepwise(core: Core, spec: NormalizedSpec, within?: Within): RunResult {
  const fn = spec.fn;
  const p = initTensor(new WasmParam(core, spec.dtype, fn.dim), spec.x0);
  const { name, ...options } = spec.optimizer;
  const r = resolveOptimizer(name, options);
  const opt = isClosureDef(r.def) ? r.def.create(name, [p], r.options) : new WasmOptimizer(core, name, r.def, [p], r.options);
  try {
    const sched = spec.scheduler ? createScheduler(opt, spec.scheduler) : undefined;
    return drive(spec, wasmFunction(core, fn), p, opt, sched, within);
  } finally {
    if (opt instanceof WasmOptimizer) opt.dispose();
    p.dispose();
  }
}

interface Group {
  specs: number[];
  /** A plan made in JS, or the inputs of one the core writes (see src/plan.ts). */
  plan: CoefficientPlan | FixedPlan;
  /** Lane slots [first, end) after padding. */
  first: number;
  end: number;
  /** A lane group: the fixed plan of each lane slot's run (see {@link laneKey}). */
  lanes?: FixedPlan[];
}

const LANE_KEY = "lanes:";

/**
 * What fixed-options runs of one lane group share: the kernel and every
 * input but its lane inputs, the buffers and their initial values (all a
 * fixed plan holds besides the lane inputs and lr, which only feeds them).
 */
function laneKey(f: FixedPlan): string {
  const k = f.kernel;
  let shared = sharedInputs.get(k);
  if (!shared) sharedInputs.set(k, (shared = k.inputs.flatMap((name, j) => (k.laneInputs.includes(name) ? [] : [j]))));
  let key = `${LANE_KEY}${k.name}`;
  for (const j of shared) key += `,${num(f.inputs![j])}`;
  for (const b of f.buffers) key += `|${b}=${num(f.initialValues[b] ?? 0)}`;
  return key;
}
/** Per kernel, the indices of the inputs that are not lane inputs. */
const sharedInputs = new WeakMap<object, number[]>();
/** A number as a key: −0 apart from 0. */
const num = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

/**
 * A result's `lr` built on first read: a sweep keeps only a few numbers per
 * run and never reads it, and copying 10⁴ rates per run into arrays it
 * drops was a tenth of its time in garbage.
 */
function withLazyLr(t: Trajectory, lrs: () => number[]): Trajectory {
  let lr: number[] | undefined;
  Object.defineProperty(t, "lr", {
    enumerable: true,
    configurable: true,
    get: () => (lr ??= lrs()),
    set: (v: number[]) => void (lr = v),
  });
  return t;
}

/** The rates of a result's first `taken` steps. */
function lrsOf(plan: CoefficientPlan | FixedPlan, taken: number): () => number[] {
  return typeof plan.lr === "number" ? () => new Array(taken).fill(plan.lr) : () => Array.from((plan.lr as Float64Array).subarray(0, taken));
}

/**
 * The groups of a batch, by key, each its specs' indices: specs with the
 * same optimizer and scheduler share one plan; fixed-options runs of a
 * kernel with lane inputs, when a run fits in one vector (dim · sizeof ≤ 16
 * bytes, where a group per option set would be a call per vector), group
 * by everything but those inputs ({@link laneKey}, keys starting "lanes:").
 * Exported for the tests.
 */
export function groupRuns(specs: readonly NormalizedSpec[], fixed: readonly (FixedPlan | undefined)[] = specs.map((s) => fixedPlan(s))): Map<string, number[]> {
  const laned = specs.length > 0 && specs[0].fn.dim * (specs[0].dtype === "f32" ? 4 : 8) <= 16;
  const byKey = new Map<string, number[]>();
  specs.forEach((s, i) => {
    const f = fixed[i];
    const key = f && laned && f.kernel.laneInputs.length ? laneKey(f) : JSON.stringify([s.optimizer, s.scheduler ?? null]);
    const g = byKey.get(key);
    if (g) g.push(i);
    else byKey.set(key, [i]);
  });
  return byKey;
}

/** Specs of one batch (same function, dim, dtype, steps, record, tol, patience). */
function runBatch(core: Core, specs: readonly NormalizedSpec[], powers: PowerCache, within: Within | undefined): RunResult[] {
  const s0 = specs[0];
  const fn = s0.fn;
  const dim = fn.dim,
    steps = s0.steps,
    dtype = s0.dtype;
  const size = dtype === "f32" ? 4 : 8;
  const lanes = 16 / size;

  const fixed = specs.map((s) => fixedPlan(s));
  const byKey = groupRuns(specs, fixed);
  const groupKeys = [...byKey.keys()];
  const { arena, memory } = core;
  const blocks: number[] = [];
  const alloc = (bytes: number) => {
    const p = arena.alloc(Math.max(16, bytes));
    blocks.push(p);
    return p;
  };
  let keep = resident.get(core);
  if (!keep) resident.set(core, (keep = { plans: new Resident(core), powers: new Resident(core, 16 << 20) }));
  keep.plans.begin();
  keep.powers.begin();
  // A power table in wasm memory: kept across calls (filling never allocates there, so the view stays attached) or for this call.
  const tables = new Map<number, number>(); // this batch's, by base (Map keys do not tell −0 from 0: zeros are not kept here)
  const powerTable = (base: number): number => {
    const known = base !== 0 ? tables.get(base) : undefined;
    if (known !== undefined) return known;
    const ptr = residentPowerTable(base);
    if (base !== 0) tables.set(base, ptr);
    return ptr;
  };
  const residentPowerTable = (base: number): number => {
    const make = (storage: (n: number) => Float64Array) => (fillPowers(base, storage(steps + 1)), null);
    const key = `${Object.is(base, -0) ? "-0" : base}:${steps}`;
    const kept = keep.powers.get(key) ?? keep.powers.add(key, make, (steps + 1) * 8);
    if (kept) return kept.ptr;
    const ptr = alloc((steps + 1) * 8);
    fillPowers(base, new Float64Array(memory.buffer, ptr, steps + 1));
    return ptr;
  };
  try {
    /** The spec each lane slot carries (padding slots name their group's first spec, and are not run). */
    const slotSpec: number[] = [];
    const slotOf: number[] = new Array(specs.length);
    const groups: Group[] = [];
    const groupOf: number[] = new Array(specs.length);
    /** Per group: its plan's rows, or (fixed plans) the pointers of its power tables. */
    const planPtrs: number[] = [];
    const powerPtrs: number[][] = [];
    for (const members of byKey.values()) {
      const first = slotSpec.length;
      for (const i of members) {
        slotOf[i] = slotSpec.length;
        groupOf[i] = groups.length;
        slotSpec.push(i);
      }
      // Whole vectors per group (so groups start aligned): a 2-D f64 run is one vector already, 2-D f32 runs go in pairs.
      while (((slotSpec.length - first) * dim) % lanes) slotSpec.push(members[0]);
      const spec = specs[members[0]];
      const f = fixed[members[0]];
      if (f) {
        const lanesOf = groupKeys[groups.length].startsWith(LANE_KEY);
        // One input set per run of a lane group (a padding run repeats its group's first), else the group's one.
        const runs = lanesOf ? slotSpec.slice(first).map((i) => fixed[i]!) : [f];
        powerPtrs.push(runs.flatMap((r) => r.powerBases.map(powerTable)));
        planPtrs.push(0);
        groups.push({ specs: members, plan: f, first, end: slotSpec.length, lanes: lanesOf ? runs : undefined });
        continue;
      }
      // Planned straight into wasm memory (planning never allocates there, so the view stays attached),
      // kept there for later calls, or found there from an earlier one.
      const key = `${steps}:${groupKeys[groups.length]}`;
      const make = (storage: (n: number) => Float64Array) => coefficientPlan(spec, powers, storage);
      const def = resolveOptimizer(spec.optimizer.name).def;
      // (plannable: an element-wise optimizer, so it has a kernel)
      const bytes = isClosureDef(def) ? 0 : steps * def.kernel.scalars.length * 8;
      let kept = keep.plans.get(key) ?? keep.plans.add(key, make, bytes);
      if (!kept) {
        let ptr = 0;
        const value = make((n) => {
          ptr = alloc(n * 8); // first: it may grow the memory, detaching an earlier buffer
          return new Float64Array(memory.buffer, ptr, n);
        });
        kept = { ptr, value };
      }
      planPtrs.push(kept.ptr);
      powerPtrs.push([]);
      groups.push({ specs: members, plan: kept.value, first, end: slotSpec.length });
    }
    const nRuns = slotSpec.length;
    const rows = s0.record === "all" ? steps + 1 : 2;
    const lossRows = s0.record === "final" ? 2 : steps + 1;
    const elems = nRuns * dim;
    const x = alloc(elems * size),
      g = alloc(elems * size);
    const args = functionArgs(fn);
    const params = alloc(args.params.length * 8);
    const table = alloc(groups.length * GROUP_FIELDS * 4);
    const layout = groups.map((grp, j) => {
      const k = grp.plan.kernel;
      const n = (grp.end - grp.first) * dim;
      // A fixed plan the core writes: its row (two in a lane group, see GROUP_LANES), rewritten before each step;
      // a fixed plan of one row: that row, read at every step.
      const writes = "powerBases" in grp.plan && grp.plan.inputs !== undefined;
      const runs = grp.lanes?.length ?? 1;
      return {
        plan: "powerBases" in grp.plan ? alloc(Math.min(runs, 2) * k.scalars.length * 8) : planPtrs[j],
        inputs: writes ? alloc(runs * k.inputs.length * 8) : 0,
        powers: writes ? alloc(runs * k.powers.length * 4) : 0,
        lanes: grp.lanes ? alloc(k.scalars.length * n * size) : 0,
        stepSlots: grp.lanes ? alloc(k.stepScalars!.length * 4) : 0,
        bufs: alloc(k.buffers.length * 4),
        buffers: k.buffers.map((b) => (grp.plan.buffers.includes(b) ? alloc(n * size) : 0)),
      };
    });
    const work = alloc(nRuns * (3 * 8 + 4));
    const xOut = alloc(nRuns * rows * dim * 8);
    const lossOut = alloc(nRuns * lossRows * 8);
    const stepsOut = alloc(nRuns * 4),
      reasonOut = alloc(nRuns * 4);
    const live = alloc(nRuns * 4);
    const reachOut = within ? alloc(nRuns * 4) : 0;

    // Every allocation is done: views made from here on stay valid until the kernel returns.
    const buf = memory.buffer;
    const view = (ptr: number, n: number): FloatArray => (dtype === "f32" ? new Float32Array(buf, ptr, n) : new Float64Array(buf, ptr, n));
    // A padding slot (after its group's specs) is never evaluated: it costs a lane, not a run. Its
    // point and gradient are 0, which every update keeps at 0 (no subnormals creep into its lanes).
    const xs = view(x, elems).fill(0);
    const liveFlags = new Int32Array(buf, live, nRuns);
    slotSpec.forEach((i, r) => {
      liveFlags[r] = slotOf[i] === r ? 1 : 0;
      if (liveFlags[r]) xs.set(specs[i].x0, r * dim);
    });
    view(g, elems).fill(0);
    new Float64Array(buf, params, args.params.length).set(args.params);
    const T = new Int32Array(buf, table, groups.length * GROUP_FIELDS);
    groups.forEach((grp, j) => {
      const L = layout[j];
      const k = grp.plan.kernel;
      new Int32Array(buf, L.bufs, k.buffers.length).set(L.buffers);
      k.buffers.forEach((b, m) => {
        if (L.buffers[m]) view(L.buffers[m], (grp.end - grp.first) * dim).fill(grp.plan.initialValues[b] ?? 0);
      });
      const row = "powerBases" in grp.plan ? grp.plan.row : undefined;
      if (row) new Float64Array(buf, L.plan, row.length).set(row);
      if (L.inputs) {
        const runs = grp.lanes ?? [grp.plan as FixedPlan];
        const inputs = new Float64Array(buf, L.inputs, runs.length * k.inputs.length);
        runs.forEach((r, m) => inputs.set(r.inputs!, m * k.inputs.length));
        new Int32Array(buf, L.powers, powerPtrs[j].length).set(powerPtrs[j]);
        if (L.stepSlots) new Int32Array(buf, L.stepSlots, k.stepScalars!.length).set(k.stepScalars!.map((name) => k.slot[name]));
      }
      // Rows a step apart: a plan's K f64s; one row every step shares, 0.
      const stride = row ? 0 : k.scalars.length;
      T.set(
        [grp.first, grp.end, kernelId(k), k.scalars.length, L.plan, L.bufs, L.inputs, L.powers, k.inputs.length, k.powers.length, L.lanes].concat([
          L.stepSlots,
          k.stepScalars?.length ?? 0,
          stride,
          0,
          0,
        ]),
        j * GROUP_FIELDS,
      );
    });

    const kernel = (core.exports as unknown as Record<string, Kernel>)[dtype === "f32" ? "runBatchF32" : "runBatchF64"];
    kernel(
      args.id,
      params,
      dim,
      nRuns,
      x,
      g,
      table,
      groups.length,
      steps,
      s0.tol ?? -1,
      s0.patience ?? 1,
      RECORD_CODE[s0.record],
      xOut,
      lossOut,
      stepsOut,
      reasonOut,
      work,
      live,
      within?.value ?? 0,
      within?.epsilon ?? 0,
      reachOut,
    );

    const X = new Float64Array(memory.buffer, xOut, nRuns * rows * dim);
    const Ls = new Float64Array(memory.buffer, lossOut, nRuns * lossRows);
    const S = new Int32Array(memory.buffer, stepsOut, nRuns);
    const R = new Int32Array(memory.buffer, reasonOut, nRuns);
    const reach = within ? new Int32Array(memory.buffer, reachOut, nRuns) : undefined;
    return specs.map((_s, i) => {
      const r = slotOf[i];
      const taken = S[r];
      const points = s0.record === "all" ? taken + 1 : Math.min(2, taken + 1);
      const losses = s0.record === "final" ? Math.min(2, taken + 1) : taken + 1;
      const start = r * rows * dim;
      const loss: number[] = new Array(losses);
      for (let k = 0; k < losses; k++) loss[k] = Ls[r * lossRows + k];
      const t = withLazyLr(
        new Trajectory(X.slice(start, start + points * dim), dim, loss, [], taken, REASONS[R[r]]),
        lrsOf(fixed[i] ?? groups[groupOf[i]].plan, taken),
      );
      if (reach) t.reached = reach[r] < 0 ? NaN : reach[r];
      return t;
    });
  } finally {
    for (const p of blocks) arena.release(p);
  }
}
