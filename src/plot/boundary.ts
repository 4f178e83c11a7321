/**
 * Decision boundaries of a two-class classifier over a 2-D window: filled
 * bands of the predicted probability p = σ(z) of class 1, from class 0's
 * colour (p near 0) through white (p = ½) to class 1's (p near 1), the
 * boundary p = ½ as a dark line, and the data as points coloured by class.
 *
 * `values` are the model's logits z on a grid in the contour plot's
 * convention (row-major, y outer, first and last samples on the window's
 * edges). Bands are contours of z at the logits of the probability levels,
 * which are the contours of p without computing σ (and without its
 * saturation at |z| > 36 in f64).
 *
 * @packageDocumentation
 */
import { contours } from "d3-contour";
import { hexToRgb, mix, OKABE_ITO, rgbToHex, type RGB } from "./colors.js";
import { gridMapper, polygonPath, ringIsolines, validateGrid, type GridOptions } from "./contour.js";
import { axisTicks, drawAxes, drawTitle, FONT, INK, xAxisHeight, yAxisWidth, type Box } from "./frame.js";
import { linearScale } from "./scale.js";
import { clipRect, el, g, path, PathData, svgDocument, text } from "./svg.js";

/** Probability levels of the bands; the middle one is the decision boundary. */
export const BOUNDARY_LEVELS: readonly number[] = Object.freeze([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);

/** Class colours (Okabe–Ito blue and orange: distinct for colour-blind readers). */
export const CLASS_COLORS: readonly [string, string] = [OKABE_ITO.blue, OKABE_ITO.orange];

const WHITE: RGB = [255, 255, 255];
/** A dark outline keeps points readable over the band of their own class. */
const POINT_STROKE = "#1A1A1A";

/** Fill of the band between probability levels a and b: the class's colour, paler towards ½. */
export function bandColor(a: number, b: number): string {
  const mid = (a + b) / 2;
  const strength = Math.min(1, Math.abs(mid - 0.5) * 2) * 0.5;
  return rgbToHex(mix(WHITE, hexToRgb(CLASS_COLORS[mid < 0.5 ? 0 : 1]), strength));
}

export interface BoundaryPlotOptions extends GridOptions {
  /** Samples to draw: coordinates sample-major (x₀, y₀, x₁, y₁, …) and class labels 0 or 1. */
  points?: { xy: ArrayLike<number>; labels: ArrayLike<number> };
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Figure size in px (default 320 × 320); the plot keeps equal axis scales. */
  width?: number;
  height?: number;
  /** Point radius in px (default 2.6). */
  pointRadius?: number;
}

/** Decision-boundary figure as a standalone SVG document (see the module comment). */
export function boundaryPlot(o: BoundaryPlotOptions): string {
  validateGrid(o, "boundaryPlot");
  const [x0, x1] = o.x,
    [y0, y1] = o.y;
  const W = o.width ?? 320,
    H = o.height ?? 320;
  const pad = 10;
  const titleH = o.title ? FONT.title + 12 : 0;
  const availH = H - pad - titleH - xAxisHeight(!!o.xLabel) - pad;
  const guess = axisTicks(linearScale([y0, y1], [availH, 0]), Math.max(3, Math.round(availH / 55)));
  const leftW = yAxisWidth(guess.labels, !!o.yLabel) + 2;
  const availW = W - pad - leftW - pad;
  const aspect = (y1 - y0) / (x1 - x0);
  let pw = availW,
    ph = availH;
  if (pw * aspect <= ph) ph = pw * aspect;
  else pw = ph / aspect;
  const box: Box = { x: pad + leftW + (availW - pw) / 2, y: pad + titleH + (availH - ph) / 2, w: pw, h: ph };
  const xs = linearScale([x0, x1], [box.x, box.x + box.w]);
  const ys = linearScale([y0, y1], [box.y + box.h, box.y]);

  const values = Array.from(o.values, (v) => (Number.isNaN(v) ? 0 : v));
  const gen = contours().size([o.nx, o.ny]);
  const map = gridMapper(box, o.nx, o.ny);
  const logit = (p: number) => Math.log(p / (1 - p));
  const fills: string[] = [el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: bandColor(0, BOUNDARY_LEVELS[0]) })];
  let boundary = "";
  BOUNDARY_LEVELS.forEach((p, k) => {
    const mp = gen.contour(values, logit(p));
    const fill = bandColor(p, BOUNDARY_LEVELS[k + 1] ?? 1);
    const d = polygonPath(mp.coordinates, map);
    fills.push(path(d, { fill, "fill-rule": "evenodd", stroke: fill, "stroke-width": 0.3 }));
    if (p !== 0.5) return;
    // The line only: the region's rings without their stretches along the window's edge.
    const line = new PathData();
    for (const polygon of mp.coordinates) for (const ring of polygon) for (const l of ringIsolines(ring, map, o.nx, o.ny)) line.polyline(l);
    boundary = path(line, { fill: "none", stroke: "#222222", "stroke-width": 1.6, "stroke-linejoin": "round", class: "boundary" });
  });
  const dots: string[] = [];
  if (o.points) {
    const { xy, labels } = o.points;
    const r = o.pointRadius ?? 2.6;
    for (let i = 0; i < labels.length; i++) {
      const cx = xs.map(xy[2 * i]),
        cy = ys.map(xy[2 * i + 1]);
      dots.push(el("circle", { cx, cy, r, fill: CLASS_COLORS[labels[i] === 1 ? 1 : 0], stroke: POINT_STROKE, "stroke-width": 0.6 }));
    }
  }
  const clipId = "plot-area";
  return svgDocument(
    { width: W, height: H, defs: clipRect(clipId, box.x, box.y, box.w, box.h), title: o.title },
    o.title ? drawTitle(o.title, box.x + box.w / 2, box.y - 10, W - 2 * pad) : "",
    g({ "clip-path": `url(#${clipId})`, class: "bands" }, fills, boundary, g({ class: "points" }, dots)),
    drawAxes({
      box,
      x: xs,
      y: ys,
      xTicks: axisTicks(xs, Math.max(3, Math.round(box.w / 70))),
      yTicks: axisTicks(ys, Math.max(3, Math.round(box.h / 55))),
      xLabel: o.xLabel,
      yLabel: o.yLabel,
    }),
  );
}

