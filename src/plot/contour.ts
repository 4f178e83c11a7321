/**
 * Filled contour plot of a sampled function with optimizer trajectories.
 *
 * Grid convention (the same as `createFunction(...).grid`): `values` is
 * row-major with y outer, values[j*nx + i] = f(x0 + i·(x1−x0)/(nx−1),
 * y0 + j·(y1−y0)/(ny−1)); the first and last samples lie on the window's edges.
 *
 * d3-contour works on a grid where sample k occupies the unit cell [k, k+1],
 * i.e. sample k sits at grid coordinate k + 0.5 (its smoothing puts a crossing
 * between samples k−1 and k at k − 0.5 + t). A contour point at grid
 * coordinates (u, v) is therefore at sample position (u − 0.5, v − 0.5), i.e.
 * x = x0 + (u − 0.5)·(x1−x0)/(nx−1). The rings d3 closes along the outside of
 * the grid (u = 0 or nx, v = 0 or ny) lie half a cell outside the window and
 * are clamped onto its edge; isolines omit those edge segments.
 *
 * Levels (`scale`):
 * - "linear": about `levels` (default 12) 1-2-5 nice values inside the data range.
 * - "log": levels are nice 1-2-5 (or 1-3, or 1 per k decades) values of
 *   g = f − shift, where shift = min f (over the finite grid values) when
 *   min f ≤ 0 and 0 otherwise; so functions with negative values (saddles,
 *   six-hump camel) get log-spaced levels above their lowest value, and the
 *   colour bar is labelled "f − min f" with the minimum printed. The lowest
 *   level is the 0.5 % quantile of g (at least max g·1e−8), the highest is
 *   below max g.
 * - "auto" (default): "log" when the 95 % quantile of g is more than 100
 *   times its 5 % quantile (the values span more than two decades over most
 *   of the window), else "linear".
 * Explicit `levels: number[]` are always in units of f. Contours are computed
 * on f itself (linear interpolation between samples) in every scale; the
 * scale decides where the levels go and how the colour bar is drawn.
 */

import { contours } from "d3-contour";
import { sequentialColors, contrastColor, hexToRgb, luminance, trajectoryColor } from "./colors.js";
import {
  axisTicks,
  drawAxes,
  drawLegend,
  drawTitle,
  FONT,
  INK,
  layoutLegend,
  LEGEND_ROW_HEIGHT,
  markLegendItems,
  maxLabelWidth,
  TICK_LENGTH,
  xAxisHeight,
  yAxisWidth,
  type Box,
  type LegendItem,
} from "./frame.js";
import { drawTrace, stackLayers, starMarker, type Dash, type Px } from "./marks.js";
import { formatNumber, linearScale, logScale, type Scale } from "./scale.js";
import { clipRect, el, g, path, PathData, svgDocument, text } from "./svg.js";
import { textWidth } from "./text.js";
import { traceNotes, traceTrajectory, type Rect, type TracePoint } from "./trace.js";

export interface Trajectory {
  label: string;
  /** Iterates [x, y] (further entries ignored). NaN/±Infinity end the path. */
  points: ReadonlyArray<ArrayLike<number>>;
  /**
   * f at each point (a run's loss), when known: a non-finite value ends the
   * path there as diverged, even where x itself is still finite (a run stops
   * at its first infinite loss, often far outside the window).
   */
  values?: ArrayLike<number>;
  color?: string;
  /** true: dashed; a string: its own SVG dash pattern ("2 3"). */
  dashed?: Dash;
}

export interface Minimum {
  x: number;
  y: number;
}

export interface GridOptions {
  /** Plotting window. */
  x: readonly [number, number];
  y: readonly [number, number];
  /** Samples, row-major with y outer (see the module comment). */
  values: ArrayLike<number>;
  nx: number;
  ny: number;
}

export type LevelScale = "linear" | "log" | "auto";

