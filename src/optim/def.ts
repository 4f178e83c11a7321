/**
 * What one optimizer is: an options schema, a kernel declaration, a
 * coefficient function and an element-wise update.
 *
 * The **kernel declaration** names the state buffers (in the order of the
 * pointer table the WebAssembly kernel reads) and the per-step scalars (the
 * layout of one coefficient row). It is the one place that interface is
 * written: the build generates the AssemblyScript row offsets, buffer
 * indices and kernel ids from it (`scripts/gen-layout.mjs`).
 *
 * The **coefficient function** computes, once per step and in f64, every
 * scalar that does not depend on the elements (bias corrections, step sizes,
 * flags as 0/1) straight into a row of a `Float64Array`; both backends read
 * that row, so both see identical numbers. The **update** is the readable
 * reference of the algorithm; the kernel repeats it operation for operation.
 */
import type { FloatArray, Param, Round } from "../api.js";
import type { Optimizer } from "./optimizer.js";
import type { Options, Schema } from "./schema.js";

/**
 * `Math.pow(base, t · scale)`, where `t` is the step (an integer ≥ 1) and
 * `scale` defaults to 1. Plans pass a memoised one that returns the same
 * bits (see `src/plan.ts`); the reference passes {@link mathPow}.
 */
export type Pow = (base: number, t: number, scale?: number) => number;

export const mathPow: Pow = (base, t, scale = 1) => Math.pow(base, t * scale);

/** A kernel's interface: buffers, scalars and sums in kernel order, with name → index maps. */
export interface KernelDecl<B extends string = string, S extends string = string, R extends string = string, I extends string = string> {
  /** Kernel name: `adamw` runs the `adam` kernel. The AssemblyScript kernel is `${name}Step` in assembly/optim/. */
  readonly name: string;
  /** State buffers, in the order of the kernel's buffer-pointer table (absent ones are null pointers). */
  readonly buffers: readonly B[];
  /** Per-step scalars, in row order (flags are 0 or 1). */
  readonly scalars: readonly S[];
  /** Buffer name → index in {@link buffers}. */
  readonly buffer: Readonly<Record<B, number>>;
  /** Scalar name → offset in the row. */
  readonly slot: Readonly<Record<S, number>>;
  /**
   * Sums of a reduce phase (data-dependent scalars such as a gradient norm),
   * in the order of the f64 array the reduce kernels add to; empty when the
   * optimizer has none. See {@link OptimizerDef.reduce}.
   */
  readonly sums: readonly R[];
  /** Sum name → index in {@link sums}. */
  readonly sum: Readonly<Record<R, number>>;
  /**
   * Inputs of the core's own coefficient function, in the order of the f64
   * array it reads; empty when the core has none (its runs are planned in
   * JS). See {@link OptimizerDef.coreInputs}.
   */
  readonly inputs: readonly I[];
  /** Input name → index in {@link inputs}. */
  readonly input: Readonly<Record<I, number>>;
  /**
   * The inputs whose powers the core's coefficient function reads: power
   * table k holds `Math.pow(inputs[powers[k]], t)` at index t (computed in
   * JS, so the same bits as the reference's `pow(base, t)`).
   */
  readonly powers: readonly I[];
  /**
   * The inputs that may differ between the runs of one lane group: fixed-
   * options runs of this kernel whose other inputs, buffers and initial
   * values are all equal share one kernel call, each SIMD lane with its own
   * scalars (`${name}StepLanes` in assembly/optim/). Empty: every distinct
   * option set is a group of its own. The lane kernel reads everything it
   * branches on from the group's first run, so a lane input must not decide
   * a branch (or the kernel tests it per vector, where the outcome cannot
   * differ: see adamStepLanes).
   */
  readonly laneInputs: readonly I[];
  /**
   * When declared: the row slots whose value changes from step to step when
   * the options are fixed (bias corrections, a decaying lr, a first-step
   * flag); every other slot keeps its step-1 value (test/core-
   * coefficients.test.ts checks the claim). Declared empty, a run without a
   * scheduler needs no plan and no core coefficient function: every step's
   * row is the reference's step-1 row. With inputs, after step 1 the core's
   * coefficient function may write only these, and a lane group spreads
   * only these to its lanes. Undefined: not declared (no such claim).
   */
  readonly stepScalars: readonly S[] | undefined;
}

