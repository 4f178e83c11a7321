/**
 * The sweep panel: a map over learning rate × a β-like option (final loss,
 * or steps until f − f* ≤ ε) or over start points (basins of attraction),
 * computed on the lab's pool of Web Workers (every core) with progress and
 * Cancel, drawn by the library's heatmap writer. Each cell
 * can be taken into the race by click, or from the keyboard: arrows move a
 * cursor over the map, Enter takes the cell, and the cell under the cursor
 * is read out in a live region.
 */
import type { TestFunction } from "optimlab";
import { formatNumber } from "optimlab/plot";
import { fill } from "./dom.js";
import { gridMapSvg, cellAt, type GridMap } from "./heatmap.js";
import {
  hasStages,
  inSchemaOrder,
  labLr,
  optionDefaults,
  runSpec,
  schedulerSpec,
  SWEEP_EPS,
  SWEEP_SIZES,
  sweepYs,
  type LabState,
  type OptimizerEntry,
  type OptionValue,
  type SweepY,
} from "./state.js";
import { basinRadius, CancelledError } from "optimlab";
import { labPool, poolSize } from "./pool.js";
import { cellCentres, logSpace, runLabSweep, scaleSchedule, type SweepRequest } from "./sweep.js";

export interface SweepContext {
  state(): LabState;
  fn(): TestFunction;
  window(): { x: [number, number]; y: [number, number] };
  width(): number;
  scope(svg: string, prefix: string): string;
  writeHash(): void;
  /** Replace optimizer k (validated by the caller) and rerun. */
  setOptimizer(k: number, e: OptimizerEntry): boolean;
  setStart(x0: [number, number]): void;
}

const Y_LABEL: Record<SweepY, string> = { beta1: "β1", momentum: "momentum", alpha: "α", rho: "ρ" };

