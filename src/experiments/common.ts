/**
 * Small pieces shared by the experiments: plotting windows, the notes'
 * optimizer forms, JSON encoding of non-finite numbers, a linear solve.
 *
 * @packageDocumentation
 */
import type { RunResult, RunSpec } from "../run.js";

/** A 2-D plotting window, the shape of `TestFunction.domain`. */
export interface Window {
  x: [number, number];
  y: [number, number];
}

/** A point and the function value there (a minimum or a saddle point). */
export interface Point {
  x: number[];
  value: number;
}

/** What every experiment accepts. */
export interface ExperimentOptions {
  /** Seed of the PRNG (experiments without randomness ignore it). Default {@link DEFAULT_SEED}. */
  seed?: number;
  /**
   * Runs the trajectory experiments' specs; default the reference's `runMany`.
   * Pass a backend's (`(await createBackend()).runMany`) to use the wasm core:
   * the results are the same bit for bit on these polynomial functions.
   */
  runMany?: (specs: RunSpec[]) => RunResult[];
}

/**
 * The course notes' own (from-scratch) optimizer forms, used wherever an
 * experiment names an optimizer and a learning rate but no ε, β or placement:
 * AdaGrad and RMSprop put ε = 1e-7 inside the root, RMSprop decays with 0.9,
 * Momentum and Nesterov use 0.9, Adam is the "lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)"
 * form (`epsMode: "hat"`) with β = (0.9, 0.99) and ε = 1e-7.
 */
export const NOTES_FORMS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze({
  sgd: Object.freeze({}),
  momentum: Object.freeze({ momentum: 0.9 }),
  nesterov: Object.freeze({ momentum: 0.9 }),
  adagrad: Object.freeze({ eps: 1e-7, epsMode: "inside" }),
  rmsprop: Object.freeze({ alpha: 0.9, eps: 1e-7, epsMode: "inside" }),
  adam: Object.freeze({ betas: [0.9, 0.99], eps: 1e-7, epsMode: "hat" }),
});

/** `{ name, lr, ...the notes' form of name }` as a run spec's optimizer field. */
export function notesOptimizer(name: "sgd" | "momentum" | "nesterov" | "adagrad" | "rmsprop" | "adam", lr: number): RunSpec["optimizer"] {
  const form = NOTES_FORMS[name];
  return { name, lr, ...structuredClone(form) } as RunSpec["optimizer"];
}

/**
 * A deep copy of `v` in which every non-finite number is the string "NaN",
 * "Infinity" or "-Infinity" (the CLI's convention), so `JSON.stringify`
 * keeps a diverged run honest instead of writing `null`. Typed arrays
 * become plain arrays.
 */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, jsonSafe);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

/** Solves the small dense system A·x = b by Gaussian elimination with partial pivoting. */
export function solveLinear(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (M[p][c] === 0) throw new RangeError("solveLinear: singular matrix");
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Number of mini-batches in one epoch of `samples` with batch size `batchSize`: ⌈samples / batchSize⌉ (the last batch may be smaller). */
export function iterationsPerEpoch(samples: number, batchSize: number): number {
  if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`samples: must be an integer ≥ 0; got ${samples}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize: must be an integer ≥ 1; got ${batchSize}`);
  return Math.ceil(samples / batchSize);
}
