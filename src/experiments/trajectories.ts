/**
 * The notes' trajectory experiments on 2-D test functions: the weighted
 * sphere (experiment 1), the ill-conditioned bowl (experiment 3) and the
 * "3-D" comparisons on the cubic, the bowl and the saddle (experiment 4).
 * Every run goes through the library's `runMany` in f64 with every point
 * recorded, and gets a {@link summarize} summary.
 *
 * @packageDocumentation
 */
import { createFunction, type FunctionSpec } from "../functions/index.js";
import { runMany, type RunResult, type RunSpec } from "../run.js";
import { notesOptimizer, type ExperimentOptions, type Point, type Window } from "./common.js";
import { DEFAULT_SEED } from "./random.js";
import { lowestMinimum, summarize, type Reference, type RunSummary } from "./summary.js";

/** One optimizer's run on a panel. */
export interface TrajectoryRun {
  /** E.g. "Adam lr 0.2, 20 steps". */
  label: string;
  optimizer: string;
  spec: RunSpec;
  result: RunResult;
  summary: RunSummary;
}

/** One function, start and window with the runs drawn on it. */
export interface TrajectoryPanel {
  label: string;
  function: FunctionSpec;
  /** Human-readable formula. */
  formula: string;
  x0: number[];
  window: Window;
  /** The minimum (or, for the saddle, the saddle point) trajectories are measured against. */
  reference: Reference | null;
  runs: TrajectoryRun[];
}

export interface TrajectoryExperiment {
  seed: number;
  /** "f64": every run here is double precision. */
  dtype: "f64";
  panels: TrajectoryPanel[];
}

interface RunEntry {
  label: string;
  optimizer: RunSpec["optimizer"];
  steps: number;
}

const DISPLAY: Record<string, string> = {
  sgd: "SGD",
  momentum: "Momentum",
  nesterov: "Nesterov",
  adagrad: "AdaGrad",
  rmsprop: "RMSprop",
  adam: "Adam",
};

/** "Adam lr 0.3" entries in the notes' forms. */
function notesEntries(lrs: [Parameters<typeof notesOptimizer>[0], number][], steps: number): RunEntry[] {
  return lrs.map(([name, lr]) => ({ label: `${DISPLAY[name]} lr ${lr}`, optimizer: notesOptimizer(name, lr), steps }));
}

function panel(
  label: string,
  fnSpec: FunctionSpec,
  formula: string,
  x0: number[],
  window: Window,
  entries: RunEntry[],
  opts: ExperimentOptions,
  reference?: Reference,
): TrajectoryPanel {
  const fn = createFunction(fnSpec, x0.length);
  const ref = reference ?? lowestMinimum(fn);
  const specs: RunSpec[] = entries.map((e) => ({
    function: fnSpec,
    optimizer: e.optimizer,
    x0: [...x0],
    steps: e.steps,
    dtype: "f64",
    record: "all",
  }));
  const results = (opts.runMany ?? runMany)(specs);
  const runs = entries.map((e, i) => ({
    label: e.label,
    optimizer: e.optimizer.name,
    spec: specs[i],
    result: results[i],
    summary: summarize(results[i], fn, window, ref ? { reference: ref } : {}),
  }));
  return { label, function: fnSpec, formula, x0: [...x0], window, reference: ref, runs };
}

// ---------------------------------------------------------------------------
// Experiment 1

export interface WeightedSphereResult extends TrajectoryExperiment {
  window: Window;
  minimum: Point;
}

/**
 * Experiment 1: f = 0.2x₁² + 2x₂² from (3, 4) with the notes' settings:
 * SGD lr 0.2 (20 steps); AdaGrad lr 0.5, ε 1e-7 inside (50); RMSprop lr 0.1,
 * α 0.9, ε 1e-7 inside (50); Momentum lr 0.01, 0.9 (50); Adam lr 0.2,
 * β (0.9, 0.99), ε 1e-7 inside (20 and 70). Window [−2, 5]², minimum (0, 0).
 */
export function weightedSphere(opts: ExperimentOptions = {}): WeightedSphereResult {
  const window: Window = { x: [-2, 5], y: [-2, 5] };
  const inside = { eps: 1e-7, epsMode: "inside" };
  const entries: RunEntry[] = [
    { label: "SGD lr 0.2", optimizer: { name: "sgd", lr: 0.2 }, steps: 20 },
    { label: "AdaGrad lr 0.5", optimizer: { name: "adagrad", lr: 0.5, ...inside }, steps: 50 },
    { label: "RMSprop lr 0.1", optimizer: { name: "rmsprop", lr: 0.1, alpha: 0.9, ...inside }, steps: 50 },
    { label: "Momentum lr 0.01", optimizer: { name: "momentum", lr: 0.01, momentum: 0.9 }, steps: 50 },
    { label: "Adam lr 0.2, 20 steps", optimizer: { name: "adam", lr: 0.2, betas: [0.9, 0.99], ...inside }, steps: 20 },
    { label: "Adam lr 0.2, 70 steps", optimizer: { name: "adam", lr: 0.2, betas: [0.9, 0.99], ...inside }, steps: 70 },
  ];
  const p = panel("0.2x₁² + 2x₂² from (3, 4)", { name: "quadratic", weights: [0.2, 2] }, "0.2·x₁² + 2·x₂²", [3, 4], window, entries, opts);
  return { seed: opts.seed ?? DEFAULT_SEED, dtype: "f64", window, minimum: { x: [0, 0], value: 0 }, panels: [p] };
}