function indexOf<K extends string>(names: readonly K[], what: string): Record<K, number> {
  const out = {} as Record<K, number>;
  names.forEach((n, i) => {
    if (n in out) throw new Error(`kernel declaration: ${what} ${n} is declared twice`);
    out[n] = i;
  });
  return Object.freeze(out);
}

/** Declares a kernel's buffers and ordered scalars (see {@link KernelDecl}). */
export function declareKernel<
  const B extends readonly string[],
  const S extends readonly string[],
  const R extends readonly string[] = [],
  const I extends readonly string[] = [],
>(
  name: string,
  d: { buffers: B; scalars: S; sums?: R; inputs?: I; powers?: readonly I[number][]; laneInputs?: readonly I[number][]; stepScalars?: readonly S[number][] },
): KernelDecl<B[number], S[number], R[number], I[number]> {
  const sums = (d.sums ?? []) as unknown as R;
  const inputs = (d.inputs ?? []) as unknown as I;
  const input = indexOf<I[number]>(inputs, "input");
  for (const p of [...(d.powers ?? []), ...(d.laneInputs ?? [])]) if (!(p in input)) throw new Error(`kernel declaration: ${p} names no input`);
  for (const p of d.stepScalars ?? []) if (!d.scalars.includes(p)) throw new Error(`kernel declaration: step scalar ${p} names no scalar`);
  return Object.freeze({
    name,
    buffers: Object.freeze([...d.buffers]),
    scalars: Object.freeze([...d.scalars]),
    buffer: indexOf<B[number]>(d.buffers, "buffer"),
    slot: indexOf<S[number]>(d.scalars, "scalar"),
    sums: Object.freeze([...sums]),
    sum: indexOf<R[number]>(sums, "sum"),
    inputs: Object.freeze([...inputs]),
    input,
    powers: Object.freeze([...(d.powers ?? [])]),
    laneInputs: Object.freeze([...(d.laneInputs ?? [])]),
    stepScalars: d.stepScalars && Object.freeze([...d.stepScalars]),
  });
}

/** Per-element state buffers of one parameter tensor, by name (`expAvg`, `expAvgSq`, …). */
export type Buffers = Record<string, FloatArray>;

/** A tensor's buffers in kernel order ({@link KernelDecl.buffers}); `undefined` where the options need none. */
export type BufferList = readonly (FloatArray | undefined)[];

