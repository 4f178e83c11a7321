/**
 * The report's fair ranking: every optimizer of the registry tuned (its lr,
 * by src/sweep/tune.ts) for two objectives over several starts on six test
 * functions, ranked, and raced at its tuned lr. Against the usual unfair
 * picture (each optimizer at a hand-picked lr, from one start).
 */
import type { Backend } from "../backend.js";
import { createFunction, type FunctionSpec } from "../functions/index.js";
import { optimizerNames } from "../optim/index.js";
import { fStar } from "../sweep/cells.js";
import type { RunPool } from "../sweep/pool.js";
import { DEFAULT_LR_RANGE, DEFAULT_SETTINGS, drawStarts, evaluatesPerStep, tune, type TuneOutcome } from "../sweep/tune.js";
import { lineChart } from "../plot/lines.js";
import { runStyle } from "../plot/colors.js";
import { comparisonFigure } from "./compare.js";
import type { Figure } from "./figures.js";
import { esc } from "./html.js";

/** The settings of the section (stated in the report). */
export const RANKING = {
  functions: [
    { label: "rosenbrock", spec: "rosenbrock", dim: 2 },
    { label: "beale", spec: "beale", dim: 2 },
    { label: "himmelblau", spec: "himmelblau", dim: 2 },
    { label: "sixHumpCamel", spec: "sixHumpCamel", dim: 2 },
    { label: "rastrigin", spec: "rastrigin", dim: 2 },
    { label: "styblinskiTang (10-D)", spec: "styblinskiTang", dim: 10 },
  ] as { label: string; spec: FunctionSpec; dim: number }[],
  starts: 5,
  seed: 1,
  steps: 500,
  settingsPerStart: DEFAULT_SETTINGS,
  epsilon: 1e-4,
} as const;

export interface RankedFunction {
  label: string;
  starts: number[][];
  /** Per optimizer (registry order): its auc and final tunings. */
  auc: TuneOutcome[];
  final: TuneOutcome[];
}

export interface FairRanking {
  functions: RankedFunction[];
  optimizers: string[];
  workers: number;
  seconds: number;
}

/** Tunes every optimizer on every function of {@link RANKING} on the pool. */
export async function fairRanking(pool: RunPool, backend: Backend, progress?: (done: number, total: number, what: string) => void): Promise<FairRanking> {
  const t0 = performance.now();
  const optimizers = [...optimizerNames];
  const out: RankedFunction[] = [];
  for (const [k, f] of RANKING.functions.entries()) {
    progress?.(k, RANKING.functions.length, `tuning every optimizer on ${f.label}`);
    const fn = createFunction(f.spec, f.dim);
    const starts = drawStarts(fn, RANKING.starts, RANKING.seed);
    const problem = {
      function: f.spec,
      fn,
      starts,
      steps: RANKING.steps,
      dtype: "f64" as const,
      backend: backend.name,
      epsilon: RANKING.epsilon,
      fStar: fStar(fn)!,
    };
    const entries = optimizers.map((name) => ({ text: name, optimizer: { name } }));
    const r = await tune(problem, entries, { objectives: ["auc", "final"] }, pool);
    out.push({ label: f.label, starts, auc: r.filter((x) => x.objectiveName === "auc"), final: r.filter((x) => x.objectiveName === "final") });
  }
  return { functions: out, optimizers, workers: pool.size, seconds: (performance.now() - t0) / 1000 };
}

/** Optimizers drawn in each race (the best by auc). */
export const RACE_SIZE = 8;

/** Competition ranks (1, 1, 3, …) of values, smaller first. */
export function ranks(values: readonly number[]): number[] {
  return values.map((v) => 1 + values.filter((w) => w < v).length);
}

/**
 * The race of the optimizers at their auc-tuned lr, from the first start,
 * per function: the contour for 2-D functions, f − f* on a log axis for the
 * 10-D one (its loss is negative, and one start's spike would flatten a
 * linear axis).
 */
export function rankingFigures(backend: Backend, r: FairRanking): Figure[] {
  return r.functions.map((f, k) => {
    const spec = RANKING.functions[k];
    // The best RACE_SIZE by auc (ties: by final): a legend of 21 leaves no room for the plot.
    const ra = ranks(f.auc.map((t) => t.objective)),
      rf = ranks(f.final.map((t) => t.objective));
    const top = f.auc
      .map((_t, i) => i)
      .sort((a, b) => ra[a] - ra[b] || rf[a] - rf[b] || a - b)
      .slice(0, RACE_SIZE);
    const optimizers = top.map((i) => f.auc[i]).map((t) => ({ name: t.optimizer, lr: t.lr, label: `${t.optimizer} lr=${+t.lr.toPrecision(3)}` }));
    const title = `${f.label}: the ${optimizers.length} best for auc, at their tuned lr`;
    let svg: string;
    if (spec.dim === 2) {
      const { draw, longest } = comparisonFigure(backend, { function: spec.spec, optimizers, x0: f.starts[0], steps: RANKING.steps, dtype: "f64", title });
      svg = draw(longest);
    } else {
      const fs = fStar(createFunction(spec.spec, spec.dim))!;
      const runs = backend.runMany(
        optimizers.map(({ name, lr }) => ({
          function: spec.spec,
          optimizer: { name, lr } as never,
          x0: f.starts[0],
          steps: RANKING.steps,
          dtype: "f64",
          record: "loss",
        })),
      );
      svg = lineChart({
        title,
        xLabel: "step",
        yLabel: "f − f* (+1e-16)",
        logY: true,
        series: runs.map((run, i) => ({
          label: optimizers[i].label,
          x: run.loss.map((_v, t) => t),
          y: run.loss.map((v) => Math.max(v - fs, 0) + 1e-16),
          ...runStyle(i, []),
        })),
      });
    }
    return {
      name: `e12-${String(spec.spec)}${spec.dim > 2 ? `-${spec.dim}d` : ""}`,
      title: `${f.label}: the tuned race`,
      svg,
      caption: `The ${optimizers.length} best of the ${f.auc.length} by auc (the tables rank all of them), ${RANKING.steps} steps from the first of the ${RANKING.starts} starts, (${f.starts[0]
        .slice(0, 2)
        .map((v) => +v.toPrecision(3))
        .join(", ")}${f.starts[0].length > 2 ? ", …" : ""}); each optimizer at its lr tuned for auc over the ${RANKING.starts} starts.`,
    };
  });
}

