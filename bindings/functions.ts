/**
 * The test functions on the WebAssembly core (assembly/fns/): the reference
 * instance's metadata (name, dim, params, minima, domain, start, polynomial)
 * with value and gradient computed by the kernels. Polynomial functions agree
 * with the reference bit for bit; the transcendental ones (rastrigin, ackley,
 * levi13, easom, mccormick) use AssemblyScript's own sin/cos/exp, a few ULP
 * from V8's (test/wasm-functions.test.ts states the bounds).
 */
import { check, rangeError, show, typeError } from "../src/errors.js";
import { DEP_SHIFT, TAPE_HEADER, TAPE_RECORD } from "../src/expr/index.js";
import { createFunction, grid as referenceGrid, type FunctionName, type FunctionSpec, type GradOut, type TestFunction } from "../src/functions/index.js";
import type { Core } from "./module.js";

/** One row of the id table: the kernel id and the parameters in the order the kernel reads them. */
export interface FunctionTableRow {
  readonly id: number;
  /** Names in `fn.params`, flattened in this order into the kernel's f64 array (`weights` contributes dim values). */
  readonly params: readonly string[];
}

/**
 * The function ids, defined here once (registry order of src/functions) and
 * mirrored by the FN_* constants of assembly/fns/ids.ts; the test suite checks
 * them against the core's fnCount/fnParamCount/fnIsNd/fnMinDim/fnPolynomial.
 */
export const FUNCTION_TABLE: Readonly<Record<FunctionName, FunctionTableRow>> = Object.freeze({
  quadratic: { id: 0, params: ["weights"] },
  cubic: { id: 1, params: [] },
  rosenbrock: { id: 2, params: ["a", "b"] },
  beale: { id: 3, params: [] },
  booth: { id: 4, params: [] },
  matyas: { id: 5, params: [] },
  himmelblau: { id: 6, params: [] },
  threeHumpCamel: { id: 7, params: [] },
  sixHumpCamel: { id: 8, params: [] },
  goldsteinPrice: { id: 9, params: [] },
  rastrigin: { id: 10, params: ["A"] },
  ackley: { id: 11, params: ["a", "b", "c"] },
  styblinskiTang: { id: 12, params: [] },
  levi13: { id: 13, params: [] },
  easom: { id: 14, params: [] },
  mccormick: { id: 15, params: [] },
  saddle: { id: 16, params: [] },
  monkeySaddle: { id: 17, params: [] },
});

/**
 * The id of formulas (FN_EXPR in assembly/fns/ids.ts): their parameter block
 * is the compiled tape, `fn.params.tape` (scratch included).
 */
export const EXPR_ID = 100;

/** The table row of a function name, or undefined for a name not in the table. */
export function functionRow(name: string): FunctionTableRow | undefined {
  return Object.hasOwn(FUNCTION_TABLE, name) ? FUNCTION_TABLE[name as FunctionName] : undefined;
}

/**
 * The kernel's f64 parameter array of an instance (quadratic: weights[0..dim);
 * rosenbrock: a, b; rastrigin: A; ackley: a, b, c; others: empty), or
 * undefined when the name or the parameters do not fit the table.
 */
export function kernelParams(fn: Pick<TestFunction, "name" | "dim" | "params">): Float64Array | undefined {
  if (fn.name === "expr") return Array.isArray(fn.params.tape) ? Float64Array.from(fn.params.tape) : undefined;
  const row = functionRow(fn.name);
  if (!row) return undefined;
  const out: number[] = [];
  for (const k of row.params) {
    const v = fn.params[k];
    if (typeof v === "number") out.push(v);
    else if (Array.isArray(v) && v.length === fn.dim && v.every((w) => typeof w === "number")) for (const w of v) out.push(w);
    else return undefined;
  }
  return Float64Array.from(out);
}

/**
 * The kernel id and f64 parameter array of an instance (what fnValueGrad*,
 * fnGrid and the run engine take). A TypeError (field `fn`) for a function
 * the core does not know.
 */
export function functionArgs(fn: Pick<TestFunction, "name" | "dim" | "params">): { id: number; params: Float64Array } {
  const id = fn.name === "expr" ? EXPR_ID : functionRow(fn.name)?.id;
  const params = kernelParams(fn);
  if (id === undefined || !params) throw typeError("fn", `the wasm core has no kernel for ${show(fn.name)} with parameters ${show(fn.params)}`);
  return { id, params };
}

function isInstance(v: FunctionSpec | TestFunction): v is TestFunction {
  return typeof (v as TestFunction).valueAndGrad === "function";
}

