/**
 * The lab's shared state and the few helpers every part of the page uses.
 * One store object instead of module-level variables, so the page's parts
 * (controls, race, figures, playback, contour input, 3-D view, export) live
 * in their own modules and read the same race.
 */
import { createBackend, type Backend, type RunResult, type TestFunction } from "optimlab";
import { serializeState } from "./link.js";
import { defaultState, type LabState, type OptimizerEntry } from "./state.js";
import type { SurfaceView } from "./surface3d.js";

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Grid of the contour and the 3-D surface. */
export const NX = 110;
export const NY = 110;

export const lab = {
  state: defaultState() as LabState,
  /** The race: one run per optimizer. */
  runs: [] as RunResult[],
  /** The function of the race (undefined until the first run). */
  fn: undefined as TestFunction | undefined,
  /** The plotting window and f on its NX × NY grid. */
  win: { x: [0, 1] as [number, number], y: [0, 1] as [number, number] },
  gridValues: new Float64Array(4) as ArrayLike<number>,
  /** The shown step. */
  frame: 0,
  playing: false,
  /** While the start is dragged the window stays put, so the plot does not move under the pointer. */
  lockedWindow: null as { x: [number, number]; y: [number, number] } | null,
  surfaceView: null as SurfaceView | null,
};

/**
 * What a part calls in a part set up after it (the sweep panel is created by
 * main.ts, the inputs' refresh by controls.ts); set once at start.
 */
export const actions = {
  sweep: undefined as unknown as {
    problemChanged(): void;
    syncControls(): void;
    render(): void;
    optimizerChanged(k: number, removed: boolean): void;
  },
  syncProblemInputs: (): void => undefined,
};

const backends = new Map<string, Promise<Backend>>();

export function getBackend(kind: "wasm" | "js"): Promise<Backend> {
  let b = backends.get(kind);
  if (!b) backends.set(kind, (b = createBackend(kind)));
  return b;
}

export function notice(msg: string | null) {
  const n = $("notice");
  n.hidden = !msg;
  n.textContent = msg ?? "";
}

export function writeHash() {
  const h = "#" + serializeState(lab.state);
  if (location.hash !== h) history.replaceState(null, "", h);
}

export const fmtNum = (v: number) => String(Number(v.toPrecision(6)));

export function optimizerLabel(e: OptimizerEntry): string {
  const parts = Object.entries(e.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(fmtNum).join("/") : typeof v === "number" ? fmtNum(v) : v}`);
  return [e.name, ...parts].join(" ") + (e.scheduler ? ` + ${e.scheduler.name}` : "");
}

/** The last step of the longest run. */
export function maxFrame(): number {
  return lab.runs.reduce((m, r) => Math.max(m, r.x.length - 1), 0);
}

export function plotWidth(id: string): number {
  return Math.max(280, Math.floor($(id).clientWidth || 600));
}

/** Inline SVGs share one document, so each gets its own id prefix. */
export function scopeIds(svg: string, p: string): string {
  return svg.replace(/\sid="([^"]*)"/g, (_: string, id: string) => ` id="${p}${id}"`).replace(/url\(#([^)]*)\)/g, (_: string, id: string) => `url(#${p}${id})`);
}
