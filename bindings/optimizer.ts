/**
 * The reference Optimizer with its per-element update replaced by the wasm
 * kernel and its state buffers in wasm memory. Everything else (options,
 * validation, coefficients, state dicts) is the reference's own code.
 */
import { dtypeOf, type DType, type Param } from "../src/api.js";
import type { Buffers, Coefficients, OptimizerDef } from "../src/optim/def.js";
import { Optimizer } from "../src/optim/optimizer.js";
import { KERNELS, type BufferPtrs, type KernelCall } from "./kernels.js";
import type { Core } from "./module.js";
import { WasmParam, WasmTensor } from "./tensor.js";

export class WasmOptimizer extends Optimizer {
  // Assigned lazily: the base constructor runs before subclass fields exist.
  private core!: Core;
  private wbufs?: Record<string, WasmTensor>[];
  private ptrs?: BufferPtrs[];
  private staging?: (WasmParam | undefined)[];
  private calls?: Partial<Record<DType, KernelCall>>;

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
    this.ptrs = undefined;
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
    this.ptrs = undefined;
  }

  protected override updateTensor(i: number, c: Coefficients): void {
    const p = this.params[i];
    const ptrs = (this.ptrs ??= this.bufs.map((b) => Object.fromEntries(Object.entries(b).map(([k, t]) => [k, t.ptr]))));
    if (p instanceof WasmParam) {
      if (p.disposed) throw new Error(`params[${i}] was disposed`);
      this.kernel(p.dtype)(p.dataTensor.ptr, p.gradTensor.ptr, ptrs[i], p.length, c);
      return;
    }
    // A plain typed array: copy through a wasm staging tensor (correct, but the copies cost; use backend.param()).
    const data = p.data;
    const dt = dtypeOf(data)!;
    const staging = (this.staging ??= []);
    const st = (staging[i] ??= new WasmParam(this.core, dt, data.length));
    st.data.set(data);
    st.grad.set(p.grad);
    this.kernel(dt)(st.dataTensor.ptr, st.gradTensor.ptr, ptrs[i], data.length, c);
    p.data.set(st.data);
  }

  private kernel(dt: DType): KernelCall {
    const calls = (this.calls ??= {});
    return (calls[dt] ??= KERNELS[this.def.name](this.core.exports, dt === "f32" ? "F32" : "F64"));
  }

  /** Frees the state buffers (and staging copies) in wasm memory; the optimizer is unusable after. */
  dispose(): void {
    for (const b of this.wbufs ?? []) for (const t of Object.values(b)) t.dispose();
    for (const s of this.staging ?? []) s?.dispose();
    this.wbufs = this.params.map(() => ({}));
    this.ptrs = undefined;
  }
}
