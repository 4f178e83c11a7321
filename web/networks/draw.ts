/**
 * Drawing the Networks view's panels on canvases, fast enough to redraw
 * every optimizer's model at every frame: the decision regions from the
 * model's outputs on a small grid (one pixel per grid point, scaled up with
 * smoothing), the boundary p = ½ by marching squares, the samples from a
 * layer drawn once; for regression the data and the model's curve.
 *
 * Colours are the report's (src/plot/boundary.ts): class 0 blue, class 1
 * orange, paler towards p = ½; more classes take the next Okabe–Ito colours.
 */
import { CLASS_COLORS, OKABE_ITO } from "optimlab/plot";

export interface Window {
  x: [number, number];
  y: [number, number];
}

/** Samples to draw: sample-major coordinates (2 per sample, or 1 for regression with y the target). */
export interface Samples {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  n: number;
}

const PALETTE = [
  CLASS_COLORS[0],
  CLASS_COLORS[1],
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.yellow,
  OKABE_ITO.black,
];

export const classColor = (c: number): string => PALETTE[c % PALETTE.length];

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const RGB = PALETTE.map(rgb);
/** As the report's bands: half-way from white to the class colour at certainty. */
const STRENGTH = 0.5;

/** A square window around the samples (10 % margin), so panels keep equal axis scales. */
export function windowOf(s: Samples, features: number): Window {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < s.n; i++) {
    const a = s.x[i * features],
      b = features === 2 ? s.x[i * 2 + 1] : s.y[i];
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  if (features === 1) {
    const px = 0.05 * (x1 - x0),
      py = 0.12 * (y1 - y0);
    return { x: [x0 - px, x1 + px], y: [y0 - py, y1 + py] };
  }
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2,
    half = 0.55 * Math.max(x1 - x0, y1 - y0);
  return { x: [cx - half, cx + half], y: [cy - half, cy + half] };
}

/** Reusable per-panel scratch: the grid-sized image. */
export class BoundaryRaster {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;

  constructor(
    readonly nx: number,
    readonly ny: number,
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.width = nx;
    this.canvas.height = ny;
    this.ctx = this.canvas.getContext("2d")!;
    this.image = this.ctx.createImageData(nx, ny);
  }

  /**
   * Paints the regions from the outputs (K per grid point, y outer from the
   * window's bottom: the trainer's grid) and draws them over `ctx`'s w × h.
   */
  paint(ctx: CanvasRenderingContext2D, out: ArrayLike<number>, K: number, w: number, h: number): void {
    const { nx, ny, image } = this;
    const px = image.data;
    for (let j = 0; j < ny; j++) {
      const row = (ny - 1 - j) * nx;
      for (let i = 0; i < nx; i++) {
        const q = j * nx + i;
        let c = 0,
          t = 0;
        if (K === 1) {
          const z = out[q];
          const p = 1 / (1 + Math.exp(-z));
          c = p < 0.5 ? 0 : 1;
          t = !Number.isNaN(z) ? Math.abs(2 * p - 1) * STRENGTH : 0;
        } else {
          let best = 0,
            m = out[q * K];
          for (let k = 1; k < K; k++) if (out[q * K + k] > m) (m = out[q * K + k]), (best = k);
          let sum = 0;
          for (let k = 0; k < K; k++) sum += Math.exp(out[q * K + k] - m);
          c = best;
          const pmax = 1 / sum;
          t = !Number.isNaN(pmax) ? ((pmax - 1 / K) / (1 - 1 / K)) * STRENGTH : 0;
        }
        const col = RGB[c % RGB.length],
          o = 4 * (row + i);
        px[o] = 255 + (col[0] - 255) * t;
        px[o + 1] = 255 + (col[1] - 255) * t;
        px[o + 2] = 255 + (col[2] - 255) * t;
        px[o + 3] = 255;
      }
    }
    this.ctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    // Grid point i sits at pixel i/(nx − 1)·w: the image's pixel centres are stretched to the edges.
    const sx = w / (nx - 1),
      sy = h / (ny - 1);
    ctx.drawImage(this.canvas, -sx / 2, -sy / 2, w + sx, h + sy);
    if (K === 1) boundaryLine(ctx, out, nx, ny, w, h);
  }
}

