/**
 * The lab's Networks view: a data set, a dense network and a batch size;
 * several optimizers train the same network from the same initial weights,
 * side by side. Every redraw advances each optimizer by `speed` mini-batches
 * and redraws its decision regions (or regression curve) from the model's
 * outputs on a 64 × 64 grid; the training and test loss curves of all of
 * them sit below. Both backends' training speed is measured on the current
 * set-up. The whole state is in the link (web/networks/link.ts).
 */
import { simdSupported, type Backend, type Trainer } from "optimlab";
import { lineChart, trajectoryColor } from "optimlab/plot";
import { fill } from "../dom.js";
import { markInvalid, numberInput, optimizerEditor } from "../editors.js";
import { $, actions, getBackend, lab, notice, plotWidth, scopeIds, writeHash } from "../lab.js";
import { rerun } from "../race.js";
import type { OptimizerEntry } from "../state.js";
import { BoundaryRaster, regressionCurve, samplesLayer, windowOf, type Samples, type Window } from "./draw.js";
import { buildNetsDom } from "./dom.js";
import { checkNets, checkProblem, NETS_MAX_OPTIMIZERS, NETS_SPEEDS, netsLr, netsSpec, netsSteps, NOISE_PRESET, taskOf, type NetsState } from "./state.js";

/** Grid points per side of the decision regions. */
export const GRID = 64;
/** Points of a regression curve. */
const CURVE = 128;

interface Panel {
  fig: HTMLElement;
  name: HTMLElement;
  stats: HTMLElement;
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  raster: BoundaryRaster;
  /** CSS pixels of the canvas. */
  size: number;
}

const view = {
  trainers: [] as Trainer[],
  initialLoss: [] as { train: number; test: number }[],
  panels: [] as Panel[],
  win: { x: [0, 1], y: [0, 1] } as Window,
  layer: null as HTMLCanvasElement | null,
  layerKey: "",
  playing: false,
  /** Redraw times of the last second, for the rate shown. */
  stamps: [] as number[],
  redraws: 0,
  lastChart: 0,
  chartEpoch: -1,
  token: 0,
  curveX: new Float64Array(CURVE),
};

const nets = (): NetsState => lab.state.nets;

function setStatus(msg: string) {
  $("nets-status").textContent = msg;
}

/** New trainers for the current state (all from the same seeded weights), and a fresh drawing. */
async function rebuild(): Promise<void> {
  const token = ++view.token;
  const s = nets();
  let backend: Backend;
  try {
    backend = await getBackend(lab.state.backend);
  } catch {
    lab.state.backend = "js";
    backend = await getBackend("js");
  }
  if (token !== view.token) return;
  for (const t of view.trainers) t.dispose();
  view.trainers = [];
  try {
    view.trainers = s.optimizers.map((_o, k) => backend.createTrainer(netsSpec(s, k)));
  } catch (err) {
    for (const t of view.trainers) t.dispose();
    view.trainers = [];
    notice(`The network cannot train: ${(err as Error).message}`);
    return;
  }
  view.initialLoss = view.trainers.map((t) => ({ train: t.evaluate("train").loss, test: t.spec.data.test ? t.evaluate("test").loss : NaN }));
  const d = view.trainers[0].spec.data;
  const features = taskOf(s.data).inputs;
  view.win = windowOf(allSamples(d.train, d.test, features), features);
  for (let i = 0; i < CURVE; i++) view.curveX[i] = view.win.x[0] + ((view.win.x[1] - view.win.x[0]) * i) / (CURVE - 1);
  view.layerKey = "";
  view.chartEpoch = -1;
  buildPanels();
  drawPanels();
  drawCharts(true);
  $("nets-backend").textContent = backend.name === "wasm" ? "wasm (SIMD core)" : `js (reference${simdSupported() ? "" : "; no wasm SIMD here"})`;
  scheduleSpeeds();
}

function allSamples(a: Samples, b: Samples | undefined, features: number): Samples {
  if (!b) return a;
  const x = new Float64Array((a.n + b.n) * features),
    y = new Float64Array(a.n + b.n);
  x.set(Array.from(a.x).slice(0, a.n * features));
  x.set(Array.from(b.x).slice(0, b.n * features), a.n * features);
  y.set(Array.from(a.y).slice(0, a.n));
  y.set(Array.from(b.y).slice(0, b.n), a.n);
  return { x, y, n: a.n + b.n };
}

