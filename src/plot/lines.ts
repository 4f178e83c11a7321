/**
 * Line charts (loss curves, learning-rate schedules) and panels that put
 * several figures side by side.
 *
 * Missing data is shown, not hidden: a non-finite y (or y ≤ 0 on a log axis)
 * breaks the line, and the legend says so: "(diverged: NaN at step 12)" (the
 * x axis's name when it is one word, else "x = 12") when
 * the values stay non-finite to the end of the series (a ✕ marks the last
 * finite point), "(3 non-finite values not drawn)" otherwise, and
 * "(2 values ≤ 0 not drawn)" on a log axis. Parts of a series outside
 * explicit `xDomain`/`yDomain` are clipped at the axes.
 */

import { trajectoryColor } from "./colors.js";
import {
  axisTicks,
  drawAxes,
  drawLegend,
  drawTitle,
  FONT,
  layoutLegend,
  LEGEND_ROW_HEIGHT,
  markLegendItems,
  xAxisHeight,
  yAxisWidth,
  type Box,
  type LegendItem,
} from "./frame.js";
import { casedLine, crossMarker, pointMarker, type Dash, type Px } from "./marks.js";
import { formatNumber, linearScale, logScale, type Scale } from "./scale.js";
import { clipRect, escapeXml, g, num, svgDocument, text } from "./svg.js";
import { clipSegment, type Rect } from "./trace.js";
import { maxOf } from "../extrema.js";

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  /** true: dashed; a string: its own SVG dash pattern ("2 3"). */
  dashed?: Dash;
  /** Dots at the data points; default on for series of at most 40 points. */
  markers?: boolean;
}

export interface LineChartOptions {
  series: readonly Series[];
  logY?: boolean;
  logX?: boolean;
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Light grid lines (default true). */
  grid?: boolean;
  legend?: boolean;
  /**
   * Reserve at least this many legend rows, so that figures combined with
   * `panels` get plot areas of the same size even when their legends differ.
   */
  legendRows?: number;
}

interface Prepared {
  /** Valid points, split where invalid ones break the line. */
  runs: [number, number][][];
  note: string;
  /** Last finite point before non-finite values that last to the end, when it is drawn. */
  divergedAt: [number, number] | null;
  count: number;
}

/** `xName`: how the legend names a position on x ("step 12" rather than "x = 12" when the axis is one word). */
function prepare(s: Series, k: number, logX: boolean, logY: boolean, xName: string | undefined): Prepared {
  if (!s || typeof s.label !== "string" || !s.x || !s.y) {
    throw new RangeError(`lineChart: series[${k}]: must be { label: string, x: number[], y: number[] }`);
  }
  if (s.x.length !== s.y.length) {
    throw new RangeError(`lineChart: series[${k}]: x and y must have the same length; got ${s.x.length} and ${s.y.length}`);
  }
  const runs: [number, number][][] = [];
  let run: [number, number][] | null = null;
  let nonFinite = 0;
  let nonPositive = 0;
  let firstBadTail = -1; // start of the final run of non-finite y values
  let tailKind = "";
  let lastFinite: [number, number] | null = null;
  let lastFiniteDrawn = false;
  let lastValidBeforeTail: [number, number] | null = null;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i];
    const y = s.y[i];
    let ok = Number.isFinite(x) && Number.isFinite(y);
    if (Number.isFinite(x) && !Number.isFinite(y)) {
      nonFinite++;
      if (firstBadTail < 0) {
        firstBadTail = i;
        tailKind = Number.isNaN(y) ? "NaN" : y > 0 ? "Infinity" : "-Infinity";
        lastValidBeforeTail = lastFiniteDrawn ? lastFinite : null;
      }
    } else if (Number.isFinite(y)) {
      firstBadTail = -1;
    }
    if (ok && logY && y <= 0) {
      ok = false;
      nonPositive++;
    }
    if (ok && logX && x <= 0) ok = false;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      lastFinite = [x, y];
      lastFiniteDrawn = ok;
    }
    if (!ok) {
      run = null;
      continue;
    }
    if (!run) {
      run = [];
      runs.push(run);
    }
    run.push([x, y]);
  }
  const notes: string[] = [];
  let divergedAt: [number, number] | null = null;
  if (firstBadTail >= 0) {
    const tailLen = s.x.length - firstBadTail;
    const at = formatNumber(s.x[firstBadTail]);
    notes.push(`diverged: ${tailKind} at ${xName ? `${xName} ${at}` : `x = ${at}`}`);
    divergedAt = lastValidBeforeTail;
    if (nonFinite > tailLen) notes.push(`${nonFinite - tailLen} more non-finite not drawn`);
  } else if (nonFinite > 0) {
    notes.push(`${nonFinite} non-finite value${nonFinite > 1 ? "s" : ""} not drawn`);
  }
  if (nonPositive > 0) notes.push(`${nonPositive} value${nonPositive > 1 ? "s" : ""} ≤ 0 not drawn`);
  return { runs, note: notes.length ? ` (${notes.join("; ")})` : "", divergedAt, count: s.x.length };
}

