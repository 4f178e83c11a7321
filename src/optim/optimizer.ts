/**
 * The optimizer object: owns a list of parameter tensors, their state
 * buffers and the step count; applies one {@link OptimizerDef} to all of them.
 */
import { allocate, dtypeOf, roundFor, type DType, type FloatArray, type Param } from "../api.js";
import { check, rangeError, show, typeError, under } from "../errors.js";
import { decodeNumber, encodeNumber } from "../numbers.js";
export { decodeNumber, encodeNumber };
import type { SchedulerTarget } from "../schedulers/index.js";
import { isClosureDef, mathPow, type AnyOptimizerDef, type BufferList, type Buffers, type OptimizerDef, type Pow } from "./def.js";
import { resolveOptions, type Options, type Schema } from "./schema.js";

/** Version tag of the state-dict format. */
export const STATE_FORMAT = "optimlab.optimizer/1";

/**
 * JSON-serialisable optimizer state. Buffer values are numbers, with the
 * non-finite ones written as the strings "NaN", "Infinity", "-Infinity", so
 * `JSON.parse(JSON.stringify(s))` loads back to exactly the same state.
 */
export interface OptimizerState {
  format: typeof STATE_FORMAT;
  optimizer: string;
  step: number;
  options: Record<string, unknown>;
  scalars: Record<string, number | string>;
  params: { dtype: DType; length: number; buffers: Record<string, (number | string)[]> }[];
}

function checkParams(params: unknown): Param[] {
  const list = check.array("params", params);
  if (list.length === 0) throw rangeError("params", "must hold at least one parameter tensor");
  return list.map((p, i) =>
    under(`params[${i}]`, () => {
      const o = check.object("", p);
      const dt = dtypeOf(o.data);
      if (!dt) throw typeError("data", `must be a Float32Array or Float64Array; got ${show(o.data?.constructor?.name ?? o.data)}`);
      const gt = dtypeOf(o.grad);
      if (!gt) throw typeError("grad", `must be a Float32Array or Float64Array; got ${show(o.grad?.constructor?.name ?? o.grad)}`);
      if (gt !== dt) throw typeError("grad", `must have the dtype of data (${dt}); got ${gt}`);
      const data = o.data as FloatArray;
      const grad = o.grad as FloatArray;
      if (grad.length !== data.length) throw rangeError("grad", `must have the length of data (${data.length}); got ${grad.length}`);
      // Keep the caller's object: a backend's tensor hands out fresh views through getters.
      return o as unknown as Param;
    }),
  );
}

/**
 * What `step(closure)` takes: a function that re-evaluates the loss at the
 * current parameters, writes the gradient into every `grad`, and returns the
 * loss (PyTorch's closure).
 */
export type Closure = () => number;

/** Calls a step's closure once, checking what it is and what it returns. */
export function callClosure(closure: unknown): number {
  if (typeof closure !== "function") {
    throw typeError("closure", `must be a function () => loss that re-evaluates the loss and fills the gradients; got ${show(closure)}`);
  }
  const loss: unknown = closure();
  if (typeof loss !== "number") throw typeError("closure", `must return the loss as a number; returned ${show(loss)}`);
  return loss;
}

/**
 * An optimizer over a list of parameter tensors. Create one with
 * `createOptimizer(name, params, options)`.
 *
 * This class runs the element-wise optimizers ({@link OptimizerDef}); an
 * optimizer that evaluates the function several times per step (L-BFGS, a
 * {@link ClosureOptimizerDef}) is a subclass that replaces `step`, `state`
 * and the state dict.
 */
export class Optimizer implements SchedulerTarget {
  /** Name it was created with (an alias such as `momentum` stays visible). */
  readonly name: string;
  readonly def: AnyOptimizerDef;
  readonly params: readonly Param[];
  /** Number of steps taken. */
  stepCount = 0;
  protected opts: Options;
  protected buffers: Buffers[];
  protected scalars: Record<string, number>;

  constructor(name: string, def: AnyOptimizerDef, params: Param[], options?: Record<string, unknown>) {
    this.name = name;
    this.def = def;
    this.params = checkParams(params);
    this.opts = resolveOptions(def.schema as Schema<Options>, options, name);
    def.validate?.(this.opts);
    this.buffers = this.params.map(() => ({}));
    this.scalars = isClosureDef(def) ? {} : (def.initialScalars?.(this.opts) ?? {});
  }

  /** The element-wise definition (every method below that reads buffers, rows or kernels runs only for one). */
  protected get ew(): OptimizerDef {
    if (isClosureDef(this.def)) throw new Error(`${this.def.name} is not an element-wise optimizer`);
    return this.def;
  }

  /** Whether `step` needs a closure (L-BFGS); other optimizers accept one and call it once. */
  get requiresClosure(): boolean {
    return isClosureDef(this.def);
  }

  /** False until the buffers of the current options exist (allocation waits for first use so subclasses are fully constructed). */
  private buffersReady = false;

