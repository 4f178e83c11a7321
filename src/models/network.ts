/**
 * A dense network over one backend's kernels: the buffers, the layer loop
 * of the forward and backward passes, and the data it trains on. Written once
 * for both backends; a {@link KernelSet} supplies the buffers (typed arrays on
 * the reference, pointers into wasm memory on the core) and the kernels
 * (src/models/kernels.ts, assembly/nn/).
 *
 * @packageDocumentation
 */
import type { DType, FloatArray } from "../api.js";

/** What the layer loop needs from a backend: buffers of the dtype and the kernels of src/models/kernels.ts on them. */
export interface KernelSet<B, I> {
  readonly dtype: DType;
  /** SIMD lanes of the dtype (4 for f32, 2 for f64): strides are multiples of it. */
  readonly lanes: number;
  /** A zero-filled buffer of `length` elements. */
  alloc(length: number): B;
  free(b: B): void;
  /** Copies values into a buffer (rounded to the dtype). */
  write(b: B, values: ArrayLike<number>): void;
  /** A view of the first `length` elements, valid until the next call into the set. */
  view(b: B, length: number): FloatArray;
  allocIndex(length: number): I;
  freeIndex(i: I): void;
  writeIndex(i: I, values: Int32Array): void;
  denseForward(W: B, b: B, A: B, Z: B, nIn: number, nOut: number, n: number, S: number): void;
  denseBackwardInput(W: B, dZ: B, dA: B, nIn: number, nOut: number, n: number, S: number): void;
  weightGrad(dZ: B, A: B, dW: B, db: B, nIn: number, nOut: number, n: number, S: number): void;
  actForward(act: number, Z: B, A: B, rows: number, n: number, S: number): void;
  actBackward(act: number, dA: B, Z: B, A: B, dZ: B, rows: number, n: number, S: number): void;
  loss(loss: number, Z: B, Y: B, dZ: B | null, K: number, n: number, S: number, g: number): number;
  gather(src: B, srcStride: number, idx: I, from: number, dst: B, rows: number, n: number, S: number): void;
}

/** Weight and bias of one layer, data and gradient, as buffers of the set. */
export interface LayerParams<B> {
  W: { data: B; grad: B };
  b: { data: B; grad: B };
}

/** A data split in the set's memory: inputs and targets feature-major with stride S. */
interface Split<B> {
  x: B;
  y: B;
  n: number;
  S: number;
}

/** Forward buffers (and, for the training batch, gradient buffers) for strides up to `cap`. */
interface Workspace<B> {
  cap: number;
  Z: B[];
  A: B[];
  D: B[];
}

/** Sample-major rows (n × cols) as a feature-major Float64Array of stride S, padding 0. */
export function toFeatureMajor(values: ArrayLike<number>, n: number, cols: number, S: number): Float64Array {
  const out = new Float64Array(cols * S);
  for (let i = 0; i < n; i++) for (let c = 0; c < cols; c++) out[c * S + i] = values[i * cols + c];
  return out;
}

export class Network<B, I> {
  readonly layers: readonly number[];
  private readonly batch: Workspace<B>;
  private evalWs: Workspace<B> | undefined;
  private readonly batchX: B;
  private readonly batchY: B;
  private splits: Record<"train" | "test", Split<B> | undefined> = { train: undefined, test: undefined };
  private order: I | undefined;
  private predictX: { b: B; cap: number } | undefined;
  private batchN = 0;

  /**
   * `targetRows`: rows of a target (outputs for mse and bce, 1 for ce's
   * class index); `g`: the gradient scale of the mean for a batch of n
   * samples (mse 2/(K·n), bce 1/(K·n), ce 1/n).
   */
  constructor(
    private readonly k: KernelSet<B, I>,
    layers: readonly number[],
    private readonly activation: number,
    private readonly lossId: number,
    private readonly targetRows: number,
    private readonly params: readonly LayerParams<B>[],
    private readonly gradScale: (n: number) => number,
    readonly batchSize: number,
  ) {
    this.layers = layers.slice();
    this.batch = this.workspace(this.stride(batchSize), true);
    this.batchX = k.alloc(layers[0] * this.batch.cap);
    this.batchY = k.alloc(targetRows * this.batch.cap);
  }

  /** n rounded up to whole vectors (at least one). */
  stride(n: number): number {
    const L = this.k.lanes;
    return Math.max(L, Math.ceil(n / L) * L);
  }

  private workspace(cap: number, withGrad: boolean): Workspace<B> {
    const ws: Workspace<B> = { cap, Z: [], A: [], D: [] };
    for (let l = 1; l < this.layers.length; l++) {
      const size = this.layers[l] * cap;
      ws.Z.push(this.k.alloc(size));
      if (l < this.layers.length - 1) ws.A.push(this.k.alloc(size));
      if (withGrad) ws.D.push(this.k.alloc(size));
    }
    return ws;
  }

  private freeWorkspace(ws: Workspace<B>): void {
    for (const b of [...ws.Z, ...ws.A, ...ws.D]) this.k.free(b);
  }

  /** Forward buffers for strides up to at least S (grown when needed). */
  private evalWorkspace(S: number): Workspace<B> {
    if (this.evalWs && this.evalWs.cap >= S) return this.evalWs;
    if (this.evalWs) this.freeWorkspace(this.evalWs);
    return (this.evalWs = this.workspace(S, false));
  }

