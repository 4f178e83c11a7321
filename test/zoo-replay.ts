// Replays a case of test/fixtures/zoo-official.json or zoo-torch.json (written by
// scripts/zoo_fixtures.py: `/usr/bin/python3 scripts/zoo_fixtures.py`, torch 1.13
// for rprop/asgd/lbfgs, the official files restated in torch ops for the others;
// format and tolerances as test/torch.test.ts): trajectories, losses, per-step
// scalars (`scalars[name][k]`: Adan's clip used by step k+1; Prodigy's d, dMax,
// dNumerator, dDenom after it) and, for optimizers that take a closure, the
// closure calls of every step (`evals[k]`).
import { readFileSync } from "node:fs";
import type { DType, FloatArray, ParamTensor } from "../src/api.js";
import type { Backend } from "../src/backend.js";
import type { FunctionSpec } from "../src/functions/index.js";
import type { OptimizerName } from "../src/optim/index.js";
import { createScheduler, type SchedulerSpec } from "../src/schedulers/index.js";

export interface ZooCase {
  id: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  function: FunctionSpec;
  dim: number;
  split: number[];
  dtype: DType;
  x0: number[];
  steps: number;
  scheduler?: SchedulerSpec;
  horizon: number;
  lr?: number[];
  x: number[][];
  loss: number[];
  scalars?: Record<string, number[]>;
  evals?: number[];
}

export function loadZoo(file: "zoo-official.json" | "zoo-torch.json"): ZooCase[] {
  return (JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as { cases: ZooCase[] }).cases;
}

export const TOL = { f64: { rel: 1e-10, floor: 1e-3 }, f32: { rel: 1e-5, floor: 1 } } as const;

function close(a: number, e: number, rel: number, floor: number): boolean {
  return Math.abs(a - e) <= rel * Math.max(Math.abs(e), floor);
}

/**
 * Runs case `c` on `backend` for its horizon; returns the first mismatch as
 * text, or undefined. `scalarOf(opt, name)` reads a recorded scalar from the
 * optimizer after a step (its tolerance: `scalarTol`, relative to the value).
 */
export function replay(
  c: ZooCase,
  backend: Backend,
  scalarOf?: (opt: ReturnType<Backend["createOptimizer"]>, name: string) => number,
  scalarTol: Record<DType, number> = { f64: 1e-9, f32: 1e-4 },
  /** From step `from` on, compare x, loss and scalars at relative tolerance `rel` instead (see the caller for why). */
  loose?: { from: number; rel: number },
): string | undefined {
  const { floor } = TOL[c.dtype];
  const exp = (v: number): number => (c.dtype === "f32" ? Math.fround(v) : v);
  const params: ParamTensor[] = [];
  let off = 0;
  for (const n of c.split) {
    params.push(backend.param(c.dtype, c.x0.slice(off, off + n)));
    off += n;
  }
  const fn = backend.createFunction(c.function, c.dim);
  const x = new Float64Array(c.dim);
  const g = new Float64Array(c.dim);
  let calls = 0;
  // f and ∇f in f64 at the (possibly f32) point; the gradient rounded once when stored, as the fixtures.
  const closure = (): number => {
    calls++;
    let o = 0;
    for (const p of params) {
      x.set(p.data, o);
      o += p.data.length;
    }
    const f = fn.valueAndGrad(x, g);
    o = 0;
    for (const p of params) {
      p.grad.set(g.subarray(o, o + p.grad.length));
      o += p.grad.length;
    }
    return f;
  };
  const flat = (): number[] => params.flatMap((p: { data: FloatArray }) => Array.from(p.data));
  const opt = backend.createOptimizer(c.optimizer, params, c.options);
  const sched = c.scheduler ? createScheduler(opt, c.scheduler) : undefined;
  try {
    for (let k = 0; k < c.horizon; k++) {
      const late = loose !== undefined && k + 1 >= loose.from;
      const rel = late ? loose.rel : TOL[c.dtype].rel;
      if (c.lr && !close(opt.lr, c.lr[k], 1e-10, 1e-12)) return `step ${k + 1}: lr ${opt.lr}, fixture ${c.lr[k]}`;
      calls = 0;
      let f: number;
      if (opt.requiresClosure) f = opt.step(closure)!;
      else {
        f = closure();
        opt.step();
      }
      if (c.evals && calls !== c.evals[k]) return `step ${k + 1}: ${calls} closure calls, fixture ${c.evals[k]}`;
      sched?.step(f);
      const xs = flat();
      for (let i = 0; i < c.dim; i++) {
        if (!close(xs[i], exp(c.x[k + 1][i]), rel, floor)) return `step ${k + 1}, x[${i}] = ${xs[i]}, fixture ${c.x[k + 1][i]}`;
      }
      // The loss moves by |∇f|·|Δx|, which the relative tolerance of x does not bound near a minimum:
      // relative to |e| + 1 + the start loss (test/torch.test.ts's function-parity scale).
      const loss = fn.value(Float64Array.from(xs));
      const scale = 1 + Math.abs(c.loss[0]);
      if (!(Math.abs(loss - c.loss[k + 1]) <= rel * (Math.abs(c.loss[k + 1]) + scale))) return `step ${k + 1}: loss ${loss}, fixture ${c.loss[k + 1]}`;
      for (const [name, values] of Object.entries(c.scalars ?? {})) {
        if (!scalarOf) return `case records scalars.${name} but no reader was given`;
        const a = scalarOf(opt, name),
          e = values[k];
        const tol = late ? 100 * loose.rel : scalarTol[c.dtype];
        if (!(Math.abs(a - e) <= tol * Math.abs(e) || (e === 0 && a === 0))) return `step ${k + 1}: ${name} ${a}, fixture ${e}`;
      }
    }
    return undefined;
  } finally {
    (opt as unknown as { dispose?(): void }).dispose?.();
    for (const p of params) p.dispose();
  }
}
