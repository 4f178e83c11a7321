/**
 * The sweep maps (the lab's sweeps, `optimlab sweep --out`), drawn as SVG with the plotting library's scales, colours
 * and text: a value per cell (final loss, or steps to converge) on viridis,
 * or a class per cell (which minimum a start point ends in) on a
 * qualitative palette. Cells without a value (diverged runs, targets never
 * reached) get their own grey, named in the legend.
 */
import { viridis } from "./colors.js";
import { starMarker } from "./marks.js";
import { formatNumber, linearScale, logScale } from "./scale.js";
import { el, g, svgDocument, text } from "./svg.js";

export type CellColour =
  | {
      kind: "value";
      /** Colour-bar label. */
      label: string;
      /** Legend text of non-finite cells. */
      missing: string;
      /** "auto": log when the finite values span more than two decades. */
      log: "auto" | false;
    }
  | {
      kind: "class";
      /** Class k ≥ 0 is names[k]; −1 and −2 are the two "no class" outcomes. */
      names: readonly string[];
      none: { [-1]: string; [-2]: string };
    };

export interface GridMap {
  /** Row-major, y outer: values[j*nx + i] at xs[i], ys[j]. */
  values: ArrayLike<number>;
  xs: readonly number[];
  ys: readonly number[];
  xLog: boolean;
  /** A log y axis (a sweep whose second axis is a learning rate). */
  yLog?: boolean;
  xLabel: string;
  yLabel: string;
  title: string;
  colour: CellColour;
  /** The current setting (lr, y) or start point, marked with a ring. */
  current?: [number, number];
  /** Known minima (basins map). */
  stars?: readonly [number, number][];
  /** The keyboard cursor (i, j), outlined. */
  cursor?: [number, number];
  /** Same scale on both axes (a map over the plane, not over two parameters). */
  equalAspect?: boolean;
}

const GREY = "#BBBBBB";
const DARK = "#555555";
/** "Near no minimum": a grey that still reads as a cell against the page's near-white. */
const NONE = "#D4D4D4";
/** Light, distinct fills (ColorBrewer Set2 order) so stars and rings stay visible on them. */
export const BASIN_COLOURS = ["#66C2A5", "#FC8D62", "#8DA0CB", "#E78AC3", "#A6D854", "#FFD92F", "#E5C494", "#B3B3B3"];

interface ValueScale {
  t: (v: number) => number;
  label: string;
  ticks: { v: number; label: string }[];
}

function valueScale(values: ArrayLike<number>, label: string, allowLog: boolean): ValueScale {
  const fin: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) fin.push(values[i]);
  if (fin.length === 0) return { t: () => 0, label, ticks: [] };
  // Loops, not Math.min(...fin): a map has as many cells as the user asks for.
  let lo = Infinity,
    hi = -Infinity;
  for (const v of fin) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const shift = Math.min(lo, 0);
  const pos = fin.map((v) => v - shift).filter((v) => v > 0);
  let plo = pos.length ? Infinity : 1;
  for (const v of pos) if (v < plo) plo = v;
  if (allowLog && pos.length > 0 && hi - shift > 100 * Math.max(plo, 1e-300)) {
    const a = Math.log10(Math.max(plo, (hi - shift) * 1e-12));
    const b = Math.log10(hi - shift);
    const t = (v: number) => (b > a ? (Math.log10(Math.max(v - shift, 10 ** a)) - a) / (b - a) : 0);
    const ticks: { v: number; label: string }[] = [];
    for (let k = Math.ceil(a); k <= Math.floor(b); k += Math.max(1, Math.ceil((b - a) / 5))) {
      ticks.push({ v: 10 ** k + shift, label: formatNumber(10 ** k, { log: true }) });
    }
    return { t, label: shift ? `${label} − min (${formatNumber(shift)}), log` : `${label} (log)`, ticks };
  }
  const sc = linearScale([lo, hi], [0, 1]);
  const ticks = sc.ticks(4);
  const labels = sc.tickLabels(ticks);
  return { t: (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5), label, ticks: ticks.map((v, i) => ({ v, label: labels[i] })) };
}

/** Cell (i, j) under an SVG point, for pointer hit-testing; undefined outside the cells. */
export function cellAt(m: GridMap, width: number, px: number, py: number): [number, number] | undefined {
  const { box } = layout(m, width);
  const i = Math.floor(((px - box.x) / box.w) * m.xs.length);
  const j = Math.floor(((box.y + box.h - py) / box.h) * m.ys.length);
  return i >= 0 && i < m.xs.length && j >= 0 && j < m.ys.length ? [i, j] : undefined;
}

