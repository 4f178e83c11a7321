/**
 * The parts of a figure around the data: axes with ticks and labels, the
 * title, the legend (always outside the plot area), and the font sizes that
 * keep a 640 px wide figure readable at 100 %.
 */

import { arrowMarker, crossMarker, dashArray, headMarker, pointMarker, starMarker, startMarker, type Dash } from "./marks.js";
import type { Scale } from "./scale.js";
import { el, g, path, PathData, text } from "./svg.js";
import { textWidth } from "./text.js";
import { maxOf } from "../extrema.js";

/** Font sizes in px. */
export const FONT = { tick: 12, label: 13.5, title: 16, legend: 12.5, note: 11.5 } as const;
export const INK = "#222222";
export const TICK_LENGTH = 5;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Indices of ticks to label so that labels keep `minGap` px between them. */
export function labelledTicks(positions: number[], extents: number[], minGap: number): number[] {
  const n = positions.length;
  for (let step = 1; step <= Math.max(1, n); step++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i += step) idx.push(i);
    let ok = true;
    for (let k = 1; k < idx.length && ok; k++) {
      const a = idx[k - 1];
      const b = idx[k];
      const room = Math.abs(positions[b] - positions[a]);
      if (room < (extents[a] + extents[b]) / 2 + minGap) ok = false;
    }
    if (ok) return idx;
  }
  return n > 0 ? [0] : [];
}

export interface AxisTicks {
  values: number[];
  labels: string[];
  minor: number[];
}

export function axisTicks(scale: Scale, count: number): AxisTicks {
  const values = scale.ticks(count);
  return { values, labels: scale.tickLabels(values), minor: scale.minorTicks(count) };
}

/** Width of the widest y tick label. */
export function maxLabelWidth(labels: string[], fs: number = FONT.tick): number {
  return labels.reduce((m, s) => Math.max(m, textWidth(s, fs)), 0);
}

export interface AxesOptions {
  box: Box;
  x: Scale;
  y: Scale;
  xTicks: AxisTicks;
  yTicks: AxisTicks;
  xLabel?: string;
  yLabel?: string;
  /** Light grid lines at the major ticks. */
  grid?: boolean;
  /** Distance from the axis to the y label's centre line (px). */
  yLabelOffset?: number;
}

/**
 * Frame, outward ticks, tick labels (thinned when they would collide) and
 * axis labels. The y label is rotated and centred on the plot height.
 */