/** A key for a grid of boundary plots, of the same size as one: the two classes, the boundary and the probability bands. */
export function boundaryKey(o: { width?: number; height?: number; classNames?: [string, string] } = {}): string {
  const W = o.width ?? 320,
    H = o.height ?? 320;
  const names = o.classNames ?? ["class 0", "class 1"];
  const x = 28,
    rows: string[] = [];
  let y = Math.max(20, H / 2 - 70);
  for (const k of [0, 1] as const) {
    rows.push(el("circle", { cx: x + 12, cy: y, r: 4.5, fill: CLASS_COLORS[k], stroke: POINT_STROKE, "stroke-width": 0.8 }));
    rows.push(text(x + 30, y, `${names[k]} (training samples)`, { size: FONT.legend, baseline: "middle", fill: INK }));
    y += 24;
  }
  rows.push(path(new PathData().moveTo(x, y).lineTo(x + 24, y), { stroke: "#222222", "stroke-width": 1.6 }));
  rows.push(text(x + 30, y, "decision boundary, p = ½", { size: FONT.legend, baseline: "middle", fill: INK }));
  y += 34;
  const barW = W - 2 * x,
    cell = barW / (BOUNDARY_LEVELS.length + 1);
  const edges = [0, ...BOUNDARY_LEVELS, 1];
  for (let k = 0; k + 1 < edges.length; k++) rows.push(el("rect", { x: x + k * cell, y, width: cell, height: 16, fill: bandColor(edges[k], edges[k + 1]) }));
  rows.push(el("rect", { x, y, width: barW, height: 16, fill: "none", stroke: "#999999", "stroke-width": 0.6 }));
  for (const p of [0, 0.5, 1]) rows.push(text(x + p * barW, y + 30, String(p), { size: FONT.tick, anchor: "middle", fill: INK }));
  rows.push(text(x + barW / 2, y + 50, "predicted probability of class 1", { size: FONT.legend, anchor: "middle", fill: INK }));
  return svgDocument({ width: W, height: H }, g({ class: "legend" }, rows));
}