export interface ContourPlotOptions extends GridOptions {
  /** Number of levels (about) or explicit levels in units of f. */
  levels?: number | readonly number[];
  scale?: LevelScale;
  trajectories?: readonly Trajectory[];
  minima?: readonly Minimum[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Colour bar label; default "f" (log with a shift: "f − min f"). */
  colorbarLabel?: string;
  /** Figure width in px (default 640). */
  width?: number;
  /**
   * Figure height in px (default 520). With equal aspect on a window wider
   * than the space allows, the figure is shortened to fit the plot instead.
   */
  height?: number;
  /**
   * Same px per unit on both axes (gradients look perpendicular to isolines).
   * Default: on when the window's aspect ratio is between 1/3 and 3.
   */
  equalAspect?: boolean;
  /** Per-point markers; default on for trajectories of at most 150 points. */
  markers?: boolean;
  /** Draw the isolines over the filled bands (default true). */
  isolines?: boolean;
  /** What the trajectories' points are called in legend notes ("diverged: NaN at step 12"); default "point". */
  pointName?: string;
  /** Reuse levels, bands and isolines across calls on the same `values` (see {@link ContourCache}). */
  cache?: ContourCache;
  /** Show the legend below the plot (default true when there is anything to list). */
  legend?: boolean;
  /**
   * Reserve at least this many legend rows, so that figures combined with
   * `panels` get plot areas of the same size even when their legends differ.
   */
  legendRows?: number;
}

/**
 * Keeps the costly part of {@link contourPlot} — the levels, filled bands and
 * isolines, about 90 % of its time on a 110 × 110 grid — between calls on the
 * same grid, for figures redrawn many times with only the trajectories
 * changing (animation frames). Entries are keyed by the identity of the
 * `values` array plus the level options and the plot box; the values must not
 * be mutated while cached (call {@link ContourCache.clear} if they are).
 */
export class ContourCache {
  private entries = new WeakMap<object, Map<string, unknown>>();

  /** The cached value for (values, key), made by `make` the first time. */
  get<T>(values: ArrayLike<number>, key: string, make: () => T): T {
    let m = this.entries.get(values);
    if (!m) this.entries.set(values, (m = new Map()));
    if (!m.has(key)) {
      // A grid is typically drawn at one or two sizes; drop stale layouts.
      if (m.size >= 8) m.clear();
      m.set(key, make());
    }
    return m.get(key) as T;
  }

  clear(): void {
    this.entries = new WeakMap();
  }
}

export interface LevelChoice {
  scale: "linear" | "log";
  /** Ascending levels in units of f. */
  levels: number[];
  /** Log scale: levels and colours are of f − shift (0 when min f > 0). */
  shift: number;
  /** Finite extent of the values. */
  min: number;
  max: number;
}

export function validateGrid(o: GridOptions, where: string): void {
  const bad = (field: string, msg: string) => new RangeError(`${where}: ${field}: ${msg}`);
  for (const k of ["x", "y"] as const) {
    const w = o[k];
    if (!Array.isArray(w) || w.length !== 2 || !Number.isFinite(w[0]) || !Number.isFinite(w[1]) || !(w[0] < w[1])) {
      throw bad(k, `must be [${k}0, ${k}1] with finite ${k}0 < ${k}1; got ${JSON.stringify(w)}`);
    }
  }
  if (!Number.isInteger(o.nx) || o.nx < 2) throw bad("nx", `must be an integer ≥ 2; got ${o.nx}`);
  if (!Number.isInteger(o.ny) || o.ny < 2) throw bad("ny", `must be an integer ≥ 2; got ${o.ny}`);
  if (!o.values || o.values.length !== o.nx * o.ny) {
    throw bad("values", `must hold nx·ny = ${o.nx * o.ny} numbers; got ${o.values?.length}`);
  }
}

function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** Log levels of g in [lo, hi): 1-2-5, 1-3 or 1 per decade(s), about `count` of them. */
function logLevels(lo: number, hi: number, count: number): number[] {
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) return [];
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const decades = Math.log10(hi / lo);
  let mantissas = [1];
  let every = 1;
  if (decades * 3 <= count + 2) mantissas = [1, 2, 5];
  else if (decades * 2 <= count + 2) mantissas = [1, 3];
  else if (decades > count + 2) every = Math.ceil(decades / count);
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) {
    if (((e % every) + every) % every !== 0) continue;
    for (const m of mantissas) {
      const v = Number(`${m}e${e}`);
      if (v >= lo && v < hi) out.push(v);
    }
  }
  return out;
}

