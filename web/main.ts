/**
 * The optimlab browser lab: pick a function and optimizers, watch them race
 * on the contour (and a three.js surface), sweep lr × β in a worker, share
 * the state as a link. Uses only the library's public API ("optimlab") and
 * its browser-safe plotting library ("optimlab/plot").
 */
import {
  createBackend,
  createFunction,
  functionNames,
  functionTitle,
  optimizerNames,
  simdSupported,
  type Backend,
  type RunResult,
  type RunSpec,
  type TestFunction,
} from "optimlab";
import { ContourCache, contourPlot, lineChart, surfacePlot, trajectoryColor } from "optimlab/plot";
import { fill } from "./dom.js";
import { labelled, markInvalid, numberInput, optimizerEditor } from "./editors.js";
import {
  checkRun,
  defaultState,
  followSteps,
  functionSpec,
  LAB_LR,
  MAX_OPTIMIZERS,
  MAX_STEPS,
  parseState,
  runSpec,
  serializeState,
  type LabState,
  type OptimizerEntry,
} from "./state.js";
import { chartSeries, lossScale, lrScale } from "./chartData.js";
import { initFormulaBox } from "./formulaBox.js";
import { initSweep } from "./sweepView.js";
import type { SurfaceView } from "./surface3d.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ------------------------------------------------------------------ state

let state: LabState = defaultState();
let runs: RunResult[] = [];
let fnInst: TestFunction;
let win = { x: [0, 1] as [number, number], y: [0, 1] as [number, number] };
let gridValues: ArrayLike<number> = new Float64Array(4);
const NX = 110;
const NY = 110;
let frame = 0;
let playing = false;
const speeds: Partial<Record<"wasm" | "js", number>> = {};
const backends = new Map<string, Promise<Backend>>();
let surfaceView: SurfaceView | null = null;
let surfaceLoading: Promise<void> | null = null;

function getBackend(kind: "wasm" | "js"): Promise<Backend> {
  let b = backends.get(kind);
  if (!b) backends.set(kind, (b = createBackend(kind)));
  return b;
}

function notice(msg: string | null) {
  const n = $("notice");
  n.hidden = !msg;
  n.textContent = msg ?? "";
}

function writeHash() {
  const h = "#" + serializeState(state);
  if (location.hash !== h) history.replaceState(null, "", h);
}

// ------------------------------------------------------------------ labels

const fmtNum = (v: number) => String(Number(v.toPrecision(6)));