  /** The algorithm (`sgd` for the aliases `momentum` and `nesterov`). */
  get algorithm(): string {
    return this.def.name;
  }

  /** Resolved options (a copy). */
  get options(): Readonly<Options> {
    return structuredClone(this.opts);
  }

  get lr(): number {
    return this.opts.lr as number;
  }

  /**
   * The schedulers' door: any finite number, like writing torch's
   * `param_group["lr"]`. Only the constructor and `setOption` require lr ≥ 0;
   * torch's own linear one-cycle schedule ends slightly below 0, and a
   * scheduler must be able to say so.
   */
  set lr(v: number) {
    // In place: a scheduler writes it every step. `options` hands out copies, so nobody else holds this object.
    this.opts.lr = check.finite("lr", v);
  }

  get momentumOption(): "momentum" | "betas" | undefined {
    return this.def.momentumOption;
  }

  getOption(name: string): unknown {
    if (!(name in this.def.schema)) throw typeError(name, `unknown option of ${this.name}; allowed: ${Object.keys(this.def.schema).join(", ")}`);
    return structuredClone(this.opts[name]);
  }

  /** Changes one option between steps (schedulers do this), validated like at construction. */
  setOption(name: string, value: unknown): void {
    const spec = (this.def.schema as Record<string, { check(f: string, v: unknown): unknown }>)[name];
    if (!spec) throw typeError(name, `unknown option of ${this.name}; allowed: ${Object.keys(this.def.schema).join(", ")}`);
    // Only the changed option is checked on its own (the lr may already sit below 0, set by a scheduler).
    const next = { ...this.opts, [name]: spec.check(name, value) };
    this.def.validate?.(next);
    this.opts = next;
    this.optionsVersion++;
    this.buffersReady = false;
  }

  /**
   * The per-element state of tensor `i`: live arrays, valid until the next
   * call into the optimizer (another backend may move its memory).
   */
  state(i: number): Readonly<Buffers> {
    this.ensureBuffers();
    return this.storage(i);
  }

  /** Storage hook: the buffers of tensor `i` as they are. */
  protected storage(i: number): Buffers {
    return this.buffers[i];
  }

  /** Allocates, for every tensor, each buffer the current options need and it lacks. */
  protected ensureBuffers(): void {
    if (this.buffersReady) return;
    this.buffersReady = true;
    this.lists = undefined;
    const names = this.ew.buffers(this.opts);
    this.params.forEach((p, i) => {
      const have = this.storage(i);
      for (const b of names) {
        if (have[b]) continue;
        this.createBuffer(i, b, dtypeOf(p.data)!, p.data.length, this.ew.initialValue?.(b, this.opts) ?? 0);
      }
    });
  }

  /** Storage hook: a new buffer `name` of tensor `i`, every element `init`. */
  protected createBuffer(i: number, name: string, dtype: DType, length: number, init: number): void {
    const a = allocate(dtype, length);
    if (init !== 0) a.fill(init);
    this.buffers[i][name] = a;
  }

  /** Storage hook: replaces every tensor's buffers with loaded ones. */
  protected installBuffers(all: Buffers[]): void {
    this.buffers = all;
  }

  /**
   * One update of every parameter from its current gradient. With a
   * `closure` (see {@link Closure}), it is called once first, as torch does,
   * and its loss is returned; optimizers that evaluate several times per
   * step (L-BFGS) require it.
   */
  step(closure?: Closure): number | undefined {
    const loss = closure === undefined ? undefined : callClosure(closure);
    this.ensureBuffers();
    const row = this.coefficientRow();
    this.advance(row, 0, mathPow);
    const def = this.ew;
    if (def.reduces?.(this.opts)) {
      this.sumsArray().fill(0);
      for (let i = 0; i < this.params.length; i++) this.reduceTensor(i, row, this.sumsArray());
      // Fetched again: another backend's memory may have moved during the passes.
      if (!def.finish!(this.opts, this.stepCount, this.scalars, this.coefficientRow(), 0, this.sumsArray())) return loss;
    }
    const after = this.coefficientRow();
    for (let i = 0; i < this.params.length; i++) this.updateTensor(i, after);
    return loss;
  }

  private sums: Float64Array | undefined;

  /** Storage hook: the f64 sums of the reduce phase (kernel.sums in order). */
  protected sumsArray(): Float64Array {
    return (this.sums ??= new Float64Array(Math.max(1, this.ew.kernel.sums.length)));
  }

  /** Reference reduce pass over tensor `i` (see {@link OptimizerDef.reduce}); another backend overrides this with its kernel. */
  protected reduceTensor(i: number, row: Float64Array, sums: Float64Array): void {
    const p = this.params[i];
    this.ew.reduce!(p.data, p.grad, this.bufferList(i), row, 0, sums, roundFor(dtypeOf(p.data)!));
  }

