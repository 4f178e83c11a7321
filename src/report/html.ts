/**
 * The report page: every experiment with its figures, its numbers and a
 * short reading computed from the runs. Plain HTML and CSS, no scripts.
 */
import type {
  BackpropResult,
  EwmaResult,
  GradientDescentVariantsResult,
  HandResult,
  LinearRegressionResult,
  PolyFitResult,
  SchedulesResult,
  TrajectoryExperiment,
  TrajectoryPanel,
} from "../experiments/index.js";
import type { NetworksResult } from "../experiments/networks.js";
import { axesFor, describe, num, type Animation, type Figure } from "./figures.js";

export interface ReportData {
  weightedSphere: TrajectoryExperiment;
  linearRegression: LinearRegressionResult;
  illConditionedBowl: TrajectoryExperiment;
  surfaceComparisons: TrajectoryExperiment;
  backpropagation: BackpropResult;
  exponentialAverage: EwmaResult;
  twoStepsByHand: HandResult;
  learningRateSchedules: SchedulesResult;
  polynomialFit: PolyFitResult;
  gradientDescentVariants: GradientDescentVariantsResult;
  networks: NetworksResult;
}

export interface ReportSection {
  id: string;
  number: number;
  title: string;
  intro: string;
  figures: Figure[];
  animations: Animation[];
  /** Extra HTML (tables, readings), already escaped. */
  body: string;
}

export function esc(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function table(head: string[], rows: (string | number)[][]): string {
  const cell = (c: string | number) => (typeof c === "number" ? `<td class="n">${esc(num(c, 6))}</td>` : `<td>${c}</td>`);
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`;
}

/** The runs of one panel as a table plus a ranking sentence. */
export function trajectoryBody(p: TrajectoryPanel): string {
  const rows = p.runs.map((r) => {
    const s = r.summary;
    return [
      esc(r.label),
      s.steps,
      s.finalLoss,
      s.reachedStep === null ? (s.reference?.kind === "minimum" ? "never" : "—") : String(s.reachedStep),
      s.overshoot
        ? s.overshoot.crossed
          ? `yes (${s.overshoot.signChanges.map((c, i) => `${[axesFor(p.formula).xLabel, axesFor(p.formula).yLabel][i]} ${c}×`).join(", ")})`
          : "no"
        : "—",
      s.stall.longest ? `${s.stall.longest} steps` : "—",
      s.diverged ? `<b>diverged</b> at ${s.steps}` : s.leftWindow ? `left at ${s.leftWindowStep}` : "stayed",
    ];
  });
  const reached = p.runs.filter((r) => r.summary.reachedStep !== null).sort((a, b) => a.summary.reachedStep! - b.summary.reachedStep!);
  let ranking = "";
  if (p.reference?.kind === "minimum") {
    ranking = reached.length
      ? `<p class="reading">Fastest to get within ${reached[0].summary.reachTol} of the minimum's value: ${reached.map((r) => `${esc(r.label)} (step ${r.summary.reachedStep})`).join(", ")}.` +
        (p.runs.length > reached.length
          ? ` Never: ${p.runs
              .filter((r) => r.summary.reachedStep === null)
              .map((r) => esc(r.label))
              .join(", ")}.`
          : "") +
        "</p>"
      : `<p class="reading">No run gets within ${p.runs[0].summary.reachTol} of the minimum's value.</p>`;
  } else {
    const escaped = p.runs.filter((r) => r.summary.leftWindow).sort((a, b) => (a.summary.leftWindowStep ?? 0) - (b.summary.leftWindowStep ?? 0));
    ranking =
      `<p class="reading">There is no minimum: f is unbounded below, and the point (0, 0) is a saddle. Started almost on the ridge (x₁ = 1e-5), every optimizer first slides down y and then has to be pushed away along x₁, where the gradient starts tiny. ` +
      (escaped.length
        ? `Order of escape from the plotted window: ${escaped.map((r) => `${esc(r.label)} (step ${r.summary.leftWindowStep})`).join(", ")}.`
        : "") +
      ` Adaptive methods rescale the tiny x₁ gradient and escape first; plain gradient descent crawls near the saddle longest.</p>`;
  }
  return (
    table(
      [
        "run",
        "steps",
        "final loss",
        `steps to |f − f*| < ${p.runs[0]?.summary.reachTol}`,
        "overshoot (sign changes of x − x*)",
        "longest crawl |∇f| < 1e-3",
        "window",
      ],
      rows,
    ) +
    ranking +
    `<ul class="readings">${p.runs.map((r) => `<li><b>${esc(r.label)}</b>: ${esc(describe(r, axesFor(p.formula)))}</li>`).join("")}</ul>`
  );
}

