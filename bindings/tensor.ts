/**
 * Arrays in wasm linear memory, seen from JS as typed-array views. A view is
 * rebuilt whenever the memory's ArrayBuffer has changed (growth detaches the
 * old one), so `tensor.data` is never stale. Disposal is explicit; a tensor
 * that is garbage-collected without it is freed by a FinalizationRegistry.
 */
import type { DType, FloatArray, ParamTensor, Tensor } from "../src/api.js";
import { check, rangeError } from "../src/errors.js";
import type { Core } from "./module.js";

const reclaim = new FinalizationRegistry<{ core: Core; ptr: number }>(({ core, ptr }) => core.arena.release(ptr));

export class WasmTensor implements Tensor {
  readonly dtype: DType;
  readonly length: number;
  private readonly core: Core;
  private p: number;
  private view: FloatArray | undefined;

  constructor(core: Core, dtype: DType, length: number) {
    check.oneOf("dtype", dtype, ["f32", "f64"] as const);
    check.number("length", length, { min: 0, max: 2 ** 30, integer: true });
    this.core = core;
    this.dtype = dtype;
    this.length = length;
    this.p = core.arena.alloc(length * (dtype === "f32" ? 4 : 8));
    reclaim.register(this, { core, ptr: this.p }, this);
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

  constructor(core: Core, dtype: DType, length: number) {
    this.dtype = dtype;
    this.length = length;
    this.dataTensor = new WasmTensor(core, dtype, length);
    this.gradTensor = new WasmTensor(core, dtype, length);
    this.gradTensor.data.fill(0);
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
    this.dataTensor.dispose();
    this.gradTensor.dispose();
  }
}

/** Fills a new tensor from a length (zeros) or from values. */
export function initTensor<T extends { data: FloatArray }>(t: T, init: number | ArrayLike<number>): T {
  if (typeof init === "number") t.data.fill(0);
  else {
    if (init.length !== t.data.length) throw rangeError("data", `has ${init.length} values; expected ${t.data.length}`);
    t.data.set(init);
  }
  return t;
}
