/**
 * Trajectory geometry shared by the figures: where a path is finite, where it
 * runs inside the plotting window, where it leaves it.
 *
 * Conventions (the same in every figure):
 * - A point is **non-finite** when any coordinate (x, y, or z when given) is
 *   NaN or ±Infinity. The path ends at the last finite point before the first
 *   non-finite one ("diverged"); later points are ignored even if finite again.
 * - The finite part is clipped to the window exactly (Liang–Barsky), so
 *   drawing never sees coordinates far outside it. Each place where the path
 *   crosses the window boundary outwards is an **exit** (drawn as an arrow);
 *   a path with any finite point outside the window **left the plot**.
 */

export interface Rect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface TracePoint {
  x: number;
  y: number;
  /** Interpolated linearly along clipped segments; 0 when no z was given. */
  z: number;
}

export interface Exit extends TracePoint {
  /** Direction of travel (data units, scaled by an unspecified positive factor). */
  dx: number;
  dy: number;
  dz: number;
  /** The segment started inside the window (false: it only passed through). */
  fromInside: boolean;
}

export type NonFiniteKind = "NaN" | "Infinity" | "-Infinity";

export interface Trace {
  /** Polylines of the path inside the window, in order. */
  pieces: TracePoint[][];
  /** Indices of finite points inside the window (for per-point markers). */
  inside: number[];
  /** The points themselves (same order as `inside`). */
  insidePoints: TracePoint[];
  /** Where the path crosses the boundary outwards. */
  exits: Exit[];
  /** Some finite point lies outside the window. */
  left: boolean;
  /** The first point, when finite. */
  start: TracePoint | null;
  startInside: boolean;
  /** The last finite point considered (the head of an animation). */
  last: TracePoint | null;
  lastInside: boolean;
  /** Set when a non-finite point ends the path. */
  diverged: { index: number; kind: NonFiniteKind } | null;
  /** Number of finite points considered. */
  finiteCount: number;
}

function kindOf(vals: number[]): NonFiniteKind | null {
  if (vals.some(Number.isNaN)) return "NaN";
  for (const v of vals) if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  return null;
}

function isInside(p: TracePoint, r: Rect): boolean {
  return p.x >= r.x0 && p.x <= r.x1 && p.y >= r.y0 && p.y <= r.y1;
}

/**
 * Parameter interval [t0, t1] ⊂ [0, 1] of segment a→b inside the rectangle,
 * or null (Liang–Barsky).
 */
export function clipSegment(a: TracePoint, b: TracePoint, r: Rect): [number, number] | null {
  let dx = b.x - a.x;
  let dy = b.y - a.y;
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) {
    // Overflow (|coordinates| near 1e308): the segment is far outside anyway
    // unless an end is inside; scale down to keep the direction.
    const s = Math.max(Math.abs(a.x), Math.abs(b.x), Math.abs(a.y), Math.abs(b.y));
    dx = b.x / s - a.x / s;
    dy = b.y / s - a.y / s;
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) return null;
    const aIn = isInside(a, r);
    const bIn = isInside(b, r);
    if (!aIn && !bIn) return null;
    // One end inside, the other astronomically far: the crossing is at
    // t ≈ 0 (from a) or ≈ 1 (into b) to double precision.
    return aIn ? [0, 0] : [1, 1];
  }
  let t0 = 0;
  let t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [a.x - r.x0, r.x1 - a.x, a.y - r.y0, r.y1 - a.y];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return null;
    } else {
      const t = q[i] / p[i];
      if (p[i] < 0) {
        if (t > t1) return null;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return null;
        if (t < t1) t1 = t;
      }
    }
  }
  return [t0, t1];
}

function lerp(a: TracePoint, b: TracePoint, t: number): TracePoint {
  if (t === 0) return { ...a };
  if (t === 1) return { ...b };
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, z: a.z + (b.z - a.z) * t };
}

/**
 * Trace a path of [x, y] points (extra entries ignored) through a window.
 * `z` gives a third coordinate per point (surface plots); `upTo` limits the
 * path to its first `upTo` points (animation frames).
 */
export function traceTrajectory(points: ReadonlyArray<ArrayLike<number>>, window: Rect, z?: ArrayLike<number>, upTo?: number): Trace {
  const n = Math.max(0, Math.min(points.length, upTo ?? points.length));
  const finite: TracePoint[] = [];
  let diverged: Trace["diverged"] = null;
  for (let i = 0; i < n; i++) {
    const pt = points[i];
    if (!pt || pt.length < 2) throw new RangeError(`points[${i}]: must be [x, y]; got ${JSON.stringify(pt)}`);
    const vals = [pt[0], pt[1]];
    if (z) {
      if (i >= z.length) throw new RangeError(`z: has ${z.length} values for ${points.length} points`);
      vals.push(z[i]);
    }
    const kind = kindOf(vals);
    if (kind) {
      diverged = { index: i, kind };
      break;
    }
    finite.push({ x: pt[0], y: pt[1], z: z ? z[i] : 0 });
  }

  const trace: Trace = {
    pieces: [],
    inside: [],
    insidePoints: [],
    exits: [],
    left: false,
    start: finite[0] ?? null,
    startInside: finite.length > 0 && isInside(finite[0], window),
    last: finite[finite.length - 1] ?? null,
    lastInside: finite.length > 0 && isInside(finite[finite.length - 1], window),
    diverged,
    finiteCount: finite.length,
  };
  finite.forEach((p, i) => {
    if (isInside(p, window)) {
      trace.inside.push(i);
      trace.insidePoints.push(p);
    } else trace.left = true;
  });
  if (finite.length === 1 && trace.startInside) trace.pieces.push([{ ...finite[0] }]);

  let piece: TracePoint[] | null = null;
  for (let i = 0; i + 1 < finite.length; i++) {
    const a = finite[i];
    const b = finite[i + 1];
    const c = clipSegment(a, b, window);
    if (!c) {
      piece = null;
      continue;
    }
    const [t0, t1] = c;
    if (t0 > 0 || !piece) {
      piece = [lerp(a, b, t0)];
      trace.pieces.push(piece);
    }
    piece.push(lerp(a, b, t1));
    if (t1 < 1) {
      const e = lerp(a, b, t1);
      // Scaled so that |coordinates| near 1e308 cannot overflow the difference.
      const k = Math.max(1, Math.abs(a.x), Math.abs(a.y), Math.abs(b.x), Math.abs(b.y));
      trace.exits.push({
        ...e,
        dx: b.x / k - a.x / k,
        dy: b.y / k - a.y / k,
        dz: b.z / k - a.z / k,
        fromInside: t0 === 0 && isInside(a, window),
      });
      piece = null;
    }
  }
  return trace;
}

/**
 * The legend suffixes of a trace: " (left the plot)", " (diverged: NaN at
 * point 12)" — `pointName` says what the points are (a run's "step").
 */
export function traceNotes(t: Trace, pointName = "point"): string {
  let s = "";
  if (t.left) s += " (left the plot)";
  if (t.diverged) s += ` (diverged: ${t.diverged.kind} at ${pointName} ${t.diverged.index})`;
  return s;
}
