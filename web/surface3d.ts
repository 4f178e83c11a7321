/**
 * The 3-D view: the function's surface (three.js, vertex colours from the
 * plotting library's viridis, z clipped to the same robust range as the SVG
 * surface) with the trajectories drawn on it and orbit controls. Loaded on
 * demand, so the page does not pay for three.js until the view is opened.
 */
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { surfaceZRange, viridisRgb } from "optimlab/plot";

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

function webglAvailable(): boolean {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch {
    return false;
  }
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
  renderer.domElement.setAttribute("aria-label", "3-D surface; drag to orbit, scroll to zoom");
  renderer.domElement.tabIndex = 0;

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(40, 1, 0.01, 100);
  camera.up.set(0, 0, 1);
  camera.position.set(-2.2, -2.6, 2.0);
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.enableDamping = true;
  controls.target.set(0, 0, 0.3);
  controls.listenToKeyEvents(renderer.domElement);
  scene.add(new THREE.AmbientLight(0xffffff, 0.75));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(-1, -2, 3);
  scene.add(sun);

  const group = new THREE.Group();
  scene.add(group);
  let data: SurfaceData | null = null;
  let lines: { line: THREE.Line; head: THREE.Mesh; count: number }[] = [];
  let toZ = (v: number) => v;
  let toXY = (x: number, y: number): [number, number] => [x, y];

  function clear() {
    for (const c of [...group.children]) {
      group.remove(c);
      c.traverse((o) => {
        const m = o as THREE.Mesh;
        m.geometry?.dispose();
        const mat = m.material as THREE.Material | THREE.Material[] | undefined;
        if (Array.isArray(mat)) mat.forEach((x) => x.dispose());
        else mat?.dispose();
      });
    }
    lines = [];
  }

  function build(d: SurfaceData) {
    clear();
    const { lo, hi } = surfaceZRange(d.values);
    const span = hi > lo ? hi - lo : 1;
    const H = 0.9;
    toZ = (v) => (Math.min(hi, Math.max(lo, v)) - lo) / span * H;
    const sx = d.x[1] - d.x[0];
    const sy = d.y[1] - d.y[0];
    const s = 2 / Math.max(sx, sy);
    toXY = (x, y) => [(x - (d.x[0] + sx / 2)) * s, (y - (d.y[0] + sy / 2)) * s];
    // Surface (a coarser grid is plenty for shading).
    const step = Math.max(1, Math.floor(d.nx / 80));
    const cols = Math.floor((d.nx - 1) / step) + 1;
    const rows = Math.floor((d.ny - 1) / step) + 1;
    const pos = new Float32Array(cols * rows * 3);
    const col = new Float32Array(cols * rows * 3);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const gi = i * step;
        const gj = j * step;
        const v = d.values[gj * d.nx + gi];
        const [px, py] = toXY(d.x[0] + (gi * sx) / (d.nx - 1), d.y[0] + (gj * sy) / (d.ny - 1));
        const z = Number.isFinite(v) ? toZ(v) : H;
        const k = (j * cols + i) * 3;
        pos[k] = px;
        pos[k + 1] = py;
        pos[k + 2] = z;
        const [r, g, b] = viridisRgb(z / H);
        col[k] = r / 255;
        col[k + 1] = g / 255;
        col[k + 2] = b / 255;
      }
    }
    const idx: number[] = [];
    for (let j = 0; j < rows - 1; j++) {
      for (let i = 0; i < cols - 1; i++) {
        const a = j * cols + i;
        idx.push(a, a + 1, a + cols, a + 1, a + cols + 1, a + cols);
      }
    }
    const geo = new THREE.BufferGeometry();
    geo.setAttribute("position", new THREE.BufferAttribute(pos, 3));
    geo.setAttribute("color", new THREE.BufferAttribute(col, 3));
    geo.setIndex(idx);
    geo.computeVertexNormals();
    const mesh = new THREE.Mesh(geo, new THREE.MeshLambertMaterial({ vertexColors: true, side: THREE.DoubleSide, transparent: true, opacity: 0.92 }));
    group.add(mesh);
    const wire = new THREE.LineSegments(new THREE.WireframeGeometry(geo), new THREE.LineBasicMaterial({ color: 0x000000, transparent: true, opacity: 0.06 }));
    group.add(wire);
    // Trajectories, lifted slightly off the surface.
    for (const t of d.trajectories) {
      const n = t.points.length;
      const p = new Float32Array(n * 3);
      let count = 0;
      for (let i = 0; i < n; i++) {
        const [x, y] = t.points[i];
        const z = t.loss[i];
        if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) break;
        const [px, py] = toXY(x, y);
        p[i * 3] = px;
        p[i * 3 + 1] = py;
        p[i * 3 + 2] = toZ(z) + 0.02;
        count = i + 1;
      }
      const lg = new THREE.BufferGeometry();
      lg.setAttribute("position", new THREE.BufferAttribute(p, 3));
      const line = new THREE.Line(lg, new THREE.LineBasicMaterial({ color: t.color, linewidth: 2 }));
      const head = new THREE.Mesh(new THREE.SphereGeometry(0.035, 16, 12), new THREE.MeshLambertMaterial({ color: t.color }));
      group.add(line, head);
      lines.push({ line, head, count });
    }
    setFrame(d.frame);
  }

  function setFrame(t: number) {
    for (const l of lines) {
      const n = Math.max(1, Math.min(l.count, t + 1));
      l.line.geometry.setDrawRange(0, n);
      const a = l.line.geometry.getAttribute("position");
      l.head.position.set(a.getX(n - 1), a.getY(n - 1), a.getZ(n - 1));
      l.head.visible = l.count > 0;
    }
  }

  function resize() {
    const w = Math.max(280, container.clientWidth || 600);
    const h = Math.min(Math.round(w * 0.8), 640);
    renderer.setSize(w, h);
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
  }

  let alive = true;
  function loop() {
    if (!alive) return;
    controls.update();
    renderer.render(scene, camera);
    requestAnimationFrame(loop);
  }
  resize();
  loop();

  return {
    setData(d) {
      data = d;
      build(d);
    },
    setFrame(t) {
      if (data) setFrame(t);
    },
    resize,
    snapshot() {
      renderer.render(scene, camera);
      return renderer.domElement;
    },
    dispose() {
      alive = false;
      clear();
      controls.dispose();
      renderer.dispose();
    },
  };
}