export interface OptimizerDef<O extends Options = Options> {
  /** Algorithm name (lower case, as in the CLI). */
  readonly name: string;
  readonly schema: Schema<O>;
  readonly kernel: KernelDecl;
  /** Which option OneCycleLR's and CyclicLR's momentum cycling writes (`betas` cycles β1). */
  readonly momentumOption: "momentum" | "betas" | undefined;
  /** Cross-option checks (e.g. Nesterov needs momentum and no dampening). */
  validate?(o: O): void;
  /** Names of the buffers these options need (a subset of the kernel's). */
  buffers(o: O): readonly string[];
  /** Initial value of a buffer's elements (0 unless said). */
  initialValue?(buffer: string, o: O): number;
  /** Optimizer-wide scalar state and its initial value (e.g. NAdam's μ product, Prodigy's d = d0), from the options at construction. */
  initialScalars?(o: O): Record<string, number>;
  /**
   * Writes the scalars of step `t` (1-based, counted like PyTorch's
   * `state["step"]`) into `row[at …]` in the kernel's slot order. Called
   * exactly once per step, so it may advance `state`.
   */
  coefficients(o: O, t: number, state: Record<string, number>, row: Float64Array, at: number, pow: Pow): void;
  /**
   * For a kernel that declares `inputs`: writes them (in declared order, at
   * `out[at …]`) for options that stay fixed for a whole run. The core then
   * computes every row itself (`${kernel.name}Coefficients(t, inputs,
   * powers, row)` in assembly/optim/), operation for operation as
   * {@link coefficients} does for a run started from these options, instead
   * of reading a plan made in JS; a run with a scheduler is planned as
   * before. A test compares the core's rows with {@link coefficients}'s, bit
   * for bit (test/core-coefficients.test.ts).
   */
  coreInputs?(o: O, out: Float64Array, at: number): void;
  /** Reference update of one tensor from the row at `at`, rounding with `fr` after every operation. */
  update(p: FloatArray, g: FloatArray, b: BufferList, row: Float64Array, at: number, fr: Round): void;
  /**
   * The reduce phase, for optimizers whose step needs sums over the data
   * (Adan's gradient norm, Prodigy's d estimate). When `reduces(o)` is true,
   * a step is: coefficients; `reduce` over every tensor in parameter order
   * (an element-wise pass that may update buffers and adds each of this
   * tensor's sums into `sums[k]`; see below); `finish`, which writes the
   * data-dependent slots of the row from the sums and may decide that this
   * step moves nothing (returns false); then `update` over every tensor.
   *
   * Order of a tensor's sum (both backends, in f64): four partial sums pₖ of
   * the terms with element index i ≡ k (mod 4), in increasing i, combined as
   * (p₀ + p₂) + (p₁ + p₃) = S; then `sums[k] = sums[k] + c·S` (c a row scalar
   * the declaration names, e.g. Prodigy's (d/d0)·dlr, or `sums[k] + S`),
   * tensor by tensor in parameter order, starting from +0. The
   * AssemblyScript kernel is `${kernel.name}Reduce`. `finish` reads the sums
   * and the state and may rewrite row slots (it runs once per step, after
   * every reduce pass and before any update).
   */
  reduces?(o: O): boolean;
  reduce?(p: FloatArray, g: FloatArray, b: BufferList, row: Float64Array, at: number, sums: Float64Array, fr: Round): void;
  finish?(o: O, t: number, state: Record<string, number>, row: Float64Array, at: number, sums: Float64Array): boolean;
}

/** A tensor's sum from its four lane-order partial sums: (p₀ + p₂) + (p₁ + p₃) (see {@link OptimizerDef.reduce}). */
export function combineLanes(p0: number, p1: number, p2: number, p3: number): number {
  return p0 + p2 + (p1 + p3);
}

/** Identity for a definition, keeping its precise types. */
export function defineOptimizer<O extends Options>(d: OptimizerDef<O>): OptimizerDef<O> {
  return d;
}

/**
 * An optimizer whose step evaluates the function several times (L-BFGS: its
 * iterations and line search). It is not element-wise, so it declares no
 * kernel and no row: its own class (`create`) runs the whole step over the
 * flat concatenation of the tensors, calling the closure `step(closure)`
 * requires. Everything else (schema, validation, schedulers, the registry
 * line) is as for {@link OptimizerDef}.
 */
export interface ClosureOptimizerDef<O extends Options = Options> {
  readonly name: string;
  readonly schema: Schema<O>;
  readonly momentumOption: undefined;
  /** What tells it from an {@link OptimizerDef}: `step()` needs a closure. */
  readonly closure: "required";
  validate?(o: O): void;
  /** The optimizer over `params`, on any backend (it reads `data` and `grad` through the params' getters at every use). */
  create(name: string, params: Param[], options: Record<string, unknown>): Optimizer;
}

/** Either kind of definition a registry line holds. */
export type AnyOptimizerDef = OptimizerDef | ClosureOptimizerDef;

/** Whether a definition is a {@link ClosureOptimizerDef}. */
export function isClosureDef(d: AnyOptimizerDef): d is ClosureOptimizerDef {
  return (d as ClosureOptimizerDef).closure === "required";
}
