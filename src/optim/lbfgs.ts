/**
 * L-BFGS as `torch.optim.LBFGS` (PyTorch 2.x: torch 1.13's algorithm plus PR
 * 135026, which caps a strong-Wolfe line search at maxEval − the evaluations
 * already made; operation order: scripts/ZOO_SPEC.md §3).
 *
 * One `step(closure)` runs up to maxIter iterations on the flat
 * concatenation x of the parameter tensors (parameter order), each: a
 * direction d from the two-loop recursion over the last historySize pairs
 * (sᵢ = tᵢdᵢ, yᵢ = gᵢ₊₁ − gᵢ, ρᵢ = 1/(yᵢ·sᵢ), kept when yᵢ·sᵢ > 1e-10,
 * H₀ = y·s/y·y); a step t = lr (the very first iteration: min(1, 1/Σ|g|)·lr),
 * or t from the strong-Wolfe line search; x ← x + t·d. It stops at maxIter
 * iterations, at maxEval evaluations (a line search may end one past it), or
 * when max|g| ≤ toleranceGrad, g·d > −toleranceChange, max|t·d| ≤
 * toleranceChange or |Δloss| < toleranceChange. The closure re-evaluates
 * the loss and fills every `grad`; `maximize` minimises −f (the closure's
 * value and gradient negated).
 *
 * The state is torch's (funcEvals, nIter, d, t, the history, ρ, H_diag, the
 * previous flat gradient and loss) and is global: tensors are not updated
 * independently. Scalars are f64 and reductions lane-order f64 sums
 * (src/optim/flat.ts); torch computes them in the dtype (f32 runs differ
 * from torch in rounding, within the fixtures' tolerance). The backends run
 * this same code: on the wasm backend the parameters live in wasm memory
 * and the closure evaluates there (README, "L-BFGS on the wasm backend").
 */
import { allocate, dtypeOf, roundFor, type DType, type FloatArray, type Param, type Round } from "../api.js";
import { check, rangeError, typeError, under } from "../errors.js";
import { decodeNumber, encodeNumber } from "../numbers.js";
import { resolveOptions, type Options, type Schema } from "../schema.js";
import type { Buffers, ClosureOptimizerDef } from "./def.js";
import { axpy, dot, maxAbs, maxAbsScaled, neg, scale, sub, sumAbs } from "./flat.js";
import { pyMin, strongWolfe } from "./lineSearch.js";
import { callClosure, Optimizer, STATE_FORMAT, type Closure, type OptimizerState } from "./optimizer.js";
import { opt } from "./schema.js";

export interface LbfgsOptions {
  [k: string]: unknown;
  lr: number;
  maxIter: number;
  maxEval: number | null;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: "strongWolfe" | null;
  maximize: boolean;
}

export const lbfgs: ClosureOptimizerDef<LbfgsOptions> = {
  name: "lbfgs",
  closure: "required",
  schema: {
    lr: opt.lr(1),
    maxIter: opt.number(20, { min: 1, integer: true }, "iterations per step, an integer ≥ 1"),
    maxEval: opt.nullableNumber(null, { min: 1, integer: true }, "closure calls per step before stopping, an integer ≥ 1; null: ⌊maxIter·5/4⌋"),
    toleranceGrad: opt.nonNegative(1e-7, "stop when max|g| ≤ toleranceGrad, ≥ 0"),
    toleranceChange: opt.nonNegative(1e-9, "stop when the step, the loss change or −g·d is below it, ≥ 0"),
    historySize: opt.number(100, { min: 1, integer: true }, "(s, y) pairs kept, an integer ≥ 1"),
    lineSearchFn: opt.nullableChoice(null, ["strongWolfe"], '"strongWolfe": a strong-Wolfe line search; null: fixed steps of lr'),
    maximize: opt.flag("ascend: minimise −f"),
  },
  momentumOption: undefined,
  create: (name, params, options) => new Lbfgs(name, params, options),
};

/** The flat vectors of the state dict (arrays of numbers, non-finite ones as strings). */
export interface LbfgsFlatState {
  d: (number | string)[];
  prevFlatGrad: (number | string)[];
  oldDirs: (number | string)[][];
  oldStps: (number | string)[][];
  ro: (number | string)[];
}

/** torch.optim.LBFGS over a list of parameter tensors of one dtype; see the file's comment. */
export class Lbfgs extends Optimizer {
  private readonly n: number;
  private readonly dtype: DType;
  private readonly fr: Round;
  private funcEvals = 0;
  private nIter = 0;
  /** Absent (length 0) until the first iteration, as torch's state.get('d'). */
  private d: FloatArray;
  private t = NaN;
  private oldDirs: FloatArray[] = [];
  private oldStps: FloatArray[] = [];
  private ro: number[] = [];
  private hDiag = NaN;
  private prevFlatGrad: FloatArray;
  private prevLoss = NaN;

