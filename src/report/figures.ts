/**
 * The report's figures, built from the experiments' data with the plotting
 * library. Browser-safe (no node: imports): a figure is SVG text; an
 * animation is a list of SVG frames. Grids come from a backend, so the wasm
 * core evaluates them when it is there.
 */
import type { Backend } from "../backend.js";
import type {
  BackpropResult,
  EwmaResult,
  GradientDescentVariantsResult,
  LinearRegressionResult,
  PolyFitResult,
  SchedulesResult,
  TrajectoryExperiment,
  TrajectoryPanel,
} from "../experiments/index.js";
import { contourPlot, lineChart, OKABE_ITO, panels, surfacePlot, type Series } from "../plot/index.js";
import { maxOf } from "../extrema.js";

/**
 * One colour per optimizer in every figure of the report (Okabe–Ito, safe for
 * colour-blind readers), so a reader can follow Adam from plot to plot.
 */
export const OPTIMIZER_COLORS: Readonly<Record<string, string>> = {
  sgd: OKABE_ITO.vermillion,
  momentum: OKABE_ITO.reddishPurple,
  nesterov: OKABE_ITO.skyBlue,
  adagrad: OKABE_ITO.blue,
  rmsprop: OKABE_ITO.bluishGreen,
  adam: OKABE_ITO.orange,
  adamw: OKABE_ITO.yellow,
  adadelta: OKABE_ITO.black,
};

/** The colour of an optimizer name, or of the first optimizer named in a label ("Adam lr 0.2"). */
export function colorOf(nameOrLabel: string): string | undefined {
  const key = nameOrLabel.toLowerCase().split(/[^a-z]/)[0];
  return OPTIMIZER_COLORS[key];
}

/** Axis names that match how a formula writes its variables. */
export function axesFor(formula: string): { xLabel: string; yLabel: string } {
  if (formula.includes("x₀")) return { xLabel: "x₀", yLabel: "x₁" };
  if (/\by\b|y²/.test(formula)) return { xLabel: "x", yLabel: "y" };
  return { xLabel: "x₁", yLabel: "x₂" };
}

/** Trajectories of a panel, coloured by optimizer; a repeated optimizer is dashed. */
function pathsOf(p: TrajectoryPanel): { label: string; points: number[][]; color?: string; dashed?: boolean }[] {
  const seen = new Set<string>();
  return p.runs.map((r) => {
    const again = seen.has(r.optimizer);
    seen.add(r.optimizer);
    return { label: r.label, points: r.result.x, color: colorOf(r.optimizer), dashed: again };
  });
}

export interface Figure {
  /** File stem, e.g. "e1-overlay". */
  name: string;
  title: string;
  svg: string;
  caption: string;
}

export interface Animation {
  name: string;
  title: string;
  frames: string[];
  /** Milliseconds per frame. */
  delayMs: number;
  caption: string;
}

/** Samples per side of the contour grids. */
const GRID = 181;

function grid(backend: Backend, p: TrajectoryPanel): { values: Float64Array; nx: number; ny: number } {
  const fn = backend.createFunction(p.function, 2);
  return { values: backend.grid(fn, p.window.x, p.window.y, GRID, GRID), nx: GRID, ny: GRID };
}

function minimaOf(p: TrajectoryPanel): { x: number; y: number }[] {
  return p.reference && p.reference.kind === "minimum" ? [{ x: p.reference.x[0], y: p.reference.x[1] }] : [];
}

/** Experiment 1: one contour per run and an overlay of all of them. */
export function weightedSphereFigures(backend: Backend, e: TrajectoryExperiment): Figure[] {
  const p = e.panels[0];
  const g = grid(backend, p);
  const base = { x: p.window.x, y: p.window.y, ...g, minima: minimaOf(p), ...axesFor(p.formula) };
  const paths = pathsOf(p);
  const figs: Figure[] = p.runs.map((r, k) => ({
    name: `e1-${slug(r.label)}`,
    title: `${r.label} on ${p.formula}`,
    svg: contourPlot({ ...base, title: `${r.label} on ${p.formula}`, trajectories: [{ ...paths[k], dashed: false }], legendRows: 2 }),
    caption: `${r.label}${/steps/.test(r.label) ? "" : `, ${r.result.steps} steps`} from (3, 4). ${describe(r, base)}`,
  }));
  figs.push({
    name: "e1-overlay",
    title: `All optimizers on ${p.formula}`,
    svg: contourPlot({ ...base, title: `All optimizers on ${p.formula}`, trajectories: paths }),
    caption: "Every run of experiment 1 on one plot.",
  });
  return figs;
}

