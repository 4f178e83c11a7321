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
 *
 * This file is the view (camera, layout, frames, keys); surface3d/build.ts
 * builds the scene's objects, surface3d/parts.ts holds what needs no scene.
 */
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import {
  FLOOR_Z,
  H,
  KEY_ANGLE,
  KEY_ANGLE_FAST,
  KEY_DOLLY,
  MAX_DISTANCE,
  MIN_DISTANCE,
  TICK,
  VIEW_DIR,
  disposeTree,
  sameGrid,
  webglAvailable,
} from "./surface3d/parts.js";
import type { Label, PxSprite, SurfaceData, SurfaceView, Trail, World } from "./surface3d/parts.js";
import { buildSurface, buildTrails, type Axes } from "./surface3d/build.js";

export type { SurfaceData, SurfaceView } from "./surface3d/parts.js";

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
  let axes: Axes | null = null;
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
      ({ world, axes, labels: labelSprites } = buildSurface(d, surfaceGroup));
    }
    clearTrails();
    ({ trails, starts: startSprites } = buildTrails(d, world, trailGroup));
    setFrame(d.frame);
    fitCamera();
    layoutDirty = true;
    requestRender();
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
