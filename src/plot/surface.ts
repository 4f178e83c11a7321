/**
 * 3-D surface view of a sampled function with trajectories drawn on it.
 *
 * - The grid (same convention as `contourPlot`) is downsampled to at most
 *   `resolution`² quads by picking samples (no averaging, so vertices lie on
 *   the function), projected orthographically (or in perspective) for the
 *   given azimuth/elevation, and painted far to near (painter's algorithm on
 *   quad centres). Faces are coloured by height with viridis and lit by one
 *   directional light (Lambert, with ambient), with a faint mesh.
 * - z is clipped to `zClip`, or by default to a robust range: the 2 % and
 *   98 % quantiles widened by a quarter of their distance, never beyond the
 *   data. Cubic and saddle surfaces keep their shape instead of being
 *   flattened by a few extreme corners; a note under the title says when
 *   clipping happened and to what range.
 * - Trajectories carry their own heights (`z`, usually the loss at each
 *   iterate), are clipped to the window like in `contourPlot` (arrow where
 *   they leave, ✕ at the last finite point, legend notes) and drawn over the
 *   surface. `upTo` draws only the first `upTo` points and marks the head
 *   (animation frames).
 * - Sample cells with a non-finite value are left out (holes).
 */

import { hexToRgb, rgbToHex, shade, trajectoryColor, viridisRgb, type RGB } from "./colors.js";
import type { GridOptions, Minimum } from "./contour.js";
import { validateGrid } from "./contour.js";
import { drawLegend, drawTitle, FONT, INK, layoutLegend, LEGEND_ROW_HEIGHT, markLegendItems, type LegendItem } from "./frame.js";
import { drawTrace, stackLayers, starMarker, type Dash, type Px } from "./marks.js";
import { formatNumber, linearScale, niceTicks } from "./scale.js";
import { g, path, PathData, svgDocument, text } from "./svg.js";
import { textWidth } from "./text.js";
import { traceNotes, traceTrajectory, type TracePoint } from "./trace.js";
import { maxOf, minOf } from "../extrema.js";

export interface SurfaceTrajectory {
  label: string;
  /** Iterates [x, y]. */
  points: ReadonlyArray<ArrayLike<number>>;
  /** Height of each iterate (usually the loss). */
  z: ArrayLike<number>;
  color?: string;
  /** true: dashed; a string: its own SVG dash pattern ("2 3"). */
  dashed?: Dash;
}