/** Experiment 3: the classic 2 × 2 grid of contour plots. */
export function bowlFigures(backend: Backend, e: TrajectoryExperiment): Figure[] {
  const p = e.panels[0];
  const g = grid(backend, p);
  const paths = pathsOf(p);
  const cells = p.runs.map((r, k) =>
    contourPlot({
      x: p.window.x,
      y: p.window.y,
      ...g,
      minima: minimaOf(p),
      ...axesFor(p.formula),
      title: r.label,
      trajectories: [paths[k]],
      width: 560,
      legendRows: 2,
    }),
  );
  return [
    {
      name: "e3-bowl-2x2",
      title: `${p.formula} from (−7, 2), 30 steps`,
      svg: panels(cells, { cols: 2, title: `${p.formula} from (−7, 2), 30 steps` }),
      caption: p.runs.map((r) => describeLine(r, axesFor(p.formula))).join(" "),
    },
  ];
}

/** Experiment 4: per problem, a contour overlay, a 3-D surface and an animation over the surface. */
export function surfaceFigures(backend: Backend, e: TrajectoryExperiment): { figures: Figure[]; animations: Animation[] } {
  const figures: Figure[] = [];
  const animations: Animation[] = [];
  e.panels.forEach((p, k) => {
    const g = grid(backend, p);
    const stem = ["e4-cubic", "e4-bowl", "e4-saddle"][k] ?? `e4-${k}`;
    const trajectories = pathsOf(p);
    const surfaceTrajectories = p.runs.map((r, i) => ({ ...trajectories[i], z: r.result.loss }));
    const axes = axesFor(p.formula);
    // Only a minimum gets the minimum's star; the saddle's stationary point is named in the text instead.
    const minima = p.reference?.kind === "minimum" ? [{ x: p.reference.x[0], y: p.reference.x[1], z: p.reference.value }] : [];
    const title = `${p.formula} from (${p.x0.map(minus).join(", ")})`;
    figures.push({
      name: `${stem}-contour`,
      title: `${title}: paths`,
      svg: contourPlot({ x: p.window.x, y: p.window.y, ...g, minima: minimaOf(p), ...axes, title, trajectories }),
      caption: p.runs.map((r) => describeLine(r, axes)).join(" "),
    });
    const surface = { x: p.window.x, y: p.window.y, ...g, minima, ...axes, zLabel: "f" };
    figures.push({
      name: `${stem}-surface`,
      title: `${title}: surface`,
      svg: surfacePlot({ ...surface, title, trajectories: surfaceTrajectories }),
      caption: `The surface over [${p.window.x.map(minus).join(", ")}] × [${p.window.y.map(minus).join(", ")}] with every path; heights are the loss at each iterate.`,
    });
    const longest = maxOf(p.runs, (r) => r.result.x.length);
    const frames: string[] = [];
    const count = Math.min(48, longest);
    for (let f = 1; f <= count; f++) {
      const upTo = Math.max(1, Math.round((f / count) * longest));
      frames.push(surfacePlot({ ...surface, title: `${title}: step ${upTo - 1}`, trajectories: surfaceTrajectories, upTo, width: 560 }));
    }
    animations.push({
      name: `${stem}`,
      title: `${title}: the race`,
      frames,
      delayMs: 90,
      caption: `All paths advancing together, ${count} frames over ${longest - 1} steps.`,
    });
  });
  return { figures, animations };
}