function buildPanels() {
  const box = $("nets-panels");
  const s = nets();
  view.panels = s.optimizers.map((o, k) => {
    const fig = document.createElement("figure");
    fig.className = "net-panel";
    fig.style.setProperty("--c", trajectoryColor(k));
    const caption = document.createElement("figcaption");
    const name = document.createElement("b");
    const stats = document.createElement("span");
    caption.append(name, stats);
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${o.name}: the model's ${taskOf(s.data).kind === "regression" ? "curve" : "decision regions"} as it trains`);
    fig.append(caption, canvas);
    return { fig, name, stats, canvas, ctx: canvas.getContext("2d")!, raster: new BoundaryRaster(GRID, GRID), size: 0 };
  });
  fill(
    box,
    view.panels.map((p) => p.fig),
  );
  sizePanels();
}

/** Canvas backing stores follow their CSS size (and the device pixel ratio). */
function sizePanels() {
  const ratio = window.devicePixelRatio || 1;
  for (const p of view.panels) {
    const w = Math.max(120, Math.floor(p.fig.clientWidth - 8));
    if (w === p.size) continue;
    p.size = w;
    p.canvas.width = Math.round(w * ratio);
    p.canvas.height = Math.round(w * ratio);
    p.canvas.style.width = `${w}px`;
    p.canvas.style.height = `${w}px`;
    p.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }
}

function samplesFor(size: number): HTMLCanvasElement {
  const key = `${size}|${view.token}`;
  if (view.layer && view.layerKey === key) return view.layer;
  const d = view.trainers[0].spec.data;
  const features = taskOf(nets().data).inputs;
  view.layer = samplesLayer(d.train, d.test, features, view.win, size, size, window.devicePixelRatio || 1);
  view.layerKey = key;
  return view.layer;
}

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? "—" : Math.abs(v) >= 0.01 || v === 0 ? String(Number(v.toPrecision(3))) : v.toExponential(1);

/** Every panel from its trainer's current model. */
function drawPanels() {
  if (!view.trainers.length) return;
  const task = taskOf(nets().data);
  const K = task.outputs;
  view.panels.forEach((p, k) => {
    const t = view.trainers[k];
    const w = p.size;
    if (task.inputs === 2) {
      const out = t.grid(view.win.x, view.win.y, GRID, GRID);
      p.raster.paint(p.ctx, out, K, w, w);
      p.ctx.drawImage(samplesFor(w), 0, 0, w, w);
    } else {
      const ys = t.predict(view.curveX, CURVE);
      p.ctx.fillStyle = "#ffffff";
      p.ctx.fillRect(0, 0, w, w);
      p.ctx.drawImage(samplesFor(w), 0, 0, w, w);
      regressionCurve(p.ctx, view.curveX, ys, view.win, w, w, trajectoryColor(k));
    }
    const h = t.history,
      e = h.epochLoss.length;
    const acc = task.kind === "classification" && h.testAccuracy.length ? ` · test ${(100 * h.testAccuracy[h.testAccuracy.length - 1]).toFixed(0)} %` : "";
    const o = nets().optimizers[k];
    p.name.textContent = `${o.name} lr ${fmt(o.options.lr as number | undefined)}`;
    p.stats.textContent = `epoch ${e} · batch loss ${fmt(h.loss[h.loss.length - 1])}${acc}`;
  });
}

/** The training and test loss of every optimizer per epoch (redrawn at most four times a second while playing). */
function drawCharts(force = false) {
  if (!view.trainers.length) return;
  const epoch = view.trainers.reduce((m, t) => Math.max(m, t.history.epochLoss.length), 0);
  const now = performance.now();
  if (!force && (epoch === view.chartEpoch || now - view.lastChart < 250)) return;
  view.chartEpoch = epoch;
  view.lastChart = now;
  const s = nets();
  const ylab = taskOf(s.data).loss;
  for (const [id, which] of [
    ["nets-train-loss", "train"],
    ["nets-test-loss", "test"],
  ] as const) {
    const series = view.trainers.map((t, k) => {
      const ys = which === "train" ? t.history.epochLoss : t.history.testLoss;
      return {
        label: s.optimizers[k].name,
        x: [0, ...ys.map((_v, i) => i + 1)],
        y: [view.initialLoss[k][which], ...ys],
        color: trajectoryColor(k),
        markers: false,
      };
    });
    const svg = lineChart({
      title: which === "train" ? "Training loss per epoch" : "Test loss per epoch",
      xLabel: "epoch",
      yLabel: ylab,
      logY: true,
      width: plotWidth(id),
      height: 300,
      series,
    });
    $(id).innerHTML = scopeIds(svg, `${id}-`);
  }
  $("nets-epoch").textContent = `epoch ${epoch} of ${s.epochs}`;
}

