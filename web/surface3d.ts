/**
 * The 3-D view: the function's surface (three.js, vertex colours from the
 * plotting library's viridis, z clipped to the same robust range as the SVG
 * surface) with the trajectories drawn on it, axes and orbit controls.
 * Loaded on demand, so the page does not pay for three.js until the view is
 * opened.
 *
 * - World units: the floor's longer side is 2, centred on the origin; the
 *   surface spans z ∈ [0, H] (the clipped f range mapped linearly).
 * - Axes follow the SVG surface: x and y ticks on the two floor edges nearest
 *   the camera, f on the vertical edge furthest left on screen. Labels are
 *   sprites of constant pixel size, placed in screen space beside their tick
 *   (so they read at any zoom and orbit) and re-laid out when the camera
 *   moves; one that would overlap a placed label is hidden.
 * - Trajectories are Line2 (WebGL ignores line widths): a cased solid line
 *   where the path is in view, dashed where a hill hides it. The three lines
 *   share one geometry: the path simplified to what the screen can show (a
 *   long race's thousands of sub-pixel steps cost the GPU and draw nothing),
 *   cut at the animation frame by its instanceCount and one segment's end,
 *   so a frame uploads a segment or two. As in the SVG plots, a path is cut
 *   where it leaves the window (an arrowhead marks the exit), the start is a
 *   hollow ring and the head a ball.
 * - Drawn on demand: after a change (data, frame, size, camera; the camera
 *   glides on for a while after a drag), never in an idle loop.
 * - Keyboard (the canvas takes focus): arrows orbit (Shift: bigger steps),
 *   + and − zoom, 0 or Home goes back to the fitted view.
 */
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { Line2 } from "three/addons/lines/Line2.js";
import { LineGeometry } from "three/addons/lines/LineGeometry.js";
import { LineMaterial } from "three/addons/lines/LineMaterial.js";
import { FONT_FAMILY, MARKER_FILL, linearScale, surfaceZRange, viridisRgb } from "optimlab/plot";

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
const H = 0.9;
/** Just under the surface's lowest point, so floor lines never z-fight with it. */
const FLOOR_Z = -0.03;
/** Trajectories float this far above the surface. */
const LIFT = 0.02;
/** Tick mark length in world units. */
const TICK = 0.05;
const INK = "#333333";
const TICK_PX = 12;
const NAME_PX = 14;
/** Pixels between a tick's outer end and its label. */
const LABEL_GAP = 5;
/** The default view: from the front left, 27° above the floor. */
const VIEW_DIR = new THREE.Vector3(-2.2, -2.6, 1.7).normalize();
/** How close and how far the camera may go from the box's centre (the fitted view is about 4–5 away). */
const MIN_DISTANCE = 1.2;
const MAX_DISTANCE = 16;
/** Orbit per arrow key press (Shift: the larger). */
const KEY_ANGLE = THREE.MathUtils.degToRad(5);
const KEY_ANGLE_FAST = THREE.MathUtils.degToRad(15);
/** Distance factor per + key press (− divides by it). */
const KEY_DOLLY = 0.85;
/**
 * Largest distance (world units) of a dropped iterate from the simplified
 * path: about half a CSS pixel at the closest zoom on the largest canvas.
 */
const PATH_TOLERANCE = 0.0005;

function webglAvailable(): boolean {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch {
    return false;
  }
}

/** A camera-facing sprite of constant pixel size `w` × `h` (CSS px). */
interface PxSprite {
  sprite: THREE.Sprite;
  w: number;
  h: number;
}

/** A tick or axis label: where it belongs and which way is away from its axis. */
interface Label extends PxSprite {
  /** Size of the text itself, without the halo padding (for placement and overlap). */
  tw: number;
  th: number;
  at: THREE.Vector3;
  out: THREE.Vector3;
  gap: number;
}

