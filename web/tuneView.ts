/**
 * The Tune panel: the learning rate of one optimizer, or of all of them,
 * tuned by the library's search (`optimlab tune`'s: a log grid over 1e-5 …
 * 10, then refinement) for an objective, over the race's start or five
 * starts drawn in the function's domain, on the lab's worker pool with
 * progress and Cancel. A tuned lr goes into the race (its scheduler's
 * absolute rates scaled alike) and so into the link.
 */
import { CancelledError, drawStarts, fStar, tune, type Objective, type TestFunction, type TuneOutcome } from "optimlab";
import { formatNumber } from "optimlab/plot";
import { labPool, poolSize } from "./pool.js";
import { functionSpec, inSchemaOrder, labLr, optionDefaults, runSpec, type LabState, type OptimizerEntry } from "./state.js";

export interface TuneContext {
  state(): LabState;
  fn(): TestFunction | undefined;
  /** Takes tuned entries (optimizer index, new entry) into the race in one rerun. */
  setOptimizers(entries: [number, OptimizerEntry][]): void;
  /** The scheduler entry scaled with its optimizer's lr (the sweep's rule). */
  scaleScheduler(e: NonNullable<OptimizerEntry["scheduler"]>, factor: number): NonNullable<OptimizerEntry["scheduler"]>;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const OBJECTIVE_LABEL: Record<Objective, string> = { auc: "auc", final: "final", steps: "steps" };

export function initTune(ctx: TuneContext) {
  let running: AbortController | null = null;
  /** The last results, by optimizer index, with the problem they answer. */
  let results: { key: string; byIndex: Map<number, TuneOutcome> } | null = null;

  const objective = () => $<HTMLSelectElement>("tune-objective").value as Objective;
  const startsWanted = () => Number($<HTMLSelectElement>("tune-starts").value);
  const problemKey = () => {
    const s = ctx.state();
    return JSON.stringify([functionSpec(s), s.steps, s.dtype, startsWanted() === 1 ? s.x0 : "drawn", objective()]);
  };

  function lrOf(e: OptimizerEntry): number {
    return (typeof e.options.lr === "number" ? e.options.lr : ((optionDefaults(e.name).lr as number | undefined) ?? labLr(e.name))) as number;
  }

  /** Why tuning cannot run now ("" when it can). */
  function blocked(): string {
    const fn = ctx.fn();
    if (!fn) return "The race has not run yet.";
    if (fStar(fn) === undefined)
      return `${fn.name === "expr" ? "This formula" : fn.name} has no known minimum, so f − f* has no target${fn.name === "expr" ? " (list its minima under the formula)" : ""}.`;
    return "";
  }

  function sync() {
    const s = ctx.state();
    const why = running ? "" : blocked();
    const show = results && results.key === problemKey() ? results.byIndex : new Map<number, TuneOutcome>();
    const body = $("tune-rows");
    body.replaceChildren();
    s.optimizers.forEach((o, k) => {
      const tr = document.createElement("tr");
      const r = show.get(k);
      const cells = [`${k + 1}: ${o.name}`, formatNumber(lrOf(o)), r ? formatNumber(Number(r.lr.toPrecision(4))) : "—", r ? objectiveText(r) : "—"];
      for (const c of cells) {
        const td = document.createElement("td");
        td.textContent = c;
        tr.append(td);
      }
      const td = document.createElement("td");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Tune";
      b.id = `tune-${k}`;
      b.disabled = Boolean(running) || why !== "";
      b.setAttribute("aria-label", `Tune optimizer ${k + 1} (${o.name})`);
      b.addEventListener("click", () => void run([k]));
      td.append(b);
      tr.append(td);
      body.append(tr);
    });
    $<HTMLButtonElement>("tune-all").disabled = Boolean(running) || why !== "";
    $<HTMLButtonElement>("tune-cancel").disabled = !running;
    if (!running && why) $("tune-status").textContent = why;
  }

  function objectiveText(r: TuneOutcome): string {
    const v = (x: number) => (Number.isFinite(x) ? formatNumber(Number(x.toPrecision(3))) : "diverged");
    return `${v(r.objective)} [${v(r.spread[0])}, ${v(r.spread[1])}]`;
  }

  async function run(indices: number[]) {
    const s = ctx.state();
    const fn = ctx.fn();
    if (!fn || blocked()) return sync();
    const obj = objective();
    const starts = startsWanted() === 1 ? [[...s.x0]] : drawStarts(fn, startsWanted(), 0);
    const entries = indices.map((k) => {
      const spec = runSpec(s, k);
      return { text: `${k + 1}: ${s.optimizers[k].name}`, optimizer: spec.optimizer, ...(spec.scheduler ? { scheduler: spec.scheduler } : {}) };
    });
    const problem = { function: functionSpec(s), fn, starts, steps: s.steps, dtype: s.dtype, backend: s.backend, epsilon: s.sweep.eps, fStar: fStar(fn)! };
    const key = problemKey();
    const controller = (running = new AbortController());
    const progress = $<HTMLProgressElement>("tune-progress");
    progress.value = 0;
    progress.max = 1;
    $("tune-status").textContent = `tuning ${indices.length} optimizer${indices.length > 1 ? "s" : ""}…`;
    $("tune").setAttribute("aria-busy", "true");
    sync();
    const t0 = performance.now();
    let runs = 0;
    try {
      const out = await tune(problem, entries, { objectives: [obj] }, labPool(), {
        signal: controller.signal,
        onProgress: (done, total) => {
          progress.max = total;
          progress.value = done;
          runs = done;
        },
      });
      const ms = performance.now() - t0;
      if (!results || results.key !== key) results = { key, byIndex: new Map() };
      const taken: [number, OptimizerEntry][] = [];
      out.forEach((r, i) => {
        const k = indices[i];
        results!.byIndex.set(k, r);
        const o = s.optimizers[k];
        const next: OptimizerEntry = { name: o.name, options: inSchemaOrder(o.name, { ...o.options, lr: r.lr }) };
        if (o.scheduler) next.scheduler = ctx.scaleScheduler(o.scheduler, r.lr / lrOf(o));
        taken.push([k, next]);
      });
      const workers = poolSize();
      $("tune-status").textContent =
        `tuned ${indices.length} for ${OBJECTIVE_LABEL[obj]} over ${starts.length} start${starts.length > 1 ? "s" : ""} in ${ms.toFixed(0)} ms on ${workers} worker${workers > 1 ? "s" : ""} (${runs.toLocaleString("en")} runs); the tuned lr is in the race and the link`;
      $("tune").dataset.done = String((Number($("tune").dataset.done) || 0) + 1);
      running = null;
      ctx.setOptimizers(taken);
    } catch (err) {
      $("tune-status").textContent = err instanceof CancelledError ? "cancelled" : `tuning failed: ${(err as Error).message}`;
    } finally {
      running = null;
      $("tune").removeAttribute("aria-busy");
      sync();
    }
  }

  $("tune-all").addEventListener("click", () => void run(ctx.state().optimizers.map((_o, k) => k)));
  $("tune-cancel").addEventListener("click", () => running?.abort());
  $("tune-objective").addEventListener("change", sync);
  $("tune-starts").addEventListener("change", sync);
  return { sync };
}
