/**
 * Building the 3-D scene's objects from the data: the surface with its
 * sparse mesh, the floor with ticks and labels, and the trajectories (a
 * cased Line2 each, dashed where hidden, cut at the window's edge). Each
 * builder adds its objects to the group it is given and returns what the
 * view keeps to move them.
 */
import * as THREE from "three";
import { Line2 } from "three/addons/lines/Line2.js";
import { LineGeometry } from "three/addons/lines/LineGeometry.js";
import { LineMaterial } from "three/addons/lines/LineMaterial.js";
import { linearScale, surfaceZRange, viridisRgb } from "optimlab/plot";
import {
  FLOOR_Z,
  H,
  LABEL_GAP,
  LIFT,
  NAME_PX,
  PATH_TOLERANCE,
  TICK_PX,
  simplifyPath,
  startSprite,
  textSprite,
  type Label,
  type PxSprite,
  type SurfaceData,
  type Trail,
  type World,
} from "./parts.js";

/** The axes' objects that layout() places for the current view. */
export interface Axes {
  hx: number;
  hy: number;
  x: { at: number; label: Label }[];
  y: { at: number; label: Label }[];
  f: { at: number; label: Label }[];
  names: { x: Label; y: Label; f: Label };
  ticks: THREE.LineSegments;
}

/** The surface, its sparse mesh and the axes; returns the mapping to world units they fix. */
export function buildSurface(d: SurfaceData, group: THREE.Group): { world: World; axes: Axes; labels: Label[] } {
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
  const surfaceMat = new THREE.MeshLambertMaterial({
    vertexColors: true,
    side: THREE.DoubleSide,
    polygonOffset: true,
    polygonOffsetFactor: 1,
    polygonOffsetUnits: 1,
  });
  group.add(new THREE.Mesh(geo, surfaceMat));

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
  group.add(new THREE.LineSegments(meshGeo, new THREE.LineBasicMaterial({ color: 0x000000, transparent: true, opacity: 0.13 })));

  const { axes, labels } = buildAxes(d, lo, hi, X, Y, hx, hy, group);
  const world: World = { nx: d.nx, ny: d.ny, x: [d.x[0], d.x[1]], y: [d.y[0], d.y[1]], values: Float64Array.from(d.values), toZ, X, Y };
  return { world, axes, labels };
}

/**
 * Trajectories, lifted slightly off the surface and cut where they leave
 * the window (the window always holds the start), as in the SVG plots.
 */
export function buildTrails(d: SurfaceData, w: World, group: THREE.Group): { trails: Trail[]; starts: PxSprite[] } {
  const trails: Trail[] = [];
  const starts: PxSprite[] = [];
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
        group.add(exit);
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
      const behind = new Line2(
        lg,
        new LineMaterial({ color: faded, linewidth: 2, dashed: true, dashSize: 0.035, gapSize: 0.025, transparent: true, depthTest: false, depthWrite: false }),
      );
      behind.computeLineDistances();
      behind.renderOrder = 1;
      const casing = new Line2(lg, new LineMaterial({ color: 0xffffff, linewidth: 6.5, transparent: true, depthWrite: false }));
      casing.renderOrder = 2;
      line = new Line2(lg, new LineMaterial({ color: t.color, linewidth: 3.5, transparent: true, depthWrite: false }));
      line.renderOrder = 3 + k / 1000;
      line.add(behind, casing);
      group.add(line);
    }
    const head = new THREE.Mesh(new THREE.SphereGeometry(0.042, 20, 14), new THREE.MeshLambertMaterial({ color: t.color, transparent: true }));
    head.renderOrder = 4;
    group.add(head);
    if (count > 0) {
      const start = startSprite(t.color);
      start.sprite.position.set(p[0], p[1], p[2]);
      group.add(start.sprite);
      starts.push(start);
    }
    const buffer = (name: string) => (line?.geometry.getAttribute(name) as THREE.InterleavedBufferAttribute | undefined)?.data ?? null;
    trails.push({
      line,
      head,
      exit,
      pos: p,
      count,
      kept,
      lastKept,
      segs: buffer("instanceStart"),
      dists: buffer("instanceDistanceStart"),
      cut: -1,
      dirtyLo: Infinity,
      dirtyHi: -1,
      segRange: { start: 0, count: 0 },
      distRange: { start: 0, count: 0 },
    });
  }
  return { trails, starts };
}

/** Floor, ticks and labels; their placement depends on the view (see layout). */
function buildAxes(
  d: SurfaceData,
  lo: number,
  hi: number,
  X: (x: number) => number,
  Y: (y: number) => number,
  hx: number,
  hy: number,
  group: THREE.Group,
): { axes: Axes; labels: Label[] } {
  const labels: Label[] = [];
  const floor = new THREE.Mesh(new THREE.PlaneGeometry(2 * hx, 2 * hy), new THREE.MeshBasicMaterial({ color: 0xf3f3f3 }));
  floor.position.z = FLOOR_Z - 0.002;
  group.add(floor);
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
  group.add(new THREE.LineSegments(gridGeo, new THREE.LineBasicMaterial({ color: 0xd0d0d0 })));
  const outline = new THREE.BufferGeometry().setFromPoints([
    new THREE.Vector3(-hx, -hy, FLOOR_Z),
    new THREE.Vector3(hx, -hy, FLOOR_Z),
    new THREE.Vector3(hx, hy, FLOOR_Z),
    new THREE.Vector3(-hx, hy, FLOOR_Z),
  ]);
  group.add(new THREE.LineLoop(outline, new THREE.LineBasicMaterial({ color: 0x888888 })));
  // Tick marks and the f axis: rewritten by layout() for the current view.
  const nSeg = xt.length + yt.length + ft.length + 1;
  const tickGeo = new THREE.BufferGeometry();
  tickGeo.setAttribute("position", new THREE.BufferAttribute(new Float32Array(nSeg * 6), 3));
  const ticks = new THREE.LineSegments(tickGeo, new THREE.LineBasicMaterial({ color: 0x555555 }));
  ticks.frustumCulled = false;
  group.add(ticks);

  const label = (s: string, px = TICK_PX, italic = false): Label => {
    const l: Label = { ...textSprite(s, px, italic), at: new THREE.Vector3(), out: new THREE.Vector3(), gap: LABEL_GAP };
    group.add(l.sprite);
    labels.push(l);
    return l;
  };
  const xl = xs.tickLabels(xt);
  const yl = ys.tickLabels(yt);
  const fl = fs.tickLabels(ft);
  const axes: Axes = {
    hx,
    hy,
    x: xt.map((v, i) => ({ at: X(v), label: label(xl[i]) })),
    y: yt.map((v, i) => ({ at: Y(v), label: label(yl[i]) })),
    f: ft.map((v, i) => ({ at: fs.map(v), label: label(fl[i]) })),
    names: { x: label("x", NAME_PX, true), y: label("y", NAME_PX, true), f: label("f(x, y)", NAME_PX, true) },
    ticks,
  };
  return { axes, labels };
}