/** Where a wasm function's parameters live, for wasmGrid. */
interface Bound {
  core: Core;
  id: number;
  params: number;
}
const bound = new WeakMap<TestFunction, Bound>();
const reclaim = new FinalizationRegistry<{ core: Core; ptr: number }>(({ core, ptr }) => core.arena.release(ptr));

/**
 * Per core: one scratch block for x and ∇f copies (plain arrays), as f64:
 * x at `ptr`, the gradient at `ptr + 8·n`. Allocated once and kept; grown when
 * a function of a larger dimension is created (so calls never allocate, and a
 * caller's wasm views stay attached during a call).
 */
const scratches = new WeakMap<Core, { ptr: number; n: number }>();

function reserveScratch(core: Core, n: number): void {
  const s = scratches.get(core);
  if (s && s.n >= n) return;
  const ptr = core.arena.alloc(16 * n);
  if (s) {
    core.arena.release(s.ptr);
    s.ptr = ptr;
    s.n = n;
  } else scratches.set(core, { ptr, n });
}

/** A Float32Array/Float64Array view into the core's memory, else undefined. */
function wasmView(a: unknown, buf: ArrayBuffer | SharedArrayBuffer): Float32Array | Float64Array | undefined {
  return (a instanceof Float64Array || a instanceof Float32Array) && a.buffer === buf ? a : undefined;
}

/**
 * An instance of a test function whose value and gradient run in the wasm
 * core. Same spec, dimension, metadata, validation and errors as the
 * reference `createFunction` (which it calls). `valueAndGrad(x, grad)` is
 * zero-copy when x and grad are both views of one dtype into the core's
 * memory (e.g. `param.data`, `param.grad`); otherwise x is copied in and the
 * gradient out through a scratch block (f64, so a Float32Array grad still
 * rounds exactly once). The kernel parameters live in wasm memory, freed
 * when the instance is garbage-collected.
 */
export function wasmFunction(core: Core, spec: FunctionSpec | TestFunction, dim?: number): TestFunction {
  // A reference instance (a normalized spec's `fn`) is used as it is: it was validated when it was built.
  const ref = isInstance(spec) ? spec : createFunction(spec, dim);
  const { id, params: values } = functionArgs(ref); // the table covers the registry: never throws
  const { name } = ref;
  const n = ref.dim;
  const k = core.exports;
  const valueGradF32 = k.fnValueGradF32 as (id: number, p: number, x: number, g: number, n: number) => number;
  const valueGradF64 = k.fnValueGradF64 as (id: number, p: number, x: number, g: number, n: number) => number;
  const valueF32 = k.fnValueF32 as (id: number, p: number, x: number, n: number) => number;
  const valueF64 = k.fnValueF64 as (id: number, p: number, x: number, n: number) => number;

  reserveScratch(core, n);
  let params = 0;
  if (values.length > 0) {
    params = core.arena.alloc(values.length * 8);
    new Float64Array(core.memory.buffer, params, values.length).set(values);
  }

  const badX = (x: ArrayLike<number>) => rangeError("x", `must have length ${n} (the dimension of ${name}); got ${x.length}`);

  const fn: TestFunction = {
    name,
    dim: n,
    params: ref.params,
    polynomial: ref.polynomial,
    get minima() {
      return ref.minima;
    },
    domain: ref.domain,
    get start() {
      return ref.start;
    },
    ...(ref.expr === undefined ? {} : { expr: ref.expr, label: ref.label }),
    valueAndGrad(x: ArrayLike<number>, grad: GradOut): number {
      if (x.length !== n) throw badX(x);
      if (grad.length < n) throw rangeError("grad", `must have length at least ${n}; got ${grad.length}`);
      const buf = core.memory.buffer;
      const xv = wasmView(x, buf);
      const gv = wasmView(grad, buf);
      if (xv && gv && xv.BYTES_PER_ELEMENT === gv.BYTES_PER_ELEMENT) {
        return (xv.BYTES_PER_ELEMENT === 4 ? valueGradF32 : valueGradF64)(id, params, xv.byteOffset, gv.byteOffset, n);
      }
      const s = scratches.get(core)!;
      const gp = s.ptr + 8 * s.n;
      new Float64Array(buf, s.ptr, n).set(x);
      const f = valueGradF64(id, params, s.ptr, gp, n);
      const out = new Float64Array(core.memory.buffer, gp, n); // the kernels never grow memory; fresh view anyway
      for (let i = 0; i < n; i++) grad[i] = out[i];
      return f;
    },
    value(x: ArrayLike<number>): number {
      if (x.length !== n) throw badX(x);
      const buf = core.memory.buffer;
      const xv = wasmView(x, buf);
      if (xv) return (xv.BYTES_PER_ELEMENT === 4 ? valueF32 : valueF64)(id, params, xv.byteOffset, n);
      const s = scratches.get(core)!;
      new Float64Array(buf, s.ptr, n).set(x);
      return valueF64(id, params, s.ptr, n);
    },
  };
  Object.freeze(fn);
  if (params) reclaim.register(fn, { core, ptr: params });
  bound.set(fn, { core, id, params });
  return fn;
}