function optimizerLabel(e: OptimizerEntry): string {
  const parts = Object.entries(e.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(fmtNum).join("/") : typeof v === "number" ? fmtNum(v) : v}`);
  return [e.name, ...parts].join(" ") + (e.scheduler ? ` + ${e.scheduler.name}` : "");
}

// ------------------------------------------------------------------ controls

function buildFunctionSelect() {
  const sel = $<HTMLSelectElement>("fn");
  sel.replaceChildren();
  for (const n of functionNames) sel.add(new Option(n, n));
  sel.add(new Option("formula (type your own)", "expr"));
}

/** What titles call the function: a formula's label or text (shortened), a built-in's name. */
const fnTitle = (fn: TestFunction) => functionTitle(fn, 48);

function buildFunctionParams() {
  const box = $("fn-params");
  box.replaceChildren();
  const formula = state.fn.name === "expr";
  $("formula-box").hidden = !formula;
  box.hidden = formula;
  if (state.fn.name === "expr") {
    formulaBox.show(state.fn.formula!);
    return;
  }
  const name = state.fn.name;
  const defaults = createFunction(name, 2).params;
  const notNumber = (field: string) => notice(`${state.fn.name}: ${field} must be a finite number; the last good value is still used.`);
  for (const [k, d] of Object.entries(defaults)) {
    const cur = state.fn.params[k] ?? d;
    if (Array.isArray(cur)) {
      cur.slice(0, 2).forEach((v, i) => {
        const input: HTMLInputElement = numberInput(`fp-${k}-${i}`, v, (nv) => {
          if (nv === undefined) return;
          const arr = [...((state.fn.params[k] as number[] | undefined) ?? (d as number[]))].slice(0, 2);
          arr[i] = nv;
          setFunctionParam(k, arr, input);
        }, {}, () => notNumber(`${k}[${i}]`));
        box.append(labelled(`${k}[${i}]`, input));
      });
    } else {
      const input: HTMLInputElement = numberInput(`fp-${k}`, cur as number, (nv) => nv !== undefined && setFunctionParam(k, nv, input), {}, () => notNumber(k));
      box.append(labelled(k, input));
    }
  }
}

function setFunctionParam(k: string, v: number | number[], input: HTMLInputElement) {
  if (state.fn.name === "expr") return;
  const name = state.fn.name;
  const params = { ...state.fn.params, [k]: v };
  try {
    createFunction({ name, ...params }, 2);
    notice(null);
    markInvalid(input, false);
  } catch (err) {
    markInvalid(input, true);
    notice(`${name}: ${(err as Error).message}; the last good value is still used.`);
    return;
  }
  state.fn = { name, params };
  problemChanged();
}

// ------------------------------------------------------------------ formula

const formulaBox = initFormulaBox({
  state: () => state,
  notice,
  commit: (f) => {
    state.fn = { name: "expr", params: {}, formula: f };
    problemChanged();
  },
});

function buildOptimizers() {
  const list = $("optimizers");
  fill(
    list,
    state.optimizers.map((e, k) =>
      optimizerEditor(e, k, {
        count: state.optimizers.length,
        steps: state.steps,
        check: (next) => checkRun(withOptimizer(k, next), k),
        commit: (next) => {
          state.optimizers[k] = next;
          rerun();
        },
        rename: (name) => {
          // The scheduler stays when the new algorithm can run it (oneCycleLR may need a momentum).
          const next: OptimizerEntry = { name, options: { lr: LAB_LR[name] }, scheduler: state.optimizers[k].scheduler };
          try {
            checkRun(withOptimizer(k, next), k);
          } catch {
            delete next.scheduler;
          }
          state.optimizers[k] = next;
          sweep.optimizerChanged(k, false);
          buildOptimizers();
          rerun();
          $(`o${k}-name`).focus();
        },
        remove: () => {
          state.optimizers.splice(k, 1);
          sweep.optimizerChanged(k, true);
          buildOptimizers();
          rerun();
          $("add-optimizer").focus();
        },
      }),
    ),
  );
  $<HTMLButtonElement>("add-optimizer").disabled = state.optimizers.length >= MAX_OPTIMIZERS;
  sweep.syncControls();
}

/** The state with optimizer k replaced (for validating an edit before taking it). */
function withOptimizer(k: number, e: OptimizerEntry): LabState {
  const optimizers = state.optimizers.slice();
  optimizers[k] = e;
  return { ...state, optimizers };
}

function syncProblemInputs() {
  // The values shown are the state's, all valid: no mark of an earlier refused entry stays.
  for (const id of ["x0", "y0", "steps", "tol", "patience"]) markInvalid($(id), false);
  $<HTMLSelectElement>("fn").value = state.fn.name;
  $<HTMLInputElement>("x0").value = fmtNum(state.x0[0]);
  $<HTMLInputElement>("y0").value = fmtNum(state.x0[1]);
  $<HTMLInputElement>("steps").value = String(state.steps);
  $<HTMLInputElement>("tol").value = state.tol === undefined ? "" : String(state.tol);
  $<HTMLInputElement>("patience").value = state.patience === undefined ? "" : String(state.patience);
  $<HTMLSelectElement>("dtype").value = state.dtype;
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) r.checked = r.value === state.backend;
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="view"]')) r.checked = r.value === state.view;
  buildFunctionParams();
}

function wireControls() {
  $("fn").addEventListener("change", () => {
    const name = $<HTMLSelectElement>("fn").value as LabState["fn"]["name"];
    state.fn = name === "expr" ? { name, params: {}, formula: formulaBox.last() } : { name, params: name === "quadratic" ? { weights: [0.2, 2] } : {} };
    const st = createFunction(functionSpec(state), 2).start;
    state.x0 = [st[0], st[1]];
    syncProblemInputs();
    problemChanged();
  });
  const startChanged = () => {
    const x = $<HTMLInputElement>("x0").valueAsNumber;
    const y = $<HTMLInputElement>("y0").valueAsNumber;
    let bad = false;
    for (const [id, v] of [["x0", x], ["y0", y]] as const) {
      const ok = Number.isFinite(v) && Math.abs(v) <= 1e6;
      markInvalid($(id), !ok);
      bad ||= !ok;
    }
    if (bad) {
      notice("Start x and y must be numbers within ±1e6; the race still starts at the last good point.");
      return;
    }
    state.x0 = [x, y];
    problemChanged();
  };
  $("x0").addEventListener("change", startChanged);
  $("y0").addEventListener("change", startChanged);
  $("steps").addEventListener("change", () => {
    const i = $<HTMLInputElement>("steps");
    const v = i.valueAsNumber;
    if (!Number.isInteger(v) || v < 1 || v > MAX_STEPS) {
      markInvalid(i, true);
      notice(`Steps must be an integer from 1 to ${MAX_STEPS}; the race keeps ${state.steps}.`);
      return;
    }
    const next = { ...state, steps: v, optimizers: followSteps(state.optimizers, state.steps, v) };
    for (let k = 0; k < state.optimizers.length; k++) {
      try {
        checkRun(next, k);
      } catch (err) {
        markInvalid(i, true);
        notice(`Steps ${v} refused for optimizer ${k + 1} (${state.optimizers[k].name}): ${(err as Error).message}`);
        return;
      }
    }
    markInvalid(i, false);
    notice(null);
    state.steps = v;
    state.optimizers = next.optimizers;
    buildOptimizers();
    rerun();
  });
  // Early stopping: empty tol = never; patience needs a tol (the library's rule).
  const stopChanged = () => {
    const t = $<HTMLInputElement>("tol");
    const p = $<HTMLInputElement>("patience");
    const tol = t.value.trim() === "" ? undefined : t.valueAsNumber;
    const patience = p.value.trim() === "" ? undefined : p.valueAsNumber;
    const badTol = tol !== undefined && !(tol >= 0);
    const badPatience = patience !== undefined && (!Number.isInteger(patience) || patience < 1 || tol === undefined);
    markInvalid(t, badTol);
    markInvalid(p, badPatience);
    if (badTol || badPatience) {
      notice(badPatience && tol === undefined ? "patience needs a tol (stop after patience steps with |Δloss| < tol)." : "tol must be ≥ 0 and patience an integer ≥ 1.");
      return;
    }
    notice(null);
    state.tol = tol;
    state.patience = patience;
    rerun();
  };
  $("tol").addEventListener("change", stopChanged);
  $("patience").addEventListener("change", stopChanged);
  $("dtype").addEventListener("change", () => {
    state.dtype = $<HTMLSelectElement>("dtype").value as "f32" | "f64";
    rerun();
  });
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) {
    r.addEventListener("change", () => {
      if (!r.checked) return;
      state.backend = r.value as "wasm" | "js";
      rerun();
    });
  }
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="view"]')) {
    r.addEventListener("change", () => {
      if (!r.checked) return;
      state.view = r.value as "contour" | "surface";
      writeHash();
      showView();
    });
  }
  $("add-optimizer").addEventListener("click", () => {
    if (state.optimizers.length >= MAX_OPTIMIZERS) return;
    const used = new Set(state.optimizers.map((o) => o.name));
    const name = optimizerNames.find((n) => !used.has(n)) ?? "adam";
    state.optimizers.push({ name, options: { lr: LAB_LR[name] } });
    buildOptimizers();
    rerun();
    $(`o${state.optimizers.length - 1}-name`).focus();
  });
  $("play").addEventListener("click", () => (playing ? pause() : play()));
  $("step").addEventListener("click", () => {
    pause();
    setFrame(Math.min(frame + 1, maxFrame()));
  });
  $("reset").addEventListener("click", () => {
    pause();
    setFrame(0);
  });
  $("frame").addEventListener("input", () => {
    pause();
    setFrame($<HTMLInputElement>("frame").valueAsNumber);
  });
  $("contour").addEventListener("click", onContourClick);
  wireDrag();
  $("export-svg").addEventListener("click", () => void exportSvg());
  $("export-png").addEventListener("click", () => void exportPng());
  $("export-gif").addEventListener("click", () => void exportGif());
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      notice("Link copied.");
      setTimeout(() => $("notice").textContent === "Link copied." && notice(null), 3000);
    } catch {
      notice("Copy the address bar: the link holds the whole state.");
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash === "#" + serializeState(state)) return;
    loadFromHash();
  });
  let resizeTimer = 0;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      render();
      sweep.render();
      surfaceView?.resize();
    }, 60);
  }).observe($("contour-fig"));
}

// ------------------------------------------------------------------ compute

/** The function's plotting window, grown to include the start (as the CLI's compare). */
function windowFor(fn: TestFunction, x0: [number, number]) {
  if (lockedWindow) return lockedWindow;
  const grow = (w: [number, number], v: number): [number, number] => {
    if (v >= w[0] && v <= w[1]) return w;
    const pad = 0.08 * (Math.max(w[1], v) - Math.min(w[0], v));
    return [Math.min(w[0], v - pad), Math.max(w[1], v + pad)];
  };
  return { x: grow([...fn.domain.x] as [number, number], x0[0]), y: grow([...fn.domain.y] as [number, number], x0[1]) };
}

let gridKey = "";
/** While the start is dragged the window stays put, so the plot does not move under the pointer. */
let lockedWindow: typeof win | null = null;

async function problemChanged() {
  await rerun();
}

function specs(): RunSpec[] {
  return state.optimizers.map((_, k) => ({ ...runSpec(state, k), record: "all" as const }));
}

let runToken = 0;
let remeasureTimer = 0;

/**
 * Runs the race again and redraws. `live`: a drag in progress, so no link
 * update (browsers throttle history writes) and no speed measurement.
 */
async function rerun(opts: { keepFrame?: boolean; live?: boolean; fromLink?: boolean } = {}) {
  const token = ++runToken;
  if (!opts.live) writeHash();
  // An edit that reaches a run supersedes earlier messages (a link's notes stay until the first edit).
  if (!opts.live && !opts.fromLink) notice(null);
  let backend: Backend;
  try {
    backend = await getBackend(state.backend);
  } catch (err) {
    notice(`The ${state.backend} backend is unavailable here (${(err as Error).message}); using js.`);
    state.backend = "js";
    syncProblemInputs();
    backend = await getBackend("js");
  }
  if (token !== runToken) return;
  fnInst = backend.createFunction(functionSpec(state), 2);
  const key = `${JSON.stringify(functionSpec(state))}|${JSON.stringify(windowFor(fnInst, state.x0))}`;
  if (key !== gridKey) {
    win = windowFor(fnInst, state.x0);
    gridValues = backend.grid(fnInst, win.x, win.y, NX, NY);
    gridKey = key;
    sweep.problemChanged();
    sweep.syncControls();
  }
  const sp = specs();
  try {
    runs = backend.runMany(sp);
  } catch (err) {
    notice(`Run failed: ${(err as Error).message}`);
    return;
  }
  if (!opts.live) {
    // Both backends, so both speeds are live (cheap: ≥ 40 ms each), and both again once the
    // page has settled: the first timings after a load or an edit run on cold code (JIT
    // tiers, wasm tier-up) and can even swap which backend looks faster.
    const kinds: ("wasm" | "js")[] = [backend.name as "wasm" | "js"];
    if (backend.name === "js" && simdSupported()) kinds.push("wasm");
    if (backend.name === "wasm") kinds.push("js");
    const measureAll = () => {
      for (const kind of kinds) void getBackend(kind).then((b) => token === runToken && measureSpeed(b, sp)).catch(() => undefined);
    };
    measureAll();
    clearTimeout(remeasureTimer);
    remeasureTimer = window.setTimeout(() => token === runToken && !playing && measureAll(), 1500);
  }
  const status = $("backend-status");
  status.dataset.backend = backend.name;
  status.textContent = backend.name === "wasm" ? "wasm (SIMD core)" : `js (reference${simdSupported() ? "" : "; no wasm SIMD here"})`;
  const fr = $<HTMLInputElement>("frame");
  fr.max = String(maxFrame());
  if (!opts.keepFrame && !playing) frame = state.frame ?? maxFrame();
  frame = Math.min(frame, maxFrame());
  render();
  // Rebuilding the 3-D scene is costly: only while it is shown (showView brings it up to date).
  if (state.view === "surface") surfaceView?.setData(surfaceData());
  sweep.render();
}

/**
 * Steps per second of backend.runMany on the current specs: the best of 5
 * trials of ≥ 8 ms each, after one warm-up call. The best, not the mean,
 * because on a busy machine interruptions only ever add time.
 */
function measureSpeed(backend: Backend, sp: RunSpec[]) {
  const quick = sp.map((s) => ({ ...s, record: "final" as const }));
  backend.runMany(quick);
  let best = 0;
  for (let trial = 0; trial < 5; trial++) {
    let steps = 0;
    let reps = 0;
    const t0 = performance.now();
    let el = 0;
    while (reps < 100 && el < 8) {
      for (const r of backend.runMany(quick)) steps += r.steps;
      reps++;
      el = performance.now() - t0;
    }
    best = Math.max(best, (steps / Math.max(el, 1e-3)) * 1000);
  }
  speeds[backend.name] = best;
  const fmt = (v: number | undefined) => (v === undefined ? "–" : v >= 999.95e3 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
  $("speed").textContent = `steps/s: wasm ${fmt(speeds.wasm)} · js ${fmt(speeds.js)}`;
}

function maxFrame(): number {
  return runs.reduce((m, r) => Math.max(m, r.x.length - 1), 0);
}

// ------------------------------------------------------------------ render

/** Inline SVGs share one document, so each gets its own id prefix. */
function scopeIds(svg: string, p: string): string {
  return svg
    .replace(/\sid="([^"]*)"/g, (_: string, id: string) => ` id="${p}${id}"`)
    .replace(/url\(#([^)]*)\)/g, (_: string, id: string) => `url(#${p}${id})`);
}

/** Animation frames change only the trajectories: the bands of a grid are drawn once. */
const contourCache = new ContourCache();

function contourSvg(width: number, upTo: number): string {
  // Generous: with equal aspect contourPlot trims unused height, so the plot is as large as the width allows.
  const height = Math.min(Math.round(width * 1.3), 760);
  return contourPlot({
    x: win.x,
    y: win.y,
    values: gridValues,
    nx: NX,
    ny: NY,
    width,
    height,
    // Narrow figures: no title (it would run into the colour bar's label; the step is shown beside the slider).
    title: width < 480 ? undefined : `${fnTitle(fnInst)}${width >= 560 && Object.keys(state.fn.params).length ? " (" + JSON.stringify(state.fn.params).replace(/["{}]/g, "").replace(/,(?=[a-zA-Z])/g, ", ") + ")" : ""} · step ${upTo}/${maxFrame()}`,
    trajectories: runs.map((r, k) => ({
      label: optimizerLabel(state.optimizers[k]),
      points: r.x.slice(0, upTo + 1),
      // The losses tell a run that overflowed far outside the window (x finite, f infinite) as diverged.
      values: r.loss.length === r.x.length ? r.loss.slice(0, upTo + 1) : undefined,
      color: trajectoryColor(k),
    })),
    minima: fnInst.minima.map((m) => ({ x: m.x[0], y: m.x[1] })),
    pointName: "step",
    cache: contourCache,
  });
}

/** The charts' scales depend on the race only, not on the frame: computed once per race. */
let scalesOf: { runs: RunResult[]; loss: ReturnType<typeof lossScale>; lr: ReturnType<typeof lrScale> } | null = null;
function scales() {
  if (scalesOf?.runs !== runs) scalesOf = { runs, loss: lossScale(runs), lr: lrScale(runs) };
  return scalesOf;
}

function lossSvg(width: number, upTo: number): string {
  const { logY, lo, hi, clipped } = scales().loss;
  return lineChart({
    series: runs.map((r, k) => ({
      // Early stopping ends runs at different steps: say which did.
      label: optimizerLabel(state.optimizers[k]) + (r.stopReason === "tol" ? ` (stopped at step ${r.steps}: |Δloss| < tol)` : ""),
      ...chartSeries(r.loss.slice(0, upTo + 1), lo, hi),
      color: trajectoryColor(k),
      markers: false,
    })),
    logY,
    xDomain: [0, Math.max(1, maxFrame())],
    yDomain: [lo, hi],
    title: "Loss",
    xLabel: "step",
    yLabel: `${logY ? "f (log)" : "f"}${clipped ? ", clipped" : ""}`,
    width,
    // Room for a legend row per optimizer below a plot of useful height (a shorter legend leaves the plot taller).
    height: Math.max(250, Math.min(Math.round(width * 0.75), 420)) + 20 * runs.length,
  });
}

/** The learning rate each optimizer used at each step (schedulers make it move). */
function lrSvg(width: number, upTo: number): string {
  const { logY, yDomain } = scales().lr;
  return lineChart({
    series: runs.map((r, k) => ({ label: optimizerLabel(state.optimizers[k]), ...chartSeries(r.lr.slice(0, upTo), yDomain[0], yDomain[1]), color: trajectoryColor(k), markers: false })),
    logY,
    xDomain: [0, Math.max(1, maxFrame())],
    yDomain,
    title: "Learning rate",
    xLabel: "step",
    yLabel: logY ? "lr (log)" : "lr",
    legend: false,
    width,
    height: Math.max(200, Math.min(Math.round(width * 0.6), 320)),
  });
}

function plotWidth(id: string): number {
  return Math.max(280, Math.floor($(id).clientWidth || 600));
}

let rafPending = false;
function render() {
  if (rafPending) return;
  rafPending = true;
  requestAnimationFrame(() => {
    rafPending = false;
    renderNow();
  });
}

function renderNow() {
  if (!fnInst) return;
  if (state.view === "contour") $("contour").innerHTML = scopeIds(contourSvg(plotWidth("contour"), frame), "c-");
  else surfaceView?.setFrame(frame);
  $("loss").innerHTML = scopeIds(lossSvg(plotWidth("loss"), frame), "l-");
  $("lr").innerHTML = scopeIds(lrSvg(plotWidth("lr"), frame), "r-");
  $<HTMLInputElement>("frame").value = String(frame);
  $("frame-out").textContent = String(frame);
}

function setFrame(t: number) {
  frame = Math.max(0, Math.min(maxFrame(), Math.round(t)));
  rememberFrame();
  render();
}

/** The shown step goes into the link (not while playing: browsers throttle history updates). */
function rememberFrame() {
  state.frame = frame >= maxFrame() ? undefined : frame;
  writeHash();
}

let lastTick = 0;
function play() {
  if (frame >= maxFrame()) frame = 0;
  playing = true;
  $("play").textContent = "Pause";
  lastTick = performance.now();
  requestAnimationFrame(tick);
}

function pause() {
  if (playing) {
    playing = false;
    rememberFrame();
  }
  $("play").textContent = "Play";
}

/** The race lasts about 5 s whatever the number of steps (at least one step a frame). */
function tick(now: number) {
  if (!playing) return;
  const perMs = Math.max(maxFrame() / 5000, 1 / 60);
  const adv = Math.max(1, Math.round((now - lastTick) * perMs));
  if (now - lastTick >= 1 / perMs || perMs * 16 >= 1) {
    lastTick = now;
    frame = Math.min(maxFrame(), frame + adv);
    renderNow();
  }
  if (frame >= maxFrame()) {
    pause();
    return;
  }
  requestAnimationFrame(tick);
}

/** The data point under a pointer (rounded to the window's scale), or undefined outside the plot area unless `clamp`. */
function pointOnContour(ev: { clientX: number; clientY: number }, clamp = false): [number, number] | undefined {
  const svg = $("contour").querySelector("svg");
  const rect = svg?.querySelector("#c-plot-area rect");
  const ctm = svg?.getScreenCTM();
  if (!svg || !rect || !ctm) return undefined;
  const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
  const bx = Number(rect.getAttribute("x"));
  const by = Number(rect.getAttribute("y"));
  const bw = Number(rect.getAttribute("width"));
  const bh = Number(rect.getAttribute("height"));
  if (!clamp && (p.x < bx || p.x > bx + bw || p.y < by || p.y > by + bh)) return undefined;
  const u = Math.min(1, Math.max(0, (p.x - bx) / bw));
  const v = Math.min(1, Math.max(0, (p.y - by) / bh));
  const x = win.x[0] + u * (win.x[1] - win.x[0]);
  const y = win.y[1] - v * (win.y[1] - win.y[0]);
  const round = (val: number, span: number) => Number(val.toFixed(Math.max(0, 3 - Math.floor(Math.log10(span)))));
  return [round(x, win.x[1] - win.x[0]), round(y, win.y[1] - win.y[0])];
}

function showStart() {
  for (const id of ["x0", "y0"]) markInvalid($(id), false);
  $<HTMLInputElement>("x0").value = fmtNum(state.x0[0]);
  $<HTMLInputElement>("y0").value = fmtNum(state.x0[1]);
}

/** A click sets the start and plays the race from it. */
function onContourClick(ev: MouseEvent) {
  if (justDragged) {
    justDragged = false;
    return;
  }
  const p = pointOnContour(ev);
  if (!p) return;
  state.x0 = p;
  showStart();
  frame = 0;
  void rerun({ keepFrame: true }).then(play);
}

/**
 * Dragging with a mouse or pen moves the start and reruns the race at every
 * move, showing the whole trajectories (touch keeps scrolling the page; a tap
 * is a click).
 */
let drag: { id: number; x: number; y: number; moved: boolean } | null = null;
let justDragged = false;
let dragFrame = 0;

function wireDrag() {
  const c = $("contour");
  c.addEventListener("pointerdown", (ev) => {
    if (ev.pointerType === "touch" || ev.button !== 0 || !pointOnContour(ev)) return;
    drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, moved: false };
    c.setPointerCapture(ev.pointerId);
  });
  c.addEventListener("pointermove", (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    if (!drag.moved && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      lockedWindow = win;
      pause();
      state.frame = undefined;
    }
    const p = pointOnContour(ev, true);
    if (!p) return;
    state.x0 = p;
    showStart();
    // One rerun per animation frame, however fast the pointer moves.
    if (!dragFrame) {
      dragFrame = requestAnimationFrame(() => {
        dragFrame = 0;
        void rerun({ live: true });
      });
    }
  });
  const end = (ev: PointerEvent) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const moved = drag.moved;
    drag = null;
    if (!moved) return;
    justDragged = true;
    // A click may follow this pointerup or not (pointercancel): clear the flag once events settle.
    setTimeout(() => (justDragged = false), 0);
    cancelAnimationFrame(dragFrame);
    dragFrame = 0;
    lockedWindow = null;
    void rerun();
  };
  c.addEventListener("pointerup", end);
  c.addEventListener("pointercancel", end);
}