  constructor(name: string, params: Param[], options?: Record<string, unknown>) {
    super(name, lbfgs as unknown as ClosureOptimizerDef, params, options);
    const dt = dtypeOf(this.params[0].data)!;
    this.params.forEach((p, i) => {
      if (dtypeOf(p.data) !== dt)
        throw typeError(`params[${i}].data`, `must have the dtype of params[0] (${dt}): lbfgs works on their flat concatenation; got ${dtypeOf(p.data)}`);
    });
    this.dtype = dt;
    this.fr = roundFor(dt);
    this.n = this.params.reduce((s, p) => s + p.data.length, 0);
    this.d = allocate(dt, 0);
    this.prevFlatGrad = allocate(dt, 0);
  }

  private get o(): LbfgsOptions {
    return this.opts as LbfgsOptions;
  }

  /** No per-tensor buffers: the state is over the flat vector (see {@link stateDict}). */
  override state(_i: number): Readonly<Buffers> {
    return {};
  }

  /** The flat gradient, of −f when maximizing. */
  private gatherGrad(): FloatArray {
    const out = allocate(this.dtype, this.n);
    const sign = this.o.maximize;
    let off = 0;
    for (const p of this.params) {
      const g = p.grad;
      for (let j = 0; j < g.length; j++) out[off + j] = sign ? -g[j] : g[j];
      off += g.length;
    }
    return out;
  }

  /** x ← x + t·d, tensor by tensor (torch's `p.add_(d[view], alpha=t)`). */
  private addToParams(t: number, d: FloatArray): void {
    let off = 0;
    for (const p of this.params) {
      axpy(p.data, t, d, this.fr, off);
      off += p.data.length;
    }
  }

  private evaluate(closure: Closure): number {
    const f = callClosure(closure);
    return this.o.maximize ? -f : f;
  }

  /**
   * One torch `step(closure)`: returns the closure's first loss (as the closure
   * gave it). Throws a TypeError naming `closure` without one.
   */
  override step(closure?: Closure): number {
    if (closure === undefined)
      throw typeError("closure", "is required by lbfgs: step(closure), with closure() => loss re-evaluating the loss and filling the gradients");
    const o = this.o,
      fr = this.fr;
    this.stepCount++;
    const lr = o.lr,
      maxIter = o.maxIter,
      maxEval = o.maxEval ?? Math.floor((maxIter * 5) / 4);
    const { toleranceGrad, toleranceChange, historySize } = o;

    const origLoss = callClosure(closure);
    let loss = o.maximize ? -origLoss : origLoss;
    let currentEvals = 1;
    this.funcEvals++;
    let flatGrad = this.gatherGrad();
    if (maxAbs(flatGrad) <= toleranceGrad) return origLoss;

    let d = this.d,
      t = this.t;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      this.nIter++;
      if (this.nIter === 1) {
        d = allocate(this.dtype, this.n);
        neg(d, flatGrad);
        this.oldDirs = [];
        this.oldStps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        const y = allocate(this.dtype, this.n),
          s = allocate(this.dtype, this.n);
        sub(y, flatGrad, this.prevFlatGrad, fr);
        scale(s, d, t, fr);
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (this.oldDirs.length === historySize) {
            this.oldDirs.shift();
            this.oldStps.shift();
            this.ro.shift();
          }
          this.oldDirs.push(y);
          this.oldStps.push(s);
          this.ro.push(1 / ys);
          this.hDiag = ys / dot(y, y);
        }
        // Two-loop recursion; q then r share one buffer, which becomes d.
        const k = this.oldDirs.length;
        const al: number[] = new Array(k);
        const q = allocate(this.dtype, this.n);
        neg(q, flatGrad);
        for (let i = k - 1; i >= 0; i--) {
          al[i] = dot(this.oldStps[i], q) * this.ro[i];
          axpy(q, -al[i], this.oldDirs[i], fr);
        }
        d = q;
        scale(d, q, this.hDiag, fr);
        for (let i = 0; i < k; i++) {
          const be = dot(this.oldDirs[i], d) * this.ro[i];
          axpy(d, al[i] - be, this.oldStps[i], fr);
        }
      }
      if (this.prevFlatGrad.length !== this.n) this.prevFlatGrad = allocate(this.dtype, this.n);
      this.prevFlatGrad.set(flatGrad);
      this.prevLoss = loss;

      t = this.nIter === 1 ? pyMin(1, 1 / sumAbs(flatGrad)) * lr : lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      let optCond = false;
      if (o.lineSearchFn === "strongWolfe") {
        const x = this.params.map((p) => p.data.slice());
        const dir = d;
        const r = strongWolfe(
          (step) => {
            this.addToParams(step, dir);
            const f = this.evaluate(closure);
            const g = this.gatherGrad();
            this.params.forEach((p, i) => p.data.set(x[i]));
            return { f, g };
          },
          t,
          d,
          loss,
          flatGrad,
          gtd,
          maxEval - currentEvals,
          1e-4,
          0.9,
          1e-9,
        );
        loss = r.f;
        flatGrad = r.g;
        t = r.t;
        lsEvals = r.evals;
        this.addToParams(t, d);
        optCond = maxAbs(flatGrad) <= toleranceGrad;
      } else {
        this.addToParams(t, d);
        if (nIter !== maxIter) {
          // The last iteration does not re-evaluate (torch: no use in a stochastic setting).
          loss = this.evaluate(closure);
          flatGrad = this.gatherGrad();
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      this.funcEvals += lsEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (maxAbsScaled(d, t, fr) <= toleranceChange) break;
      if (Math.abs(loss - this.prevLoss) < toleranceChange) break;
    }
    this.d = d;
    this.t = t;
    return origLoss;
  }