/** The line z = 0 through a logit grid, by marching squares (a saddle cell is split by its centre's sign). */
function boundaryLine(ctx: CanvasRenderingContext2D, z: ArrayLike<number>, nx: number, ny: number, w: number, h: number): void {
  const X = (i: number) => (i / (nx - 1)) * w,
    Y = (j: number) => h - (j / (ny - 1)) * h;
  ctx.beginPath();
  const cut = (a: number, b: number) => a / (a - b);
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const a = z[j * nx + i],
        b = z[j * nx + i + 1],
        c = z[(j + 1) * nx + i + 1],
        d = z[(j + 1) * nx + i];
      const pts: [number, number][] = [];
      if (a > 0 !== b > 0) pts.push([X(i + cut(a, b)), Y(j)]);
      if (b > 0 !== c > 0) pts.push([X(i + 1), Y(j + cut(b, c))]);
      if (c > 0 !== d > 0) pts.push([X(i + 1 - cut(c, d)), Y(j + 1)]);
      if (d > 0 !== a > 0) pts.push([X(i), Y(j + 1 - cut(d, a))]);
      if (pts.length === 2) {
        ctx.moveTo(pts[0][0], pts[0][1]);
        ctx.lineTo(pts[1][0], pts[1][1]);
      } else if (pts.length === 4) {
        const centre = a + b + c + d > 0;
        const pair = centre === a > 0 ? [0, 1, 2, 3] : [0, 3, 1, 2];
        ctx.moveTo(pts[pair[0]][0], pts[pair[0]][1]);
        ctx.lineTo(pts[pair[1]][0], pts[pair[1]][1]);
        ctx.moveTo(pts[pair[2]][0], pts[pair[2]][1]);
        ctx.lineTo(pts[pair[3]][0], pts[pair[3]][1]);
      }
    }
  }
  ctx.strokeStyle = "#222222";
  ctx.lineWidth = 1.6;
  ctx.stroke();
}

/**
 * The samples as a w × h layer (drawn once, blitted every frame): training
 * samples filled in their class colour, test samples as rings; regression
 * samples as grey dots.
 */
export function samplesLayer(train: Samples, test: Samples | undefined, features: number, win: Window, w: number, h: number, ratio: number): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = Math.round(w * ratio);
  c.height = Math.round(h * ratio);
  const ctx = c.getContext("2d")!;
  ctx.scale(ratio, ratio);
  const X = (v: number) => ((v - win.x[0]) / (win.x[1] - win.x[0])) * w;
  const Y = (v: number) => h - ((v - win.y[0]) / (win.y[1] - win.y[0])) * h;
  const r = Math.max(2, Math.min(3.2, w / 110));
  const draw = (s: Samples, ring: boolean) => {
    for (let i = 0; i < s.n; i++) {
      const cx = X(s.x[i * features]),
        cy = Y(features === 2 ? s.x[i * 2 + 1] : s.y[i]);
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      const colour = features === 2 ? classColor(s.y[i]) : "#555555";
      if (ring) {
        ctx.fillStyle = "#ffffff";
        ctx.fill();
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.4;
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.strokeStyle = "#1a1a1a";
        ctx.lineWidth = 0.6;
      }
      ctx.stroke();
    }
  };
  draw(train, false);
  if (test) draw(test, true);
  return c;
}

/** A regression panel's model curve (outputs at `xs` across the window). */
export function regressionCurve(
  ctx: CanvasRenderingContext2D,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  win: Window,
  w: number,
  h: number,
  colour: string,
): void {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    const px = ((xs[i] - win.x[0]) / (win.x[1] - win.x[0])) * w;
    const py =
      h - ((Math.max(win.y[0] - 10 * (win.y[1] - win.y[0]), Math.min(win.y[1] + 10 * (win.y[1] - win.y[0]), y)) - win.y[0]) / (win.y[1] - win.y[0])) * h;
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.2;
  ctx.stroke();
}
