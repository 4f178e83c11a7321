/**
 * `npm start`: runs every experiment and writes the report to a folder:
 * an SVG and a PNG per figure, a GIF per animation, results.json and
 * index.html. Node only (files, PNG and GIF encoding).
 */
import { beginOutputDir } from "../output.js";
import { packageVersion } from "../version.js";
import { localPool, type RunPool } from "../sweep/pool.js";
import { fairRanking, rankingBody, rankingFigures, type FairRanking } from "./ranking.js";
import type { Backend } from "../backend.js";
import {
  backpropagation,
  exponentialAverage,
  gradientDescentVariants,
  illConditionedBowl,
  jsonSafe,
  learningRateSchedules,
  linearRegression,
  polynomialFit,
  surfaceComparisons,
  twoStepsByHand,
  weightedSphere,
} from "../experiments/index.js";
import { runNetworks } from "../experiments/networks.js";
import { networkFigures, networksBody, networksIntro, networksJson } from "./networks.js";
import { loadRaster, svgFramesToGif, svgToPng } from "../plot/export.js";
import {
  backpropFigures,
  bowlFigures,
  ewmaFigures,
  polyFitFigures,
  regressionFigures,
  scheduleFigures,
  surfaceFigures,
  variantsFigures,
  weightedSphereFigures,
  type Animation,
  type Figure,
} from "./figures.js";
import {
  backpropBody,
  ewmaBody,
  handBody,
  polyBody,
  regressionBody,
  reportHtml,
  scheduleBody,
  trajectoryBody,
  variantsBody,
  type ReportData,
  type ReportSection,
} from "./html.js";

export interface WriteReportOptions {
  backend: Backend;
  /** Where the fair ranking's tuning runs (default: this thread, on `backend`). */
  pool?: RunPool;
  /** How errors name the folder (default `--out`). */
  option?: string;
  /** Called with (done, total, what) as work advances. */
  progress?: (done: number, total: number, what: string) => void;
}

export interface WrittenReport {
  dir: string;
  files: string[];
  figures: number;
  animations: number;
  seconds: number;
}

/** Runs the experiments (trajectories and network trainings on `backend`). */
export function runExperiments(backend: Backend): ReportData {
  const opts = { runMany: (s: Parameters<Backend["runMany"]>[0]) => backend.runMany(s) };
  const nets = { createTrainer: (s: Parameters<Backend["createTrainer"]>[0]) => backend.createTrainer(s) };
  return {
    weightedSphere: weightedSphere(opts),
    linearRegression: linearRegression(nets),
    illConditionedBowl: illConditionedBowl(opts),
    surfaceComparisons: surfaceComparisons(opts),
    backpropagation: backpropagation(),
    exponentialAverage: exponentialAverage(),
    twoStepsByHand: twoStepsByHand(),
    learningRateSchedules: learningRateSchedules(),
    polynomialFit: polynomialFit(),
    gradientDescentVariants: gradientDescentVariants(nets),
    networks: runNetworks(nets),
  };
}