/** The levels and scale a contour plot of `values` uses (see the module comment). */
export function contourLevels(values: ArrayLike<number>, o: { levels?: number | readonly number[]; scale?: LevelScale } = {}): LevelChoice {
  const sorted = sortedFinite(values);
  const min = sorted.length ? sorted[0] : 0;
  const max = sorted.length ? sorted[sorted.length - 1] : 1;
  const shift = Math.min(min, 0);
  const gap = sorted.map((v) => v - shift); // still sorted
  const positive = gap.filter((v) => v > 0);
  const minPos = positive.length ? positive[0] : 0;

  let scale: "linear" | "log";
  const req = o.scale ?? "auto";
  if (req === "auto") {
    const p5 = quantile(gap, 0.05);
    const p95 = quantile(gap, 0.95);
    const lowRef = p5 > 0 ? p5 : minPos;
    scale = lowRef > 0 && p95 / lowRef > 100 ? "log" : "linear";
  } else if (req === "linear" || req === "log") scale = req;
  else throw new RangeError(`contourPlot: scale: must be "linear", "log" or "auto"; got ${JSON.stringify(req)}`);
  // A constant function, or one whose range overflows, gets linear levels.
  if (scale === "log" && !(max - shift > 0 && Number.isFinite(max - shift))) scale = "linear";

  let levels: number[];
  if (Array.isArray(o.levels)) {
    levels = [...new Set((o.levels as number[]).filter(Number.isFinite))].sort((a, b) => a - b);
    if (scale === "log") levels = levels.filter((l) => l - shift > 0);
  } else {
    const count = o.levels === undefined ? 12 : (o.levels as number);
    if (!Number.isInteger(count) || count < 1 || count > 200) {
      throw new RangeError(`contourPlot: levels: must be a count in 1..200 or an array of numbers; got ${o.levels}`);
    }
    if (scale === "linear") {
      levels =
        min === max
          ? []
          : linearScale([min, max], [0, 1])
              .ticks(count)
              .filter((l) => l > min && l < max);
    } else {
      const gHi = max - shift;
      const gLo = Math.max(quantile(positive, 0.005) || minPos, gHi * 1e-8);
      levels = logLevels(gLo, gHi, count).map((l) => l + shift);
    }
  }
  return { scale, levels, shift: scale === "log" ? shift : 0, min, max };
}

/** A ring point of d3-contour → pixel, with the half-cell convention and edge clamping. */
export type GridToPx = (p: readonly number[]) => { px: Px; i: number; j: number };

export function gridMapper(box: Box, nx: number, ny: number): GridToPx {
  return (p) => {
    const i = Math.max(0, Math.min(nx - 1, p[0] - 0.5));
    const j = Math.max(0, Math.min(ny - 1, p[1] - 0.5));
    return { px: [box.x + (i / (nx - 1)) * box.w, box.y + box.h - (j / (ny - 1)) * box.h], i, j };
  };
}

/** Isoline polylines of one ring: the ring without its segments along the window's edge. */
export function ringIsolines(ring: number[][], map: GridToPx, nx: number, ny: number): Px[][] {
  const pts = ring.map(map);
  const onSameEdge = (a: { i: number; j: number }, b: { i: number; j: number }) =>
    (a.i === 0 && b.i === 0) || (a.i === nx - 1 && b.i === nx - 1) || (a.j === 0 && b.j === 0) || (a.j === ny - 1 && b.j === ny - 1);
  const lines: Px[][] = [];
  let cur: Px[] | null = null;
  let firstStartsAtZero = false;
  for (let k = 0; k + 1 < pts.length; k++) {
    if (onSameEdge(pts[k], pts[k + 1])) {
      cur = null;
      continue;
    }
    if (!cur) {
      cur = [pts[k].px];
      if (k === 0) firstStartsAtZero = true;
      lines.push(cur);
    }
    cur.push(pts[k + 1].px);
  }
  // A closed ring that starts mid-line: join its last and first pieces.
  const closed = ring.length > 2 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
  if (closed && firstStartsAtZero && cur && lines.length > 1 && cur !== lines[0]) {
    lines[0] = cur.concat(lines[0].slice(1));
    lines.pop();
  }
  return lines;
}

export function polygonPath(coords: number[][][][], map: GridToPx): PathData {
  const d = new PathData();
  for (const polygon of coords) {
    for (const ring of polygon)
      d.polyline(
        ring.map((p) => map(p).px),
        true,
      );
  }
  return d;
}

interface ColorbarSpec {
  box: Box;
  choice: LevelChoice;
  colors: string[];
  label: string;
}