function extent(vals: number[]): [number, number] | null {
  if (vals.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function padDomain(d: [number, number] | null, log: boolean, frac: number): [number, number] {
  if (!d) return log ? [1, 10] : [0, 1];
  const [lo, hi] = d;
  if (log) {
    if (lo === hi) return [lo / 2, hi * 2];
    const l0 = Math.log10(lo);
    const l1 = Math.log10(hi);
    const p = (l1 - l0) * frac;
    return [10 ** (l0 - p), 10 ** (l1 + p)];
  }
  if (lo === hi) {
    const p = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - p, hi + p];
  }
  const p = (hi - lo) * frac;
  if (!Number.isFinite(p)) return [lo, hi];
  return [lo - p, hi + p];
}

/** A line chart as a standalone SVG document. */
export function lineChart(o: LineChartOptions): string {
  if (!o || !Array.isArray(o.series)) throw new RangeError("lineChart: series: must be an array of series");
  const W = o.width ?? 640;
  const H = o.height ?? 440;
  const logX = o.logX ?? false;
  const logY = o.logY ?? false;
  const xName = o.xLabel && /^[a-z]+$/i.test(o.xLabel) ? o.xLabel : undefined;
  const prepared = o.series.map((s, k) => prepare(s, k, logX, logY, xName));
  const colors = o.series.map((s, k) => s.color ?? trajectoryColor(k));

  const allX = prepared.flatMap((p) => p.runs.flatMap((r) => r.map((q) => q[0])));
  const allY = prepared.flatMap((p) => p.runs.flatMap((r) => r.map((q) => q[1])));
  for (const [name, d, log] of [
    ["xDomain", o.xDomain, logX],
    ["yDomain", o.yDomain, logY],
  ] as const) {
    if (d && !(Array.isArray(d) && d.length === 2 && Number.isFinite(d[0]) && Number.isFinite(d[1]) && d[0] < d[1] && (!log || d[0] > 0))) {
      throw new RangeError(`lineChart: ${name}: must be [lo, hi] with finite lo < hi${log ? " and lo > 0" : ""}; got ${JSON.stringify(d)}`);
    }
  }
  const xDom = o.xDomain ? ([...o.xDomain] as [number, number]) : padDomain(extent(allX), logX, 0);
  const yDom = o.yDomain ? ([...o.yDomain] as [number, number]) : padDomain(extent(allY), logY, 0.04);

  const anyDiverged = prepared.some((p) => p.divergedAt !== null);
  const items: LegendItem[] = o.series.map((s, k) => ({
    label: s.label + prepared[k].note,
    symbol: { kind: "line", color: colors[k], dashed: s.dashed, marker: s.markers ?? prepared[k].count <= 40 },
  }));
  for (const it of markLegendItems({ diverged: anyDiverged })) items.push(it);

  const pad = 14;
  const showLegend = (o.legend ?? true) && items.length > 0;
  const legend = layoutLegend(showLegend ? items : [], W - 2 * pad);
  const titleH = o.title ? FONT.title + 14 : 0;
  const xLabel = o.xLabel ?? "x";
  const yLabel = o.yLabel ?? "y";
  const legendH = Math.max(legend.height, (o.legendRows ?? 0) * LEGEND_ROW_HEIGHT);
  const bottomH = xAxisHeight(true) + (legendH > 0 ? 12 + legendH : 0);
  const ph = Math.max(60, H - pad - titleH - bottomH - pad - 6);
  const mk = (d: [number, number], r: [number, number], log: boolean): Scale => (log ? logScale(d, r) : linearScale(d, r));
  const yGuess = axisTicks(mk(yDom, [ph, 0], logY), Math.max(3, Math.round(ph / 50)));
  const leftW = yAxisWidth(yGuess.labels, true) + 2;
  const box: Box = { x: pad + leftW, y: pad + titleH + 6, w: Math.max(60, W - pad - leftW - pad - 10), h: ph };
  const xs = mk(xDom, [box.x, box.x + box.w], logX);
  const ys = mk(yDom, [box.y + box.h, box.y], logY);
  const xTicks = axisTicks(xs, Math.max(3, Math.round(box.w / (logX ? 50 : 80))));
  // Log axes label decades, which are short and need less room than 1-2-5 steps.
  const yTicks = axisTicks(ys, Math.max(3, Math.round(box.h / (logY ? 28 : 50))));

  const pxRect: Rect = { x0: box.x, x1: box.x + box.w, y0: box.y, y1: box.y + box.h };
  const toPx = (p: [number, number]): Px => [xs.map(p[0]), ys.map(p[1])];
  const lines: string[] = [];
  const dots: string[] = [];
  const crosses: string[] = [];
  prepared.forEach((p, k) => {
    const s = o.series[k];
    const pieces: Px[][] = [];
    for (const run of p.runs) {
      const px = run.map(toPx);
      let cur: Px[] | null = null;
      for (let i = 0; i + 1 < px.length; i++) {
        const a = { x: px[i][0], y: px[i][1], z: 0 };
        const b = { x: px[i + 1][0], y: px[i + 1][1], z: 0 };
        const c = clipSegment(a, b, pxRect);
        if (!c) {
          cur = null;
          continue;
        }
        const pa: Px = [a.x + (b.x - a.x) * c[0], a.y + (b.y - a.y) * c[0]];
        const pb: Px = [a.x + (b.x - a.x) * c[1], a.y + (b.y - a.y) * c[1]];
        if (c[0] > 0 || !cur) {
          cur = [pa];
          pieces.push(cur);
        }
        cur.push(pb);
        if (c[1] < 1) cur = null;
      }
      if (s.markers ?? p.count <= 40) {
        for (const q of px) if (q[0] >= pxRect.x0 && q[0] <= pxRect.x1 && q[1] >= pxRect.y0 && q[1] <= pxRect.y1) dots.push(pointMarker(q, colors[k], 2.6));
      }
      // A single isolated point still shows.
      if (px.length === 1 && !(s.markers ?? p.count <= 40)) dots.push(pointMarker(px[0], colors[k], 2.6));
    }
    lines.push(
      g(
        { class: "series", "data-index": String(k) },
        pieces.map((pc) => casedLine(pc, colors[k], s.dashed)),
      ),
    );
    if (p.divergedAt) {
      const q = toPx(p.divergedAt);
      if (q[0] >= pxRect.x0 - 0.5 && q[0] <= pxRect.x1 + 0.5 && q[1] >= pxRect.y0 - 0.5 && q[1] <= pxRect.y1 + 0.5) crosses.push(crossMarker(q, colors[k]));
    }
  });

  const clipId = "plot-area";
  const legendX = Math.max(pad, Math.min(W - pad - legend.width, box.x + box.w / 2 - legend.width / 2));
  const legendY = box.y + box.h + xAxisHeight(true) + 12;
  return svgDocument(
    { width: W, height: H, defs: clipRect(clipId, box.x - 3, box.y - 3, box.w + 6, box.h + 6), title: o.title },
    o.title ? drawTitle(o.title, box.x + box.w / 2, box.y - 14, W - 2 * pad) : "",
    drawAxes({ box, x: xs, y: ys, xTicks, yTicks, xLabel, yLabel, grid: o.grid ?? true }),
    g({ "clip-path": `url(#${clipId})`, class: "lines" }, lines, dots),
    g({ class: "diverged" }, crosses),
    showLegend ? drawLegend(legend, legendX, legendY) : "",
  );
}

// ---------------------------------------------------------------------------
// Panels

export interface PanelsOptions {
  /** Columns of the grid (default: all in one row). */
  cols?: number;
  title?: string;
  /** Space between cells in px (default 12). */
  gap?: number;
}

const ROOT_RE = /<svg\b([^>]*)>/;

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
}

