/**
 * The network engine on the WebAssembly core: the kernel set of
 * src/models/network.ts over pointers into wasm memory (assembly/nn/), with
 * parameters in WasmParams and the optimizer a WasmOptimizer over them, so
 * the forward, backward and optimizer steps of a training all run on the same
 * memory. The trainer itself (epochs, batches, schedulers, records) is the
 * reference's own code, which is why both backends give the same bits.
 */
import type { DType, FloatArray, ParamTensor } from "../src/api.js";
import { ERF_TABLE } from "../src/models/erfTable.js";
import type { KernelSet } from "../src/models/network.js";
import type { TrainerBackend } from "../src/models/trainer.js";
import type { Backend } from "../src/backend.js";
import type { Core } from "./module.js";
import { WasmParam } from "./tensor.js";

type Fn = (...args: number[]) => number;

/** Per core: erf's coefficient table in wasm memory (written once, never freed). */
const erfTables = new WeakMap<Core, number>();

/** Where the core's copy of src/models/erfTable.ts lives (the kernels read it for gelu). */
export function erfTablePtr(core: Core): number {
  let p = erfTables.get(core);
  if (p === undefined) {
    p = core.arena.alloc(ERF_TABLE.length * 8);
    new Float64Array(core.memory.buffer, p, ERF_TABLE.length).set(ERF_TABLE);
    erfTables.set(core, p);
  }
  return p;
}

/** The network kernels of one dtype on the core. */
export function wasmKernels(core: Core, dtype: DType): KernelSet<number, number> {
  const k = core.exports as unknown as Record<string, Fn>;
  const sfx = dtype === "f32" ? "F32" : "F64";
  const size = dtype === "f32" ? 4 : 8;
  const tab = erfTablePtr(core);
  const denseForward = k["nnDenseForward" + sfx],
    backwardInput = k["nnDenseBackwardInput" + sfx],
    weightGrad = k["nnWeightGrad" + sfx];
  const actForward = k["nnActForward" + sfx],
    actBackward = k["nnActBackward" + sfx],
    loss = k["nnLoss" + sfx],
    gather = k["nnGather" + sfx];
  const view = (ptr: number, length: number): FloatArray =>
    dtype === "f32" ? new Float32Array(core.memory.buffer, ptr, length) : new Float64Array(core.memory.buffer, ptr, length);
  return {
    dtype,
    lanes: 16 / size,
    alloc(length) {
      const p = core.arena.alloc(length * size);
      view(p, length).fill(0);
      return p;
    },
    free: (p) => core.arena.release(p),
    write: (p, values) => view(p, values.length).set(values),
    view,
    allocIndex(length) {
      const p = core.arena.alloc(length * 4);
      new Int32Array(core.memory.buffer, p, length).fill(0);
      return p;
    },
    freeIndex: (p) => core.arena.release(p),
    writeIndex: (p, values) => new Int32Array(core.memory.buffer, p, values.length).set(values),
    denseForward: (W, b, A, Z, nIn, nOut, _n, S) => void denseForward(W, b, A, Z, nIn, nOut, S),
    denseBackwardInput: (W, dZ, dA, nIn, nOut, _n, S) => void backwardInput(W, dZ, dA, nIn, nOut, S),
    weightGrad: (dZ, A, dW, db, nIn, nOut, _n, S) => void weightGrad(dZ, A, dW, db, nIn, nOut, S),
    actForward: (act, Z, A, rows, n, S) => void actForward(act, Z, A, rows, n, S, tab),
    actBackward: (act, dA, Z, A, dZ, rows, n, S) => void actBackward(act, dA, Z, A, dZ, rows, n, S, tab),
    loss: (id, Z, Y, dZ, K, n, S, g) => loss(id, Z, Y, dZ ?? 0, K, n, S, g),
    gather: (src, srcStride, idx, from, dst, rows, n, S) => void gather(src, srcStride, idx + 4 * from, dst, rows, n, S),
  };
}

/**
 * The trainer's parts on the core: the wasm backend's own `param` and
 * `createOptimizer` (WasmParams, and WasmOptimizers stepping them in place),
 * and the wasm kernels.
 */
export function wasmTrainerBackend(core: Core, backend: Pick<Backend, "param" | "createOptimizer">): TrainerBackend<number, number> {
  return {
    param: (dtype, init) => backend.param(dtype, init),
    createOptimizer: (name, params, options) => backend.createOptimizer(name, params, options),
    kernels: (dtype) => wasmKernels(core, dtype),
    paramBuffers(p: ParamTensor) {
      if (!(p instanceof WasmParam)) throw new TypeError("the wasm trainer needs WasmParams");
      return { data: p.dataTensor.ptr, grad: p.gradTensor.ptr };
    },
  };
}
