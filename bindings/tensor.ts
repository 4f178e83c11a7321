/**
 * Arrays in wasm linear memory, seen from JS as typed-array views. A view is
 * rebuilt whenever the memory's ArrayBuffer has changed (growth detaches the
 * old one), so `tensor.data` is never stale. Disposal is explicit; a tensor
 * that is garbage-collected without it is freed by a FinalizationRegistry.
 */
import type { DType, FloatArray, ParamTensor, Tensor } from "../src/api.js";
import { check, rangeError } from "../src/errors.js";
import type { TensorLedger } from "../src/ledger.js";
import type { Core } from "./module.js";

const reclaim = new FinalizationRegistry<{ core: Core; ptr: number }>(({ core, ptr }) => core.arena.release(ptr));

/** Bytes per element. */
const SIZE: Record<DType, number> = { f32: 4, f64: 8 };

export class WasmTensor implements Tensor {
  readonly dtype: DType;
  readonly length: number;
  private readonly core: Core;
  private p: number;
  private view: FloatArray | undefined;

  private readonly ledger: TensorLedger | undefined;

  /** `ledger`: count it in `backend.memory()` and tidy scopes (tensors users make; not optimizer state). */
  constructor(core: Core, dtype: DType, length: number, ledger?: TensorLedger, what = "tensor") {
    check.oneOf("dtype", dtype, ["f32", "f64"] as const);
    check.number("length", length, { min: 0, max: 2 ** 30, integer: true });
    this.core = core;
    this.dtype = dtype;
    this.length = length;
    this.p = core.arena.alloc(length * SIZE[dtype], `a ${dtype} ${what} of ${length} values`);
    reclaim.register(this, { core, ptr: this.p }, this);
    this.ledger = ledger;
    ledger?.add(this, length * SIZE[dtype]);
  }

  /** Byte address in wasm memory; an Error after dispose. */
  get ptr(): number {
    if (this.p < 0) throw new Error("this tensor was disposed");
    return this.p;
  }

  get disposed(): boolean {
    return this.p < 0;
  }

  get data(): FloatArray {
    const buf = this.core.memory.buffer;
    const v = this.view;
    if (v && v.buffer === buf) return v;
    const ptr = this.ptr;
    return (this.view = this.dtype === "f32" ? new Float32Array(buf, ptr, this.length) : new Float64Array(buf, ptr, this.length));
  }

  dispose(): void {
    if (this.p < 0) return;
    this.ledger?.removed(this);
    reclaim.unregister(this);
    this.core.arena.release(this.p);
    this.p = -1;
    this.view = undefined;
  }
}

/** data + grad in wasm memory. */
export class WasmParam implements ParamTensor {
  readonly dtype: DType;
  readonly length: number;
  readonly dataTensor: WasmTensor;
  readonly gradTensor: WasmTensor;

  private readonly ledger: TensorLedger | undefined;

  constructor(core: Core, dtype: DType, length: number, ledger?: TensorLedger) {
    this.dtype = dtype;
    this.length = length;
    this.dataTensor = new WasmTensor(core, dtype, length, undefined, "param");
    try {
      this.gradTensor = new WasmTensor(core, dtype, length, undefined, "param's gradient");
    } catch (e) {
      this.dataTensor.dispose();
      throw e;
    }
    this.gradTensor.data.fill(0);
    this.ledger = ledger;
    ledger?.add(this, 2 * length * SIZE[dtype]);
  }
  get data(): FloatArray {
    return this.dataTensor.data;
  }
  get grad(): FloatArray {
    return this.gradTensor.data;
  }
  get disposed(): boolean {
    return this.dataTensor.disposed;
  }
  dispose(): void {
    if (this.dataTensor.disposed) return;
    this.ledger?.removed(this);
    this.dataTensor.dispose();
    this.gradTensor.dispose();
  }
}

/** Fills a new tensor from a length (zeros) or from values; disposes it if the values do not fit. */
export function initTensor<T extends { data: FloatArray; dispose(): void }>(t: T, init: number | ArrayLike<number>): T {
  try {
    if (typeof init === "number") t.data.fill(0);
    else {
      if (init.length !== t.data.length) throw rangeError("data", `has ${init.length} values; expected ${t.data.length}`);
      t.data.set(init);
    }
  } catch (e) {
    t.dispose();
    throw e;
  }
  return t;
}