  /**
   * Counts one step and writes its coefficients into `row[at …]` without
   * touching any element: what `step()` does before its updates, and all a
   * coefficient plan needs (src/plan.ts).
   */
  protected advance(row: Float64Array, at: number, pow: Pow): void {
    this.ew.coefficients(this.opts, this.stepCount + 1, this.scalars, row, at, pow);
    this.stepCount++;
  }

  /** Incremented by every `setOption` (the lr setter excluded): a plan re-reads the buffers an option change may need. */
  protected optionsVersion = 0;

  private row: Float64Array | undefined;

  /** Storage hook: where one step's coefficients are written (the kernel's row; another backend keeps it in its memory). */
  protected coefficientRow(): Float64Array {
    return (this.row ??= new Float64Array(this.ew.kernel.scalars.length));
  }

  private lists: BufferList[] | undefined;

  /** Tensor `i`'s buffers in kernel order (see {@link KernelDecl.buffers}), rebuilt when the buffers change. */
  protected bufferList(i: number): BufferList {
    this.ensureBuffers();
    const lists = (this.lists ??= this.params.map((_p, k) => {
      const have = this.storage(k);
      return this.ew.kernel.buffers.map((b) => have[b]);
    }));
    return lists[i];
  }

  /** Reference update of tensor `i`; another backend overrides this with its kernel. */
  protected updateTensor(i: number, row: Float64Array): void {
    const p = this.params[i];
    const data = p.data;
    this.ew.update(data, p.grad, this.bufferList(i), row, 0, roundFor(dtypeOf(data)!));
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  stateDict(): OptimizerState {
    const scalars: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(this.scalars)) scalars[k] = encodeNumber(v);
    return {
      format: STATE_FORMAT,
      optimizer: this.def.name,
      step: this.stepCount,
      options: structuredClone(this.opts),
      scalars,
      params: this.params.map((p, i) => {
        const buffers: Record<string, (number | string)[]> = {};
        for (const [k, b] of Object.entries(this.state(i))) buffers[k] = Array.from(b, encodeNumber);
        return { dtype: dtypeOf(p.data)!, length: p.data.length, buffers };
      }),
    };
  }

  /**
   * Restores a state from {@link stateDict} (possibly through JSON). Refuses
   * the state of another algorithm, another number of tensors, another
   * length or dtype; on error nothing is changed.
   */
  loadStateDict(state: unknown): void {
    const s = check.object("state", state);
    if (s.format !== STATE_FORMAT) throw typeError("state.format", `must be ${JSON.stringify(STATE_FORMAT)}; got ${show(s.format)}`);
    if (s.optimizer !== this.def.name) {
      throw typeError("state.optimizer", `is the state of ${show(s.optimizer)}, not of ${this.def.name}`);
    }
    const step = check.number("state.step", s.step, { min: 0, integer: true });
    const opts = under("state.options", () => {
      // A saved lr is any finite number (see the lr setter); everything else is checked as at construction.
      const given = check.object("", s.options);
      const o = resolveOptions(this.def.schema, { ...given, lr: 0 }, this.name);
      o.lr = check.finite("lr", given.lr);
      return o;
    });
    under("state.options", () => this.def.validate?.(opts));
    const scalarsIn = check.object("state.scalars", s.scalars);
    const scalars: Record<string, number> = { ...(this.ew.initialScalars?.(opts) ?? {}) };
    for (const k of Object.keys(scalars)) {
      if (!(k in scalarsIn)) throw rangeError(`state.scalars.${k}`, "is missing");
      scalars[k] = decodeNumber(`state.scalars.${k}`, scalarsIn[k]);
    }
    const ps = check.array("state.params", s.params);
    if (ps.length !== this.params.length) {
      throw rangeError("state.params", `holds ${ps.length} tensors; this optimizer has ${this.params.length}`);
    }
    const buffers: Buffers[] = ps.map((raw, i) =>
      under(`state.params[${i}]`, () => {
        const e = check.object("", raw);
        const p = this.params[i];
        const dt = dtypeOf(p.data)!;
        if (e.dtype !== dt) throw typeError("dtype", `is ${show(e.dtype)}; the tensor is ${dt}`);
        if (e.length !== p.data.length) throw rangeError("length", `is ${show(e.length)}; the tensor has ${p.data.length} elements`);
        const out: Buffers = {};
        const bin = check.object("buffers", e.buffers);
        for (const [k, vals] of Object.entries(bin)) {
          const arr = check.array(`buffers.${k}`, vals);
          if (arr.length !== p.data.length) throw rangeError(`buffers.${k}`, `has ${arr.length} values; expected ${p.data.length}`);
          const b = allocate(dt, arr.length);
          for (let j = 0; j < arr.length; j++) b[j] = decodeNumber(`buffers.${k}[${j}]`, arr[j]);
          out[k] = b;
        }
        for (const k of this.ew.buffers(opts)) {
          if (!out[k]) throw rangeError(`buffers.${k}`, "is missing");
        }
        return out;
      }),
    );
    this.opts = opts;
    this.stepCount = step;
    this.scalars = scalars;
    this.installBuffers(buffers);
    this.buffersReady = false;
  }
}