/**
 * f over an nx × ny grid, row-major with y outer, computed by the core's
 * `fnGrid` (value only; SIMD for polynomial functions): the reference
 * `grid()`'s validation, coordinates and layout, bit-identical to it for
 * polynomial functions. `fn` may be a wasm instance or a reference one (its
 * parameters are then copied in for the call); anything the core does not
 * know is evaluated by the reference grid.
 */
export function wasmGrid(core: Core, fn: TestFunction, x: [number, number], y: [number, number], nx: number, ny: number): Float64Array {
  if (fn.dim !== 2) throw rangeError("fn", `grid needs a 2-D function; ${fn.name} has dim ${fn.dim}`);
  const x0 = check.finite("x[0]", x[0]);
  const x1 = check.finite("x[1]", x[1]);
  const y0 = check.finite("y[0]", y[0]);
  const y1 = check.finite("y[1]", y[1]);
  check.number("nx", nx, { integer: true, min: 2 });
  check.number("ny", ny, { integer: true, min: 2 });

  let b = bound.get(fn);
  let temp = 0;
  if (!b || b.core !== core) {
    const id = fn.name === "expr" ? EXPR_ID : functionRow(fn.name)?.id;
    const values = id === undefined ? undefined : kernelParams(fn);
    if (id === undefined || !values) return referenceGrid(fn, x, y, nx, ny);
    if (values.length > 0) {
      temp = core.arena.alloc(values.length * 8);
      new Float64Array(core.memory.buffer, temp, values.length).set(values);
    }
    b = { core, id, params: temp };
  }
  const count = nx * ny;
  let out = 0;
  let work = 0;
  try {
    out = core.arena.alloc(count * 8);
    if (b.id === EXPR_ID) {
      const plan = exprGridPlan(fn.params.tape as number[], nx);
      const bytes = (core.exports.exprGridWorkBytes as (...a: number[]) => number)(b.params, nx, plan.chunk, plan.hoistX);
      work = core.arena.alloc(bytes);
      (core.exports.exprGrid as (...a: number[]) => void)(b.params, x0, x1, nx, y0, y1, ny, out, work, plan.chunk, plan.hoistX);
    } else (core.exports.fnGrid as (...a: number[]) => void)(b.id, b.params, x0, x1, nx, y0, y1, ny, out);
    const result = new Float64Array(count);
    result.set(new Float64Array(core.memory.buffer, out, count));
    return result;
  } finally {
    if (out) core.arena.release(out);
    if (work) core.arena.release(work);
    if (temp) core.arena.release(temp);
  }
}

/** Bytes of per-point buffers a formula grid may use (about L2-sized), and of its table of x-only ops. */
const CHUNK_BUDGET = 1 << 20;
const X_TABLE_BUDGET = 1 << 24;

/**
 * How assembly/expr/grid.ts should split a formula grid: points per chunk
 * (even, 2 … 256, smaller for formulas with many ops that depend on both x
 * and y) and whether the x-only ops get a whole-width table (unless it
 * would pass {@link X_TABLE_BUDGET}). Neither changes any value.
 */
export function exprGridPlan(tape: ArrayLike<number>, nx: number): { chunk: number; hoistX: number } {
  let nx1 = 0,
    nxy = 0;
  for (let i = 0; i < tape[1]; i++) {
    const dep = (tape[TAPE_HEADER + TAPE_RECORD * i] >> DEP_SHIFT) & 3;
    if (dep === 1) nx1++;
    else if (dep === 3) nxy++;
  }
  const hoistX = nx1 * (nx + 1) * 8 <= X_TABLE_BUDGET ? 1 : 0;
  const perPoint = 8 * (nxy + (hoistX ? 0 : nx1));
  const chunk = Math.max(2, Math.min(256, Math.floor(CHUNK_BUDGET / Math.max(1, perPoint)) & ~1));
  return { chunk, hoistX };
}
