/**
 * The 3-D view's parts that do not depend on a scene: its data types,
 * dimensions and keys, constant-pixel-size sprites (labels, start rings),
 * path simplification, the grid a surface was built from, disposal.
 */
import * as THREE from "three";
import type { Line2 } from "three/addons/lines/Line2.js";
import { FONT_FAMILY, MARKER_FILL } from "optimlab/plot";

export interface SurfaceData {
  values: ArrayLike<number>;
  nx: number;
  ny: number;
  x: [number, number];
  y: [number, number];
  trajectories: { points: number[][]; loss: number[]; color: string }[];
  frame: number;
}

export interface SurfaceView {
  setData(d: SurfaceData): void;
  setFrame(t: number): void;
  resize(): void;
  /** The current image (for PNG export). */
  snapshot(): HTMLCanvasElement;
  dispose(): void;
}

/** Height of the surface in world units. */
export const H = 0.9;
/** Just under the surface's lowest point, so floor lines never z-fight with it. */
export const FLOOR_Z = -0.03;
/** Trajectories float this far above the surface. */
export const LIFT = 0.02;
/** Tick mark length in world units. */
export const TICK = 0.05;
export const INK = "#333333";
export const TICK_PX = 12;
export const NAME_PX = 14;
/** Pixels between a tick's outer end and its label. */
export const LABEL_GAP = 5;
/** The default view: from the front left, 27° above the floor. */
export const VIEW_DIR = new THREE.Vector3(-2.2, -2.6, 1.7).normalize();
/** How close and how far the camera may go from the box's centre (the fitted view is about 4–5 away). */
export const MIN_DISTANCE = 1.2;
export const MAX_DISTANCE = 16;
/** Orbit per arrow key press (Shift: the larger). */
export const KEY_ANGLE = THREE.MathUtils.degToRad(5);
export const KEY_ANGLE_FAST = THREE.MathUtils.degToRad(15);
/** Distance factor per + key press (− divides by it). */
export const KEY_DOLLY = 0.85;
/**
 * Largest distance (world units) of a dropped iterate from the simplified
 * path: about half a CSS pixel at the closest zoom on the largest canvas.
 */
export const PATH_TOLERANCE = 0.0005;

export function webglAvailable(): boolean {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch {
    return false;
  }
}

/** A camera-facing sprite of constant pixel size `w` × `h` (CSS px). */
export interface PxSprite {
  sprite: THREE.Sprite;
  w: number;
  h: number;
}

/** A tick or axis label: where it belongs and which way is away from its axis. */
export interface Label extends PxSprite {
  /** Size of the text itself, without the halo padding (for placement and overlap). */
  tw: number;
  th: number;
  at: THREE.Vector3;
  out: THREE.Vector3;
  gap: number;
}

/** One trajectory's objects, and what setFrame needs to cut it at a step. */
export interface Trail {
  /** The line, with its dashed copy and its casing as children (the three share its geometry); null under two points. */
  line: Line2 | null;
  head: THREE.Mesh;
  exit: THREE.Mesh | null;
  /** World position (xyz) of each of the `count` iterates drawn. */
  pos: Float32Array;
  count: number;
  /** The iterates that are the line's vertices (simplifyPath of pos). */
  kept: Int32Array;
  /** For each iterate, the index in `kept` of the last vertex at or before it. */
  lastKept: Int32Array;
  /** The line's segments (start xyz, end xyz) and their dash distances (start, end), as uploaded to the GPU. */
  segs: THREE.InterleavedBuffer | null;
  dists: THREE.InterleavedBuffer | null;
  /** The segment whose end stands at the head instead of at its vertex (−1: none). */
  cut: number;
  /** Segments changed since the last upload (lo > hi: none), and the reused upload ranges. */
  dirtyLo: number;
  dirtyHi: number;
  segRange: { start: number; count: number };
  distRange: { start: number; count: number };
}

/** Texture resolution over CSS pixels: crisp on HiDPI screens and in 2× exports. */
export const TEXTURE_SCALE = 2;

export function canvasSprite(w: number, h: number, draw: (ctx: CanvasRenderingContext2D) => void, renderOrder: number): PxSprite {
  const c = document.createElement("canvas");
  c.width = Math.ceil(w * TEXTURE_SCALE);
  c.height = Math.ceil(h * TEXTURE_SCALE);
  const ctx = c.getContext("2d");
  if (ctx) {
    ctx.scale(c.width / w, c.height / h);
    draw(ctx);
  }
  const map = new THREE.CanvasTexture(c);
  map.colorSpace = THREE.SRGBColorSpace;
  map.minFilter = THREE.LinearFilter;
  map.generateMipmaps = false;
  // Over everything and always upright: labels and markers must stay readable.
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map, depthTest: false, depthWrite: false, sizeAttenuation: false }));
  sprite.renderOrder = renderOrder;
  return { sprite, w, h };
}