// ------------------------------------------------------------------ 3-D

function surfaceData() {
  return {
    values: gridValues,
    nx: NX,
    ny: NY,
    x: win.x,
    y: win.y,
    trajectories: runs.map((r, k) => ({ points: r.x, loss: r.loss, color: trajectoryColor(k) })),
    frame,
  };
}

function showView() {
  const surface = state.view === "surface";
  $("contour").hidden = surface;
  $("surface").hidden = !surface;
  if (surface && surfaceView && fnInst) surfaceView.setData(surfaceData());
  if (surface && !surfaceView && !surfaceLoading) {
    surfaceLoading = import("./surface3d.js").then((m) => {
      surfaceView = m.createSurfaceView($("surface"));
      if (!surfaceView) {
        $("surface").innerHTML = scopeIds(surfaceFallbackSvg(plotWidth("contour-fig")), "s-");
        const p = document.createElement("p");
        p.className = "hint";
        p.textContent = "WebGL is unavailable here, so the 3-D view is the library's projected SVG surface (no orbiting).";
        $("surface").prepend(p);
        return;
      }
      surfaceView.setData(surfaceData());
    });
  }
  render();
}

/** The library's projected surface (the 3-D view's SVG export and no-WebGL fallback), up to step `upTo`. */
function surfaceFallbackSvg(width: number, upTo = maxFrame()): string {
  return surfacePlot({
    x: win.x,
    y: win.y,
    values: gridValues,
    nx: NX,
    ny: NY,
    width,
    height: Math.round(width * 0.8),
    title: `${fnTitle(fnInst)} · step ${upTo}/${maxFrame()}`,
    trajectories: runs.map((r, k) => ({ label: optimizerLabel(state.optimizers[k]), points: r.x.slice(0, upTo + 1), z: r.loss.slice(0, upTo + 1), color: trajectoryColor(k) })),
  });
}

