/**
 * The reference Optimizer with its per-element update replaced by the wasm
 * kernel and its state in wasm memory: the buffers, each tensor's
 * buffer-pointer table, and the coefficient row the shared coefficient
 * function writes each step. Everything else (options, validation,
 * coefficients, state dicts) is the reference's own code.
 */
import { dtypeOf, type DType, type Param } from "../src/api.js";
import type { Buffers, OptimizerDef } from "../src/optim/def.js";
import { kernelId } from "../src/optim/index.js";
import { Optimizer } from "../src/optim/optimizer.js";
import { stepKernels } from "./kernels.js";
import type { Core } from "./module.js";
import { WasmParam, WasmTensor } from "./tensor.js";

export class WasmOptimizer extends Optimizer {
  // Assigned lazily: the base constructor runs before subclass fields exist.
  private core!: Core;
  private wbufs?: Record<string, WasmTensor>[];
  /** Per tensor: the address of its buffer pointers in kernel order, in wasm memory (rebuilt when the buffers change). */
  private tablePtrs?: number[];
  private rowPtr = 0;
  private rowView?: Float64Array;
  private staging?: (WasmParam | undefined)[];
  private kernels?: ReturnType<typeof stepKernels>;
  private sumsPtr = 0;
  private sumsView?: Float64Array;

  constructor(core: Core, name: string, def: OptimizerDef, params: Param[], options?: Record<string, unknown>) {
    super(name, def, params, options);
    this.core = core;
  }

  private get bufs(): Record<string, WasmTensor>[] {
    return (this.wbufs ??= this.params.map(() => ({})));
  }

  protected override storage(i: number): Buffers {
    const out: Buffers = {};
    for (const [k, t] of Object.entries(this.bufs[i])) out[k] = t.data;
    return out;
  }

  protected override createBuffer(i: number, name: string, dtype: DType, length: number, init: number): void {
    const t = new WasmTensor(this.core, dtype, length);
    t.data.fill(init);
    this.bufs[i][name]?.dispose();
    this.bufs[i][name] = t;
    this.freeTables();
  }

  protected override installBuffers(all: Buffers[]): void {
    for (const b of this.bufs) for (const t of Object.values(b)) t.dispose();
    this.wbufs = all.map((b, i) => {
      const out: Record<string, WasmTensor> = {};
      const dt = dtypeOf(this.params[i].data)!;
      for (const [k, a] of Object.entries(b)) {
        const t = new WasmTensor(this.core, dt, a.length);
        t.data.set(a);
        out[k] = t;
      }
      return out;
    });
    this.freeTables();
  }

  /**
   * The row lives in wasm memory, so the kernel reads exactly what the
   * coefficient function wrote. A view stays valid until the memory grows,
   * which detaches its buffer and so gives it length 0 (a cheaper test, every
   * step, than reading `memory.buffer`).
   */
  protected override coefficientRow(): Float64Array {
    const v = this.rowView;
    if (v !== undefined && v.length !== 0) return v;
    const { memory, arena } = this.core;
    const K = Math.max(1, this.ew.kernel.scalars.length);
    if (!this.rowPtr) this.rowPtr = arena.alloc(8 * K);
    return (this.rowView = new Float64Array(memory.buffer, this.rowPtr, K));
  }

  /** The reduce phase's sums live in wasm memory too: the reduce kernels add into them, `finish` reads them. */
  protected override sumsArray(): Float64Array {
    const v = this.sumsView;
    if (v !== undefined && v.length !== 0) return v; // detached (length 0) once the memory grew
    const { memory, arena } = this.core;
    const n = Math.max(1, this.ew.kernel.sums.length);
    if (!this.sumsPtr) this.sumsPtr = arena.alloc(8 * n);
    return (this.sumsView = new Float64Array(memory.buffer, this.sumsPtr, n));
  }

  protected override reduceTensor(i: number, _row: Float64Array, _sums: Float64Array): void {
    const ks = (this.kernels ??= stepKernels(this.core, kernelId(this.ew.kernel)));
    const table = this.table(i);
    this.withTensor(i, (p, g, n, dt) => (dt === "f32" ? ks.reduceF32 : ks.reduceF64)(p, g, table, n, this.rowPtr, this.sumsPtr));
  }

  /** Runs `kernel` on tensor i's data and gradient in wasm memory (a plain typed array goes through a staging copy). */
  private withTensor(i: number, kernel: (p: number, g: number, n: number, dt: DType) => void): void {
    const p = this.params[i];
    if (p instanceof WasmParam) {
      if (p.disposed) throw new Error(`params[${i}] was disposed`);
      kernel(p.dataTensor.ptr, p.gradTensor.ptr, p.length, p.dtype);
      return;
    }
    // A plain typed array: copy through a wasm staging tensor (correct, but the copies cost; use backend.param()).
    const data = p.data;
    const dt = dtypeOf(data)!;
    const staging = (this.staging ??= []);
    const st = (staging[i] ??= new WasmParam(this.core, dt, data.length));
    st.data.set(data);
    st.grad.set(p.grad);
    kernel(st.dataTensor.ptr, st.gradTensor.ptr, data.length, dt);
    p.data.set(st.data);
  }

  /** The pointer table of tensor `i` (allocated once per set of buffers). */
  private table(i: number): number {
    if (!this.tablePtrs) {
      const { arena } = this.core;
      const names = this.ew.kernel.buffers;
      const ptrs = this.params.map(() => arena.alloc(4 * Math.max(1, names.length)));
      // Every allocation is done: the views below stay attached.
      ptrs.forEach((ptr, k) => {
        const t = new Int32Array(this.core.memory.buffer, ptr, names.length);
        names.forEach((b, j) => (t[j] = this.bufs[k][b]?.ptr ?? 0));
      });
      this.tablePtrs = ptrs;
    }
    return this.tablePtrs[i];
  }

  private freeTables(): void {
    for (const p of this.tablePtrs ?? []) this.core.arena.release(p);
    this.tablePtrs = undefined;
  }

  protected override updateTensor(i: number, _row: Float64Array): void {
    this.ensureBuffers();
    const ks = (this.kernels ??= stepKernels(this.core, kernelId(this.ew.kernel)));
    const table = this.table(i);
    this.withTensor(i, (p, g, n, dt) => (dt === "f32" ? ks.f32 : ks.f64)(p, g, table, n, this.rowPtr));
  }

  /** Frees the state buffers, tables, row and staging copies in wasm memory; the optimizer is unusable after. */
  dispose(): void {
    for (const b of this.wbufs ?? []) for (const t of Object.values(b)) t.dispose();
    for (const s of this.staging ?? []) s?.dispose();
    this.freeTables();
    if (this.rowPtr) this.core.arena.release(this.rowPtr);
    if (this.sumsPtr) this.core.arena.release(this.sumsPtr);
    this.rowPtr = this.sumsPtr = 0;
    this.rowView = this.sumsView = undefined;
    this.wbufs = this.params.map(() => ({}));
  }
}
