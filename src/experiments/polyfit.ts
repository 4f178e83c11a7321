/**
 * Experiment 9: fitting a·x² + b·x to y = 0.5x² − 2x + 0.5 on x = −3, −2.9,
 * …, 6.9 (100 points), full batch, MSE loss, with early stopping.
 *
 * Loss L(a, b) = mean((a·x² + b·x − y)²), gradients in closed form:
 * ∂L/∂a = 2·mean(r·x²), ∂L/∂b = 2·mean(r·x), r = a·x² + b·x − y.
 * One parameter tensor [a, b] starting at (0, 0) (the notes state no other
 * start). Each iteration: evaluate L and ∇L, apply the stopping rule, step.
 * Stopping: after 3 consecutive steps with |ΔL| < 1e-5 (the rule of the
 * library's runs: `tol` 1e-5, `patience` 3), or at the iteration cap.
 *
 * The model has no constant term, so it cannot represent the +0.5: its best
 * fit is the least-squares solution of [Σx⁴ Σx³; Σx³ Σx²]·(a, b) = (Σx²y, Σxy),
 * close to but not at (0.5, −2). It is computed here for comparison.
 *
 * @packageDocumentation
 */
import { createOptimizer, type OptimizerName } from "../optim/index.js";
import { StopRule } from "../run.js";
import { solveLinear, type ExperimentOptions } from "./common.js";
import { DEFAULT_SEED } from "./random.js";

/** The data's generating polynomial y = a·x² + b·x + c. */
export const POLY_TRUTH = Object.freeze({ a: 0.5, b: -2, c: 0.5 });

/** x = −3 + 0.1·i, i = 0 … 99 (computed as (i − 30)/10 so each x is the closest double to its decimal). */
export function polyData(): { x: number[]; y: number[] } {
  const x = Array.from({ length: 100 }, (_, i) => (i - 30) / 10);
  const y = x.map((v) => POLY_TRUTH.a * v * v + POLY_TRUTH.b * v + POLY_TRUTH.c);
  return { x, y };
}

/** L(a, b) and its gradient. */
export function polyLossAndGrad(x: readonly number[], y: readonly number[], p: ArrayLike<number>, g?: { [i: number]: number }): number {
  const n = x.length;
  let s = 0,
    ga = 0,
    gb = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i],
      x2 = xi * xi;
    const r = p[0] * x2 + p[1] * xi - y[i];
    s += r * r;
    ga += r * x2;
    gb += r * xi;
  }
  if (g) {
    g[0] = (2 * ga) / n;
    g[1] = (2 * gb) / n;
  }
  return s / n;
}

/** The least-squares (a, b) of the model without a constant term, and its loss. */
export function polyOptimum(x: readonly number[], y: readonly number[]): { a: number; b: number; loss: number } {
  let s4 = 0,
    s3 = 0,
    s2 = 0,
    t2 = 0,
    t1 = 0;
  x.forEach((v, i) => {
    const v2 = v * v;
    s4 += v2 * v2;
    s3 += v2 * v;
    s2 += v2;
    t2 += v2 * y[i];
    t1 += v * y[i];
  });
  const [a, b] = solveLinear(
    [
      [s4, s3],
      [s3, s2],
    ],
    [t2, t1],
  );
  return { a, b, loss: polyLossAndGrad(x, y, [a, b]) };
}

export interface PolyRun {
  label: string;
  optimizer: { name: OptimizerName; [option: string]: unknown };
  /** Iteration cap (maximum optimizer steps). */
  cap: number;
  /** L at every evaluated point, the start first (iterations + 1 values). */
  loss: number[];
  /** a and b at every evaluated point. */
  a: number[];
  b: number[];
  /** Optimizer steps taken. */
  iterations: number;
  finalA: number;
  finalB: number;
  finalLoss: number;
  stoppedEarly: boolean;
  stopReason: "tol" | "cap" | "diverged";
}