/** Experiment 2: iteration loss and epoch loss side by side. */
export function regressionFigures(e: LinearRegressionResult): Figure[] {
  const iter = lineChart({
    title: "Loss per iteration (mini-batch of 64)",
    xLabel: "iteration",
    yLabel: "MSE",
    logY: true,
    series: e.runs.map((r) => ({ label: r.label, x: r.iterationLoss.map((_v, i) => i), y: r.iterationLoss, markers: false, color: colorOf(r.optimizer.name) })),
  });
  const epoch = lineChart({
    title: "Loss per epoch (full data)",
    xLabel: "epoch",
    yLabel: "MSE",
    logY: true,
    series: [
      ...e.runs.map((r) => ({
        label: r.label,
        x: [0, ...r.epochLoss.map((_v, i) => i + 1)],
        y: [r.initialLoss, ...r.epochLoss],
        color: colorOf(r.optimizer.name),
      })),
      { label: `noise floor ${e.optimum.mse.toExponential(2)}`, x: [0, e.epochs], y: [e.optimum.mse, e.optimum.mse], dashed: true, color: "#666666" },
    ],
  });
  return [
    {
      name: "e2-regression",
      title: "Linear regression with mini-batches",
      svg: panels([iter, epoch], { title: "Linear regression, batch 64, 30 epochs" }),
      caption: e.lossDefinitions,
    },
  ];
}

/** Experiment 6: the temperatures and their averages, one panel per β. */
export function ewmaFigures(e: EwmaResult): Figure[] {
  const cells = e.series.map((s) =>
    lineChart({
      title: `β = ${s.beta} (≈ ${s.effectiveWindow.toFixed(0)} days)`,
      xLabel: "day",
      yLabel: "temperature",
      yDomain: [0, 10],
      series: [
        { label: "temperature", x: e.days, y: e.temperatures, color: "#999999", markers: true, dashed: true },
        { label: "average vₜ", x: e.days, y: s.average },
        { label: "bias-corrected v̂ₜ", x: e.days, y: s.corrected },
      ],
    }),
  );
  return [
    {
      name: "e6-ewma",
      title: "Exponentially weighted averages",
      svg: panels(cells, { title: "Exponentially weighted average of 30 days" }),
      caption: "Without correction the average starts near 0 (v₀ = 0) and needs about 1/(1 − β) days to catch up; v̂ₜ = vₜ/(1 − βᵗ) removes that start-up bias.",
    },
  ];
}

/** Experiment 8: the learning-rate schedules. */
export function scheduleFigures(e: SchedulesResult): Figure[] {
  const lr = lineChart({
    title: `Learning rate from ${e.baseLr} over ${e.epochs} epochs`,
    xLabel: "epoch",
    yLabel: "learning rate",
    // MultiStepLR runs on top of StepLR until epoch 100: dashed, so both stay visible.
    series: e.curves.map((c) => ({ label: c.label, x: c.lrStepped.map((_v, t) => t), y: c.lrStepped, markers: false, dashed: c.spec.name === "multiStepLR" })),
  });
  const cyc = e.curves.find((c) => c.momentum);
  const cells = [lr];
  if (cyc?.momentum) {
    cells.push(
      lineChart({
        title: "OneCycleLR also cycles the momentum",
        xLabel: "epoch",
        yLabel: "momentum",
        series: [{ label: "momentum", x: cyc.momentum.map((_v, t) => t), y: cyc.momentum, markers: false }],
      }),
    );
  }
  return [
    {
      name: "e8-schedules",
      title: "Learning-rate schedules",
      svg: panels(cells, { title: "Learning-rate schedules" }),
      caption: `Largest difference between the stepped (recursive, PyTorch) and closed-form values: ${maxOf(e.curves, (c) => c.maxAbsDifference).toExponential(1)}.`,
    },
  ];
}

/** Experiment 9: loss curves and the fitted parabolas. */
export function polyFitFigures(e: PolyFitResult): Figure[] {
  const loss = lineChart({
    title: "Loss until early stopping or the cap",
    xLabel: "iteration",
    yLabel: "MSE",
    logY: true,
    series: e.runs.map((r) => ({
      label: `${r.label} (${r.iterations}${r.stoppedEarly ? ", stopped" : ", cap"})`,
      x: r.loss.map((_v, i) => i),
      y: r.loss,
      markers: false,
      color: colorOf(r.optimizer.name),
    })),
  });
  const xs = e.x;
  const fits: Series[] = [
    { label: "data", x: xs, y: e.y, color: "#999999", markers: true, dashed: true },
    ...e.runs.map((r) => ({
      label: `${r.label}: ${r.finalA.toFixed(3)}x² ${r.finalB < 0 ? "−" : "+"} ${Math.abs(r.finalB).toFixed(3)}x`,
      x: xs,
      y: xs.map((x) => r.finalA * x * x + r.finalB * x),
      markers: false,
      color: colorOf(r.optimizer.name),
    })),
  ];
  const fit = lineChart({ title: "Fitted a·x² + b·x", xLabel: "x", yLabel: "y", series: fits });
  return [
    {
      name: "e9-polyfit",
      title: "Polynomial fit with early stopping",
      svg: panels([loss, fit], { title: "Fitting y = 0.5x² − 2x + 0.5 with a·x² + b·x" }),
      caption: e.note,
    },
  ];
}