// ------------------------------------------------------------------ playing

function frame(now: number) {
  if (!view.playing) return;
  const speed = nets().speed;
  let ran = 0;
  for (const t of view.trainers) ran += t.step(speed);
  drawPanels();
  drawCharts();
  view.redraws++;
  view.stamps.push(now);
  while (view.stamps.length > 2 && now - view.stamps[0] > 1000) view.stamps.shift();
  const rate = view.stamps.length > 1 ? ((view.stamps.length - 1) * 1000) / (now - view.stamps[0]) : 0;
  const out = $("nets-rate");
  out.textContent = `${rate.toFixed(0)} redraws/s · ${(rate * speed * view.trainers.length).toFixed(0)} steps/s`;
  out.dataset.redraws = String(view.redraws);
  if (ran === 0 || view.trainers.every((t) => t.done)) {
    pauseNets();
    drawCharts(true);
    return;
  }
  requestAnimationFrame(frame);
}

function playNets() {
  if (!view.trainers.length || view.trainers.every((t) => t.done)) return;
  view.playing = true;
  view.stamps = [];
  $("nets-play").textContent = "Pause";
  requestAnimationFrame(frame);
}

function pauseNets() {
  view.playing = false;
  $("nets-play").textContent = "Play";
  scheduleSpeeds();
}

// ------------------------------------------------------------ backend speeds

const speeds: Partial<Record<"wasm" | "js", number>> = {};
let speedTimer = 0;

/** Both backends' mini-batch steps per second on the current set-up, measured when the view is idle. */
function scheduleSpeeds() {
  clearTimeout(speedTimer);
  const token = view.token;
  speedTimer = window.setTimeout(() => {
    if (view.playing || token !== view.token || lab.state.page !== "nets") return;
    const kinds: ("wasm" | "js")[] = simdSupported() ? ["wasm", "js"] : ["js"];
    void Promise.all(kinds.map(async (kind) => measureSpeed(await getBackend(kind), kind)))
      .then(showSpeeds)
      .catch(() => undefined);
  }, 400);
}

/** The best of 3 timings of ≥ 10 ms, stepping one fresh trainer per optimizer. */
function measureSpeed(backend: Backend, kind: "wasm" | "js") {
  const s = nets();
  // The spec as it is (a schedule may refuse more steps); a training that ends before the timing does counts fewer steps.
  const ts = s.optimizers.map((_o, k) => backend.createTrainer(netsSpec(s, k)));
  try {
    for (const t of ts) t.step(2);
    let best = 0;
    for (let trial = 0; trial < 3; trial++) {
      let steps = 0;
      const t0 = performance.now();
      let el = 0;
      while (el < 10) {
        for (const t of ts) steps += t.step(1);
        el = performance.now() - t0;
      }
      best = Math.max(best, (steps / el) * 1000);
    }
    speeds[kind] = best;
  } finally {
    for (const t of ts) t.dispose();
  }
}

function showSpeeds() {
  const f = (v: number | undefined) => (v === undefined ? "–" : v >= 1e4 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0));
  const out = $("nets-speed");
  out.textContent = `training steps/s: wasm ${f(speeds.wasm)} · js ${f(speeds.js)}`;
  if (speeds.wasm !== undefined) out.dataset.wasm = String(speeds.wasm);
  if (speeds.js !== undefined) out.dataset.js = String(speeds.js);
}

// ------------------------------------------------------------------ controls

