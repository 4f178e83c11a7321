/**
 * The report's "Networks" section: every optimizer of the registry on moons
 * and spirals (src/experiments/networks.ts) — training-loss curves, the final
 * decision boundaries in a grid, and a table. Browser-safe.
 */
import type { NetworkProblemResult, NetworksResult } from "../experiments/networks.js";
import { NETWORK_SETTINGS } from "../experiments/networks.js";
import { boundaryKey, boundaryPlot, lineChart, OKABE_ITO, panels } from "../plot/index.js";
import { maxOf, minOf } from "../extrema.js";
import { num, type Figure } from "./figures.js";

const TRAIN_COLOR = OKABE_ITO.blue;
const TEST_COLOR = OKABE_ITO.vermillion;
/** Columns of the boundary grid. */
const COLS = 4;
const CELL = 300;

/** Loss curves of one problem: a panel per optimizer (training and test loss) on one shared log axis. */
function lossFigure(p: NetworkProblemResult): Figure {
  const finite = p.runs.flatMap((r) => [r.initialLoss, r.initialTestLoss, ...r.epochLoss, ...r.testLoss].filter((v) => Number.isFinite(v) && v > 0));
  const lo = minOf(finite),
    hi = maxOf(finite);
  const yDomain: [number, number] = [10 ** Math.floor(Math.log10(lo)), 1.5 * hi];
  const x = Array.from({ length: p.problem.epochs + 1 }, (_v, e) => e);
  const cells = p.runs.map((r) =>
    lineChart({
      title: `${r.optimizer} lr ${num(r.lr, 3)}`,
      xLabel: "epoch",
      yLabel: "bce",
      logY: true,
      yDomain,
      width: CELL,
      height: 250,
      series: [
        { label: "training", x, y: [r.initialLoss, ...r.epochLoss], color: TRAIN_COLOR, markers: false },
        { label: "test", x, y: [r.initialTestLoss, ...r.testLoss], color: TEST_COLOR, dashed: true, markers: false },
      ],
    }),
  );
  const e = p.problem.epochs;
  return {
    name: `nn-${p.problem.id}-loss`,
    title: `${p.problem.title}: training and test loss of every optimizer`,
    svg: panels(cells, {
      cols: COLS,
      title: `${p.problem.title}, ${p.problem.layers.join("-")} ${NETWORK_SETTINGS.activation}, batch ${NETWORK_SETTINGS.batchSize}: loss over ${e} epochs (${p.steps} steps)`,
    }),
    caption: `The loss over the whole training set (solid) and the test split (dashed) before the first step and after each epoch, on one log axis for all panels; every optimizer starts from the same weights and sees the same shuffled batches.`,
  };
}

/** The final decision boundaries of one problem, one panel per optimizer, and a key. */
function boundaryFigure(p: NetworkProblemResult): Figure {
  const { window } = p.problem;
  // Cells follow the window's aspect (equal axis scales), so a wide window does not leave empty bands.
  const aspect = (window.y[1] - window.y[0]) / (window.x[1] - window.x[0]);
  const height = Math.round(Math.min(CELL, (CELL - 60) * aspect + 75));
  const cells = p.runs.map((r) => {
    const acc = r.testAccuracy[r.testAccuracy.length - 1];
    return boundaryPlot({
      x: window.x,
      y: window.y,
      values: r.grid!.values,
      nx: r.grid!.nx,
      ny: r.grid!.ny,
      points: { xy: p.train.x, labels: p.train.y },
      title: `${r.optimizer} lr ${num(r.lr, 3)}: test ${Number.isFinite(acc) ? (100 * acc).toFixed(0) : "—"} %`,
      width: CELL,
      height,
      pointRadius: 2.2,
    });
  });
  cells.push(boundaryKey({ width: CELL, height }));
  return {
    name: `nn-${p.problem.id}-boundaries`,
    title: `${p.problem.title}: final decision boundaries`,
    svg: panels(cells, { cols: COLS, title: `${p.problem.title}: the decision boundary after ${p.problem.epochs} epochs` }),
    caption: `The trained network's probability of class 1 over the window (${p.runs[0]?.grid?.nx ?? 0} × ${p.runs[0]?.grid?.ny ?? 0} points), the boundary p = ½, and the training samples; each title gives the test-split accuracy.`,
  };
}

/** The section's figures: per problem, the loss curves and the boundary grid. */
export function networkFigures(r: NetworksResult): Figure[] {
  return r.problems.flatMap((p) => [lossFigure(p), boundaryFigure(p)]);
}

function esc(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "—" : `${(100 * v).toFixed(1)} %`);
const last = (a: number[]) => a[a.length - 1];