export interface SurfacePlotOptions extends GridOptions {
  /** Degrees, counter-clockwise from +x seen from above; default −60 (as matplotlib). */
  azimuth?: number;
  /** Degrees above the xy-plane; default 30. */
  elevation?: number;
  /** Camera distance in box half-diagonals for a perspective view; default orthographic. */
  perspective?: number | false;
  /** z range shown; default a robust range (see the module comment). */
  zClip?: readonly [number, number];
  /** Quads per side (default 40). */
  resolution?: number;
  trajectories?: readonly SurfaceTrajectory[];
  /** Draw only the first `upTo` points of each trajectory and mark its head. */
  upTo?: number;
  /** Minima, drawn as stars on the surface (z defaults to the clipped grid minimum). */
  minima?: readonly (Minimum & { z?: number })[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  zLabel?: string;
  /** Figure width in px (default 640). */
  width?: number;
  /** Figure height in px (default 520); shortened when the view does not need it all. */
  height?: number;
  markers?: boolean;
  legend?: boolean;
  /**
   * Reserve at least this many legend rows, so that figures combined with
   * `panels` get plot areas of the same size even when their legends differ.
   */
  legendRows?: number;
}

type V3 = [number, number, number];

const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: V3): V3 => {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** The z range a surface plot shows for these values (see the module comment). */
export function surfaceZRange(values: ArrayLike<number>, zClip?: readonly [number, number]): { lo: number; hi: number; clipped: boolean } {
  const sorted: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) sorted.push(values[i]);
  sorted.sort((a, b) => a - b);
  const min = sorted.length ? sorted[0] : 0;
  const max = sorted.length ? sorted[sorted.length - 1] : 1;
  let lo: number;
  let hi: number;
  if (zClip) {
    if (!(Array.isArray(zClip) && Number.isFinite(zClip[0]) && Number.isFinite(zClip[1]) && zClip[0] < zClip[1])) {
      throw new RangeError(`surfacePlot: zClip: must be [lo, hi] with finite lo < hi; got ${JSON.stringify(zClip)}`);
    }
    [lo, hi] = zClip;
  } else {
    const q = (p: number) => {
      const pos = (sorted.length - 1) * p;
      const i = Math.floor(pos);
      return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (pos - i) : sorted[i];
    };
    const q02 = sorted.length ? q(0.02) : 0;
    const q98 = sorted.length ? q(0.98) : 1;
    const span = q98 - q02 || max - min;
    lo = Math.max(min, q02 - 0.25 * span);
    hi = Math.min(max, q98 + 0.25 * span);
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return { lo, hi, clipped: lo > min || hi < max };
}

/** A 3-D surface plot as a standalone SVG document (see the module comment). */
export function surfacePlot(o: SurfacePlotOptions): string {
  validateGrid(o, "surfacePlot");
  const [x0, x1] = o.x;
  const [y0, y1] = o.y;
  const { nx, ny, values } = o;
  const W = o.width ?? 640;
  const H = o.height ?? 520;
  const az = ((o.azimuth ?? -60) * Math.PI) / 180;
  const elv = ((o.elevation ?? 30) * Math.PI) / 180;
  if (!Number.isFinite(az) || !Number.isFinite(elv)) throw new RangeError("surfacePlot: azimuth, elevation: must be finite numbers");
  const res = o.resolution ?? 40;
  if (!Number.isInteger(res) || res < 1) throw new RangeError(`surfacePlot: resolution: must be an integer ≥ 1; got ${o.resolution}`);
  const trajectories = o.trajectories ?? [];
  const { lo: zLo, hi: zHi, clipped } = surfaceZRange(values, o.zClip);

  // Normalised box: x, y in [-1, 1], z in [-BZ, BZ].
  const BZ = 0.72;
  const X = (x: number) => (2 * (x - x0)) / (x1 - x0) - 1;
  const Y = (y: number) => (2 * (y - y0)) / (y1 - y0) - 1;
  // Position of z in [zLo, zHi] as 0..1 (computed in halves: no overflow near ±1e308).
  const zt01 = (z: number) => (Math.max(zLo, Math.min(zHi, z)) / 2 - zLo / 2) / (zHi / 2 - zLo / 2);
  const Z = (z: number) => (2 * zt01(z) - 1) * BZ;

  // Camera: c points from the scene towards the viewer; r right, u up on screen.
  const c: V3 = [Math.cos(elv) * Math.cos(az), Math.cos(elv) * Math.sin(az), Math.sin(elv)];
  const r: V3 = [-Math.sin(az), Math.cos(az), 0];
  const u: V3 = [-Math.sin(elv) * Math.cos(az), -Math.sin(elv) * Math.sin(az), Math.cos(elv)];
  const dist = o.perspective ? o.perspective * Math.hypot(1, 1, BZ) : 0;
  const view = (p: V3): { sx: number; sy: number; depth: number } => {
    const depth = dot(p, c);
    const f = dist ? dist / (dist - depth) : 1;
    return { sx: dot(p, r) * f, sy: dot(p, u) * f, depth };
  };

  // Legend first (it takes space below the plot).
  const win = { x0, x1, y0, y1 };
  const traces = trajectories.map((t, k) => {
    if (!t || typeof t.label !== "string" || !Array.isArray(t.points) || !t.z) {
      throw new RangeError(`surfacePlot: trajectories[${k}]: must be { label: string, points: number[][], z: number[] }`);
    }
    return traceTrajectory(t.points, win, t.z, o.upTo);
  });
  const items: LegendItem[] = trajectories.map((t, k) => ({
    label: t.label + traceNotes(traces[k]),
    symbol: { kind: "line", color: t.color ?? trajectoryColor(k), dashed: t.dashed, marker: true },
  }));
  const minima = (o.minima ?? []).filter((m) => m.x >= x0 && m.x <= x1 && m.y >= y0 && m.y <= y1);
  for (const it of markLegendItems({
    start: traces.some((t) => t.startInside),
    head: o.upTo !== undefined && traces.some((t) => t.lastInside && !t.diverged),
    minimum: minima.length > 0,
    exit: traces.some((t) => t.exits.length > 0),
    diverged: traces.some((t) => t.diverged && t.lastInside),
  }))
    items.push(it);
  const pad = 14;
  const showLegend = (o.legend ?? true) && items.length > 0;
  const legend = layoutLegend(showLegend ? items : [], W - 2 * pad);
  // Animation frames (upTo) reserve the legend height of the whole run, so
  // that the surface does not move when a note or entry appears later.
  let legendH = Math.max(legend.height, (o.legendRows ?? 0) * LEGEND_ROW_HEIGHT);
  if (showLegend && o.upTo !== undefined) {
    const full = trajectories.map((t) => traceTrajectory(t.points, win, t.z));
    const fullItems: LegendItem[] = trajectories.map((t, k) => ({
      label: t.label + traceNotes(full[k]),
      symbol: { kind: "line", color: "#000000", marker: true },
    }));
    for (const it of markLegendItems({
      start: true,
      head: true,
      minimum: minima.length > 0,
      exit: full.some((t) => t.exits.length > 0),
      diverged: full.some((t) => t.diverged && t.lastInside),
    }))
      fullItems.push(it);
    legendH = Math.max(legendH, layoutLegend(fullItems, W - 2 * pad).height);
  }
  const titleH = o.title ? FONT.title + 14 : 0;
  const noteH = clipped ? FONT.note + 8 : 0;
  const area = {
    x: pad + 40,
    y: pad + titleH + noteH + 16,
    w: W - 2 * pad - 80,
    h: H - pad - titleH - noteH - 16 - (legendH ? legendH + 14 : 0) - pad - 42,
  };

  // Fit the box (its 8 corners) into the area.
  const corners: V3[] = [];
  for (const a of [-1, 1]) for (const b of [-1, 1]) for (const z of [-BZ, BZ]) corners.push([a, b, z]);
  const pc = corners.map(view);
  const minX = minOf(pc, (p) => p.sx);
  const maxX = maxOf(pc, (p) => p.sx);
  const minY = minOf(pc, (p) => p.sy);
  const maxY = maxOf(pc, (p) => p.sy);
  const s = Math.min(area.w / (maxX - minX), area.h / (maxY - minY));
  // Height the box does not need is dropped from the figure.
  const slackH = area.h - s * (maxY - minY);
  const Hout = H - slackH;
  const cx = area.x + area.w / 2 - (s * (minX + maxX)) / 2;
  const cy = area.y + (area.h - slackH) / 2 + (s * (minY + maxY)) / 2;
  const toPx = (p: V3): Px => {
    const v = view(p);
    return [cx + s * v.sx, cy - s * v.sy];
  };

  // Back panes with grid lines, drawn before the surface.
  const sx = c[0] >= 0 ? 1 : -1; // front x side
  const sy = c[1] >= 0 ? 1 : -1; // front y side
  const xt = niceTicks(x0, x1, 5);
  const yt = niceTicks(y0, y1, 5);
  const zt = niceTicks(zLo, zHi, 5);
  const pane = (pts: V3[]) => path(new PathData().polyline(pts.map(toPx), true), { fill: "#F2F2F2", stroke: "#BBBBBB", "stroke-width": 0.8 });
  const gridD = new PathData();
  const seg = (a: V3, b: V3) => {
    const pa = toPx(a);
    const pb = toPx(b);
    gridD.moveTo(pa[0], pa[1]).lineTo(pb[0], pb[1]);
  };
  const panes: string[] = [];
  const bx = -sx; // back x wall at X = bx
  const by = -sy;
  panes.push(
    pane([
      [bx, -1, -BZ],
      [bx, 1, -BZ],
      [bx, 1, BZ],
      [bx, -1, BZ],
    ]),
  );
  panes.push(
    pane([
      [-1, by, -BZ],
      [1, by, -BZ],
      [1, by, BZ],
      [-1, by, BZ],
    ]),
  );
  if (c[2] > 0)
    panes.push(
      pane([
        [-1, -1, -BZ],
        [1, -1, -BZ],
        [1, 1, -BZ],
        [-1, 1, -BZ],
      ]),
    );
  for (const v of xt) {
    const X0 = X(v);
    if (c[2] > 0) seg([X0, -1, -BZ], [X0, 1, -BZ]);
    seg([X0, by, -BZ], [X0, by, BZ]);
  }
  for (const v of yt) {
    const Y0 = Y(v);
    if (c[2] > 0) seg([-1, Y0, -BZ], [1, Y0, -BZ]);
    seg([bx, Y0, -BZ], [bx, Y0, BZ]);
  }
  for (const v of zt) {
    const Z0 = Z(v);
    seg([bx, -1, Z0], [bx, 1, Z0]);
    seg([-1, by, Z0], [1, by, Z0]);
  }

  // Surface quads.
  const pick = (n: number) => {
    const m = Math.min(res, n - 1);
    return Array.from({ length: m + 1 }, (_, k) => Math.round((k * (n - 1)) / m));
  };
  const ix = pick(nx);
  const jy = pick(ny);
  const xAt = (i: number) => x0 + (i * (x1 - x0)) / (nx - 1);
  const yAt = (j: number) => y0 + (j * (y1 - y0)) / (ny - 1);
  const light = norm([c[0] * 0.6 + u[0] * 0.8 - r[0] * 0.5, c[1] * 0.6 + u[1] * 0.8 - r[1] * 0.5, c[2] * 0.6 + u[2] * 0.8 - r[2] * 0.5]);
  const quads: { depth: number; svg: string }[] = [];
  for (let b = 0; b + 1 < jy.length; b++) {
    for (let a = 0; a + 1 < ix.length; a++) {
      const idx: [number, number][] = [
        [ix[a], jy[b]],
        [ix[a + 1], jy[b]],
        [ix[a + 1], jy[b + 1]],
        [ix[a], jy[b + 1]],
      ];
      const zs = idx.map(([i, j]) => values[j * nx + i]);
      if (!zs.every(Number.isFinite)) continue;
      const P = idx.map(([i, j], k): V3 => [X(xAt(i)), Y(yAt(j)), Z(zs[k])]);
      const d1: V3 = [P[2][0] - P[0][0], P[2][1] - P[0][1], P[2][2] - P[0][2]];
      const d2: V3 = [P[3][0] - P[1][0], P[3][1] - P[1][1], P[3][2] - P[1][2]];
      let n = norm([d1[1] * d2[2] - d1[2] * d2[1], d1[2] * d2[0] - d1[0] * d2[2], d1[0] * d2[1] - d1[1] * d2[0]]);
      if (dot(n, c) < 0) n = [-n[0], -n[1], -n[2]];
      const lambert = Math.max(0, dot(n, light));
      const tz = zs.reduce((p, q) => p + zt01(q), 0) / 4;
      const base: RGB = viridisRgb(tz);
      const fill = rgbToHex(shade(base, 0.74 + 0.34 * lambert));
      const edge = rgbToHex(shade(hexToRgb(fill), 0.8));
      const depth = view([(P[0][0] + P[2][0]) / 2, (P[0][1] + P[2][1]) / 2, (P[0][2] + P[1][2] + P[2][2] + P[3][2]) / 4]).depth;
      quads.push({
        depth,
        svg: path(new PathData().polyline(P.map(toPx), true), { fill, stroke: edge, "stroke-width": 0.35, "stroke-linejoin": "round" }),
      });
    }
  }
  quads.sort((p, q) => p.depth - q.depth);

  // Axis ticks and labels on the front edges (x, y) and the leftmost vertical edge (z).
  const labels: string[] = [];
  const tickD = new PathData();
  // Labels are placed greedily (z, then x, then y); one that would overlap a
  // placed label is left out (its tick stays).
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const place = (p: V3, out: V3, label: string, dist: number) => {
    const a = toPx(p);
    const b = toPx([p[0] + out[0] * 0.05, p[1] + out[1] * 0.05, p[2] + out[2] * 0.05]);
    tickD.moveTo(a[0], a[1]).lineTo(b[0], b[1]);
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    const lx = a[0] + (dx / len) * dist;
    const ly = a[1] + (dy / len) * dist;
    const anchor = dx / len > 0.35 ? "start" : dx / len < -0.35 ? "end" : "middle";
    const baseline = dy / len > 0.5 ? "hanging" : dy / len < -0.5 ? "alphabetic" : "middle";
    const w = textWidth(label, FONT.tick);
    const h = FONT.tick;
    const bx0 = anchor === "start" ? lx : anchor === "end" ? lx - w : lx - w / 2;
    const by0 = baseline === "hanging" ? ly : baseline === "alphabetic" ? ly - h : ly - h / 2;
    const bb = { x0: bx0 - 2, y0: by0 - 1, x1: bx0 + w + 2, y1: by0 + h + 1 };
    if (placed.some((q) => bb.x0 < q.x1 && q.x0 < bb.x1 && bb.y0 < q.y1 && q.y0 < bb.y1)) return "";
    placed.push(bb);
    return text(lx, ly, label, { size: FONT.tick, anchor, baseline, fill: INK });
  };
  const xLabs = linearScale([x0, x1], [0, 1]).tickLabels(xt);
  const yLabs = linearScale([y0, y1], [0, 1]).tickLabels(yt);
  const zLabs = linearScale([zLo, zHi], [0, 1]).tickLabels(zt);
  // z axis on the vertical edge furthest left on screen.
  const vCorners: [number, number][] = [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1],
  ];
  const [zcX, zcY] = vCorners.reduce((best, k) => (toPx([k[0], k[1], 0])[0] < toPx([best[0], best[1], 0])[0] ? k : best));
  const zOut = norm([zcX, zcY, 0]);
  zt.forEach((v, i) => labels.push(place([zcX, zcY, Z(v)], zOut, zLabs[i], 10)));
  xt.forEach((v, i) => labels.push(place([X(v), sy, -BZ], [0, sy, 0], xLabs[i], 12)));
  yt.forEach((v, i) => labels.push(place([sx, Y(v), -BZ], [sx, 0, 0], yLabs[i], 12)));
  const zLabW = maxOf(zLabs, (l) => textWidth(l, FONT.tick));

  const axisLabel = (p: V3, out: V3, label: string, distPx: number, rotate = 0) => {
    const a = toPx(p);
    const b = toPx([p[0] + out[0] * 0.1, p[1] + out[1] * 0.1, p[2] + out[2] * 0.1]);
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    return text(a[0] + (dx / len) * distPx, a[1] + (dy / len) * distPx, label, {
      size: FONT.label,
      anchor: "middle",
      baseline: "middle",
      fill: INK,
      rotate,
    });
  };
  const axisLabels = [
    axisLabel([0, sy, -BZ], [0, sy, 0], o.xLabel ?? "x", 40),
    axisLabel([sx, 0, -BZ], [sx, 0, 0], o.yLabel ?? "y", 40),
    axisLabel([zcX, zcY, 0], zOut, o.zLabel ?? "f(x, y)", zLabW + 26, -90),
  ];

  // Trajectories over the surface.
  const project = (p: TracePoint): Px => toPx([X(p.x), Y(p.y), Z(p.z)]);
  const layers = traces.map((t, k) =>
    drawTrace(t, project, {
      color: trajectories[k].color ?? trajectoryColor(k),
      dashed: trajectories[k].dashed,
      markers: o.markers ?? t.finiteCount <= 150,
      head: o.upTo !== undefined,
    }),
  );
  const stars = minima.map((m) => starMarker(toPx([X(m.x), Y(m.y), Z(m.z ?? zLo)])));

  const legendX = Math.max(pad, (W - legend.width) / 2);
  const legendY = Hout - pad - legendH;
  return svgDocument(
    { width: W, height: Hout, title: o.title },
    o.title ? drawTitle(o.title, W / 2, pad + FONT.title, W - 2 * pad) : "",
    clipped
      ? text(W / 2, pad + titleH + FONT.note, `z clipped to [${formatNumber(zLo)}, ${formatNumber(zHi)}]`, {
          size: FONT.note,
          anchor: "middle",
          fill: "#555555",
          attrs: { class: "note" },
        })
      : "",
    g({ class: "panes" }, panes, path(gridD, { stroke: "#D0D0D0", "stroke-width": 0.8, fill: "none" })),
    g(
      { class: "surface", "data-quads": String(quads.length) },
      quads.map((q) => q.svg),
    ),
    stackLayers(layers),
    g({ class: "minima" }, stars),
    g({ class: "axes3d" }, path(tickD, { stroke: INK, "stroke-width": 1, fill: "none" }), labels, axisLabels),
    showLegend ? drawLegend(legend, legendX, legendY) : "",
  );
}