/** Takes an edit of the problem (data, network, training) when the library accepts it, else says why and keeps the last good one. */
function editProblem(change: (s: NetsState) => void, control?: HTMLElement): boolean {
  const next = structuredClone(nets());
  change(next);
  try {
    checkProblem(next);
    next.optimizers.forEach((_o, k) => checkNets(next, k));
  } catch (err) {
    if (control) markInvalid(control, true);
    setStatus((err as Error).message);
    return false;
  }
  if (control) markInvalid(control, false);
  setStatus("");
  lab.state.nets = next;
  committed();
  return true;
}

/** After any accepted edit: the link, the controls, new trainers (every optimizer restarts from the same weights). */
function committed(redrawControls = false) {
  writeHash();
  if (redrawControls) syncControls();
  const was = view.playing;
  pauseNets();
  void rebuild().then(() => was && playNets());
}

function buildOptimizerEditors() {
  const s = nets();
  fill(
    $("nets-optimizers"),
    s.optimizers.map((e, k) =>
      optimizerEditor(e, k, {
        idPrefix: "no",
        count: s.optimizers.length,
        steps: netsSteps(s),
        check: (next) => checkNets(withOptimizer(k, next), k),
        commit: (next) => {
          nets().optimizers[k] = next;
          committed();
        },
        rename: (name) => {
          const next: OptimizerEntry = { name, options: { lr: netsLr(name) } };
          nets().optimizers[k] = next;
          buildOptimizerEditors();
          committed();
          $(`no${k}-name`).focus();
        },
        remove: () => {
          nets().optimizers.splice(k, 1);
          buildOptimizerEditors();
          committed();
          $("nets-add").focus();
        },
      }),
    ),
  );
  $<HTMLButtonElement>("nets-add").disabled = s.optimizers.length >= NETS_MAX_OPTIMIZERS;
}

function withOptimizer(k: number, e: OptimizerEntry): NetsState {
  const s = structuredClone(nets());
  s.optimizers[k] = e;
  return s;
}

/** The controls show the state (after a link is loaded or a structural edit). */
function syncControls() {
  const s = nets();
  const set = (id: string, v: string | number) => {
    const el = $<HTMLInputElement>(id);
    el.value = String(v);
    markInvalid(el, false);
  };
  set("nd-name", s.data.name);
  set("nd-n", s.data.n);
  set("nd-noise", s.data.noise);
  set("nd-test", s.data.testFraction);
  set("nd-seed", s.data.seed);
  set("nd-classes", s.data.classes ?? 2);
  set("nd-factor", s.data.factor ?? 0.8);
  $("nd-classes-label").hidden = s.data.name !== "gaussians";
  $("nd-factor-label").hidden = s.data.name !== "circles";
  set("nh", s.hidden.join(", "));
  set("na", s.activation);
  set("nb", s.batchSize);
  set("ne", s.epochs);
  set("nseed", s.seed);
  set("nt", s.dtype);
  set("nspeed", s.speed);
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="nets-backend"]')) r.checked = r.value === lab.state.backend;
  const t = taskOf(s.data);
  $("nets-model").textContent =
    `model ${[t.inputs, ...s.hidden, t.outputs].join("-")}, ${s.hidden.length ? `${s.activation} hidden layers, ` : ""}${t.loss} loss`;
  buildOptimizerEditors();
}

