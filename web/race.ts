/** Running the race: the window and grid of the function, the runs, and the live speeds of both backends. */
import { simdSupported, type Backend, type RunSpec, type TestFunction } from "optimlab";
import { $, actions, getBackend, lab, maxFrame, notice, NX, NY, writeHash } from "./lab.js";
import { render } from "./playback.js";
import { functionSpec, runSpec } from "./state.js";
import { surfaceData } from "./views.js";

/** The function's plotting window, grown to include the start (as the CLI's compare). */
function windowFor(fn: TestFunction, x0: [number, number]) {
  if (lab.lockedWindow) return lab.lockedWindow;
  const grow = (w: [number, number], v: number): [number, number] => {
    if (v >= w[0] && v <= w[1]) return w;
    const pad = 0.08 * (Math.max(w[1], v) - Math.min(w[0], v));
    return [Math.min(w[0], v - pad), Math.max(w[1], v + pad)];
  };
  return { x: grow([...fn.domain.x] as [number, number], x0[0]), y: grow([...fn.domain.y] as [number, number], x0[1]) };
}

let gridKey = "";
/** The last measured steps per second of each backend. */
const speeds: Partial<Record<"wasm" | "js", number>> = {};

export async function problemChanged() {
  await rerun();
}

function specs(): RunSpec[] {
  return lab.state.optimizers.map((_, k) => ({ ...runSpec(lab.state, k), record: "all" as const }));
}

let runToken = 0;
let remeasureTimer = 0;

/**
 * Runs the race again and redraws. `live`: a drag in progress, so no link
 * update (browsers throttle history writes) and no speed measurement.
 */
export async function rerun(opts: { keepFrame?: boolean; live?: boolean; fromLink?: boolean } = {}) {
  const token = ++runToken;
  if (!opts.live) writeHash();
  // An edit that reaches a run supersedes earlier messages (a link's notes stay until the first edit).
  if (!opts.live && !opts.fromLink) notice(null);
  let backend: Backend;
  try {
    backend = await getBackend(lab.state.backend);
  } catch (err) {
    notice(`The ${lab.state.backend} backend is unavailable here (${(err as Error).message}); using js.`);
    lab.state.backend = "js";
    actions.syncProblemInputs();
    backend = await getBackend("js");
  }
  if (token !== runToken) return;
  lab.fn = backend.createFunction(functionSpec(lab.state), 2);
  const key = `${JSON.stringify(functionSpec(lab.state))}|${JSON.stringify(windowFor(lab.fn!, lab.state.x0))}`;
  if (key !== gridKey) {
    lab.win = windowFor(lab.fn!, lab.state.x0);
    lab.gridValues = backend.grid(lab.fn!, lab.win.x, lab.win.y, NX, NY);
    gridKey = key;
    actions.sweep.problemChanged();
    actions.sweep.syncControls();
  }
  const sp = specs();
  try {
    lab.runs = backend.runMany(sp);
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
      for (const kind of kinds)
        void getBackend(kind)
          .then((b) => token === runToken && measureSpeed(b, sp))
          .catch(() => undefined);
    };
    measureAll();
    clearTimeout(remeasureTimer);
    remeasureTimer = window.setTimeout(() => token === runToken && !lab.playing && measureAll(), 1500);
  }
  const status = $("backend-status");
  status.dataset.backend = backend.name;
  status.textContent = backend.name === "wasm" ? "wasm (SIMD core)" : `js (reference${simdSupported() ? "" : "; no wasm SIMD here"})`;
  const fr = $<HTMLInputElement>("frame");
  fr.max = String(maxFrame());
  if (!opts.keepFrame && !lab.playing) lab.frame = lab.state.frame ?? maxFrame();
  lab.frame = Math.min(lab.frame, maxFrame());
  render();
  // Rebuilding the 3-D scene is costly: only while it is shown (showView brings it up to date).
  if (lab.state.view === "surface") lab.surfaceView?.setData(surfaceData());
  actions.sweep.render();
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
