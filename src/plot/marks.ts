/**
 * Marks drawn over data, in pixel coordinates: trajectory lines with a white
 * casing (so they read on any colour of the contour map), point markers, the
 * start marker, the exit arrow, the divergence cross, the minimum star and
 * the animation head. The legend draws the same marks at legend size.
 */

import { MARKER_FILL, MARKER_STROKE } from "./colors.js";
import { el, g, PathData, path } from "./svg.js";
import type { Trace, TracePoint } from "./trace.js";

export type Px = readonly [number, number];

export const LINE_WIDTH = 2;
const CASING_WIDTH = 4.5;
const DASH = "7 4";

/** A dash pattern: true is the default dash, a string its own `stroke-dasharray`. */
export type Dash = boolean | string | undefined;

/** The `stroke-dasharray` of a {@link Dash} (undefined: solid). */
export function dashArray(d: Dash): string | undefined {
  return d === true ? DASH : typeof d === "string" && /^[\d. ]+$/.test(d) ? d : undefined;
}

/** A polyline with a white casing underneath. */
export function casedLine(pts: Px[], color: string, dashed: Dash = false, width = LINE_WIDTH): string {
  if (pts.length < 2) return "";
  const d = new PathData().polyline(pts).toString();
  return (
    path(d, {
      fill: "none",
      stroke: "#FFFFFF",
      "stroke-width": width + CASING_WIDTH - LINE_WIDTH,
      "stroke-opacity": 0.85,
      "stroke-linejoin": "round",
      "stroke-linecap": "round",
    }) +
    path(d, {
      fill: "none",
      stroke: color,
      "stroke-width": width,
      "stroke-linejoin": "round",
      "stroke-linecap": dashArray(dashed) ? "butt" : "round",
      "stroke-dasharray": dashArray(dashed),
      class: "trajectory-line",
    })
  );
}

/** A small dot for one iterate. */
export function pointMarker(p: Px, color: string, r = 2.4): string {
  return el("circle", { cx: p[0], cy: p[1], r, fill: color, stroke: "#FFFFFF", "stroke-width": 0.8 });
}

/** The start of a trajectory: a hollow ring in the trajectory's colour. */
export function startMarker(p: Px, color: string, r = 5.5): string {
  return el("circle", {
    cx: p[0],
    cy: p[1],
    r,
    fill: MARKER_FILL,
    stroke: color,
    "stroke-width": 2.4,
    class: "start-marker",
  });
}

/** The moving head of an animated trajectory. */
export function headMarker(p: Px, color: string, r = 6): string {
  return el("circle", {
    cx: p[0],
    cy: p[1],
    r,
    fill: color,
    stroke: MARKER_STROKE,
    "stroke-width": 1.5,
    class: "head-marker",
  });
}

/** Five-pointed star (a minimum). */
export function starMarker(p: Px, r = 8): string {
  const d = new PathData();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 === 0 ? r : r * 0.45;
    const x = p[0] + rr * Math.cos(a);
    const y = p[1] + rr * Math.sin(a);
    if (k === 0) d.moveTo(x, y);
    else d.lineTo(x, y);
  }
  d.close();
  return path(d, {
    fill: MARKER_FILL,
    stroke: MARKER_STROKE,
    "stroke-width": 1.3,
    "stroke-linejoin": "round",
    class: "minimum-marker",
  });
}

/** ✕ at the last finite point of a diverged trajectory. */
export function crossMarker(p: Px, color: string, s = 6): string {
  const d = new PathData()
    .moveTo(p[0] - s, p[1] - s)
    .lineTo(p[0] + s, p[1] + s)
    .moveTo(p[0] - s, p[1] + s)
    .lineTo(p[0] + s, p[1] - s)
    .toString();
  return g(
    { class: "diverged-marker" },
    path(d, { stroke: "#FFFFFF", "stroke-width": 5.5, "stroke-linecap": "round", fill: "none" }),
    path(d, { stroke: color, "stroke-width": 2.6, "stroke-linecap": "round", fill: "none" }),
  );
}

/** Arrowhead with its tip at `p`, pointing along (dx, dy) in pixel space. */
export function arrowMarker(p: Px, dx: number, dy: number, color: string, len = 13): string {
  const n = Math.hypot(dx, dy);
  const ux = n > 0 ? dx / n : 1;
  const uy = n > 0 ? dy / n : 0;
  const w = len * 0.5;
  const bx = p[0] - ux * len;
  const by = p[1] - uy * len;
  const d = new PathData()
    .moveTo(p[0], p[1])
    .lineTo(bx - uy * w, by + ux * w)
    .lineTo(bx + ux * len * 0.25, by + uy * len * 0.25)
    .lineTo(bx + uy * w, by - ux * w)
    .close();
  return path(d, {
    fill: color,
    stroke: "#FFFFFF",
    "stroke-width": 1.2,
    "stroke-linejoin": "round",
    class: "exit-marker",
  });
}

export interface TrajectoryStyle {
  color: string;
  dashed?: Dash;
  /** Per-point dots. */
  markers?: boolean;
  /** Mark the last drawn point as the moving head. */
  head?: boolean;
}

/** The layers of one trajectory; figures stack each layer over all trajectories. */
export interface TrajectoryLayers {
  line: string;
  points: string;
  start: string;
  flags: string;
}

/**
 * Draw a trace with `project` mapping its (clipped) points to pixels.
 * The exit arrow direction is projected through `project` as well.
 */
export function drawTrace(trace: Trace, project: (p: TracePoint) => Px, style: TrajectoryStyle): TrajectoryLayers {
  const line = trace.pieces.map((piece) => casedLine(piece.map(project), style.color, style.dashed)).join("");
  const points = style.markers
    ? trace.insidePoints
        .slice(1)
        .map((p) => pointMarker(project(p), style.color))
        .join("")
    : "";
  const start = trace.start && trace.startInside ? startMarker(project(trace.start), style.color) : "";
  let flags = "";
  // An arrow where the path leaves from an iterate inside the window (and at
  // the first exit in any case); segments that merely pass through the
  // window are drawn clipped, without arrows, to keep oscillations legible.
  for (const [k, e] of trace.exits.entries()) {
    if (k > 0 && !e.fromInside) continue;
    const tip = project(e);
    // Direction in pixels: project a point a small step back along the path.
    const back = project({ x: e.x - e.dx * 1e-3, y: e.y - e.dy * 1e-3, z: e.z - e.dz * 1e-3 });
    flags += arrowMarker(tip, tip[0] - back[0], tip[1] - back[1], style.color);
  }
  if (trace.diverged && trace.last && trace.lastInside) flags += crossMarker(project(trace.last), style.color);
  if (style.head && trace.last && trace.lastInside && !trace.diverged) {
    flags += headMarker(project(trace.last), style.color);
  }
  return { line, points, start, flags };
}

/** Stack the layers of several trajectories: lines, points, starts, flags. */
export function stackLayers(layers: TrajectoryLayers[], attrs: Record<string, string> = {}): string {
  return g(
    { class: "trajectories", ...attrs },
    layers.map((l, i) => g({ class: "trajectory", "data-index": String(i) }, l.line, l.points)).join(""),
    layers.map((l) => l.start).join(""),
    layers.map((l) => l.flags).join(""),
  );
}