/** Experiment 10: batch, mini-batch and stochastic gradient descent. */
export function variantsFigures(e: GradientDescentVariantsResult): Figure[] {
  const byIter = lineChart({
    title: "Full-data loss against iterations",
    xLabel: "iteration",
    yLabel: "MSE",
    logX: true,
    logY: true,
    series: e.runs.map((r) => ({
      label: `${r.kind} (batch ${r.batchSize})`,
      x: (r.fullLossPerIteration ?? []).map((_v, i) => i + 1),
      y: r.fullLossPerIteration ?? [],
      markers: false,
    })),
  });
  const byEpoch = lineChart({
    title: "Full-data loss against epochs",
    xLabel: "epoch",
    yLabel: "MSE",
    logY: true,
    series: e.runs.map((r) => ({
      label: `${r.kind} (${r.iterationsPerEpoch} it/epoch)`,
      x: [0, ...r.epochLoss.map((_v, i) => i + 1)],
      y: [r.initialLoss, ...r.epochLoss],
    })),
  });
  return [
    {
      name: "e10-variants",
      title: "Batch, mini-batch and stochastic gradient descent",
      svg: panels([byIter, byEpoch], { title: `Plain SGD, lr ${e.lr}, ${e.epochs} epochs` }),
      caption: `Per epoch the stochastic version takes ${e.runs.find((r) => r.kind === "stochastic")?.iterationsPerEpoch} steps and the full batch one; per iteration the full batch is the steadiest.`,
    },
  ];
}