  override stateDict(): OptimizerState & { flat: LbfgsFlatState } {
    const enc = (a: FloatArray) => Array.from(a, encodeNumber);
    return {
      format: STATE_FORMAT,
      optimizer: this.def.name,
      step: this.stepCount,
      options: structuredClone(this.opts),
      scalars: {
        funcEvals: this.funcEvals,
        nIter: this.nIter,
        t: encodeNumber(this.t),
        hDiag: encodeNumber(this.hDiag),
        prevLoss: encodeNumber(this.prevLoss),
      },
      params: this.params.map((p) => ({ dtype: this.dtype, length: p.data.length, buffers: {} })),
      flat: {
        d: enc(this.d),
        prevFlatGrad: enc(this.prevFlatGrad),
        oldDirs: this.oldDirs.map(enc),
        oldStps: this.oldStps.map(enc),
        ro: this.ro.map(encodeNumber),
      },
    };
  }

  /** Restores a {@link stateDict}; refuses another optimizer's, other tensors', or a malformed one (nothing changes on error). */
  override loadStateDict(state: unknown): void {
    const s = check.object("state", state);
    if (s.format !== STATE_FORMAT) throw typeError("state.format", `must be ${JSON.stringify(STATE_FORMAT)}; got ${JSON.stringify(s.format)}`);
    if (s.optimizer !== this.def.name) throw typeError("state.optimizer", `is the state of ${JSON.stringify(s.optimizer)}, not of ${this.def.name}`);
    const step = check.number("state.step", s.step, { min: 0, integer: true });
    const opts = under("state.options", () => {
      const given = check.object("", s.options);
      const o = resolveOptions(this.def.schema as Schema<Options>, { ...given, lr: 0 }, this.name);
      o.lr = check.finite("lr", given.lr);
      return o;
    });
    const sc = check.object("state.scalars", s.scalars);
    const need = (k: string) => {
      if (!(k in sc)) throw rangeError(`state.scalars.${k}`, "is missing");
      return sc[k];
    };
    const funcEvals = check.number("state.scalars.funcEvals", need("funcEvals"), { min: 0, integer: true });
    const nIter = check.number("state.scalars.nIter", need("nIter"), { min: 0, integer: true });
    const t = decodeNumber("state.scalars.t", need("t")),
      hDiag = decodeNumber("state.scalars.hDiag", need("hDiag"));
    const prevLoss = decodeNumber("state.scalars.prevLoss", need("prevLoss"));
    const ps = check.array("state.params", s.params);
    if (ps.length !== this.params.length) throw rangeError("state.params", `holds ${ps.length} tensors; this optimizer has ${this.params.length}`);
    ps.forEach((raw, i) =>
      under(`state.params[${i}]`, () => {
        const e = check.object("", raw);
        if (e.dtype !== this.dtype) throw typeError("dtype", `is ${JSON.stringify(e.dtype)}; the tensor is ${this.dtype}`);
        const len = this.params[i].data.length;
        if (e.length !== len) throw rangeError("length", `is ${JSON.stringify(e.length)}; the tensor has ${len} elements`);
      }),
    );
    const f = check.object("state.flat", s.flat);
    const vector = (field: string, v: unknown, lengths: readonly number[]): FloatArray => {
      const arr = check.array(field, v);
      if (!lengths.includes(arr.length)) throw rangeError(field, `has ${arr.length} values; expected ${lengths.join(" or ")}`);
      const out = allocate(this.dtype, arr.length);
      for (let j = 0; j < arr.length; j++) out[j] = decodeNumber(`${field}[${j}]`, arr[j]);
      return out;
    };
    const d = vector("state.flat.d", f.d, [0, this.n]);
    const prevFlatGrad = vector("state.flat.prevFlatGrad", f.prevFlatGrad, [0, this.n]);
    const oldDirs = check.array("state.flat.oldDirs", f.oldDirs).map((v, i) => vector(`state.flat.oldDirs[${i}]`, v, [this.n]));
    const oldStps = check.array("state.flat.oldStps", f.oldStps).map((v, i) => vector(`state.flat.oldStps[${i}]`, v, [this.n]));
    const ro = check.array("state.flat.ro", f.ro).map((v, i) => decodeNumber(`state.flat.ro[${i}]`, v));
    if (oldStps.length !== oldDirs.length || ro.length !== oldDirs.length) {
      throw rangeError("state.flat", `oldDirs, oldStps and ro must have one entry per pair; got ${oldDirs.length}, ${oldStps.length} and ${ro.length}`);
    }
    this.opts = opts;
    this.stepCount = step;
    Object.assign(this, { funcEvals, nIter, t, hDiag, prevLoss, d, prevFlatGrad, oldDirs, oldStps, ro });
  }
}