/**
 * Compose SVG documents into one: each becomes a nested `<svg>` with its own
 * viewBox in a grid cell (cells are as large as the largest figure; smaller
 * figures are centred). Element ids are prefixed per panel ("p0-", "p1-", …)
 * so clip paths of different panels cannot collide.
 */
export function panels(svgs: readonly string[], o: PanelsOptions = {}): string {
  if (!Array.isArray(svgs) || svgs.length === 0) throw new RangeError("panels: svgs: must be a non-empty array of SVG documents");
  const cols = o.cols ?? svgs.length;
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`panels: cols: must be an integer ≥ 1; got ${o.cols}`);
  const gap = o.gap ?? 12;
  const parsed = svgs.map((s, i) => {
    const doc = s.replace(/^\s*<\?xml[^>]*\?>\s*/, "");
    const m = ROOT_RE.exec(doc);
    if (m?.index !== 0 || !doc.trimEnd().endsWith("</svg>")) throw new RangeError(`panels: svgs[${i}]: not an SVG document`);
    const w = Number(attr(m[0], "width"));
    const h = Number(attr(m[0], "height"));
    if (!(w > 0 && h > 0)) throw new RangeError(`panels: svgs[${i}]: needs numeric width and height attributes`);
    const viewBox = attr(m[0], "viewBox") ?? `0 0 ${w} ${h}`;
    let inner = doc.slice(m[0].length, doc.trimEnd().length - "</svg>".length);
    const p = `p${i}-`;
    inner = inner
      .replace(/\sid="([^"]*)"/g, (_: string, id: string) => ` id="${p}${id}"`)
      .replace(/url\(#([^)]*)\)/g, (_: string, id: string) => `url(#${p}${id})`)
      .replace(/href="#([^"]*)"/g, (_: string, id: string) => `href="#${p}${id}"`);
    return { w, h, viewBox, inner };
  });
  const cellW = maxOf(parsed, (p) => p.w);
  const cellH = maxOf(parsed, (p) => p.h);
  const rows = Math.ceil(parsed.length / cols);
  const usedCols = Math.min(cols, parsed.length);
  const titleH = o.title ? FONT.title + 22 : 0;
  const W = usedCols * cellW + (usedCols - 1) * gap;
  const H = titleH + rows * cellH + (rows - 1) * gap;
  const cells = parsed.map((p, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const x = c * (cellW + gap) + (cellW - p.w) / 2;
    const y = titleH + r * (cellH + gap) + (cellH - p.h) / 2;
    return `<svg x="${num(x)}" y="${num(y)}" width="${num(p.w)}" height="${num(p.h)}" viewBox="${escapeXml(p.viewBox)}">${p.inner}</svg>`;
  });
  return svgDocument(
    { width: W, height: H, title: o.title },
    o.title ? text(W / 2, 14 + FONT.title, o.title, { size: FONT.title + 1, anchor: "middle", weight: "bold", attrs: { class: "title" } }) : "",
    g({ class: "panels" }, cells),
  );
}