function problemTable(p: NetworkProblemResult): string {
  const order = p.runs
    .slice()
    .sort((a, b) => (Number.isFinite(last(a.epochLoss)) ? last(a.epochLoss) : Infinity) - (Number.isFinite(last(b.epochLoss)) ? last(b.epochLoss) : Infinity));
  const rows = order.map(
    (r) =>
      `<tr><td>${esc(r.optimizer)}</td><td class="n">${esc(num(r.lr, 3))}${r.lrSource === "default" ? " (default)" : ""}</td><td class="n">${esc(num(last(r.epochLoss)))}</td><td class="n">${pct(last(r.accuracy))}</td><td class="n">${esc(num(last(r.testLoss)))}</td><td class="n">${pct(last(r.testAccuracy))}</td><td class="n">${r.epochsTo95 ?? "never"}</td></tr>`,
  );
  const best = order[0],
    fastest = p.runs.filter((r) => r.epochsTo95 !== null).sort((a, b) => a.epochsTo95! - b.epochsTo95!)[0];
  const never = p.runs.filter((r) => r.epochsTo95 === null).map((r) => r.optimizer);
  return (
    `<h3>${esc(p.problem.title)}</h3>` +
    `<table><thead><tr><th>optimizer (by final training loss)</th><th>lr</th><th>training loss</th><th>training accuracy</th><th>test loss</th><th>test accuracy</th><th>epochs to 95 % training accuracy</th></tr></thead><tbody>${rows.join("")}</tbody></table>` +
    `<p class="reading">Lowest final training loss: ${esc(best.optimizer)} (${esc(num(last(best.epochLoss)))}). ` +
    (fastest ? `First to 95 % training accuracy: ${esc(fastest.optimizer)} (epoch ${fastest.epochsTo95}). ` : "") +
    (never.length ? `Never at 95 % in ${p.problem.epochs} epochs: ${esc(never.join(", "))}.` : "Every optimizer reaches 95 %.") +
    `</p>`
  );
}

/** The section's one-paragraph summary of the setting. */
export function networksIntro(r: NetworksResult): string {
  const s = r.settings;
  const data = r.problems
    .map((p) => `${p.problem.title} (${p.problem.data.n} samples, noise ${p.problem.data.noise}, ${p.problem.epochs} epochs)`)
    .join(" and ");
  const layers = [...new Set(r.problems.map((p) => p.problem.layers.join("-")))].join(" / ");
  return `A ${layers} ${s.activation} network (${s.loss} on logits, batches of ${s.batchSize} shuffled every epoch, ${s.dtype}, nn.Linear's initialisation with seed ${s.init.seed}) trained by every optimizer of the registry from the same weights on the same batches: ${data}, ${100 * (r.problems[0]?.problem.data.testFraction ?? 0)} % of each held out as the test split.`;
}

/** The section's text: how the learning rates were chosen, and a table per problem. */
export function networksBody(r: NetworksResult): string {
  const g = r.pilot.grid;
  const defaults = r.problems.flatMap((p) => p.runs.filter((x) => x.lrSource === "default").map((x) => x.optimizer));
  const unique = [...new Set(defaults)];
  const atEnd = r.problems.flatMap((p) =>
    p.runs
      .filter((x) => x.lrSource === "pilot" && (x.lr === g[0] || x.lr === g[g.length - 1]))
      .map((x) => `${x.optimizer} on ${p.problem.title} (lr ${num(x.lr, 3)})`),
  );
  return (
    `<p>Learning rates: not hand-picked and not one for all, but each optimizer's best of a grid of ${g.length} (${g.map((v) => String(v)).join(", ")}) on each problem, ` +
    `by the ${esc(r.pilot.objective)}: a one-off search (<code>node scripts/nets-lr-pilot.mjs</code>, ${esc(r.pilot.date)}, on the ${esc(r.pilot.backend)} backend) whose result is committed, so that <code>npm start</code> does not repeat it. ` +
    `optimlab's <code>tune</code> (the tuning issue) tunes runs on test functions, not networks.` +
    (atEnd.length ? ` At an end of the grid (so the best rate may lie beyond it): ${esc(atEnd.join(", "))}.` : "") +
    (unique.length
      ? ` ${esc(unique.join(", "))}: not in the committed table (added after the search last ran), trained at ${unique.length > 1 ? "their" : "its"} default lr, marked "(default)".`
      : "") +
    `</p>` +
    r.problems.map(problemTable).join("")
  );
}

/** The section's data for results.json: everything but the boundary grids (the figures hold them). */
export function networksJson(r: NetworksResult): unknown {
  return { ...r, problems: r.problems.map((p) => ({ ...p, runs: p.runs.map(({ grid: _grid, ...rest }) => rest) })) };
}