/** Legend entries: one colour each, two columns when they fit. */
function legendLayout(m: GridMap, W: number) {
  const count = m.colour.kind === "class" ? m.colour.names.length + 2 : 1;
  const cols = W >= 560 ? 2 : 1;
  return { cols, rows: Math.ceil(count / cols) };
}

function layout(m: GridMap, width: number) {
  const W = Math.max(300, Math.round(width));
  const left = 64;
  const right = m.colour.kind === "value" ? 96 : 16;
  const top = 34;
  const bottom = 48 + legendLayout(m, W).rows * 18;
  const side = Math.max(120, Math.min(W - left - right, 520));
  let w = side;
  // One row (a one-axis sweep): a strip, not a square of one tall row.
  let h = m.ys.length === 1 ? Math.max(40, side / 8) : side;
  if (m.equalAspect && !m.xLog && !m.yLog && m.ys.length > 1) {
    const [x0, x1] = extent(m.xs, false);
    const [y0, y1] = extent(m.ys, false);
    const r = (y1 - y0) / (x1 - x0);
    if (r >= 1) w = side / r;
    else h = side * r;
  }
  const box = { x: left + Math.max(0, (W - left - right - w) / 2), y: top, w, h };
  return { W, H: top + h + bottom, box };
}

/** Edges of the cells along one axis: centres ± half a step (in log space for a log axis). */
function extent(c: readonly number[], log: boolean): [number, number] {
  const n = c.length;
  if (log) {
    const r = n > 1 ? Math.pow(c[n - 1] / c[0], 1 / (n - 1)) : 10;
    return [c[0] / Math.sqrt(r), c[n - 1] * Math.sqrt(r)];
  }
  const d = n > 1 ? (c[n - 1] - c[0]) / (n - 1) : 1;
  return [c[0] - d / 2, c[n - 1] + d / 2];
}