export interface PolyFitResult {
  seed: number;
  x: number[];
  y: number[];
  truth: typeof POLY_TRUTH;
  /** The best a·x² + b·x on this data. */
  optimum: { a: number; b: number; loss: number };
  start: [number, number];
  tol: number;
  patience: number;
  runs: PolyRun[];
  /** How this differs from the notes' code (for the report). */
  note: string;
}

const NOTE =
  "Each optimizer here keeps its state per parameter, as the library's optimizers do. The notes' from-scratch code " +
  "differs in three places: its AdaGrad accumulated da·db (not db²) for b, its RMSprop divided b's step by a's " +
  "accumulator, and its Adam stored the bias-corrected moments m̂, v̂ back into m, v (so the correction compounded " +
  "on every step). Those bugs change the curves (b's effective learning rate in AdaGrad and RMSprop, and Adam's early " +
  "steps), so the notes' plots need not match these. The model has no constant term, so no optimizer can reach " +
  "(0.5, −2) exactly: the best a·x² + b·x on this data is the least-squares optimum given as `optimum`. At lr 0.001 " +
  "AdaGrad and Adam move each coordinate by at most about lr per step (AdaGrad less and less), so within their caps " +
  "they cannot cover the distance from (0, 0) to the optimum; only the runs that stopped early have converged.";

export interface PolyFitOptions extends ExperimentOptions {
  /** Start (a, b). Default (0, 0). */
  start?: [number, number];
}

/**
 * Experiment 9: SGD, Momentum (0.9), AdaGrad (ε 1e-7 inside), RMSprop
 * (α 0.9 as the notes' RMSprop, ε 1e-7 inside), Adam (β 0.9/0.99, ε 1e-7,
 * "hat"), all lr 0.001; caps 500 (SGD, Momentum), 2000 (AdaGrad, RMSprop),
 * 1000 (Adam).
 */
export function polynomialFit(opts: PolyFitOptions = {}): PolyFitResult {
  const { x, y } = polyData();
  const start = opts.start ?? [0, 0];
  const tol = 1e-5,
    patience = 3;
  const lr = 0.001;
  const setups: [string, PolyRun["optimizer"], number][] = [
    ["SGD", { name: "sgd", lr }, 500],
    ["Momentum", { name: "momentum", lr, momentum: 0.9 }, 500],
    ["AdaGrad", { name: "adagrad", lr, eps: 1e-7, epsMode: "inside" }, 2000],
    ["RMSprop", { name: "rmsprop", lr, alpha: 0.9, eps: 1e-7, epsMode: "inside" }, 2000],
    ["Adam", { name: "adam", lr, betas: [0.9, 0.99], eps: 1e-7, epsMode: "hat" }, 1000],
  ];
  const runs = setups.map(([label, optimizer, cap]): PolyRun => {
    const p = Float64Array.from(start);
    const g = new Float64Array(2);
    const { name, ...options } = optimizer;
    const opt = createOptimizer(name, [{ data: p, grad: g }], options);
    const stop = new StopRule(tol, patience);
    const loss: number[] = [],
      a: number[] = [],
      b: number[] = [];
    let reason: PolyRun["stopReason"] = "cap";
    let it = 0;
    for (;;) {
      const l = polyLossAndGrad(x, y, p, g);
      loss.push(l);
      a.push(p[0]);
      b.push(p[1]);
      const why = stop.check(l);
      if (why === "diverged") {
        reason = "diverged";
        break;
      }
      if (why === "tol") {
        reason = "tol";
        break;
      }
      if (it === cap) break;
      opt.step();
      it++;
    }
    return {
      label,
      optimizer: structuredClone(optimizer),
      cap,
      loss,
      a,
      b,
      iterations: it,
      finalA: p[0],
      finalB: p[1],
      finalLoss: loss[loss.length - 1],
      stoppedEarly: reason === "tol",
      stopReason: reason,
    };
  });
  return {
    seed: opts.seed ?? DEFAULT_SEED,
    x,
    y,
    truth: POLY_TRUTH,
    optimum: polyOptimum(x, y),
    start: [start[0], start[1]],
    tol,
    patience,
    runs,
    note: NOTE,
  };
}