// ---------------------------------------------------------------------------
// Experiment 3

export interface IllConditionedBowlResult extends TrajectoryExperiment {
  window: Window;
  minimum: Point;
}

const BOWL: FunctionSpec = { name: "quadratic", weights: [0.05, 1] };
const BOWL_WINDOW: Window = { x: [-10, 10], y: [-5, 5] };

/**
 * Experiment 3: x²/20 + y² from (−7, 2), 30 steps: SGD lr 0.95, Momentum
 * 0.1 (0.9), AdaGrad 1.5, Adam 0.3, in the notes' forms ({@link NOTES_FORMS}).
 * Window x ∈ [−10, 10], y ∈ [−5, 5].
 */
export function illConditionedBowl(opts: ExperimentOptions = {}): IllConditionedBowlResult {
  const entries = notesEntries(
    [
      ["sgd", 0.95],
      ["momentum", 0.1],
      ["adagrad", 1.5],
      ["adam", 0.3],
    ],
    30,
  );
  const p = panel("x²/20 + y² from (−7, 2)", BOWL, "x²/20 + y²", [-7, 2], BOWL_WINDOW, entries, opts);
  return { seed: opts.seed ?? DEFAULT_SEED, dtype: "f64", window: BOWL_WINDOW, minimum: { x: [0, 0], value: 0 }, panels: [p] };
}

// ---------------------------------------------------------------------------
// Experiment 4

/** The saddle's window: not given by the notes; the library's `saddle` window. */
export const SADDLE_WINDOW: Window = { x: [-2, 2], y: [-2, 2] };

/**
 * Experiment 4, the notes' "3-D" comparisons (optimizers in the notes' forms):
 * - the cubic x₀² + x₁² + x₁³ + x₀x₁ from (2, 3), 150 steps, on [−3, 3]²:
 *   SGD 0.01, AdaGrad 0.5, RMSprop 0.1, Momentum 0.01, Adam 0.1, Nesterov 0.01;
 * - x²/20 + y² from (−7, 2), 100 steps, on [−10, 10] × [−5, 5]: SGD 0.95,
 *   AdaGrad 1.5, RMSprop 0.05, Momentum 0.1, Adam 0.3;
 * - the saddle −x²/2 + y² from (1e-5, 0.5), 500 steps, on {@link SADDLE_WINDOW}:
 *   lr 0.05 for SGD, AdaGrad, RMSprop, Momentum, Adam, and Nesterov 0.01.
 *   The reference is the saddle point (0, 0) (no minimum: f is unbounded below).
 *
 * Runs that blow up stop at the first non-finite loss (`stopReason: "diverged"`);
 * the summaries say whether and when each run left its window.
 */
export function surfaceComparisons(opts: ExperimentOptions = {}): TrajectoryExperiment {
  const cubic = panel(
    "x₀² + x₁² + x₁³ + x₀x₁ from (2, 3)",
    "cubic",
    "x₀² + x₁² + x₁³ + x₀·x₁",
    [2, 3],
    { x: [-3, 3], y: [-3, 3] },
    notesEntries(
      [
        ["sgd", 0.01],
        ["adagrad", 0.5],
        ["rmsprop", 0.1],
        ["momentum", 0.01],
        ["adam", 0.1],
        ["nesterov", 0.01],
      ],
      150,
    ),
    opts,
  );
  const bowl = panel(
    "x²/20 + y² from (−7, 2)",
    BOWL,
    "x²/20 + y²",
    [-7, 2],
    BOWL_WINDOW,
    notesEntries(
      [
        ["sgd", 0.95],
        ["adagrad", 1.5],
        ["rmsprop", 0.05],
        ["momentum", 0.1],
        ["adam", 0.3],
      ],
      100,
    ),
    opts,
  );
  const saddle = panel(
    "saddle −x²/2 + y² from (1e-5, 0.5)",
    { name: "quadratic", weights: [-0.5, 1] },
    "−x²/2 + y²",
    [1e-5, 0.5],
    SADDLE_WINDOW,
    notesEntries(
      [
        ["sgd", 0.05],
        ["adagrad", 0.05],
        ["rmsprop", 0.05],
        ["momentum", 0.05],
        ["adam", 0.05],
        ["nesterov", 0.01],
      ],
      500,
    ),
    opts,
    { x: [0, 0], value: 0, kind: "stationary" },
  );
  return { seed: opts.seed ?? DEFAULT_SEED, dtype: "f64", panels: [cubic, bowl, saddle] };
}