function colorbarScale(c: LevelChoice, box: Box): { scale: Scale; lo: number; hi: number; toScale: (f: number) => number } {
  const L = c.levels;
  const range: [number, number] = [box.y + box.h, box.y];
  if (c.scale === "linear") {
    const lo = Math.min(c.min, L[0] ?? c.min);
    const hi = Math.max(c.max, L[L.length - 1] ?? c.max);
    return { scale: linearScale([lo, hi], range), lo, hi, toScale: (f) => f };
  }
  const G = L.map((l) => l - c.shift);
  const gMax = c.max - c.shift;
  const lo = G.length >= 2 ? G[0] / (G[1] / G[0]) : G.length === 1 ? G[0] / 10 : gMax / 100;
  const hi = Math.max(gMax, G.length ? G[G.length - 1] * 1.05 : gMax);
  return { scale: logScale([lo, hi], range), lo, hi, toScale: (f) => f - c.shift };
}

function colorbarWidth(spec: { choice: LevelChoice; label: string }, h: number): number {
  const { scale } = colorbarScale(spec.choice, { x: 0, y: 0, w: 14, h });
  const t = axisTicks(scale, Math.max(3, Math.round(h / 55)));
  const short = textWidth(spec.label, FONT.label) <= 48;
  return 18 + 14 + TICK_LENGTH + 3 + maxLabelWidth(t.labels) + (short ? 4 : 10 + FONT.label);
}

function drawColorbar(spec: ColorbarSpec): string {
  const { box, choice, colors } = spec;
  const { scale, lo, hi, toScale } = colorbarScale(choice, box);
  const bounds = [lo, ...choice.levels.map(toScale), hi];
  const bands: string[] = [];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const y0 = Math.max(box.y, Math.min(box.y + box.h, scale.map(bounds[b])));
    const y1 = Math.max(box.y, Math.min(box.y + box.h, scale.map(bounds[b + 1])));
    if (Math.abs(y0 - y1) < 1e-9) continue;
    bands.push(el("rect", { x: box.x, y: Math.min(y0, y1), width: box.w, height: Math.abs(y0 - y1), fill: colors[b], stroke: colors[b], "stroke-width": 0.4 }));
  }
  const ticks = axisTicks(scale, Math.max(3, Math.round(box.h / 55)));
  const right = box.x + box.w;
  const tickPath = new PathData();
  const labels: string[] = [];
  ticks.values.forEach((v, i) => {
    const p = scale.map(v);
    if (p < box.y - 0.5 || p > box.y + box.h + 0.5) return;
    tickPath.moveTo(right, p).lineTo(right + TICK_LENGTH, p);
    labels.push(text(right + TICK_LENGTH + 3, p, ticks.labels[i], { size: FONT.tick, baseline: "middle", fill: INK }));
  });
  for (const v of ticks.minor) {
    const p = scale.map(v);
    if (p >= box.y && p <= box.y + box.h) tickPath.moveTo(right, p).lineTo(right + TICK_LENGTH * 0.6, p);
  }
  // Level boundaries as thin lines across the bar.
  const levelLines = new PathData();
  for (const l of choice.levels) {
    const p = scale.map(toScale(l));
    if (p > box.y && p < box.y + box.h) levelLines.moveTo(box.x, p).lineTo(right, p);
  }
  // A short label (such as "f") sits above the bar; a long one runs along it.
  const short = textWidth(spec.label, FONT.label) <= 48;
  const labelX = right + TICK_LENGTH + 3 + maxLabelWidth(ticks.labels) + 10 + FONT.label * 0.5;
  const label = short
    ? text(box.x + box.w / 2, box.y - 9, spec.label, { size: FONT.label, anchor: "middle", fill: INK, attrs: { class: "colorbar-label" } })
    : text(labelX, box.y + box.h / 2, spec.label, {
        size: FONT.label,
        anchor: "middle",
        baseline: "middle",
        rotate: 90,
        fill: INK,
        attrs: { class: "colorbar-label" },
      });
  return g(
    { class: "colorbar", "data-scale": choice.scale },
    bands,
    path(levelLines, { stroke: "#000000", "stroke-opacity": 0.35, "stroke-width": 0.6, fill: "none" }),
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: INK, "stroke-width": 1 }),
    path(tickPath, { stroke: INK, "stroke-width": 1, fill: "none" }),
    labels,
    label,
  );
}

