/**
 * The comparison table `npm start` prints: every optimizer on the course
 * notes' functions and start points.
 */
import { optimizerNames, resolveOptimizer, type OptimizerName } from "./optim/index.js";
import { createFunction, type FunctionSpec } from "./functions/index.js";
import type { RunResult, RunSpec } from "./run.js";
import { maxOf, minOf } from "./extrema.js";

export interface Problem {
  label: string;
  function: FunctionSpec;
  x0: number[];
  steps: number;
  /** The notes' learning rate per optimizer where they give one. */
  lr: Partial<Record<OptimizerName, number>>;
}

/** The notes' problems; learning rates not given there are the optimizer's usual choice for that scale. */
export const PROBLEMS: Problem[] = [
  {
    label: "0.2x² + 2y² from (3, 4)",
    function: { name: "quadratic", weights: [0.2, 2] },
    x0: [3, 4],
    steps: 50,
    lr: { sgd: 0.2, momentum: 0.01, nesterov: 0.01, adagrad: 0.5, rmsprop: 0.1, adadelta: 1, adam: 0.2, adamw: 0.2, adamax: 0.2, nadam: 0.2, radam: 0.2 },
  },
  {
    label: "x²/20 + y² from (−7, 2)",
    function: { name: "quadratic", weights: [0.05, 1] },
    x0: [-7, 2],
    steps: 100,
    lr: { sgd: 0.95, momentum: 0.1, nesterov: 0.1, adagrad: 1.5, rmsprop: 0.05, adadelta: 1, adam: 0.3, adamw: 0.3, adamax: 0.3, nadam: 0.3, radam: 0.3 },
  },
  {
    label: "x₀² + x₁² + x₁³ + x₀x₁ from (2, 3)",
    function: "cubic",
    x0: [2, 3],
    steps: 150,
    lr: { sgd: 0.01, momentum: 0.01, nesterov: 0.01, adagrad: 0.5, rmsprop: 0.1, adadelta: 1, adam: 0.1, adamw: 0.1, adamax: 0.1, nadam: 0.1, radam: 0.1 },
  },
  {
    label: "saddle −x²/2 + y² from (1e-5, 0.5)",
    function: { name: "quadratic", weights: [-0.5, 1] },
    x0: [1e-5, 0.5],
    steps: 500,
    lr: {
      sgd: 0.05,
      momentum: 0.05,
      nesterov: 0.01,
      adagrad: 0.05,
      rmsprop: 0.05,
      adadelta: 0.05,
      adam: 0.05,
      adamw: 0.05,
      adamax: 0.05,
      nadam: 0.05,
      radam: 0.05,
    },
  },
  {
    label: "w²/2 from 1",
    function: { name: "quadratic", weights: [0.5] },
    x0: [1],
    steps: 100,
    lr: {
      sgd: 0.1,
      momentum: 0.01,
      nesterov: 0.01,
      adagrad: 0.01,
      rmsprop: 0.01,
      adadelta: 1,
      adam: 0.001,
      adamw: 0.001,
      adamax: 0.001,
      nadam: 0.001,
      radam: 0.001,
    },
  },
];

/** Every optimizer of the registry. */
export const TABLE_OPTIMIZERS: readonly OptimizerName[] = optimizerNames;

/** Threshold of the "steps to reach" column: first t with |f(xₜ) − f*| < REACH. */
export const REACH = 1e-3;

export interface TableRow {
  problem: string;
  optimizer: OptimizerName;
  lr: number;
  steps: number;
  finalLoss: number;
  /** The lowest listed minimum value f*, or undefined when the function has none (unbounded below). */
  fStar: number | undefined;
  /** First step index t with |f(xₜ) − f*| < REACH, or undefined (never, or no f*). */
  reached: number | undefined;
  diverged: boolean;
}

type RowMeta = Omit<TableRow, "finalLoss" | "reached" | "diverged">;

export function tableSpecs(): { specs: RunSpec[]; meta: RowMeta[] } {
  const specs: RunSpec[] = [];
  const meta: RowMeta[] = [];
  for (const p of PROBLEMS) {
    const minima = createFunction(p.function, p.x0.length).minima;
    const fStar = minima.length ? minOf(minima, (m) => m.value) : undefined;
    for (const o of TABLE_OPTIMIZERS) {
      // A problem without a chosen lr for this optimizer uses the optimizer's default.
      const lr = p.lr[o] ?? (resolveOptimizer(o).def.schema.lr.default as number);
      specs.push({ function: p.function, optimizer: { name: o, lr }, x0: p.x0, steps: p.steps, dtype: "f64", record: "loss" });
      meta.push({ problem: p.label, optimizer: o, lr, steps: p.steps, fStar });
    }
  }
  return { specs, meta };
}

export function tableRows(results: RunResult[]): TableRow[] {
  const { meta } = tableSpecs();
  return results.map((r, i) => {
    const fStar = meta[i].fStar;
    const reached = fStar === undefined ? -1 : r.loss.findIndex((f) => Math.abs(f - fStar) < REACH);
    return {
      ...meta[i],
      finalLoss: r.loss[r.loss.length - 1],
      reached: reached < 0 ? undefined : reached,
      diverged: r.stopReason === "diverged",
    };
  });
}

/** A table cell: unlike the report's prose numbers it keeps trailing zeros, so columns line up. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toPrecision(4) : x.toExponential(2);
}

/** Plain-text table, one block per problem. */
export function formatTable(rows: TableRow[]): string {
  const out: string[] = [];
  const header = ["optimizer", "lr", "final loss", `steps to |f − f*| < ${REACH}`, "diverged"];
  let current = "";
  let block: string[][] = [];
  const flush = () => {
    if (!block.length) return;
    const widths = header.map((h, j) =>
      Math.max(
        h.length,
        maxOf(block, (r) => r[j].length),
      ),
    );
    const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
    out.push(line(header), widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of block) out.push(line(r));
    out.push("");
    block = [];
  };
  for (const r of rows) {
    if (r.problem !== current) {
      flush();
      current = r.problem;
      const star = r.fStar === undefined ? "no minimum: unbounded below" : `f* = ${r.fStar}`;
      out.push(`${r.problem}, ${r.steps} steps, f64, PyTorch defaults but lr (${star})`);
    }
    const reach = r.fStar === undefined ? "—" : r.reached === undefined ? "never" : String(r.reached);
    block.push([r.optimizer, String(r.lr), fmt(r.finalLoss), reach, r.diverged ? "yes" : "no"]);
  }
  flush();
  return out.join("\n");
}