// ------------------------------------------------------------------ sweep

const sweep = initSweep({
  state: () => state,
  fn: () => fnInst,
  window: () => win,
  // The map may be empty (hidden) before its first sweep; the heading spans the same width.
  width: () => plotWidth("sweep-h"),
  scope: scopeIds,
  writeHash,
  setOptimizer: (k, e) => {
    try {
      checkRun(withOptimizer(k, e), k);
    } catch (err) {
      notice(`That cell cannot run: ${(err as Error).message}`);
      return false;
    }
    state.optimizers[k] = e;
    buildOptimizers();
    void rerun();
    return true;
  },
  setStart: (x0) => {
    state.x0 = x0;
    syncProblemInputs();
    frame = 0;
    void rerun({ keepFrame: true }).then(play);
  },
});

// ------------------------------------------------------------------ export

function download(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
}

function currentSvg(): string {
  const w = plotWidth("contour-fig");
  return state.view === "contour" ? contourSvg(w, frame) : surfaceFallbackSvg(w, frame);
}

async function svgToCanvas(svg: string, scale = 1): Promise<HTMLCanvasElement> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    img.src = url;
    await img.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  const c = document.createElement("canvas");
  c.width = Math.round(img.width * scale);
  c.height = Math.round(img.height * scale);
  // The GIF export reads every frame back.
  const ctx = c.getContext("2d", { willReadFrequently: true })!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(img, 0, 0, c.width, c.height);
  return c;
}