export function drawAxes(o: AxesOptions): string {
  const { box, x, y } = o;
  const bottom = box.y + box.h;
  const right = box.x + box.w;
  const parts: string[] = [];
  const grid = new PathData();
  const ticks = new PathData();
  const minor = new PathData();

  const inX = (p: number) => p >= box.x - 0.5 && p <= right + 0.5;
  const inY = (p: number) => p >= box.y - 0.5 && p <= bottom + 0.5;

  // x axis
  const xPos = o.xTicks.values.map((v) => x.map(v));
  const xIdx = labelledTicks(
    xPos,
    o.xTicks.labels.map((s) => textWidth(s, FONT.tick)),
    8,
  );
  xPos.forEach((p) => {
    if (!inX(p)) return;
    ticks.moveTo(p, bottom).lineTo(p, bottom + TICK_LENGTH);
    if (o.grid) grid.moveTo(p, box.y).lineTo(p, bottom);
  });
  for (const v of o.xTicks.minor) {
    const p = x.map(v);
    if (inX(p)) minor.moveTo(p, bottom).lineTo(p, bottom + TICK_LENGTH * 0.6);
  }
  const xLabels = xIdx
    .filter((i) => inX(xPos[i]))
    .map((i) =>
      text(xPos[i], bottom + TICK_LENGTH + 3, o.xTicks.labels[i], {
        size: FONT.tick,
        anchor: "middle",
        baseline: "hanging",
        fill: INK,
      }),
    );

  // y axis
  const yPos = o.yTicks.values.map((v) => y.map(v));
  const yIdx = labelledTicks(
    yPos,
    o.yTicks.labels.map(() => FONT.tick),
    4,
  );
  yPos.forEach((p) => {
    if (!inY(p)) return;
    ticks.moveTo(box.x, p).lineTo(box.x - TICK_LENGTH, p);
    if (o.grid) grid.moveTo(box.x, p).lineTo(right, p);
  });
  for (const v of o.yTicks.minor) {
    const p = y.map(v);
    if (inY(p)) minor.moveTo(box.x, p).lineTo(box.x - TICK_LENGTH * 0.6, p);
  }
  const yLabels = yIdx
    .filter((i) => inY(yPos[i]))
    .map((i) =>
      text(box.x - TICK_LENGTH - 3, yPos[i], o.yTicks.labels[i], {
        size: FONT.tick,
        anchor: "end",
        baseline: "middle",
        fill: INK,
      }),
    );

  if (o.grid) parts.push(path(grid, { stroke: "#000000", "stroke-opacity": 0.1, "stroke-width": 1, fill: "none" }));
  parts.push(
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: INK, "stroke-width": 1, class: "plot-frame" }),
    path(ticks, { stroke: INK, "stroke-width": 1, fill: "none" }),
    path(minor, { stroke: INK, "stroke-width": 0.8, fill: "none" }),
    g({ class: "x-ticks" }, xLabels),
    g({ class: "y-ticks" }, yLabels),
  );
  if (o.xLabel) {
    parts.push(
      text(box.x + box.w / 2, bottom + TICK_LENGTH + 3 + FONT.tick + 8, o.xLabel, {
        size: FONT.label,
        anchor: "middle",
        baseline: "hanging",
        fill: INK,
        attrs: { class: "x-label" },
      }),
    );
  }
  if (o.yLabel) {
    const w = maxLabelWidth(yIdx.map((i) => o.yTicks.labels[i]));
    const off = o.yLabelOffset ?? TICK_LENGTH + 3 + w + 8 + FONT.label * 0.5;
    parts.push(
      text(box.x - off, box.y + box.h / 2, o.yLabel, {
        size: FONT.label,
        anchor: "middle",
        baseline: "middle",
        rotate: -90,
        fill: INK,
        attrs: { class: "y-label" },
      }),
    );
  }
  return g({ class: "axes" }, parts);
}

/** Horizontal space the y axis needs left of the plot (ticks, labels, axis label). */
export function yAxisWidth(labels: string[], hasLabel: boolean): number {
  return TICK_LENGTH + 3 + maxLabelWidth(labels) + (hasLabel ? 8 + FONT.label + 2 : 0);
}

/** Vertical space the x axis needs below the plot. */
export function xAxisHeight(hasLabel: boolean): number {
  return TICK_LENGTH + 3 + FONT.tick + (hasLabel ? 8 + FONT.label + 2 : 0);
}

/** A title, shrunk to fit `maxWidth`. */
export function drawTitle(title: string, cx: number, baselineY: number, maxWidth: number): string {
  let size: number = FONT.title;
  while (size > 10 && textWidth(title, size, true) > maxWidth) size -= 0.5;
  return text(cx, baselineY, title, { size, anchor: "middle", weight: "bold", fill: "#000000", attrs: { class: "title" } });
}

// ---------------------------------------------------------------------------
// Legend

export type LegendSymbol =
  | { kind: "line"; color: string; dashed?: Dash; marker?: boolean }
  | { kind: "start" }
  | { kind: "minimum" }
  | { kind: "exit" }
  | { kind: "diverged" }
  | { kind: "head" };

export interface LegendItem {
  label: string;
  symbol: LegendSymbol;
}

export interface LegendLayout {
  items: LegendItem[];
  /** Top-left corner of each item relative to the legend's top-left. */
  positions: [number, number][];
  /** Each item's label, broken into lines when it is wider than the legend may be. */
  lines: string[][];
  width: number;
  height: number;
}

const SWATCH = 30;
const SWATCH_GAP = 7;
const ITEM_GAP = 22;
const ROW_HEIGHT = 21;
/** Height of one legend row (px). */
export const LEGEND_ROW_HEIGHT = ROW_HEIGHT;
const LEGEND_INK = "#444444";

function itemWidth(it: LegendItem): number {
  return SWATCH + SWATCH_GAP + textWidth(it.label, FONT.legend);
}

const LINE_HEIGHT = 15;

/** Breaks a label at spaces into lines of at most `width` px (a single long word stays whole). */
function wrapLabel(label: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, FONT.legend) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/**
 * Lay the items out no wider than `maxWidth`: one row when they fit, else the
 * fewest rows of a column-major grid (each column as wide as its widest
 * label), so related entries (trajectories, then marks) read downwards. An
 * item wider than `maxWidth` on its own has its label wrapped, and the
 * legend becomes one column.
 */