/** The sections of the report, figures built but not yet rendered. */
export function buildSections(backend: Backend, d: ReportData): ReportSection[] {
  const surf = surfaceFigures(backend, d.surfaceComparisons);
  const none: Animation[] = [];
  const sec = (id: string, number: number, title: string, intro: string, figures: Figure[], body: string, animations = none): ReportSection => ({
    id,
    number,
    title,
    intro,
    figures,
    animations,
    body,
  });
  return [
    sec(
      "weighted-sphere",
      1,
      "Weighted sphere 0.2x₁² + 2x₂²",
      "From (3, 4): SGD lr 0.2 (20 steps); AdaGrad lr 0.5 and RMSprop lr 0.1 (α 0.9), both with ε = 1e-7 inside the root (50 steps); Momentum lr 0.01, 0.9 (50); Adam lr 0.2, β 0.9/0.99, ε 1e-7 inside (20 and 70 steps).",
      weightedSphereFigures(backend, d.weightedSphere),
      trajectoryBody(d.weightedSphere.panels[0]),
    ),
    sec(
      "linear-regression",
      2,
      "Linear regression with mini-batches",
      "X ~ N(0, 1) (1000 × 2, seeded), y = X·[0.5, 0.8] + 0.01·U(0, 1); Linear(2) from W ~ N(0, 1), b = 0; MSE; batches of 64 in order; 30 epochs; SGD 0.01, AdaGrad 0.1, RMSprop 0.1 (0.9), Momentum 0.01 (0.9), Adam 0.1 (0.9/0.99), PyTorch's default ε.",
      regressionFigures(d.linearRegression),
      regressionBody(d.linearRegression),
    ),
    sec(
      "ill-conditioned-bowl",
      3,
      "Ill-conditioned bowl x²/20 + y²",
      "From (−7, 2), 30 steps: SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3 (the notes' forms: ε 1e-7 inside for AdaGrad, Adam with the ε-hat step).",
      bowlFigures(backend, d.illConditionedBowl),
      trajectoryBody(d.illConditionedBowl.panels[0]),
    ),
    sec(
      "surface-comparisons",
      4,
      "3-D comparisons",
      "The cubic x₀² + x₁² + x₁³ + x₀x₁ from (2, 3) (150 steps), x²/20 + y² from (−7, 2) (100 steps) and the saddle −x²/2 + y² from (1e-5, 0.5) (500 steps). Runs that diverge or leave the window are marked on the plots, not hidden.",
      surf.figures,
      d.surfaceComparisons.panels.map((p) => `<h3>${p.label}</h3>${trajectoryBody(p)}`).join(""),
      surf.animations,
    ),
    sec(
      "backpropagation",
      5,
      "Backpropagation through a 2-2-2 sigmoid network",
      "Weights [[0.15, 0.20], [0.25, 0.30]] and [[0.40, 0.45], [0.50, 0.55]], biases 0.35 and 0.60, input [0.05, 0.10], target [0.01, 0.99], loss Σ(o − t)²/2, one SGD step with lr 0.5 (optimlab's sgd on the weight tensors).",
      backpropFigures(d.backpropagation),
      backpropBody(d.backpropagation),
    ),
    sec(
      "exponential-average",
      6,
      "Exponentially weighted average",
      "30 days of seeded random temperatures (uniform 0–10), β = 0.5 and 0.9, with and without bias correction.",
      ewmaFigures(d.exponentialAverage),
      ewmaBody(d.exponentialAverage),
    ),
    sec(
      "two-steps-by-hand",
      7,
      "Two steps by hand on w²/2 from w = 1",
      "The notes' table, recomputed with optimlab's optimizers in the notes' forms.",
      [],
      handBody(d.twoStepsByHand),
    ),
    sec(
      "learning-rate-schedules",
      8,
      "Learning-rate schedules",
      "From 0.1 over 200 epochs: StepLR(50, 0.5), MultiStepLR([50, 125, 160], 0.5), ExponentialLR(0.95), cosine annealing and one-cycle, with PyTorch's semantics.",
      scheduleFigures(d.learningRateSchedules),
      scheduleBody(d.learningRateSchedules),
    ),
    sec(
      "polynomial-fit",
      9,
      "Polynomial fit with early stopping",
      "x ∈ [−3, 7) step 0.1, y = 0.5x² − 2x + 0.5, model a·x² + b·x, MSE; all optimizers at lr 0.001; stop after 3 steps with |Δloss| < 1e-5 or at the cap (500 SGD and Momentum, 2000 AdaGrad and RMSprop, 1000 Adam).",
      polyFitFigures(d.polynomialFit),
      polyBody(d.polynomialFit),
    ),
    sec(
      "gradient-descent-variants",
      10,
      "Batch, mini-batch and stochastic gradient descent",
      "The regression of experiment 2 with plain SGD at one learning rate and three batch sizes.",
      variantsFigures(d.gradientDescentVariants),
      variantsBody(d.gradientDescentVariants),
    ),
    sec("networks", 11, "Every optimizer trains a network: moons and spirals", networksIntro(d.networks), networkFigures(d.networks), networksBody(d.networks)),
  ];
}

/**
 * Runs everything and writes the report into `dir` (its parent folder must
 * exist; see src/output.ts for how nothing is left half-written).
 */
export async function writeReport(dir: string, o: WriteReportOptions): Promise<WrittenReport> {
  const t0 = performance.now();
  await loadRaster("the report's PNG figures and GIF animations");
  // Checked and started before the work, so a bad --out fails at once; the files appear at commit.
  const out = beginOutputDir(dir, o.option);
  try {
    const ranking = await fairRanking(o.pool ?? localPool(() => o.backend), o.backend, (d, t, what) => o.progress?.(d, t, what));
    const r = fillReport(dir, o, t0, out.put, ranking);
    out.commit();
    return r;
  } catch (e) {
    out.abort();
    throw e;
  }
}

function fillReport(
  dir: string,
  o: WriteReportOptions,
  t0: number,
  write: (name: string, data: string | Uint8Array) => void,
  ranking: FairRanking,
): WrittenReport {
  const files: string[] = [];
  const put = (name: string, data: string | Uint8Array) => {
    write(name, data);
    files.push(name);
  };
  o.progress?.(0, 1, "running the experiments");
  const data = runExperiments(o.backend);
  o.progress?.(0, 1, "building the figures");
  const sections = buildSections(o.backend, data);
  sections.push({
    id: "fair-ranking",
    number: 12,
    title: "A fair ranking: every optimizer at its tuned learning rate",
    intro:
      "Optimizer pictures usually show each method at a learning rate someone picked, over a step count that flatters fast starters, from one start. Here every optimizer's lr is tuned for two objectives over several starts, then ranked.",
    figures: rankingFigures(o.backend, ranking),
    animations: [],
    body: rankingBody(ranking),
  });
  const figures = sections.flatMap((s) => s.figures);
  const animations = sections.flatMap((s) => s.animations);
  // A GIF frame costs about as much as a figure's PNG.
  const total = figures.length + animations.reduce((n, a) => n + a.frames.length, 0);
  let done = 0;
  for (const f of figures) {
    o.progress?.(done, total, f.name);
    put(`${f.name}.svg`, f.svg);
    put(`${f.name}.png`, svgToPng(f.svg));
    done++;
  }
  for (const a of animations) {
    o.progress?.(done, total, `${a.name}.gif`);
    put(`${a.name}.gif`, svgFramesToGif(a.frames, { delayMs: a.delayMs }));
    done += a.frames.length;
  }
  put("results.json", JSON.stringify(jsonSafe({ ...data, networks: networksJson(data.networks), fairRanking: ranking })));
  const seconds = (performance.now() - t0) / 1000;
  put("index.html", reportHtml(sections, { backend: o.backend.name, seconds, version: packageVersion() }));
  o.progress?.(total, total, "done");
  return { dir, files, figures: figures.length, animations: animations.length, seconds };
}