/** One trajectory's objects, and what setFrame needs to cut it at a step. */
interface Trail {
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
const TEXTURE_SCALE = 2;

function canvasSprite(w: number, h: number, draw: (ctx: CanvasRenderingContext2D) => void, renderOrder: number): PxSprite {
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

function textSprite(s: string, px: number, italic = false): Omit<Label, "at" | "out" | "gap"> {
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
  const ps = canvasSprite(w, h, (ctx) => {
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
  }, 10);
  return { ...ps, tw, th };
}

/** The 2-D start marker (a hollow ring in the trajectory's colour), as a sprite. */
function startSprite(color: string): PxSprite {
  const size = 14;
  return canvasSprite(size, size, (ctx) => {
    ctx.beginPath();
    ctx.arc(size / 2, size / 2, 4.6, 0, 2 * Math.PI);
    ctx.fillStyle = MARKER_FILL;
    ctx.fill();
    ctx.lineWidth = 2.4;
    ctx.strokeStyle = color;
    ctx.stroke();
  }, 5);
}

/**
 * Douglas–Peucker on the first `n` points of `p` (xyz): the indices, in
 * order, of the vertices to keep so that every dropped point lies within
 * `tol` of the simplified path (distances to segments, so a path that turns
 * back keeps its turn). The first and last points are always kept.
 */
function simplifyPath(p: Float32Array, n: number, tol: number): Int32Array {
  if (n <= 2) return Int32Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  let kept = 2;
  const tol2 = tol * tol;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const ax = p[a * 3], ay = p[a * 3 + 1], az = p[a * 3 + 2];
    const dx = p[b * 3] - ax, dy = p[b * 3 + 1] - ay, dz = p[b * 3 + 2] - az;
    const len2 = dx * dx + dy * dy + dz * dz;
    let worst = -1;
    let worst2 = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = p[i * 3] - ax, py = p[i * 3 + 1] - ay, pz = p[i * 3 + 2] - az;
      const u = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy + pz * dz) / len2)) : 0;
      const ex = px - u * dx, ey = py - u * dy, ez = pz - u * dz;
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
interface World {
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

function sameGrid(w: World, d: SurfaceData): boolean {
  if (w.nx !== d.nx || w.ny !== d.ny || w.x[0] !== d.x[0] || w.x[1] !== d.x[1] || w.y[0] !== d.y[0] || w.y[1] !== d.y[1]) return false;
  if (w.values.length !== d.values.length) return false;
  for (let i = 0; i < w.values.length; i++) {
    const a = w.values[i];
    const b = d.values[i];
    if (a !== b && !(a !== a && b !== b)) return false; // NaN equals NaN here
  }
  return true;
}

function disposeTree(root: THREE.Object3D) {
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
export function createSurfaceView(container: HTMLElement): SurfaceView | null {
  if (!webglAvailable()) return null;
  let renderer: THREE.WebGLRenderer;
  try {
    renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  } catch {
    return null;
  }
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  renderer.setClearColor(0xffffff);
  container.replaceChildren(renderer.domElement);
  renderer.domElement.setAttribute("aria-label", "3-D surface: drag or arrow keys to orbit, scroll or +/− to zoom, 0 to reset");
  renderer.domElement.tabIndex = 0;

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(40, 1, 0.01, 100);
  camera.up.set(0, 0, 1);
  camera.position.copy(VIEW_DIR).multiplyScalar(4);
  // Its own keys pan (and orbit a degree with Shift): not listened to; see onKey.
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.enableDamping = true;
  controls.minDistance = MIN_DISTANCE;
  controls.maxDistance = MAX_DISTANCE;
  controls.target.set(0, 0, 0.3);
  // Once the user has moved the camera, resizes and new data keep their view.
  let userMoved = false;
  controls.addEventListener("start", () => (userMoved = true));
  let layoutDirty = true;
  controls.addEventListener("change", () => {
    layoutDirty = true;
    requestRender();
  });
  scene.add(new THREE.AmbientLight(0xffffff, 0.75));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(-1, -2, 3);
  scene.add(sun);

  // The surface, its mesh and the axes depend on the grid only; new runs on
  // the same grid (an optimizer edit) rebuild the trajectories alone.
  const surfaceGroup = new THREE.Group();
  const trailGroup = new THREE.Group();
  scene.add(surfaceGroup, trailGroup);
  let data: SurfaceData | null = null;
  let world: World | null = null;
  let trails: Trail[] = [];
  let labelSprites: PxSprite[] = [];
  let startSprites: PxSprite[] = [];
  let axes: {
    hx: number;
    hy: number;
    x: { at: number; label: Label }[];
    y: { at: number; label: Label }[];
    f: { at: number; label: Label }[];
    names: { x: Label; y: Label; f: Label };
    ticks: THREE.LineSegments;
  } | null = null;
  let width = 600;
  let height = 480;

  function clearGroup(g: THREE.Group) {
    for (const c of [...g.children]) {
      g.remove(c);
      disposeTree(c);
    }
  }

  function clearSurface() {
    clearGroup(surfaceGroup);
    labelSprites = [];
    axes = null;
    world = null;
  }

  function clearTrails() {
    clearGroup(trailGroup);
    trails = [];
    startSprites = [];
  }

  function build(d: SurfaceData) {
    if (!world || !sameGrid(world, d)) {
      clearSurface();
      world = buildSurface(d);
    }
    clearTrails();
    buildTrails(d, world);
    setFrame(d.frame);
    fitCamera();
    layoutDirty = true;
    requestRender();
  }

  /** The surface, its sparse mesh and the axes; returns the mapping to world units they fix. */
  function buildSurface(d: SurfaceData): World {
    const { lo, hi } = surfaceZRange(d.values);
    const span = hi > lo ? hi - lo : 1;
    const toZ = (v: number) => ((Math.min(hi, Math.max(lo, v)) - lo) / span) * H;
    const sx = d.x[1] - d.x[0];
    const sy = d.y[1] - d.y[0];
    const s = 2 / Math.max(sx, sy);
    const X = (x: number) => (x - (d.x[0] + sx / 2)) * s;
    const Y = (y: number) => (y - (d.y[0] + sy / 2)) * s;
    const hx = (sx * s) / 2;
    const hy = (sy * s) / 2;

    // Surface (a coarser grid is plenty for shading).
    const step = Math.max(1, Math.floor(d.nx / 80));
    const cols = Math.floor((d.nx - 1) / step) + 1;
    const rows = Math.floor((d.ny - 1) / step) + 1;
    const pos = new Float32Array(cols * rows * 3);
    const col = new Float32Array(cols * rows * 3);
    const c = new THREE.Color();
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const gi = i * step;
        const gj = j * step;
        const v = d.values[gj * d.nx + gi];
        const z = Number.isFinite(v) ? toZ(v) : H;
        const k = (j * cols + i) * 3;
        pos[k] = X(d.x[0] + (gi * sx) / (d.nx - 1));
        pos[k + 1] = Y(d.y[0] + (gj * sy) / (d.ny - 1));
        pos[k + 2] = z;
        // viridis is defined in sRGB; three.js shades in linear light.
        const [r, g, b] = viridisRgb(z / H);
        c.setRGB(r / 255, g / 255, b / 255, THREE.SRGBColorSpace);
        col[k] = c.r;
        col[k + 1] = c.g;
        col[k + 2] = c.b;
      }
    }
    const idx = cols * rows <= 65536 ? new Uint16Array((cols - 1) * (rows - 1) * 6) : new Uint32Array((cols - 1) * (rows - 1) * 6);
    for (let j = 0, q = 0; j < rows - 1; j++) {
      for (let i = 0; i < cols - 1; i++, q += 6) {
        const a = j * cols + i;
        idx[q] = a;
        idx[q + 1] = a + 1;
        idx[q + 2] = a + cols;
        idx[q + 3] = a + 1;
        idx[q + 4] = a + cols + 1;
        idx[q + 5] = a + cols;
      }
    }
    const geo = new THREE.BufferGeometry();
    geo.setAttribute("position", new THREE.BufferAttribute(pos, 3));
    geo.setAttribute("color", new THREE.BufferAttribute(col, 3));
    geo.setIndex(new THREE.BufferAttribute(idx, 1));
    geo.computeVertexNormals();
    // Pushed back a little so the mesh lines drawn on it are not cut by it.
    const surfaceMat = new THREE.MeshLambertMaterial({ vertexColors: true, side: THREE.DoubleSide, polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1 });
    surfaceGroup.add(new THREE.Mesh(geo, surfaceMat));

    // A sparse mesh (about 20 lines each way) shows the shape without hatching the colours.
    const every = Math.max(1, Math.round(Math.max(cols, rows) / 20));
    const mesh: number[] = [];
    const vtx = (i: number, j: number) => {
      const k = (j * cols + i) * 3;
      mesh.push(pos[k], pos[k + 1], pos[k + 2]);
    };
    const picks = (n: number) => {
      const r: number[] = [];
      for (let i = 0; i < n - 1; i += every) r.push(i);
      r.push(n - 1);
      return r;
    };
    for (const j of picks(rows)) for (let i = 0; i + 1 < cols; i++) vtx(i, j), vtx(i + 1, j);
    for (const i of picks(cols)) for (let j = 0; j + 1 < rows; j++) vtx(i, j), vtx(i, j + 1);
    const meshGeo = new THREE.BufferGeometry();
    meshGeo.setAttribute("position", new THREE.Float32BufferAttribute(mesh, 3));
    surfaceGroup.add(new THREE.LineSegments(meshGeo, new THREE.LineBasicMaterial({ color: 0x000000, transparent: true, opacity: 0.13 })));

    buildAxes(d, lo, hi, X, Y, hx, hy);
    return { nx: d.nx, ny: d.ny, x: [d.x[0], d.x[1]], y: [d.y[0], d.y[1]], values: Float64Array.from(d.values), toZ, X, Y };
  }