export function layoutLegend(items: LegendItem[], maxWidth: number): LegendLayout {
  if (items.length === 0) return { items, positions: [], lines: [], width: 0, height: 0 };
  const widths = items.map(itemWidth);
  if (widths.some((w) => w > maxWidth)) {
    const lines = items.map((it) => wrapLabel(it.label, Math.max(40, maxWidth - SWATCH - SWATCH_GAP)));
    const positions: [number, number][] = [];
    let y = 0;
    for (const l of lines) {
      positions.push([0, y]);
      y += ROW_HEIGHT + (l.length - 1) * LINE_HEIGHT;
    }
    const width = maxOf(lines, (l) => SWATCH + SWATCH_GAP + maxOf(l, (t) => textWidth(t, FONT.legend)));
    return { items, positions, lines, width, height: y };
  }
  const n = items.length;
  for (let rows = 1; rows <= n; rows++) {
    const cols = Math.ceil(n / rows);
    const colW: number[] = [];
    for (let c = 0; c < cols; c++) colW.push(maxOf(widths.slice(c * rows, (c + 1) * rows)));
    const total = colW.reduce((a, b) => a + b, 0) + ITEM_GAP * (cols - 1);
    if (total <= maxWidth || rows === n) {
      const colX: number[] = [];
      let x = 0;
      for (const w of colW) {
        colX.push(x);
        x += w + ITEM_GAP;
      }
      const positions = items.map((_, i): [number, number] => [colX[Math.floor(i / rows)], (i % rows) * ROW_HEIGHT]);
      return { items, positions, lines: items.map((it) => [it.label]), width: total, height: rows * ROW_HEIGHT };
    }
  }
  throw new Error("unreachable");
}

function legendSymbol(s: LegendSymbol, x: number, cy: number): string {
  const cx = x + SWATCH / 2;
  switch (s.kind) {
    case "line": {
      const d = new PathData().moveTo(x + 1, cy).lineTo(x + SWATCH - 1, cy);
      return (
        path(d, {
          stroke: s.color,
          "stroke-width": 2.2,
          "stroke-dasharray": dashArray(s.dashed),
          fill: "none",
        }) + (s.marker ? pointMarker([cx, cy], s.color, 3) : "")
      );
    }
    case "start":
      return startMarker([cx, cy], LEGEND_INK, 5);
    case "minimum":
      return starMarker([cx, cy], 8);
    case "exit":
      return arrowMarker([cx + 7, cy], 1, 0, LEGEND_INK, 13);
    case "diverged":
      return crossMarker([cx, cy], LEGEND_INK, 5);
    case "head":
      return headMarker([cx, cy], LEGEND_INK, 5.5);
  }
}

/** Draw a laid-out legend with its top-left corner at (x, y). */
export function drawLegend(layout: LegendLayout, x: number, y: number): string {
  if (layout.items.length === 0) return "";
  return g(
    { class: "legend" },
    layout.items.map((it, i) => {
      const [dx, dy] = layout.positions[i];
      const cy = y + dy + ROW_HEIGHT / 2;
      return g(
        { class: "legend-item" },
        legendSymbol(it.symbol, x + dx, cy),
        layout.lines[i].map((line, k) => text(x + dx + SWATCH + SWATCH_GAP, cy + k * LINE_HEIGHT, line, { size: FONT.legend, baseline: "middle", fill: INK })),
      );
    }),
  );
}

/** The generic legend entries for marks used in a figure. */
export function markLegendItems(o: { start?: boolean; minimum?: boolean; exit?: boolean; diverged?: boolean; head?: boolean }): LegendItem[] {
  const items: LegendItem[] = [];
  if (o.start) items.push({ label: "start", symbol: { kind: "start" } });
  if (o.head) items.push({ label: "current iterate", symbol: { kind: "head" } });
  if (o.minimum) items.push({ label: "minimum", symbol: { kind: "minimum" } });
  if (o.exit) items.push({ label: "leaves the window", symbol: { kind: "exit" } });
  if (o.diverged) items.push({ label: "last finite point", symbol: { kind: "diverged" } });
  return items;
}