const baseName = () => `optimlab-${state.fn.name}-${state.view}`;

async function exportSvg() {
  download(new Blob([currentSvg()], { type: "image/svg+xml" }), `${baseName()}.svg`);
}

async function exportPng() {
  const canvas = state.view === "surface" && surfaceView ? surfaceView.snapshot() : await svgToCanvas(currentSvg(), 2);
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, "image/png"));
  if (blob) download(blob, `${baseName()}.png`);
}

/** An animated GIF of the race on the contour (gifenc, one palette from the last frame). */
async function exportGif() {
  const btn = $<HTMLButtonElement>("export-gif");
  btn.disabled = true;
  const old = btn.textContent;
  try {
    const { GIFEncoder, quantize, applyPalette } = await import("gifenc");
    const total = maxFrame();
    const count = Math.min(total + 1, 48);
    const frames = Array.from({ length: count }, (_, i) => Math.round((i * total) / Math.max(1, count - 1)));
    const width = 560;
    const last = await svgToCanvas(contourSvg(width, total));
    const w = last.width;
    const h = last.height;
    const palette = quantize(last.getContext("2d")!.getImageData(0, 0, w, h).data, 256);
    const gif = GIFEncoder();
    for (let i = 0; i < frames.length; i++) {
      btn.textContent = `GIF ${i + 1}/${frames.length}`;
      const c = i === frames.length - 1 ? last : await svgToCanvas(contourSvg(width, frames[i]));
      const data = c.getContext("2d")!.getImageData(0, 0, w, h).data;
      gif.writeFrame(applyPalette(data, palette), w, h, { palette, delay: i === frames.length - 1 ? 1500 : 80 });
    }
    gif.finish();
    // Always the contour's race, whichever view is shown.
    download(new Blob([gif.bytes() as Uint8Array<ArrayBuffer>], { type: "image/gif" }), `optimlab-${state.fn.name}-contour.gif`);
  } finally {
    btn.textContent = old;
    btn.disabled = false;
  }
}

// ------------------------------------------------------------------ start

function loadFromHash() {
  const { state: s, errors } = parseState(location.hash);
  state = s;
  notice(errors.length ? `Some of the link was not used: ${errors.join("; ")}` : null);
  syncProblemInputs();
  buildOptimizers();
  showView();
  pause();
  void rerun({ fromLink: true });
}

buildFunctionSelect();
wireControls();
loadFromHash();