export function regressionBody(e: LinearRegressionResult): string {
  return (
    `<p>${esc(e.lossDefinitions)}</p>` +
    table(
      ["optimizer", "final W", "final b", "last epoch loss", "× noise floor"],
      e.runs.map((r) => [
        esc(r.label),
        `${num(r.finalW[0], 6)}, ${num(r.finalW[1], 6)}`,
        r.finalB,
        r.epochLoss[r.epochLoss.length - 1],
        r.epochLoss[r.epochLoss.length - 1] / e.optimum.mse,
      ]),
    ) +
    `<p class="reading">True weights [0.5, 0.8]; least-squares optimum W = [${e.optimum.w.map((v) => num(v, 6)).join(", ")}], b = ${num(e.optimum.b, 6)}, MSE ${num(e.optimum.mse)} (the noise floor: the targets carry 0.01·U(0, 1) noise). ` +
    `${e.iterationsPerEpoch} iterations per epoch, the last batch of ${e.lastBatchSize}.</p>`
  );
}

export function backpropBody(e: BackpropResult): string {
  const pub: Record<string, string> = {
    w1: "0.149780716",
    w2: "0.19956143",
    w3: "0.24975114",
    w4: "0.29950229",
    w5: "0.35891648",
    w6: "0.408666186",
    w7: "0.511301270",
    w8: "0.561370121",
  };
  const names = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"] as const;
  // Ten significant digits: the notes print nine.
  const v = (x: number) => `<span class="n">${esc(num(x, 10))}</span>`;
  return (
    table(
      ["quantity", "optimlab", "the notes"],
      [
        ["output o₁", v(e.forward.outOutput[0]), "0.75136507"],
        ["output o₂", v(e.forward.outOutput[1]), "0.772928465"],
        ["loss E", v(e.forward.loss), "0.298371109"],
        ...names.map((n) => [`∂E/∂${n}`, v(e.gradients.named[n]), n === "w5" ? "0.082167041" : n === "w1" ? "0.000438568" : ""]),
        ...names.map((n) => [`${n} after the step`, v(e.updated.named[n]), pub[n]]),
        ["E after the step", v(e.after.loss), "0.291027924"],
      ],
    ) + `<p>${esc(e.note)}</p>`
  );
}

export function ewmaBody(e: EwmaResult): string {
  const days = [0, 1, 2, 4, 9, 29].filter((d) => d < e.days.length);
  return table(
    ["day", "temperature", ...e.series.flatMap((s) => [`v (β ${s.beta})`, `v̂ (β ${s.beta})`])],
    days.map((d) => [String(e.days[d]), e.temperatures[d], ...e.series.flatMap((s) => [s.average[d], s.corrected[d]])]),
  );
}

export function handBody(e: HandResult): string {
  return table(
    ["optimizer", "update", "w after step 1", "w after step 2", "the notes", "state after step 2"],
    e.rows.map((r) => [
      esc(r.label),
      `<code>${esc(r.formula)}</code>`,
      r.steps[0].w,
      r.steps[1].w,
      `${r.published[0]} → ${r.published[1]}`,
      esc(
        Object.entries(r.steps[1].state)
          .map(([k, v]) => `${k} = ${num(v, 6)}`)
          .join(", "),
      ),
    ]),
  );
}