export function gridMapSvg(m: GridMap, width: number): string {
  const { W, H, box } = layout(m, width);
  const nx = m.xs.length;
  const ny = m.ys.length;
  const xs = m.xLog ? logScale(extent(m.xs, true), [box.x, box.x + box.w]) : linearScale(extent(m.xs, false), [box.x, box.x + box.w]);
  const ys = m.yLog ? logScale(extent(m.ys, true), [box.y + box.h, box.y]) : linearScale(extent(m.ys, false), [box.y + box.h, box.y]);
  const c = m.colour;
  const vs = c.kind === "value" ? valueScale(m.values, c.label, c.log === "auto") : undefined;
  const fillOf = (v: number): string => {
    if (c.kind === "value") return Number.isFinite(v) ? viridis(Math.min(1, Math.max(0, vs!.t(v)))) : GREY;
    if (v >= 0) return BASIN_COLOURS[v % BASIN_COLOURS.length];
    return v === -2 ? DARK : NONE;
  };
  const cw = box.w / nx;
  const ch = box.h / ny;
  const cells: string[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = m.values[j * nx + i];
      cells.push(
        el("rect", {
          x: (box.x + i * cw).toFixed(2),
          y: (box.y + box.h - (j + 1) * ch).toFixed(2),
          width: (cw + 0.4).toFixed(2),
          height: (ch + 0.4).toFixed(2),
          fill: fillOf(v),
          "data-value": String(v),
          "data-i": i,
          "data-j": j,
        }),
      );
    }
  }
  const axes: string[] = [];
  axes.push(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: "#222", "stroke-width": 1 }));
  const xt = m.xLog ? [] : xs.ticks(5);
  if (m.xLog) for (let k = Math.ceil(Math.log10(xs.domain[0])); k <= Math.floor(Math.log10(xs.domain[1])); k++) xt.push(10 ** k);
  const xl = m.xLog ? xt.map((v) => formatNumber(v, { log: true })) : xs.tickLabels(xt);
  xt.forEach((v, k) => {
    const px = xs.map(v);
    axes.push(el("line", { x1: px, x2: px, y1: box.y + box.h, y2: box.y + box.h + 5, stroke: "#222" }));
    axes.push(text(px, box.y + box.h + 18, xl[k], { anchor: "middle", size: 12 }));
  });
  axes.push(text(box.x + box.w / 2, box.y + box.h + 38, m.xLabel, { anchor: "middle", size: 13 }));
  const yt = m.ys.length === 1 ? [] : m.yLog ? [] : ys.ticks(5);
  if (m.yLog && m.ys.length > 1) for (let k = Math.ceil(Math.log10(ys.domain[0])); k <= Math.floor(Math.log10(ys.domain[1])); k++) yt.push(10 ** k);
  const yl = m.yLog ? yt.map((v) => formatNumber(v, { log: true })) : ys.tickLabels(yt);
  yt.forEach((v, k) => {
    const py = ys.map(v);
    axes.push(el("line", { x1: box.x - 5, x2: box.x, y1: py, y2: py, stroke: "#222" }));
    axes.push(text(box.x - 8, py, yl[k], { anchor: "end", baseline: "middle", size: 12 }));
  });
  axes.push(text(box.x - 48, box.y + box.h / 2, m.yLabel, { anchor: "middle", size: 13, rotate: -90 }));
  axes.push(text(W / 2, 20, m.title, { anchor: "middle", size: W < 420 ? 12 : 14, weight: "bold" }));
  const inside = (x: number, y: number) => x >= xs.domain[0] && x <= xs.domain[1] && y >= ys.domain[0] && y <= ys.domain[1];
  for (const [x, y] of m.stars ?? []) if (inside(x, y)) axes.push(starMarker([xs.map(x), ys.map(y)], 7));
  if (m.current && inside(m.current[0], m.current[1])) {
    const [cx, cy] = [xs.map(m.current[0]), ys.map(m.current[1])];
    axes.push(el("circle", { cx, cy, r: 7, fill: "none", stroke: "#fff", "stroke-width": 3, class: "current" }));
    axes.push(el("circle", { cx, cy, r: 7, fill: "none", stroke: "#000", "stroke-width": 1.5 }));
  }
  if (m.cursor) {
    const [i, j] = m.cursor;
    const x = box.x + i * cw;
    const y = box.y + box.h - (j + 1) * ch;
    axes.push(el("rect", { x, y, width: cw, height: ch, fill: "none", stroke: "#fff", "stroke-width": 3.5, class: "cursor" }));
    axes.push(el("rect", { x, y, width: cw, height: ch, fill: "none", stroke: "#000", "stroke-width": 1.5 }));
  }

  const side: string[] = [];
  const legend: [string, string][] = [];
  let anyMissing = false;
  for (let k = 0; k < m.values.length; k++) if (!Number.isFinite(m.values[k])) anyMissing = true;
  // No finite cell, no scale: the colour bar would be an unlabelled gradient.
  if (c.kind === "value" && vs && vs.ticks.length > 0) {
    const cb = { x: box.x + box.w + 16, y: box.y, w: 14, h: box.h };
    const bands = 32;
    for (let k = 0; k < bands; k++) {
      side.push(
        el("rect", {
          x: cb.x,
          y: (cb.y + cb.h - ((k + 1) * cb.h) / bands).toFixed(2),
          width: cb.w,
          height: (cb.h / bands + 0.5).toFixed(2),
          fill: viridis(k / (bands - 1)),
        }),
      );
    }
    for (const tk of vs.ticks) {
      const t = vs.t(tk.v);
      if (!(t >= 0 && t <= 1)) continue;
      const py = cb.y + cb.h - t * cb.h;
      side.push(el("line", { x1: cb.x + cb.w, x2: cb.x + cb.w + 4, y1: py, y2: py, stroke: "#222" }));
      side.push(text(cb.x + cb.w + 6, py, tk.label, { baseline: "middle", size: 11 }));
    }
    side.push(text(cb.x + cb.w + 40, cb.y + cb.h / 2, vs.label, { anchor: "middle", size: 11, rotate: 90 }));
  }
  if (c.kind === "value" && anyMissing) legend.push([GREY, c.missing]);
  if (c.kind === "class") {
    const present = new Set<number>();
    for (let k = 0; k < m.values.length; k++) present.add(m.values[k]);
    c.names.forEach((name, k) => legend.push([BASIN_COLOURS[k % BASIN_COLOURS.length], name]));
    if (present.has(-1)) legend.push([NONE, c.none[-1]]);
    if (present.has(-2)) legend.push([DARK, c.none[-2]]);
  }
  const { cols } = legendLayout(m, W);
  // Two columns under the map when wide; on a narrow map one column from the left edge, so long names fit.
  const lx0 = cols === 2 ? Math.min(box.x, W - 2 * 260) : 12;
  legend.forEach(([fill, label], k) => {
    const lx = lx0 + (k % cols) * 260;
    const ly = box.y + box.h + 58 + Math.floor(k / cols) * 18;
    side.push(el("rect", { x: lx, y: ly - 10, width: 12, height: 12, fill, stroke: "#666", "stroke-width": 0.6 }));
    side.push(text(lx + 17, ly, label, { size: 11 }));
  });
  return svgDocument(
    { width: W, height: H, title: m.title },
    // crispEdges: no anti-aliased seams between neighbouring cells.
    g({ class: "cells", "shape-rendering": "crispEdges" }, cells),
    g({ class: "axes" }, axes),
    g({ class: "legend" }, side),
  );
}