  /** Puts a data split into the set's memory: x sample-major n × inputs, y n × targetRows. */
  setData(which: "train" | "test", x: ArrayLike<number>, y: ArrayLike<number>, n: number): void {
    const old = this.splits[which];
    if (old) {
      this.k.free(old.x);
      this.k.free(old.y);
    }
    const S = this.stride(n);
    const xb = this.k.alloc(this.layers[0] * S);
    this.k.write(xb, toFeatureMajor(x, n, this.layers[0], S));
    const yb = this.k.alloc(this.targetRows * S);
    this.k.write(yb, toFeatureMajor(y, n, this.targetRows, S));
    this.splits[which] = { x: xb, y: yb, n, S };
    if (which === "train") {
      if (this.order) this.k.freeIndex(this.order);
      this.order = this.k.allocIndex(n);
    }
  }

  /** The order in which an epoch visits the training samples. */
  setOrder(order: Int32Array): void {
    this.k.writeIndex(this.order!, order);
  }

  /** Gathers the training samples order[from, to) as the current batch. */
  selectBatch(from: number, to: number): void {
    const t = this.splits.train!;
    // The stride follows n (a last partial batch uses fewer columns of the same buffers): padding is always less than one vector.
    const n = to - from,
      S = this.stride(n);
    this.k.gather(t.x, t.S, this.order!, from, this.batchX, this.layers[0], n, S);
    this.k.gather(t.y, t.S, this.order!, from, this.batchY, this.targetRows, n, S);
    this.batchN = n;
  }

  /** Z of every layer (A of the hidden ones) for n columns of X (stride S) in `ws`; returns the output Z. */
  private forward(X: B, n: number, S: number, ws: Workspace<B>): B {
    const k = this.k,
      L = this.layers.length - 1;
    let A = X;
    for (let l = 0; l < L; l++) {
      const p = this.params[l];
      k.denseForward(p.W.data, p.b.data, A, ws.Z[l], this.layers[l], this.layers[l + 1], n, S);
      if (l < L - 1) {
        k.actForward(this.activation, ws.Z[l], ws.A[l], this.layers[l + 1], n, S);
        A = ws.A[l];
      }
    }
    return ws.Z[L - 1];
  }

  /**
   * Forward and backward on the current batch: every parameter's gradient
   * is written (not accumulated); returns the batch's mean loss. Re-running it
   * re-evaluates the same batch at the current parameters (lbfgs's closure).
   */
  lossAndGrad(): number {
    const k = this.k,
      ws = this.batch,
      n = this.batchN,
      S = this.stride(n),
      L = this.layers.length - 1;
    const out = this.forward(this.batchX, n, S, ws);
    const loss = k.loss(this.lossId, out, this.batchY, ws.D[L - 1], this.layers[L], n, S, this.gradScale(n));
    for (let l = L - 1; l >= 0; l--) {
      const p = this.params[l];
      const A = l === 0 ? this.batchX : ws.A[l - 1];
      k.weightGrad(ws.D[l], A, p.W.grad, p.b.grad, this.layers[l], this.layers[l + 1], n, S);
      if (l > 0) {
        k.denseBackwardInput(p.W.data, ws.D[l], ws.D[l - 1], this.layers[l], this.layers[l + 1], n, S);
        k.actBackward(this.activation, ws.D[l - 1], ws.Z[l - 1], ws.A[l - 1], ws.D[l - 1], this.layers[l], n, S);
      }
    }
    return loss;
  }

  /** The mean loss over a whole split and its outputs (a view, feature-major, stride S; valid until the next call). */
  evaluate(which: "train" | "test"): { loss: number; outputs: FloatArray; targets: FloatArray; n: number; S: number } {
    const s = this.splits[which]!;
    const out = this.forward(s.x, s.n, s.S, this.evalWorkspace(s.S));
    const K = this.layers[this.layers.length - 1];
    const loss = this.k.loss(this.lossId, out, s.y, null, K, s.n, s.S, 0);
    return { loss, outputs: this.k.view(out, K * s.S), targets: this.k.view(s.y, this.targetRows * s.S), n: s.n, S: s.S };
  }

  /** Outputs for n points (sample-major n × inputs), sample-major n × outputs. */
  predict(x: ArrayLike<number>, n: number): Float64Array {
    const S = this.stride(n),
      inputs = this.layers[0];
    if (!this.predictX || this.predictX.cap < S) {
      if (this.predictX) this.k.free(this.predictX.b);
      this.predictX = { b: this.k.alloc(inputs * S), cap: S };
    }
    const ws = this.evalWorkspace(S);
    this.k.write(this.predictX.b, toFeatureMajor(x, n, inputs, S));
    const out = this.forward(this.predictX.b, n, S, ws);
    const K = this.layers[this.layers.length - 1];
    const v = this.k.view(out, K * S);
    const res = new Float64Array(n * K);
    for (let c = 0; c < K; c++) for (let i = 0; i < n; i++) res[i * K + c] = v[c * S + i];
    return res;
  }

  dispose(): void {
    this.freeWorkspace(this.batch);
    if (this.evalWs) this.freeWorkspace(this.evalWs);
    this.k.free(this.batchX);
    this.k.free(this.batchY);
    for (const s of Object.values(this.splits)) {
      if (!s) continue;
      this.k.free(s.x);
      this.k.free(s.y);
    }
    if (this.order) this.k.freeIndex(this.order);
    if (this.predictX) this.k.free(this.predictX.b);
  }
}