export function scheduleBody(e: SchedulesResult): string {
  const ts = [0, 49, 50, 99, 100, 124, 125, 159, 160, e.epochs - 1];
  return table(
    ["epoch", ...e.curves.map((c) => c.label)],
    ts.map((t) => [String(t), ...e.curves.map((c) => c.lrStepped[t])]),
  );
}

export function polyBody(e: PolyFitResult): string {
  return (
    table(
      ["optimizer", "iterations", "stopped", "a", "b", "final loss"],
      [
        ...e.runs.map((r) => [
          esc(r.label),
          String(r.iterations),
          r.stoppedEarly ? "early (|Δloss| < 1e-5, 3×)" : r.stopReason === "diverged" ? "diverged" : `cap ${r.cap}`,
          r.finalA,
          r.finalB,
          r.finalLoss,
        ]),
        ["least-squares optimum", "", "", e.optimum.a, e.optimum.b, e.optimum.loss],
      ],
    ) + `<p>${esc(e.note)}</p>`
  );
}

export function variantsBody(e: GradientDescentVariantsResult): string {
  const a = e.arithmetic;
  return (
    table(
      ["variant", "batch", "iterations per epoch", "loss after epoch 1", `after epoch ${e.epochs}`],
      e.runs.map((r) => [r.kind, String(r.batchSize), String(r.iterationsPerEpoch), r.epochLoss[0], r.epochLoss[r.epochLoss.length - 1]]),
    ) +
    `<p>The notes' arithmetic: ${a.samples.toLocaleString("en")} samples in batches of ${a.batchSize} make ⌈${num(a.exact)}⌉ = <b>${a.iterationsPerEpoch}</b> iterations per epoch (the last batch holds ${a.lastBatchSize}).</p>`
  );
}

export interface PageOptions {
  backend: string;
  seconds: number;
  version: string;
}

/** The whole page. Figures are linked as PNG (with their SVG next to them), animations as GIF. */
export function reportHtml(sections: ReportSection[], o: PageOptions): string {
  const toc = sections.map((s) => `<li value="${s.number}"><a href="#${s.id}">${esc(s.title)}</a></li>`).join("");
  const body = sections
    .map(
      (s) => `<section id="${s.id}">
<h2>${s.number}. ${esc(s.title)}</h2>
<p>${esc(s.intro)}</p>
${s.figures.map((f) => `<figure><a href="${f.name}.svg"><img src="${f.name}.png" alt="${esc(f.title)}" loading="lazy"></a><figcaption><b>${esc(f.title)}.</b> ${esc(f.caption)} <a href="${f.name}.svg">SVG</a></figcaption></figure>`).join("\n")}
${s.animations.map((a) => `<figure><img src="${a.name}.gif" alt="${esc(a.title)}" loading="lazy"><figcaption><b>${esc(a.title)}.</b> ${esc(a.caption)}</figcaption></figure>`).join("\n")}
${s.body}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>optimlab: the course notes' optimizer experiments</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 4rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.5rem; }
figure { margin: 1.2rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.88rem; } th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f5f5f5; }
.reading { background: #f6f9fc; border-left: 3px solid #0072B2; padding: 0.5rem 0.8rem; }
ul.readings li { margin: 0.2rem 0; } nav ol { columns: 2; } code { font-size: 0.85rem; }
.meta { color: #666; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>optimlab: the course notes' optimizer experiments</h1>
<p class="meta">Generated by <code>npm start</code> (optimlab ${esc(o.version)}) on the ${esc(o.backend)} backend in ${o.seconds.toFixed(1)} s. Every run is double precision. Each figure links to its SVG; the data of every experiment is in <a href="results.json">results.json</a>.</p>
<nav><ol>${toc}</ol></nav>
${body}
</body>
</html>
`;
}