/** Experiment 5: the network with its weights before and after the step. */
export function backpropFigures(e: BackpropResult): Figure[] {
  const W = 760,
    H = 380;
  const col = [80, 380, 680],
    row = [120, 270];
  const f = (v: number) => v.toFixed(4);
  const edges: string[] = [],
    labels: string[] = [],
    nodes: string[] = [];
  const n = e.updated.named,
    o = e.network;
  /** Edge from (x1, y1) to (x2, y2) with its label at fraction t, shifted dy. */
  const edge = (x1: number, y1: number, x2: number, y2: number, label: string, t: number, dy: number) => {
    edges.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#8a8a8a" stroke-width="1.5"/>`);
    const x = x1 + (x2 - x1) * t,
      y = y1 + (y2 - y1) * t + dy;
    labels.push(
      `<text x="${x}" y="${y}" font-size="12" text-anchor="middle" fill="#222" paint-order="stroke" stroke="#fff" stroke-width="5" stroke-linejoin="round">${label}</text>`,
    );
  };
  const w = (k: number, before: number, after: number) => `w${k}: ${f(before)} → ${f(after)}`;
  // Layer 1: straight edges labelled above/below their middle, crossing ones near their source (apart vertically).
  edge(col[0], row[0], col[1], row[0], w(1, o.W1[0][0], n.w1), 0.5, -8);
  edge(col[0], row[1], col[1], row[1], w(4, o.W1[1][1], n.w4), 0.5, 20);
  edge(col[0], row[0], col[1], row[1], w(3, o.W1[1][0], n.w3), 0.32, 4);
  edge(col[0], row[1], col[1], row[0], w(2, o.W1[0][1], n.w2), 0.32, 8);
  edge(col[1], row[0], col[2], row[0], w(5, o.W2[0][0], n.w5), 0.5, -8);
  edge(col[1], row[1], col[2], row[1], w(8, o.W2[1][1], n.w8), 0.5, 20);
  edge(col[1], row[0], col[2], row[1], w(7, o.W2[1][0], n.w7), 0.32, 4);
  edge(col[1], row[1], col[2], row[0], w(6, o.W2[0][1], n.w6), 0.32, 8);
  const node = (x: number, y: number, label: string, value: string) => {
    nodes.push(`<circle cx="${x}" cy="${y}" r="30" fill="#fff" stroke="#0072B2" stroke-width="2"/>`);
    nodes.push(`<text x="${x}" y="${y - 3}" font-size="14" text-anchor="middle" font-weight="bold">${label}</text>`);
    nodes.push(`<text x="${x}" y="${y + 14}" font-size="11.5" text-anchor="middle">${value}</text>`);
  };
  node(col[0], row[0], "i₁", String(o.input[0]));
  node(col[0], row[1], "i₂", String(o.input[1]));
  node(col[1], row[0], "h₁", f(e.forward.outHidden[0]));
  node(col[1], row[1], "h₂", f(e.forward.outHidden[1]));
  node(col[2], row[0], "o₁", f(e.forward.outOutput[0]));
  node(col[2], row[1], "o₂", f(e.forward.outOutput[1]));
  const head = [
    `<text x="${W / 2}" y="32" font-size="16" font-weight="bold" text-anchor="middle">2-2-2 sigmoid network: one SGD step (lr ${o.lr})</text>`,
    `<text x="${col[0]}" y="${row[1] + 62}" font-size="12" text-anchor="middle" fill="#555">inputs</text>`,
    `<text x="${col[1]}" y="${row[1] + 62}" font-size="12" text-anchor="middle" fill="#555">hidden (bias ${o.b1})</text>`,
    `<text x="${col[2]}" y="${row[1] + 62}" font-size="12" text-anchor="middle" fill="#555">outputs (bias ${o.b2})</text>`,
    `<text x="${W / 2}" y="${H - 14}" font-size="13" text-anchor="middle">targets ${o.target.join(", ")}; E = ${e.forward.loss.toFixed(9)} before the step, ${e.after.loss.toFixed(9)} after; biases not updated</text>`,
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans"><rect width="${W}" height="${H}" fill="#fff"/>${edges.join("")}${nodes.join("")}${labels.join("")}${head.join("")}</svg>`;
  return [
    {
      name: "e5-network",
      title: "Backpropagation, one step",
      svg,
      caption: "Node values are the forward pass before the step; each edge shows its weight before → after the step.",
    },
  ];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

type RunLike = TrajectoryPanel["runs"][number];

/**
 * A number for prose: 4 significant digits, trailing zeros dropped, in
 * exponent form outside [1e-3, 1e5) (`digits` − 1 mantissa decimals).
 */
export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(+x.toPrecision(digits)) : x.toExponential(digits - 1);
}

/** A number with a typographic minus sign. */
export function minus(v: number): string {
  return String(v).replace("-", "−");
}

/** One sentence on a run, computed from its summary; `axes` names the coordinates. */
export function describe(r: RunLike, axes: { xLabel: string; yLabel: string } = { xLabel: "x₁", yLabel: "x₂" }): string {
  const s = r.summary;
  const bits: string[] = [];
  if (s.diverged) bits.push(`diverges: the loss becomes ${num(s.finalLoss)} at step ${s.steps}`);
  if (s.leftWindow && s.leftWindowStep !== null) bits.push(`leaves the plotted window at step ${s.leftWindowStep}`);
  if (s.reachedStep !== null) bits.push(`gets within ${s.reachTol} of the minimum's value at step ${s.reachedStep}`);
  else if (s.reference?.kind === "minimum" && !s.diverged)
    bits.push(`does not get within ${s.reachTol} of the minimum's value in ${s.steps} steps (final loss ${num(s.finalLoss)})`);
  if (s.overshoot?.crossed) {
    const names = [axes.xLabel, axes.yLabel];
    const crossings = s.overshoot.signChanges
      .map((c, i) => (c ? `${names[i] ?? `x${i}`} ${c}×` : ""))
      .filter(Boolean)
      .join(", ");
    bits.push(`overshoots (crosses the ${s.reference?.kind === "minimum" ? "minimum" : "saddle point"}'s coordinate: ${crossings})`);
  }
  if (s.stall.longest >= 5) bits.push(`crawls with |∇f| < ${s.stall.tol} for ${s.stall.longest} steps from step ${s.stall.longestStart}`);
  if (!s.diverged && !s.leftWindow && s.reference?.kind !== "minimum") bits.push(`ends at loss ${num(s.finalLoss)}`);
  return bits.length ? capitalize(bits.join("; ")) + "." : `Final loss ${num(s.finalLoss)}.`;
}

function describeLine(r: RunLike, axes: { xLabel: string; yLabel: string }): string {
  return `${r.label}: ${describe(r, axes)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