  /**
   * Trajectories, lifted slightly off the surface and cut where they leave
   * the window (the window always holds the start), as in the SVG plots.
   */
  function buildTrails(d: SurfaceData, w: World) {
    const { toZ, X, Y, values, nx, ny } = w;
    const [x0, x1] = w.x;
    const [y0, y1] = w.y;
    const sx = x1 - x0;
    const sy = y1 - y0;
    const inside = (x: number, y: number) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
    // f on the window's edge, from the grid: interpolating the losses of the
    // two iterates would put the crossing far off the surface when f explodes outside.
    const fAt = (x: number, y: number) => {
      const u = ((x - x0) / sx) * (nx - 1);
      const v = ((y - y0) / sy) * (ny - 1);
      const i = Math.min(nx - 2, Math.max(0, Math.floor(u)));
      const j = Math.min(ny - 2, Math.max(0, Math.floor(v)));
      const a = u - i;
      const b = v - j;
      const g = (ii: number, jj: number) => values[jj * nx + ii];
      return (1 - a) * (1 - b) * g(i, j) + a * (1 - b) * g(i + 1, j) + (1 - a) * b * g(i, j + 1) + a * b * g(i + 1, j + 1);
    };
    for (const [k, t] of d.trajectories.entries()) {
      const n = t.points.length;
      const p = new Float32Array(Math.max(1, n) * 3);
      let count = 0;
      let exit: THREE.Mesh | null = null;
      const put = (i: number, x: number, y: number, z: number) => {
        p[i * 3] = X(x);
        p[i * 3 + 1] = Y(y);
        p[i * 3 + 2] = toZ(z) + LIFT;
        count = i + 1;
      };
      for (let i = 0; i < n; i++) {
        const x = t.points[i][0];
        const y = t.points[i][1];
        const z = t.loss[i];
        if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) break;
        if (inside(x, y) || i === 0) {
          put(i, x, y, z);
          continue;
        }
        // The last vertex is where the step crosses the window's edge, marked by an arrowhead.
        const px = t.points[i - 1][0];
        const py = t.points[i - 1][1];
        let f = 1;
        if (x < x0) f = Math.min(f, (x0 - px) / (x - px));
        if (x > x1) f = Math.min(f, (x1 - px) / (x - px));
        if (y < y0) f = Math.min(f, (y0 - py) / (y - py));
        if (y > y1) f = Math.min(f, (y1 - py) / (y - py));
        const cx = px + (x - px) * f;
        const cy = py + (y - py) * f;
        const cz = fAt(cx, cy);
        put(i, cx, cy, Number.isFinite(cz) ? cz : t.loss[i - 1]);
        const tip = new THREE.Vector3(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]);
        const dir = tip.clone().sub(new THREE.Vector3(p[i * 3 - 3], p[i * 3 - 2], p[i * 3 - 1]));
        if (dir.lengthSq() > 0) {
          dir.normalize();
          const len = 0.1;
          exit = new THREE.Mesh(new THREE.ConeGeometry(0.04, len, 16), new THREE.MeshLambertMaterial({ color: t.color, transparent: true }));
          exit.quaternion.setFromUnitVectors(new THREE.Vector3(0, 1, 0), dir);
          exit.position.copy(tip).addScaledVector(dir, -len / 2);
          exit.renderOrder = 4;
          trailGroup.add(exit);
        }
        break;
      }
      let line: Line2 | null = null;
      const kept = simplifyPath(p, count, PATH_TOLERANCE);
      const lastKept = new Int32Array(count);
      for (let i = 0, j = 0; i < count; i++) {
        while (j + 1 < kept.length && kept[j + 1] <= i) j++;
        lastKept[i] = j;
      }
      // LineGeometry needs two points (one segment) for its bounding sphere.
      if (kept.length >= 2) {
        const verts = new Float32Array(kept.length * 3);
        for (const [j, i] of kept.entries()) verts.set(p.subarray(i * 3, i * 3 + 3), j * 3);
        const lg = new LineGeometry();
        lg.setPositions(verts);
        // No resolution to keep up to date on resize: Line2.onBeforeRender
        // sets LineMaterial's from the renderer's viewport before each draw.
        //
        // Painted in order, like the SVG plots' layers (transparent objects
        // are drawn after the surface and its mesh, sorted by renderOrder): a
        // faded dashed copy through the surface; white casings (so dark lines
        // show on viridis' dark end); the lines, later trajectories over
        // earlier ones where paths coincide. Casings and lines are depth-tested
        // and cover the dashes wherever the path is in view, so what stays
        // dashed is the part hidden behind a hill.
        const faded = new THREE.Color(t.color).lerp(new THREE.Color(0xffffff), 0.2);
        const behind = new Line2(lg, new LineMaterial({ color: faded, linewidth: 2, dashed: true, dashSize: 0.035, gapSize: 0.025, transparent: true, depthTest: false, depthWrite: false }));
        behind.computeLineDistances();
        behind.renderOrder = 1;
        const casing = new Line2(lg, new LineMaterial({ color: 0xffffff, linewidth: 6.5, transparent: true, depthWrite: false }));
        casing.renderOrder = 2;
        line = new Line2(lg, new LineMaterial({ color: t.color, linewidth: 3.5, transparent: true, depthWrite: false }));
        line.renderOrder = 3 + k / 1000;
        line.add(behind, casing);
        trailGroup.add(line);
      }
      const head = new THREE.Mesh(new THREE.SphereGeometry(0.042, 20, 14), new THREE.MeshLambertMaterial({ color: t.color, transparent: true }));
      head.renderOrder = 4;
      trailGroup.add(head);
      if (count > 0) {
        const start = startSprite(t.color);
        start.sprite.position.set(p[0], p[1], p[2]);
        trailGroup.add(start.sprite);
        startSprites.push(start);
      }
      const buffer = (name: string) => (line?.geometry.getAttribute(name) as THREE.InterleavedBufferAttribute | undefined)?.data ?? null;
      trails.push({
        line, head, exit, pos: p, count, kept, lastKept,
        segs: buffer("instanceStart"),
        dists: buffer("instanceDistanceStart"),
        cut: -1, dirtyLo: Infinity, dirtyHi: -1,
        segRange: { start: 0, count: 0 },
        distRange: { start: 0, count: 0 },
      });
    }
  }

  /** Floor, ticks and labels; their placement depends on the view (see layout). */
  function buildAxes(d: SurfaceData, lo: number, hi: number, X: (x: number) => number, Y: (y: number) => number, hx: number, hy: number) {
    const floor = new THREE.Mesh(new THREE.PlaneGeometry(2 * hx, 2 * hy), new THREE.MeshBasicMaterial({ color: 0xf3f3f3 }));
    floor.position.z = FLOOR_Z - 0.002;
    surfaceGroup.add(floor);
    const xs = linearScale(d.x, [0, 1]);
    const ys = linearScale(d.y, [0, 1]);
    const fs = linearScale([lo, hi], [0, H]);
    const xt = xs.ticks(5);
    const yt = ys.ticks(5);
    const ft = hi > lo ? fs.ticks(4) : [lo];
    const grid: number[] = [];
    for (const v of xt) grid.push(X(v), -hy, FLOOR_Z, X(v), hy, FLOOR_Z);
    for (const v of yt) grid.push(-hx, Y(v), FLOOR_Z, hx, Y(v), FLOOR_Z);
    const gridGeo = new THREE.BufferGeometry();
    gridGeo.setAttribute("position", new THREE.Float32BufferAttribute(grid, 3));
    surfaceGroup.add(new THREE.LineSegments(gridGeo, new THREE.LineBasicMaterial({ color: 0xd0d0d0 })));
    const outline = new THREE.BufferGeometry().setFromPoints([
      new THREE.Vector3(-hx, -hy, FLOOR_Z),
      new THREE.Vector3(hx, -hy, FLOOR_Z),
      new THREE.Vector3(hx, hy, FLOOR_Z),
      new THREE.Vector3(-hx, hy, FLOOR_Z),
    ]);
    surfaceGroup.add(new THREE.LineLoop(outline, new THREE.LineBasicMaterial({ color: 0x888888 })));
    // Tick marks and the f axis: rewritten by layout() for the current view.
    const nSeg = xt.length + yt.length + ft.length + 1;
    const tickGeo = new THREE.BufferGeometry();
    tickGeo.setAttribute("position", new THREE.BufferAttribute(new Float32Array(nSeg * 6), 3));
    const ticks = new THREE.LineSegments(tickGeo, new THREE.LineBasicMaterial({ color: 0x555555 }));
    ticks.frustumCulled = false;
    surfaceGroup.add(ticks);

    const label = (s: string, px = TICK_PX, italic = false): Label => {
      const l: Label = { ...textSprite(s, px, italic), at: new THREE.Vector3(), out: new THREE.Vector3(), gap: LABEL_GAP };
      surfaceGroup.add(l.sprite);
      labelSprites.push(l);
      return l;
    };
    const xl = xs.tickLabels(xt);
    const yl = ys.tickLabels(yt);
    const fl = fs.tickLabels(ft);
    axes = {
      hx,
      hy,
      x: xt.map((v, i) => ({ at: X(v), label: label(xl[i]) })),
      y: yt.map((v, i) => ({ at: Y(v), label: label(yl[i]) })),
      f: ft.map((v, i) => ({ at: fs.map(v), label: label(fl[i]) })),
      names: { x: label("x", NAME_PX, true), y: label("y", NAME_PX, true), f: label("f(x, y)", NAME_PX, true) },
      ticks,
    };
  }

  const ndc = new THREE.Vector3();
  /** CSS pixel position of a world point (y down), and its depth in NDC. */
  function toScreen(p: THREE.Vector3): [number, number, number] {
    ndc.copy(p).project(camera);
    return [((ndc.x + 1) / 2) * width, ((1 - ndc.y) / 2) * height, ndc.z];
  }

  /**
   * Puts the tick marks on the edges facing the camera and each label beside
   * its tick, as the SVG surface does: the label's box is centred on the
   * tick's screen direction, its near side `gap` px from the tick's end.
   */
  function layout() {
    if (!axes) return;
    const { hx, hy } = axes;
    const rel = camera.position.clone().sub(controls.target);
    const qx = rel.x >= 0 ? 1 : -1;
    const qy = rel.y >= 0 ? 1 : -1;
    const ex = qx * hx; // the y axis runs along x = ex
    const ey = qy * hy; // the x axis runs along y = ey
    const c1 = new THREE.Vector3(ex, -ey, 0);
    const c2 = new THREE.Vector3(-ex, ey, 0);
    const corner = toScreen(c1)[0] <= toScreen(c2)[0] ? c1 : c2;
    const fOut = new THREE.Vector3(Math.sign(corner.x), Math.sign(corner.y), 0).normalize();
    const xOut = new THREE.Vector3(0, qy, 0);
    const yOut = new THREE.Vector3(qx, 0, 0);

    const seg: number[] = [];
    const tick = (l: Label, at: THREE.Vector3, out: THREE.Vector3) => {
      seg.push(at.x, at.y, at.z, at.x + out.x * TICK, at.y + out.y * TICK, at.z + out.z * TICK);
      l.at.copy(at).addScaledVector(out, TICK);
      l.out.copy(out);
    };
    for (const t of axes.x) tick(t.label, new THREE.Vector3(t.at, ey, FLOOR_Z), xOut);
    for (const t of axes.y) tick(t.label, new THREE.Vector3(ex, t.at, FLOOR_Z), yOut);
    for (const t of axes.f) tick(t.label, new THREE.Vector3(corner.x, corner.y, t.at), fOut);
    const top = H + 0.1;
    seg.push(corner.x, corner.y, FLOOR_Z, corner.x, corner.y, top);
    const attr = axes.ticks.geometry.getAttribute("position") as THREE.BufferAttribute;
    (attr.array as Float32Array).set(seg);
    attr.needsUpdate = true;

    // Sprites without size attenuation are sized in view units at distance 1.
    const k = (2 * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2)) / height;
    for (const p of labelSprites) p.sprite.scale.set(p.w * k, p.h * k, 1);
    for (const p of startSprites) p.sprite.scale.set(p.w * k, p.h * k, 1);

    type Box = [number, number, number, number];
    const placed: Box[] = [];
    const from = new THREE.Vector3();
    /** Positions `l`; returns its far extent from the tick along the tick's screen direction. */
    const place = (l: Label, exclusive: boolean): number => {
      const [ax, ay, az] = toScreen(l.at);
      const [bx, by] = toScreen(from.copy(l.at).addScaledVector(l.out, 0.1));
      let dx = bx - ax;
      let dy = by - ay;
      const len = Math.hypot(dx, dy);
      if (len < 1e-6) [dx, dy] = [0, 1];
      else [dx, dy] = [dx / len, dy / len];
      const half = Math.min(Math.abs(dx) > 1e-6 ? l.tw / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 1e-6 ? l.th / 2 / Math.abs(dy) : Infinity);
      const cx = ax + dx * (l.gap + half);
      const cy = ay + dy * (l.gap + half);
      const box: Box = [cx - l.tw / 2 - 1, cy - l.th / 2, cx + l.tw / 2 + 1, cy + l.th / 2];
      const hidden = az > 1 || (exclusive && placed.some((q) => box[0] < q[2] && q[0] < box[2] && box[1] < q[3] && q[1] < box[3]));
      l.sprite.visible = !hidden;
      if (!hidden) {
        placed.push(box);
        ndc.set((cx / width) * 2 - 1, 1 - (cy / height) * 2, az).unproject(camera);
        l.sprite.position.copy(ndc);
      }
      return l.gap + 2 * half;
    };
    // Names go beyond the tick labels of their axis, so place those first.
    const axisName = (ticks: { label: Label }[], name: Label, at: THREE.Vector3, out: THREE.Vector3) => {
      let ext = 0;
      for (const t of ticks) ext = Math.max(ext, place(t.label, false));
      name.at.copy(at);
      name.out.copy(out);
      name.gap = ext + 6;
      place(name, false);
    };
    placed.length = 0;
    axisName(axes.x, axes.names.x, new THREE.Vector3(0, ey + qy * TICK, FLOOR_Z), xOut);
    axisName(axes.y, axes.names.y, new THREE.Vector3(ex + qx * TICK, 0, FLOOR_Z), yOut);
    const fName = axes.names.f;
    fName.at.set(corner.x, corner.y, top);
    fName.out.set(0, 0, 1);
    fName.gap = 6;
    // Then the real pass: names always, ticks in order f, x, y unless they collide.
    placed.length = 0;
    for (const n of [axes.names.x, axes.names.y, fName]) place(n, false);
    // The x or y tick at the foot of the f axis would read as an f value.
    for (const t of axes.x) if (Math.abs(t.at - corner.x) < 0.04 * hx && corner.y === ey) t.label.sprite.visible = false;
    for (const t of axes.y) if (Math.abs(t.at - corner.y) < 0.04 * hy && corner.x === ex) t.label.sprite.visible = false;
    for (const t of axes.f) place(t.label, true);
    for (const t of [...axes.x, ...axes.y]) if (t.label.sprite.visible) place(t.label, true);
  }

  /**
   * Screen shift of the whole view, as fractions of the canvas size: the
   * labels need more room on the left (f) than on the right in every view, so
   * a constant shift keeps the figure centred while the camera orbits around
   * the middle of the box.
   */
  let shift: [number, number] = [0, 0];
  function applyShift() {
    camera.setViewOffset(width, height, -shift[0] * width, -shift[1] * height, width, height);
  }

  /**
   * The default view, moved back until the floor and the surface fit the
   * canvas with room around them for the labels, and shifted to centre them.
   */
  function fitCamera() {
    if (userMoved || !axes) return;
    const { hx, hy } = axes;
    const pts: THREE.Vector3[] = [];
    for (const x of [-hx - TICK, hx + TICK]) for (const y of [-hy - TICK, hy + TICK]) for (const z of [FLOOR_Z, H + 0.1]) pts.push(new THREE.Vector3(x, y, z));
    // Room for the labels in pixels (the f labels are on the left, names below and on top).
    const [left, right, top, bottom] = [62, 36, 34, 44];
    const availW = Math.max(40, width - left - right);
    const availH = Math.max(40, height - top - bottom);
    const target = new THREE.Vector3(0, 0, (FLOOR_Z + H) / 2);
    camera.clearViewOffset();
    const bounds = (dist: number) => {
      camera.position.copy(target).addScaledVector(VIEW_DIR, dist);
      camera.lookAt(target);
      camera.updateMatrixWorld();
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const p of pts) {
        const [x, y] = toScreen(p);
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
      return { x0, y0, x1, y1 };
    };
    let a = 0.5;
    let b = 40;
    for (let i = 0; i < 40; i++) {
      const mid = (a + b) / 2;
      const r = bounds(mid);
      if (r.x1 - r.x0 > availW || r.y1 - r.y0 > availH) a = mid;
      else b = mid;
    }
    const r = bounds(b);
    shift = [(left + availW / 2 - (r.x0 + r.x1) / 2) / width, (top + availH / 2 - (r.y0 + r.y1) / 2) / height];
    applyShift();
    controls.target.copy(target);
    controls.update();
    layoutDirty = true;
  }

  /** Moves the end of segment `seg` of `l`'s line to iterate `i` (its dash distance follows). */
  function moveEnd(l: Trail, seg: number, i: number) {
    if (!l.segs || !l.dists) return;
    const a = l.segs.array as Float32Array;
    const d = l.dists.array as Float32Array;
    const s = seg * 6;
    a[s + 3] = l.pos[i * 3];
    a[s + 4] = l.pos[i * 3 + 1];
    a[s + 5] = l.pos[i * 3 + 2];
    d[seg * 2 + 1] = d[seg * 2] + Math.hypot(a[s + 3] - a[s], a[s + 4] - a[s + 1], a[s + 5] - a[s + 2]);
    l.dirtyLo = Math.min(l.dirtyLo, seg);
    l.dirtyHi = Math.max(l.dirtyHi, seg);
  }

  /**
   * Shows each path up to step t: the line's vertices up to t, then, when
   * t falls between two vertices, the segment from the last one is cut
   * short at iterate t (and the previous cut segment restored). No
   * allocation, and at most two segments to upload.
   */
  function setFrame(t: number) {
    for (const l of trails) {
      const i = Math.max(0, Math.min(l.count - 1, t));
      if (l.line) {
        const j = l.lastKept[i];
        const seg = l.kept[j] < i ? j : -1;
        if (l.cut >= 0 && l.cut !== seg) moveEnd(l, l.cut, l.kept[l.cut + 1]);
        if (seg >= 0) moveEnd(l, seg, i);
        l.cut = seg;
        l.line.geometry.instanceCount = seg >= 0 ? j + 1 : j;
      }
      l.head.position.set(l.pos[i * 3], l.pos[i * 3 + 1], l.pos[i * 3 + 2]);
      // Past the window's edge the arrowhead stands in for the head.
      const out = l.exit !== null && t + 1 >= l.count;
      if (l.exit) l.exit.visible = out;
      l.head.visible = l.count > 0 && !out;
    }
  }

  /** Uploads the segments setFrame changed (one range per buffer, reused objects). */
  function uploadCuts() {
    for (const l of trails) {
      if (l.dirtyLo > l.dirtyHi || !l.segs || !l.dists) continue;
      const n = l.dirtyHi - l.dirtyLo + 1;
      l.segRange.start = l.dirtyLo * 6;
      l.segRange.count = n * 6;
      l.segs.updateRanges.push(l.segRange);
      l.segs.needsUpdate = true;
      l.distRange.start = l.dirtyLo * 2;
      l.distRange.count = n * 2;
      l.dists.updateRanges.push(l.distRange);
      l.dists.needsUpdate = true;
      l.dirtyLo = Infinity;
      l.dirtyHi = -1;
    }
  }

  function resize() {
    width = Math.max(280, container.clientWidth || 600);
    height = Math.min(Math.round(width * 0.8), 640);
    renderer.setSize(width, height);
    camera.aspect = width / height;
    applyShift();
    fitCamera();
    layoutDirty = true;
    requestRender();
  }

  function render() {
    if (layoutDirty) {
      layoutDirty = false;
      layout();
    }
    uploadCuts();
    renderer.render(scene, camera);
  }

  let alive = true;
  let renderRequested = false;
  /** Draws at the next animation frame, once however many changes come before it. */
  function requestRender() {
    if (renderRequested || !alive) return;
    renderRequested = true;
    requestAnimationFrame(drawFrame);
  }
  function drawFrame() {
    renderRequested = false;
    if (!alive) return;
    // With damping the camera glides on after a drag: while it moves, update()
    // fires "change", which asks for the next frame; once it settles, drawing stops.
    controls.update();
    render();
  }

  /**
   * Arrows orbit like a drag (azimuth; polar angle within the controls'
   * limits), + and − dolly within the distance limits, 0 or Home refits the
   * default view. Steps are applied at once, without the drag's glide, so a
   * step into a polar limit leaves nothing pending. Other keys (Tab) and
   * browser shortcuts (Ctrl, Alt, Meta) pass through.
   */
  function onKey(e: KeyboardEvent) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const angle = e.shiftKey ? KEY_ANGLE_FAST : KEY_ANGLE;
    const step = (move: () => void) => {
      userMoved = true;
      controls.enableDamping = false;
      move(); // the controls' move methods update() (and fire "change")
      controls.enableDamping = true;
    };
    switch (e.key) {
      case "ArrowLeft":
        step(() => controls.rotateLeft(angle));
        break;
      case "ArrowRight":
        step(() => controls.rotateLeft(-angle));
        break;
      case "ArrowUp":
        step(() => controls.rotateUp(angle));
        break;
      case "ArrowDown":
        step(() => controls.rotateUp(-angle));
        break;
      case "+":
      case "=":
        step(() => controls.dollyIn(KEY_DOLLY));
        break;
      case "-":
        step(() => controls.dollyOut(KEY_DOLLY));
        break;
      case "0":
      case "Home":
        // Drop what is left of a glide, then refit.
        controls.enableDamping = false;
        controls.update();
        controls.enableDamping = true;
        userMoved = false;
        fitCamera();
        break;
      default:
        return;
    }
    e.preventDefault();
  }
  renderer.domElement.addEventListener("keydown", onKey);

  resize();

  return {
    setData(d) {
      data = d;
      build(d);
    },
    setFrame(t) {
      if (!data) return;
      setFrame(t);
      requestRender();
    },
    resize,
    snapshot() {
      render();
      return renderer.domElement;
    },
    dispose() {
      alive = false;
      renderer.domElement.removeEventListener("keydown", onKey);
      clearTrails();
      clearSurface();
      controls.dispose();
      renderer.dispose();
    },
  };
}