/** Filled contour plot as a standalone SVG document (see the module comment). */
export function contourPlot(o: ContourPlotOptions): string {
  validateGrid(o, "contourPlot");
  const [x0, x1] = o.x;
  const [y0, y1] = o.y;
  const { nx, ny } = o;
  const W = o.width ?? 640;
  const H = o.height ?? 520;
  const trajectories = o.trajectories ?? [];
  const minima = o.minima ?? [];
  const levelOpts = { levels: o.levels, scale: o.scale };
  const choice = o.cache
    ? o.cache.get(o.values, `levels|${nx}|${ny}|${JSON.stringify(levelOpts)}`, () => contourLevels(o.values, levelOpts))
    : contourLevels(o.values, levelOpts);
  const L = choice.levels.length;
  const colors = sequentialColors(L + 1);
  const win: Rect = { x0, x1, y0, y1 };

  // Trajectories first: their notes go into the legend, which takes space.
  const traces = trajectories.map((t, k) => {
    if (!t || typeof t.label !== "string" || !Array.isArray(t.points)) {
      throw new RangeError(`contourPlot: trajectories[${k}]: must be { label: string, points: number[][] }`);
    }
    return traceTrajectory(t.points, win, t.values);
  });
  const items: LegendItem[] = trajectories.map((t, k) => ({
    label: t.label + traceNotes(traces[k], o.pointName),
    symbol: { kind: "line", color: t.color ?? trajectoryColor(k), dashed: t.dashed, marker: true },
  }));
  const minimaInside = minima.filter((m) => m.x >= x0 && m.x <= x1 && m.y >= y0 && m.y <= y1);
  for (const it of markLegendItems({
    start: traces.some((t) => t.startInside),
    minimum: minimaInside.length > 0,
    exit: traces.some((t) => t.exits.length > 0),
    diverged: traces.some((t) => t.diverged && t.lastInside),
  }))
    items.push(it);

  // Layout.
  const pad = 14;
  const showLegend = (o.legend ?? true) && items.length > 0;
  const legend = layoutLegend(showLegend ? items : [], W - 2 * pad);
  const xLabel = o.xLabel ?? "x";
  const yLabel = o.yLabel ?? "y";
  const cbLabel = o.colorbarLabel ?? (choice.scale === "log" && choice.shift !== 0 ? `f − min f   (min f = ${formatNumber(choice.shift)})` : "f");
  // Without a title, a short colour-bar label (drawn above the bar) still needs its line.
  const shortLabel = textWidth(cbLabel, FONT.label) <= 48;
  const baseTitleH = o.title ? FONT.title + 14 : shortLabel ? FONT.label + 4 : 0;
  const legendH = Math.max(legend.height, (o.legendRows ?? 0) * LEGEND_ROW_HEIGHT);
  const bottomH = xAxisHeight(true) + (legendH > 0 ? 12 + legendH : 0);
  // A long legend (many runs, notes on divergence) must not squeeze the plot
  // to a stamp: below this height the figure grows instead.
  const minPlotH = Math.min(300, 0.55 * H);
  const place = (titleH: number) => {
    let availH = Math.max(minPlotH, H - pad - titleH - bottomH - pad);
    const cbW = colorbarWidth({ choice, label: cbLabel }, availH);
    const yTickGuess = axisTicks(linearScale([y0, y1], [availH, 0]), Math.max(3, Math.round(availH / 60)));
    const leftW = yAxisWidth(yTickGuess.labels, true) + 2;
    const availW = W - pad - leftW - cbW - pad;
    availH = Math.max(60, availH);
    const aspect = (y1 - y0) / (x1 - x0);
    const equal = o.equalAspect ?? (aspect >= 1 / 3 && aspect <= 3);
    let pw = Math.max(60, availW);
    let ph = availH;
    if (equal) {
      if (pw * aspect <= ph) ph = pw * aspect;
      else pw = ph / aspect;
    }
    // Equal aspect on a wide window leaves height unused: the figure gets
    // shorter rather than framing the plot with empty bands.
    const Hout = pad + titleH + ph + bottomH + pad;
    const box: Box = { x: pad + leftW + (availW - pw) / 2, y: pad + titleH, w: pw, h: ph };
    return { box, Hout };
  };
  let { box, Hout } = place(baseTitleH);
  // A title wider than a narrow (equal-aspect) plot reaches over the colour
  // bar: its short label above the bar then gets a line of its own.
  if (o.title && shortLabel) {
    const half = Math.min(textWidth(o.title, FONT.title, true), W - 2 * pad) / 2;
    const labelLeft = box.x + box.w + 18 + 7 - textWidth(cbLabel, FONT.label) / 2;
    if (box.x + box.w / 2 + half + 4 > labelLeft) ({ box, Hout } = place(baseTitleH + FONT.label + 6));
  }
  const titleBaseline = pad + FONT.title;

  const xs = linearScale([x0, x1], [box.x, box.x + box.w]);
  const ys = linearScale([y0, y1], [box.y + box.h, box.y]);
  const xTicks = axisTicks(xs, Math.max(3, Math.round(box.w / 75)));
  const yTicks = axisTicks(ys, Math.max(3, Math.round(box.h / 55)));

  // Filled bands and isolines.
  const drawBands = () => {
    const gen = contours().size([nx, ny]);
    const values = Array.isArray(o.values) ? (o.values as number[]) : (Array.from(o.values) as number[]);
    const map = gridMapper(box, nx, ny);
    let hasNonFinite = false;
    for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) hasNonFinite = true;
    const fills: string[] = [];
    const isolines: string[] = [];
    if (hasNonFinite) {
      // Non-finite samples show as grey; the finite region gets the bottom colour.
      fills.push(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "#BBBBBB" }));
      const all = gen.contour(values, choice.min);
      fills.push(path(polygonPath(all.coordinates, map), { fill: colors[0], "fill-rule": "evenodd", stroke: colors[0], "stroke-width": 0.3 }));
    } else {
      fills.push(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: colors[0] }));
    }
    choice.levels.forEach((level, k) => {
      const mp = gen.contour(values, level);
      const fill = colors[k + 1];
      const d = polygonPath(mp.coordinates, map);
      // A hairline of the fill colour hides anti-aliasing seams between bands.
      fills.push(path(d, { fill, "fill-rule": "evenodd", stroke: fill, "stroke-width": 0.3 }));
      if (o.isolines ?? true) {
        const lines = new PathData();
        for (const polygon of mp.coordinates) for (const ring of polygon) for (const l of ringIsolines(ring, map, nx, ny)) lines.polyline(l);
        // Dark lines on light bands, light lines on dark ones.
        const bandLum = luminance(hexToRgb(fill));
        const light = contrastColor(fill) === "#FFFFFF";
        isolines.push(
          path(lines, {
            fill: "none",
            stroke: light ? "#FFFFFF" : "#000000",
            "stroke-opacity": light ? 0.45 : Math.min(0.5, 0.3 + bandLum * 0.2),
            "stroke-width": 0.8,
            "stroke-linejoin": "round",
            class: "isoline",
            "data-level": String(level),
          }),
        );
      }
    });
    return { fills, isolines };
  };
  const { fills, isolines } = o.cache
    ? o.cache.get(o.values, `bands|${nx}|${ny}|${JSON.stringify(levelOpts)}|${o.isolines ?? true}|${box.x},${box.y},${box.w},${box.h}`, drawBands)
    : drawBands();

  // Trajectories and marks, in data coordinates → pixels.
  const project = (p: TracePoint): Px => [xs.map(p.x), ys.map(p.y)];
  const layers = traces.map((t, k) =>
    drawTrace(t, project, {
      color: trajectories[k].color ?? trajectoryColor(k),
      dashed: trajectories[k].dashed,
      markers: o.markers ?? t.finiteCount <= 150,
    }),
  );
  const stars = minimaInside.map((m) => starMarker([xs.map(m.x), ys.map(m.y)]));

  const cbBox: Box = { x: box.x + box.w + 18, y: box.y, w: 14, h: box.h };
  const legendX = Math.max(pad, Math.min(W - pad - legend.width, box.x + box.w / 2 - legend.width / 2));
  const legendY = box.y + box.h + xAxisHeight(true) + 12;
  const clipId = "plot-area";

  return svgDocument(
    { width: W, height: Hout, defs: clipRect(clipId, box.x, box.y, box.w, box.h), title: o.title },
    o.title ? drawTitle(o.title, box.x + box.w / 2, titleBaseline, W - 2 * pad) : "",
    g({ "clip-path": `url(#${clipId})`, class: "contours", "data-scale": choice.scale }, g({ class: "bands" }, fills), g({ class: "isolines" }, isolines)),
    g({ "clip-path": `url(#${clipId})` }, stackLayers(layers), g({ class: "minima" }, stars)),
    drawAxes({ box, x: xs, y: ys, xTicks, yTicks, xLabel, yLabel }),
    drawColorbar({ box: cbBox, choice, colors, label: cbLabel }),
    showLegend ? drawLegend(legend, legendX, legendY) : "",
  );
}