function wire() {
  const num = (id: string, apply: (s: NetsState, v: number) => void) => {
    const old = $<HTMLInputElement>(id);
    const input: HTMLInputElement = numberInput(
      id,
      old.valueAsNumber,
      (v) => v !== undefined && editProblem((s) => apply(s, v), input),
      {},
      () => setStatus(`${id}: must be a finite number; the last good value is still used`),
    );
    for (const a of ["min", "max", "step"]) if (old.hasAttribute(a)) input.setAttribute(a, old.getAttribute(a)!);
    old.replaceWith(input);
  };
  num("nd-n", (s, v) => (s.data.n = v));
  num("nd-noise", (s, v) => (s.data.noise = v));
  num("nd-test", (s, v) => (s.data.testFraction = v));
  num("nd-seed", (s, v) => (s.data.seed = v));
  num("nd-classes", (s, v) => (s.data.classes = v));
  num("nd-factor", (s, v) => (s.data.factor = v));
  num("nb", (s, v) => (s.batchSize = v));
  num("ne", (s, v) => (s.epochs = v));
  num("nseed", (s, v) => (s.seed = v));
  $<HTMLSelectElement>("nd-name").addEventListener("change", (ev) => {
    const name = (ev.target as HTMLSelectElement).value as NetsState["data"]["name"];
    if (editProblem((s) => (s.data = { name, n: s.data.n, noise: NOISE_PRESET[name], seed: s.data.seed, testFraction: s.data.testFraction }))) syncControls();
  });
  const hidden = $<HTMLInputElement>("nh");
  hidden.addEventListener("change", () => {
    const text = hidden.value.trim();
    const parts = text === "" ? [] : text.split(/[\s,;-]+/).filter((p) => p !== "");
    const widths = parts.map(Number);
    if (widths.some((w) => !/^\d+$/.test(String(w)) || !Number.isInteger(w))) {
      markInvalid(hidden, true);
      setStatus(`hidden layers: widths are whole numbers separated by commas (e.g. 16, 16); got ${JSON.stringify(text)}`);
      return;
    }
    if (editProblem((s) => (s.hidden = widths), hidden)) syncControls();
  });
  $<HTMLSelectElement>("na").addEventListener(
    "change",
    (ev) => editProblem((s) => (s.activation = (ev.target as HTMLSelectElement).value as NetsState["activation"])) && syncControls(),
  );
  $<HTMLSelectElement>("nt").addEventListener("change", (ev) => editProblem((s) => (s.dtype = (ev.target as HTMLSelectElement).value as "f32" | "f64")));
  $<HTMLSelectElement>("nspeed").addEventListener("change", (ev) => {
    nets().speed = Number((ev.target as HTMLSelectElement).value);
    writeHash();
  });
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="nets-backend"]')) {
    r.addEventListener("change", () => {
      if (!r.checked) return;
      lab.state.backend = r.value as "wasm" | "js";
      committed();
    });
  }
  $("nets-add").addEventListener("click", () => {
    const s = nets();
    if (s.optimizers.length >= NETS_MAX_OPTIMIZERS) return;
    s.optimizers.push({ name: "adam", options: { lr: netsLr("adam") } });
    buildOptimizerEditors();
    committed();
  });
  $("nets-play").addEventListener("click", () => (view.playing ? pauseNets() : playNets()));
  $("nets-step").addEventListener("click", () => {
    pauseNets();
    for (const t of view.trainers) t.step(nets().speed);
    drawPanels();
    drawCharts(true);
  });
  $("nets-reset").addEventListener("click", () => committed());
  $("nets-copy").addEventListener(
    "click",
    () =>
      void navigator.clipboard?.writeText(location.href).then(
        () => setStatus("Link copied."),
        () => setStatus(location.href),
      ),
  );
  window.addEventListener("resize", () => {
    if (lab.state.page !== "nets") return;
    sizePanels();
    drawPanels();
    drawCharts(true);
  });
}

let built = false;
/** The backend when the view was opened (the race ran on it). */
let raceBackend = "";

/** Shows the state's page (the race or the Networks view); builds the view on first use. */
export function showPage() {
  const nets = lab.state.page === "nets";
  $("race").hidden = nets;
  $("nets").hidden = !nets;
  $("speed").hidden = nets;
  $("page-race").setAttribute("aria-pressed", String(!nets));
  $("page-nets").setAttribute("aria-pressed", String(nets));
  if (!nets) {
    pauseNets();
    // The backend is shared with the race: its controls and its run follow a change made here.
    if (built && raceBackend !== lab.state.backend) {
      actions.syncProblemInputs();
      void rerun();
    }
    return;
  }
  raceBackend = lab.state.backend;
  if (!built) {
    buildNetsDom($("nets"), NETS_SPEEDS);
    wire();
    built = true;
  }
  syncControls();
  void rebuild();
}

/** A link was loaded: the view follows it (when shown). */
export function netsLoaded() {
  if (lab.state.page === "nets") showPage();
  else if (built) pauseNets();
}

/** Wires the page switch in the header. */
export function initPages() {
  for (const [id, page] of [
    ["page-race", "race"],
    ["page-nets", "nets"],
  ] as const) {
    $(id).addEventListener("click", () => {
      if (lab.state.page === page) return;
      lab.state.page = page;
      writeHash();
      showPage();
    });
  }
}