let measureCtx: CanvasRenderingContext2D | null = null;

export function textSprite(s: string, px: number, italic = false): Omit<Label, "at" | "out" | "gap"> {
  const font = `${italic ? "italic " : ""}${px}px "${FONT_FAMILY}", sans-serif`;
  measureCtx ??= document.createElement("canvas").getContext("2d");
  let tw = s.length * px * 0.6;
  if (measureCtx) {
    measureCtx.font = font;
    tw = measureCtx.measureText(s).width;
  }
  const th = Math.round(px * 1.15);
  const pad = 3; // room for the white halo
  const w = Math.ceil(tw) + 2 * pad;
  const h = th + 2 * pad;
  const ps = canvasSprite(
    w,
    h,
    (ctx) => {
      ctx.font = font;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      // A halo keeps the text legible where it crosses the surface or a line.
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.strokeText(s, w / 2, h / 2 + 0.5);
      ctx.fillStyle = INK;
      ctx.fillText(s, w / 2, h / 2 + 0.5);
    },
    10,
  );
  return { ...ps, tw, th };
}

/** The 2-D start marker (a hollow ring in the trajectory's colour), as a sprite. */
export function startSprite(color: string): PxSprite {
  const size = 14;
  return canvasSprite(
    size,
    size,
    (ctx) => {
      ctx.beginPath();
      ctx.arc(size / 2, size / 2, 4.6, 0, 2 * Math.PI);
      ctx.fillStyle = MARKER_FILL;
      ctx.fill();
      ctx.lineWidth = 2.4;
      ctx.strokeStyle = color;
      ctx.stroke();
    },
    5,
  );
}

/**
 * Douglas–Peucker on the first `n` points of `p` (xyz): the indices, in
 * order, of the vertices to keep so that every dropped point lies within
 * `tol` of the simplified path (distances to segments, so a path that turns
 * back keeps its turn). The first and last points are always kept.
 */
export function simplifyPath(p: Float32Array, n: number, tol: number): Int32Array {
  if (n <= 2) return Int32Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  let kept = 2;
  const tol2 = tol * tol;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const ax = p[a * 3],
      ay = p[a * 3 + 1],
      az = p[a * 3 + 2];
    const dx = p[b * 3] - ax,
      dy = p[b * 3 + 1] - ay,
      dz = p[b * 3 + 2] - az;
    const len2 = dx * dx + dy * dy + dz * dz;
    let worst = -1;
    let worst2 = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = p[i * 3] - ax,
        py = p[i * 3 + 1] - ay,
        pz = p[i * 3 + 2] - az;
      const u = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy + pz * dz) / len2)) : 0;
      const ex = px - u * dx,
        ey = py - u * dy,
        ez = pz - u * dz;
      const d2 = ex * ex + ey * ey + ez * ez;
      if (d2 > worst2) {
        worst2 = d2;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      kept++;
      stack.push(a, worst, worst, b);
    }
  }
  const idx = new Int32Array(kept);
  for (let i = 0, j = 0; i < n; i++) if (keep[i]) idx[j++] = i;
  return idx;
}

/** The grid a surface was built from (a copy), and the mapping from data to world units it fixed. */
export interface World {
  nx: number;
  ny: number;
  x: [number, number];
  y: [number, number];
  values: Float64Array;
  /** f to height (clipped to the surface's range), x and y to world units. */
  toZ: (f: number) => number;
  X: (x: number) => number;
  Y: (y: number) => number;
}

export function sameGrid(w: World, d: SurfaceData): boolean {
  if (w.nx !== d.nx || w.ny !== d.ny || w.x[0] !== d.x[0] || w.x[1] !== d.x[1] || w.y[0] !== d.y[0] || w.y[1] !== d.y[1]) return false;
  if (w.values.length !== d.values.length) return false;
  for (let i = 0; i < w.values.length; i++) {
    const a = w.values[i];
    const b = d.values[i];
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return false; // NaN equals NaN here
  }
  return true;
}

export function disposeTree(root: THREE.Object3D) {
  root.traverse((o) => {
    // Sprites share one geometry owned by three.js.
    if (!(o instanceof THREE.Sprite)) (o as THREE.Mesh).geometry?.dispose();
    const mat = (o as THREE.Mesh).material as THREE.Material | THREE.Material[] | undefined;
    for (const m of mat === undefined ? [] : Array.isArray(mat) ? mat : [mat]) {
      const map = (m as THREE.Material & { map?: THREE.Texture | null }).map;
      map?.dispose();
      m.dispose();
    }
  });
}

/** A 3-D view in `container`, or null when this browser has no WebGL. */
