/**
 * The unit of work of sweeps and tuning: a task is a list of run specs and
 * what to keep of each run. Workers (Node worker threads, Web Workers, or
 * the calling thread) run tasks with {@link evaluateTask} and send back a
 * few numbers per run instead of trajectories.
 *
 * A task's results depend only on its specs: the wasm backend batches the
 * runs of a task, and a batch gives each run what it would give alone, so
 * how the runs are cut into tasks and which worker takes which never
 * changes a bit.
 */
import type { Backend } from "../backend.js";
import { under } from "../errors.js";
import { normalizeSpec, type BackendName, type RunSpec } from "../run.js";
import { CELL_VALUES, cellValues, type CellRule } from "./cells.js";
import { objectives } from "./objective.js";

/** Keep each run's cell: [final, steps, diverged, minimum, steps taken] (see cells.ts). */
export interface CellMeasure extends CellRule {
  kind: "cell";
}

/** Keep each run's objectives: [final, auc, steps] against `budget` evaluations (see objective.ts). */
export interface ObjectiveMeasure {
  kind: "objectives";
  fStar: number;
  epsilon: number;
  budget: number;
}

export type Measure = CellMeasure | ObjectiveMeasure;

export interface Task {
  backend: BackendName;
  specs: RunSpec[];
  measure: Measure;
  /** How errors name run i of the task: `${label}[${first + i}]` (default `runs[i]`). */
  label?: string;
  first?: number;
}

/** Numbers per run in a task's result. */
export function valuesPerRun(m: Measure): number {
  return m.kind === "cell" ? CELL_VALUES : 3;
}

/**
 * Runs a task on `backend` and packs what its measure keeps, run after run.
 * What is recorded changes what is kept, never the trajectory: objectives
 * read every loss (`record: "loss"`); a cell needs only the last point and
 * the first step within ε of f*, which the engine finds as it runs
 * (`within`), so cells record `final`.
 */
export function evaluateTask(backend: Backend, task: Task): Float64Array {
  const m = task.measure;
  const k = valuesPerRun(m);
  const label = task.label ?? "runs";
  const first = task.first ?? 0;
  const record = m.kind === "cell" ? "final" : "loss";
  const specs = task.specs.map((s, i) => under(`${label}[${first + i}]`, () => normalizeSpec({ ...s, record })));
  const within = m.kind === "cell" && m.fStar !== null ? { value: m.fStar, epsilon: m.epsilon } : undefined;
  const results = backend.runMany(specs, { within });
  const out = new Float64Array(results.length * k);
  results.forEach((r, i) => {
    if (m.kind === "cell") cellValues(r, m, out, i * k);
    else out.set(objectives(r as Parameters<typeof objectives>[0], m.fStar, m.epsilon, m.budget), i * k);
  });
  return out;
}