const show = (v: number) => (Number.isFinite(v) ? (+v.toPrecision(3)).toString() : v > 0 ? "diverged" : String(v));

/** The section's HTML: the settings, the overall ranking and one table per function. */
export function rankingBody(r: FairRanking): string {
  const n = r.optimizers.length;
  const meanRank = (obj: "auc" | "final") =>
    r.optimizers.map((_o, i) => r.functions.reduce((s, f) => s + ranks(f[obj].map((t) => t.objective))[i], 0) / r.functions.length);
  const ma = meanRank("auc"),
    mf = meanRank("final");
  const order = r.optimizers.map((_o, i) => i).sort((a, b) => ma[a] - ma[b] || mf[a] - mf[b] || a - b);
  const head = (cells: string[]) => `<thead><tr>${cells.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>`;
  const overall =
    `<table>${head(["rank", "optimizer", "mean rank, auc", "mean rank, final", ...r.functions.map((f) => `${f.label}: auc rank`)])}<tbody>` +
    order
      .map(
        (i, k) =>
          `<tr><td class="n">${k + 1}</td><td>${esc(r.optimizers[i])}</td><td class="n">${ma[i].toFixed(2)}</td><td class="n">${mf[i].toFixed(2)}</td>${r.functions.map((f) => `<td class="n">${ranks(f.auc.map((t) => t.objective))[i]}</td>`).join("")}</tr>`,
      )
      .join("") +
    `</tbody></table>`;
  const perFunction = r.functions
    .map((f) => {
      const ra = ranks(f.auc.map((t) => t.objective)),
        rf = ranks(f.final.map((t) => t.objective));
      const idx = f.auc.map((_t, i) => i).sort((a, b) => ra[a] - ra[b] || rf[a] - rf[b] || a - b);
      const rows = idx
        .map((i) => {
          const a = f.auc[i],
            z = f.final[i];
          return `<tr><td class="n">${ra[i]}</td><td>${esc(a.optimizer)}</td><td class="n">${show(a.lr)}</td><td class="n">${show(a.objective)}</td><td class="n">[${show(a.spread[0])}, ${show(a.spread[1])}]</td><td class="n">${rf[i]}</td><td class="n">${show(z.lr)}</td><td class="n">${show(z.objective)}</td><td class="n">[${show(z.spread[0])}, ${show(z.spread[1])}]</td></tr>`;
        })
        .join("");
      const best = f.auc[idx[0]];
      return (
        `<h3>${esc(f.label)}</h3><table>${head(["auc rank", "optimizer", "tuned lr (auc)", "auc", "spread", "final rank", "tuned lr (final)", "final", "spread"])}<tbody>${rows}</tbody></table>` +
        `<p class="reading">Best on average over the steps: ${esc(best.optimizer)} (lr ${show(best.lr)}, auc ${show(best.objective)}, i.e. f − f* about 10^${show(best.objective)} on a typical step); best at the end: ${esc(f.final[rf.indexOf(1)].optimizer)} (final ${show(f.final[rf.indexOf(1)].objective)}).</p>`
      );
    })
    .join("");
  const closure = r.optimizers.filter(evaluatesPerStep);
  return (
    `<p>Settings: ${r.functions.length} functions × ${n} optimizers (every one of the registry, at their default options but lr), f64 runs of ${RANKING.steps} steps` +
    `${closure.length ? ` (for ${closure.join(", ")}, which evaluate f several times per step, ${RANKING.steps} evaluations: the objectives count evaluations)` : ""}` +
    ` from ${RANKING.starts} starts drawn uniformly in each function's plotting domain (Mulberry32, seed ${RANKING.seed}); each optimizer's lr tuned by <code>optimlab tune</code>'s search with its default budget ` +
    `(${RANKING.settingsPerStart} settings per start: a 16-point log grid over ${DEFAULT_LR_RANGE.map((v) => (v < 1e-3 ? v.toExponential() : String(v))).join(" … ")}, then refinement around the three best valleys) for each objective, the median over the starts counting and diverging runs ranked last. ` +
    `auc is the mean over the steps of log10(max(f − f*, 0) + 1e-16), final the same at the last step (both smaller-is-better; −16 is f*). ` +
    `Tuned in ${r.seconds.toFixed(1)} s on ${r.workers} worker${r.workers > 1 ? "s" : ""}.</p>` +
    `<h3>Overall</h3>${overall}${perFunction}`
  );
}