interface Done {
  req: SweepRequest;
  values: Float64Array;
  target: number;
  map: Omit<GridMap, "current" | "cursor">;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export function initSweep(ctx: SweepContext) {
  /** Stops the running sweep (its workers are replaced; the pool stays). */
  let running: AbortController | null = null;
  let sweepId = 0;
  let last: Done | null = null;
  let cursor: [number, number] = [0, 0];
  /** The finished sweep's line (runs, steps, time), shown while its map is. */
  let lastStatus = "";
  /** The width the map was last drawn at: hit-testing uses the same layout. */
  let drawnWidth = 0;

  const round3 = (v: number) => Number(v.toPrecision(3));

  function syncControls() {
    const s = ctx.state();
    const w = s.sweep;
    for (const r of document.querySelectorAll<HTMLInputElement>('input[name="sweep-kind"]')) r.checked = r.value === w.kind;
    const t = $<HTMLSelectElement>("sweep-target");
    t.replaceChildren();
    s.optimizers.forEach((o, k) => t.add(new Option(`${k + 1}: ${o.name}`, String(k))));
    t.value = String(w.target);
    const ys = sweepYs(s.optimizers[w.target].name);
    const ysel = $<HTMLSelectElement>("sweep-y");
    ysel.replaceChildren();
    for (const y of ys) ysel.add(new Option(Y_LABEL[y], y));
    if (ys.length && !ys.includes(w.y)) w.y = ys[0];
    ysel.value = w.y;
    $<HTMLSelectElement>("sweep-metric").value = w.metric;
    $<HTMLSelectElement>("sweep-eps").value = String(w.eps);
    $<HTMLSelectElement>("sweep-n").value = String(w.n);
    const hyper = w.kind === "hyper";
    for (const e of document.querySelectorAll<HTMLElement>(".hyper-only")) e.hidden = !hyper;
    $("sweep-eps-label").hidden = !hyper || w.metric !== "steps";
    const fn = ctx.fn() as TestFunction | undefined;
    let why = "";
    // A formula's minima are what the user lists under it.
    const who = fn?.name === "expr" ? "This formula" : fn?.name;
    const give = fn?.name === "expr" ? " (list them under the formula)" : "";
    if (hyper && ys.length === 0) why = `${s.optimizers[w.target].name} has no β, momentum, α or ρ to sweep.`;
    else if (fn && hyper && w.metric === "steps" && fn.minima.length === 0) why = `${who} has no known minimum, so "steps to converge" has no target${give}.`;
    else if (!hyper && fn && fn.minima.length === 0) why = `${who} has no known minima to sort start points by${give}.`;
    $<HTMLButtonElement>("sweep-run").disabled = why !== "";
    $("sweep-status").textContent = why || cycledNote(s.optimizers[w.target], w) || (last ? lastStatus : "");
    $("sweep-h").textContent = hyper
      ? `Sweep: ${w.metric === "loss" ? "final loss" : "steps to converge"} over learning rate × ${Y_LABEL[w.y] ?? "β"}`
      : "Sweep: basins of attraction over start points";
  }

  function wire() {
    fill(
      $<HTMLSelectElement>("sweep-n"),
      SWEEP_SIZES.map((n) => new Option(`${n} × ${n}`, String(n))),
    );
    fill(
      $<HTMLSelectElement>("sweep-eps"),
      SWEEP_EPS.map((e) => new Option(formatNumber(e), String(e))),
    );
    // A map answers the question it was computed for: another kind, optimizer,
    // y or colour takes it away (only the cell count may change under it).
    const change =
      (f: () => void, keepMap = false) =>
      () => {
        f();
        if (!keepMap) clear();
        syncControls();
        ctx.writeHash();
      };
    for (const r of document.querySelectorAll<HTMLInputElement>('input[name="sweep-kind"]')) {
      r.addEventListener(
        "change",
        change(() => r.checked && (ctx.state().sweep.kind = r.value as "hyper" | "basins")),
      );
    }
    $("sweep-target").addEventListener(
      "change",
      change(() => (ctx.state().sweep.target = Number($<HTMLSelectElement>("sweep-target").value))),
    );
    $("sweep-y").addEventListener(
      "change",
      change(() => (ctx.state().sweep.y = $<HTMLSelectElement>("sweep-y").value as SweepY)),
    );
    $("sweep-metric").addEventListener(
      "change",
      change(() => (ctx.state().sweep.metric = $<HTMLSelectElement>("sweep-metric").value as "loss" | "steps")),
    );
    $("sweep-eps").addEventListener(
      "change",
      change(() => (ctx.state().sweep.eps = Number($<HTMLSelectElement>("sweep-eps").value))),
    );
    $("sweep-n").addEventListener(
      "change",
      change(() => (ctx.state().sweep.n = Number($<HTMLSelectElement>("sweep-n").value)), true),
    );
    $("sweep-run").addEventListener("click", run);
    $("sweep-cancel").addEventListener("click", () => running?.abort());

    const map = $("heatmap");
    map.addEventListener("click", (ev) => {
      const c = hit(ev);
      if (!c) return;
      cursor = c;
      take(c);
    });
    map.addEventListener("mousemove", (ev) => {
      const c = hit(ev);
      if (c) describe(c);
    });
    map.addEventListener("keydown", (ev) => {
      if (!last) return;
      const [nx, ny] = dims(last.req);
      const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const step = ev.shiftKey ? 4 : 1;
      if (ev.key in moves) {
        const [di, dj] = moves[ev.key];
        cursor = [Math.max(0, Math.min(nx - 1, cursor[0] + di * step)), Math.max(0, Math.min(ny - 1, cursor[1] + dj * step))];
      } else if (ev.key === "Home") cursor = [0, cursor[1]];
      else if (ev.key === "End") cursor = [nx - 1, cursor[1]];
      else if (ev.key === "Enter" || ev.key === " ") {
        take(cursor);
      } else return;
      ev.preventDefault();
      render();
      describe(cursor);
    });
    // Only keyboard focus shows the cursor: redrawing on a pointer's focus
    // would replace the cell under the mouse between mousedown and click.
    map.addEventListener("focus", () => {
      if (last && map.matches(":focus-visible")) {
        render();
        describe(cursor);
      }
    });
    map.addEventListener("blur", () => render());
  }

  const dims = (r: SweepRequest): [number, number] => [r.kind === "basins" ? r.xs.length : r.lrs.length, r.ys.length];

  /** The cell under the pointer, by the geometry of the map as drawn (stars and rings on top included). */
  function hit(ev: MouseEvent): [number, number] | undefined {
    const svg = $("heatmap").querySelector("svg");
    const ctm = svg?.getScreenCTM();
    if (!last || !svg || !ctm) return undefined;
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
    return cellAt(last.map, drawnWidth, p.x, p.y);
  }

  const width = () => Math.min(ctx.width(), 720);

  /** What a cell holds, in words (for the live region and the tooltip line). */
  function describe([i, j]: [number, number]) {
    if (!last) return;
    const r = last.req;
    const v = last.values[j * dims(r)[0] + i];
    let where: string;
    let what: string;
    if (r.kind === "basins") {
      where = `start (${round3(r.xs[i])}, ${round3(r.ys[j])})`;
      what = v >= 0 ? `ends at ${last.map.colour.kind === "class" ? last.map.colour.names[v] : v}` : v === -2 ? "diverges" : "ends near no known minimum";
    } else {
      where = `lr ${round3(r.lrs[i])}, ${Y_LABEL[r.y]} ${round3(r.ys[j])}`;
      what =
        r.metric === "steps"
          ? Number.isFinite(v)
            ? `reaches f − f* ≤ ${formatNumber(r.eps)} at step ${v}`
            : `does not reach f − f* ≤ ${formatNumber(r.eps)}`
          : Number.isFinite(v)
            ? `final loss ${formatNumber(v)}`
            : "diverges";
    }
    $("sweep-cell").textContent = `${where}: ${what}. Enter or click takes it into the race.`;
  }

  /** Takes a cell into the race: its lr and β-like value, or its start point. */
  function take([i, j]: [number, number]) {
    if (!last) return;
    const r = last.req;
    if (r.kind === "basins") {
      ctx.setStart([round3(r.xs[i]), round3(r.ys[j])]);
      return;
    }
    const k = last.target;
    const o = ctx.state().optimizers[k];
    if (!o) return;
    const d = optionDefaults(o.name);
    const lr = round3(r.lrs[i]);
    const oldLr = (o.options.lr ?? d.lr) as number;
    const options: Record<string, OptionValue> = { ...o.options, lr };
    if (r.y === "beta1") options.betas = [round3(r.ys[j]), ...((o.options.betas ?? d.betas) as number[]).slice(1)];
    else options[r.y] = round3(r.ys[j]);
    const next: OptimizerEntry = { name: o.name, options: inSchemaOrder(o.name, options) };
    if (o.scheduler) next.scheduler = scaleEntry(o.scheduler, lr / oldLr);
    ctx.setOptimizer(k, next);
  }

  function run() {
    const s = ctx.state();
    const w = s.sweep;
    const o = s.optimizers[w.target];
    const fn = ctx.fn();
    const lr = (typeof o.options.lr === "number" ? o.options.lr : (optionDefaults(o.name).lr ?? labLr(o.name))) as number;
    const base = runSpec(s, w.target);
    base.optimizer = { ...base.optimizer, lr };
    const id = ++sweepId;
    const n = w.n;
    let req: SweepRequest;
    let map: Done["map"];
    if (w.kind === "basins") {
      const win = ctx.window();
      const xs = cellCentres(win.x[0], win.x[1], n);
      const ys = cellCentres(win.y[0], win.y[1], n);
      const minima = fn.minima.map((m) => [m.x[0], m.x[1]]);
      const radius = basinRadius(win, minima);
      req = { id, backend: s.backend, base, kind: "basins", xs, ys, minima, radius };
      map = {
        values: new Float64Array(0),
        xs,
        ys,
        xLog: false,
        xLabel: "start x",
        equalAspect: true,
        yLabel: "start y",
        title: `${o.name} lr=${round3(lr)}: basins after ${s.steps} steps`,
        colour: {
          kind: "class",
          names: fn.minima.map(
            (m) =>
              `(${m.x
                .slice(0, 2)
                .map((v) => formatNumber(round3(v)))
                .join(", ")}) f=${formatNumber(round3(m.value))}${m.kind === "local" ? " local" : ""}`,
          ),
          none: { [-1]: `near no minimum (within ${formatNumber(round3(radius))})`, [-2]: "diverged" },
        },
        stars: minima.map((m) => [m[0], m[1]] as [number, number]),
      };
    } else {
      const lrs = logSpace(Math.max(lr / 1000, 1e-6), Math.min(lr * 100, 100), n);
      const ys = cellCentres(0, 1, n);
      const defaults = optionDefaults(o.name);
      const fStar = fn.minima.reduce((lo, m) => Math.min(lo, m.value), fn.minima.length ? Infinity : NaN);
      req = {
        id,
        backend: s.backend,
        base,
        kind: "hyper",
        y: w.y,
        betasDefault: (defaults.betas as number[] | undefined) ?? [0.9, 0.999],
        lrs,
        ys,
        metric: w.metric,
        fStar,
        eps: w.eps,
      };
      const steps = w.metric === "steps";
      map = {
        values: new Float64Array(0),
        xs: lrs,
        ys,
        xLog: true,
        xLabel: o.scheduler ? "learning rate (log; the schedule scales with it)" : "learning rate (log)",
        yLabel: Y_LABEL[w.y],
        title: steps ? `${o.name}: steps until f − f* ≤ ${formatNumber(w.eps)}` : `${o.name}: final loss after ${s.steps} steps`,
        colour: steps
          ? { kind: "value", label: "steps", missing: `not reached in ${s.steps} steps`, log: false }
          : { kind: "value", label: "final loss", missing: "diverged", log: "auto" },
      };
    }
    running?.abort();
    const controller = (running = new AbortController());
    const progress = $<HTMLProgressElement>("sweep-progress");
    progress.max = n;
    progress.value = 0;
    $("sweep-status").textContent = "running…";
    $("heatmap").setAttribute("aria-busy", "true");
    $<HTMLButtonElement>("sweep-cancel").disabled = false;
    const target = w.target;
    const t0 = performance.now();
    const nx = n;
    runLabSweep(req, labPool(), {
      signal: controller.signal,
      onProgress: (done) => {
        if (id !== sweepId) return;
        progress.value = Math.floor(done / nx);
        $("sweep-status").textContent = `${Math.floor(done / nx)} / ${n} rows`;
      },
    }).then(
      ({ values, steps }) => {
        if (id !== sweepId) return;
        finish();
        const ms = performance.now() - t0;
        last = { req, values, target, map: { ...map, values } };
        cursor = [Math.floor(n / 2), Math.floor(n / 2)];
        const workers = poolSize();
        lastStatus = `${n * n} runs, ${steps.toLocaleString("en")} steps in ${ms.toFixed(0)} ms on ${s.backend}, ${workers} worker${workers > 1 ? "s" : ""} (${(((steps / ms) * 1000) / 1e6).toFixed(2)} M steps/s)`;
        $("sweep-status").textContent = lastStatus;
        $("heatmap").dataset.done = String(id);
        $("sweep-cell").textContent = "Arrow keys move over the map; Enter takes a cell into the race.";
        render();
      },
      (err) => {
        if (id !== sweepId) return;
        finish();
        $("sweep-status").textContent = err instanceof CancelledError ? "cancelled" : `sweep failed: ${(err as Error).message}`;
      },
    );
    function finish() {
      running = null;
      $("heatmap").removeAttribute("aria-busy");
      $<HTMLButtonElement>("sweep-cancel").disabled = true;
    }
  }

  /** The optimizer's current setting (hyper) or start point (basins), ringed on the map. */
  function current(): [number, number] | undefined {
    if (!last) return undefined;
    const s = ctx.state();
    if (last.req.kind === "basins") return [s.x0[0], s.x0[1]];
    const o = s.optimizers[last.target];
    if (!o) return undefined;
    const d = optionDefaults(o.name);
    const y = last.req.y;
    const lr = (o.options.lr ?? d.lr) as number;
    const yv = y === "beta1" ? ((o.options.betas ?? d.betas) as number[] | undefined)?.[0] : ((o.options[y] ?? d[y]) as number | undefined);
    return typeof yv === "number" ? [lr, yv] : undefined;
  }

  function render() {
    if (!last) return;
    const focused = $("heatmap").matches(":focus-visible");
    drawnWidth = width();
    $("heatmap").innerHTML = ctx.scope(gridMapSvg({ ...last.map, current: current(), cursor: focused ? cursor : undefined }, drawnWidth), "h-");
  }

  function clear() {
    if (running) {
      running.abort();
      running = null;
      $("heatmap").removeAttribute("aria-busy");
      $<HTMLButtonElement>("sweep-cancel").disabled = true;
    }
    last = null;
    lastStatus = "";
    $<HTMLProgressElement>("sweep-progress").value = 0;
    $("heatmap").replaceChildren();
    delete $("heatmap").dataset.done;
    $("sweep-cell").textContent = "";
  }

  /** A new function or window makes a basins map meaningless; a lr × β map stays (its ring follows the optimizer). */
  function problemChanged() {
    if (last?.req.kind === "basins") clear();
  }

  /**
   * Optimizer k was removed (`replacement` undefined) or replaced by another
   * algorithm: a map of it goes; maps of the ones after a removed optimizer
   * follow their optimizer to its new index, as does the sweep's target.
   */
  function optimizerChanged(k: number, removed: boolean) {
    const s = ctx.state();
    if (last && last.target === k) clear();
    else if (last && removed && last.target > k) last.target--;
    if (removed && s.sweep.target > k) s.sweep.target--;
    s.sweep.target = Math.min(s.sweep.target, s.optimizers.length - 1);
  }

  wire();
  return { syncControls, render, problemChanged, optimizerChanged };
}

/** A warning when the swept β1 or momentum is overwritten at every step by a oneCycleLR that cycles it. */
function cycledNote(o: OptimizerEntry, w: LabState["sweep"]): string {
  if (w.kind !== "hyper" || (w.y !== "beta1" && w.y !== "momentum") || !o.scheduler) return "";
  const stages = hasStages(o.scheduler.name) ? (o.scheduler.children ?? []) : [o.scheduler];
  const cycler = stages.find((c) => (c.name === "oneCycleLR" || c.name === "cyclicLR") && c.options.cycleMomentum !== false);
  return cycler
    ? `Note: ${o.name}'s ${cycler.name} cycles ${Y_LABEL[w.y]} itself (cycleMomentum), so the y axis changes it only where ${cycler.name} is not active.`
    : "";
}

/** A scheduler entry scaled with its optimizer's lr (see scaleSchedule). */
export function scaleEntry(e: NonNullable<OptimizerEntry["scheduler"]>, factor: number): NonNullable<OptimizerEntry["scheduler"]> {
  const scaled = scaleSchedule(schedulerSpec(e), factor)!;
  const round = (v: unknown) => (typeof v === "number" ? Number(v.toPrecision(6)) : v);
  const options = Object.fromEntries(Object.keys(e.options).map((k) => [k, round(scaled[k])])) as typeof e.options;
  const children = e.children?.map((c, i) => ({
    ...c,
    options: Object.fromEntries(Object.keys(c.options).map((k) => [k, round((scaled.schedulers as Record<string, unknown>[])[i][k])])) as typeof c.options,
  }));
  return { ...e, options, ...(children ? { children } : {}) };
}
