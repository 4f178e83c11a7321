import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { XMLValidator } from "fast-xml-parser";
import { GifReader } from "omggif";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ContourCache,
  contourLevels,
  contourPlot,
  formatNumber,
  formatTicks,
  lineChart,
  linearScale,
  logScale,
  logTicks,
  niceTicks,
  panels,
  surfacePlot,
  surfaceZRange,
  textWidth,
  traceTrajectory,
  viridis,
} from "../src/plot/index.js";
import { loadRaster, svgFramesToGif, svgToPng, svgToRgba } from "../src/plot/export.js";

beforeAll(() => loadRaster());

// ---------------------------------------------------------------------------
// helpers

function grid(f: (x: number, y: number) => number, [x0, x1]: [number, number], [y0, y1]: [number, number], nx: number, ny: number): Float64Array {
  const v = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) v[j * nx + i] = f(x0 + (i * (x1 - x0)) / (nx - 1), y0 + (j * (y1 - y0)) / (ny - 1));
  }
  return v;
}

const rosenbrock = (x: number, y: number) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

function expectValidSvg(svg: string): void {
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg.startsWith("<svg")).toBe(true);
}

function count(svg: string, needle: string): number {
  return svg.split(needle).length - 1;
}

/** Text content of all <text> elements (entities decoded). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

function attrOf(tag: string, name: string): number {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  if (!m) throw new Error(`no ${name} in ${tag}`);
  return Number(m[1]);
}

function plotFrame(svg: string): { x: number; y: number; w: number; h: number } {
  const tag = /<rect[^>]*class="plot-frame"[^>]*>/.exec(svg)![0];
  return { x: attrOf(tag, "x"), y: attrOf(tag, "y"), w: attrOf(tag, "width"), h: attrOf(tag, "height") };
}

/** All vertices of path data made of M/L/Z commands. */
function pathPoints(d: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) out.push([Number(m[1]), Number(m[2])]);
  return out;
}

function pathsWithClass(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<path d="([^"]*)"[^>]*class="${cls}"[^>]*>`, "g"))].map((m) => m[1]);
}

// ---------------------------------------------------------------------------

describe("scales and ticks", () => {
  it("linear ticks are 1-2-5 multiples with clean decimals", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-2, 5, 7)).toEqual([-2, -1, 0, 1, 2, 3, 4, 5]);
    const t = niceTicks(0.1, 0.7, 6);
    expect(t).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(t.map(String)).toContain("0.3");
    for (const [lo, hi, n] of [
      [0, 13, 5],
      [-0.37, 2.9, 6],
      [1e-6, 7e-6, 4],
      [1234, 98765, 5],
      [-1, 3, 10],
    ] as const) {
      const ticks = niceTicks(lo, hi, n);
      const step = ticks[1] - ticks[0];
      const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5, 10].some((k) => Math.abs(m - k) < 1e-6)).toBe(true);
      for (const v of ticks) {
        expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(v).toBeLessThanOrEqual(hi + 1e-12);
        expect(String(v).length).toBeLessThan(12); // no 0.30000000000000004
      }
    }
  });

  it("labels are compact and consistent", () => {
    expect(formatTicks([0, 0.1, 0.2, 0.3])).toEqual(["0", "0.1", "0.2", "0.3"]);
    expect(formatTicks([-1, -0.5, 0, 0.5])).toEqual(["−1", "−0.5", "0", "0.5"]);
    expect(formatTicks([0, 0.25, 0.5])).toEqual(["0", "0.25", "0.5"]);
    expect(formatTicks([0, 2e5, 4e5])).toEqual(["0", "2e5", "4e5"]);
    expect(formatTicks([0.001, 0.002, 0.003])).toEqual(["1e-3", "2e-3", "3e-3"]);
    expect(formatTicks([1.5e-4, 2e-4, 2.5e-4])).toEqual(["1.5e-4", "2e-4", "2.5e-4"]);
    expect(formatNumber(0.30000000000000004)).toBe("0.3");
    expect(formatNumber(1e-3)).toBe("1e-3");
    expect(formatNumber(-1.03163)).toBe("−1.032");
  });

  it("log ticks are decades (with 2 and 5 over few decades)", () => {
    expect(logTicks(1e-3, 1e3, 8).major).toEqual([1e-3, 1e-2, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(1, 100, 8).major).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1e-30, 1, 6).major.length).toBeLessThanOrEqual(8);
    const s = logScale([1e-3, 1e3], [0, 600]);
    expect(s.map(1)).toBeCloseTo(300, 9);
    expect(s.tickLabels(s.ticks(8))).toEqual(["1e-3", "0.01", "0.1", "1", "10", "100", "1000"]);
    expect(linearScale([0, 10], [100, 0]).map(2.5)).toBe(75);
  });

  it("viridis runs from dark purple to yellow", () => {
    expect(viridis(0).toLowerCase()).toBe("#440154");
    expect(viridis(1).toLowerCase()).toBe("#fde725");
    expect(viridis(0.5).toLowerCase()).toBe("#21918c");
  });
});

describe("contourPlot", () => {
  const W: [number, number] = [-2, 5];
  const nx = 71;
  const quad = grid((x, y) => 0.2 * x * x + 2 * y * y, W, W, nx, nx);
  const inside = [
    [4, 3],
    [3, -1],
    [1.5, 0.5],
    [0.5, -0.1],
    [0.1, 0],
  ];
  const leaving = [
    [4.5, 4],
    [3.5, -3],
    [2.9, 4.2],
    [2.2, -6],
    [1, 9],
  ];
  const diverging = [
    [-1, 3],
    [0, 2.5],
    [1, 3.5],
    [NaN, NaN],
    [0, 0],
  ];

  const svg = contourPlot({
    x: W,
    y: W,
    values: quad,
    nx,
    ny: nx,
    title: "Quadratic & friends <test>",
    trajectories: [
      { label: "SGD", points: inside },
      { label: "Momentum", points: leaving, dashed: true },
      { label: "Adam", points: diverging },
    ],
    minima: [{ x: 0, y: 0 }],
  });

  it("with a ContourCache draws the same figure, computing the bands once per grid and layout", () => {
    let made = 0;
    class Counting extends ContourCache {
      override get<T>(values: ArrayLike<number>, key: string, make: () => T): T {
        return super.get(values, key, () => (made++, make()));
      }
    }
    const cache = new Counting();
    const opts = { x: W, y: W, values: quad, nx, ny: nx, minima: [{ x: 0, y: 0 }] };
    for (let t = 1; t <= inside.length; t++) {
      const plain = contourPlot({ ...opts, trajectories: [{ label: "SGD", points: inside.slice(0, t) }] });
      expect(contourPlot({ ...opts, trajectories: [{ label: "SGD", points: inside.slice(0, t) }], cache })).toBe(plain);
    }
    expect(made).toBe(2); // the levels and the bands, once
    // Another size is another layout; another grid is another entry.
    expect(contourPlot({ ...opts, width: 500, cache })).toBe(contourPlot({ ...opts, width: 500 }));
    expect(made).toBe(3);
    const other = quad.map((v) => v * 2);
    expect(contourPlot({ ...opts, values: other, cache })).toBe(contourPlot({ ...opts, values: other }));
    expect(made).toBe(5);
  });

  it("is valid SVG with title, legend labels and one path group per trajectory", () => {
    expectValidSvg(svg);
    const t = texts(svg);
    expect(t).toContain("Quadratic & friends <test>");
    expect(t).toContain("SGD");
    expect(t).toContain("minimum");
    expect(t).toContain("start");
    expect(count(svg, '<g class="trajectory"')).toBe(3);
    const [plot, legend] = svg.split('<g class="legend"');
    expect(count(plot, 'class="minimum-marker"')).toBe(1);
    expect(count(plot, 'class="start-marker"')).toBe(3);
    expect(count(legend, 'class="start-marker"')).toBe(1);
    expect(svg).toContain('font-family="DejaVu Sans"');
    expect(svg).not.toMatch(/="[^"]*(NaN|Infinity)[^"]*"/); // no non-finite coordinates
  });

  it("a long legend under a wide title: the plot keeps its size and the colour bar's label its own line", () => {
    // The report's tuned races: eight runs with long legend notes on a square window (equal aspect).
    const n = 24;
    const values = Array.from({ length: n * n }, (_v, k) => (k % n) + Math.floor(k / n));
    const title = "rosenbrock: the 8 best for auc, at their tuned lr";
    const trajectories = Array.from({ length: 8 }, (_t, k) => ({
      label: `optimizer${k} lr=0.00146 (left the plot) (diverged: Infinity at step 18)`,
      points: [
        [0, 0],
        [0.1 * k, 0.2],
      ],
    }));
    const svg = contourPlot({ x: [-2, 2], y: [-1, 3], nx: n, ny: n, values, title, trajectories });
    expectValidSvg(svg);
    expect(plotFrame(svg).h).toBeGreaterThanOrEqual(Math.min(300, 0.55 * 520) - 0.5);
    const titleTag = /<text[^>]*class="title"[^>]*>/.exec(svg)![0];
    const labelTag = /<text[^>]*class="colorbar-label"[^>]*>/.exec(svg)![0];
    const half = textWidth(title, Number(/font-size="([\d.]+)"/.exec(titleTag)![1]), true) / 2;
    const labelHalf = textWidth("f", 13.5) / 2;
    const overlapsInX = attrOf(labelTag, "x") - labelHalf < attrOf(titleTag, "x") + half;
    // Where the title reaches over the label, the label sits a whole line lower.
    if (overlapsInX) expect(attrOf(labelTag, "y") - attrOf(titleTag, "y")).toBeGreaterThanOrEqual(14);
    expect(overlapsInX).toBe(true); // the case this test is about
  });

  it("marks a trajectory that leaves the window and clips it to the plot area", () => {
    const t = texts(svg);
    expect(t).toContain("Momentum (left the plot)");
    expect(t).toContain("leaves the window");
    expect(count(svg, 'class="exit-marker"')).toBeGreaterThanOrEqual(2); // the trajectory's and the legend's
    expect(svg).toMatch(/<clipPath id="plot-area">/);
    expect(svg).toMatch(/clip-path="url\(#plot-area\)"/);
    const f = plotFrame(svg);
    for (const d of pathsWithClass(svg, "trajectory-line")) {
      for (const [px, py] of pathPoints(d)) {
        expect(px).toBeGreaterThanOrEqual(f.x - 0.02);
        expect(px).toBeLessThanOrEqual(f.x + f.w + 0.02);
        expect(py).toBeGreaterThanOrEqual(f.y - 0.02);
        expect(py).toBeLessThanOrEqual(f.y + f.h + 0.02);
      }
    }
  });

  it("ends a NaN trajectory with a cross and says so in the legend", () => {
    const t = texts(svg);
    expect(t).toContain("Adam (diverged: NaN at point 3)");
    expect(t).toContain("last finite point");
    expect(count(svg, 'class="diverged-marker"')).toBeGreaterThanOrEqual(2);
    expect(t).toContain("SGD"); // a clean trajectory gets no notes
    expect(t.some((s) => s.startsWith("SGD ("))).toBe(false);
  });

  it("puts y up: a point with larger y is drawn higher", () => {
    const f = plotFrame(svg);
    const d = pathsWithClass(svg, "trajectory-line")[0];
    const [p0, p1] = pathPoints(d);
    // inside[0] = (4, 3), inside[1] = (3, -1)
    expect(p0[0]).toBeCloseTo(f.x + (6 / 7) * f.w, 1);
    expect(p0[1]).toBeCloseTo(f.y + f.h - (5 / 7) * f.h, 1);
    expect(p1[1]).toBeGreaterThan(p0[1]);
  });

  it("draws the isoline f = r² of x² + y² at radius r (within a pixel)", () => {
    // An off-centre circle in a non-square window catches half-cell and flip errors.
    const cx = 1;
    const cy = 0.5;
    const X: [number, number] = [-1, 3.5];
    const Y: [number, number] = [-1.5, 2];
    const n = 46;
    const m = 36;
    const values = grid((x, y) => (x - cx) ** 2 + (y - cy) ** 2, X, Y, n, m);
    for (const r of [0.5, 1, 1.4]) {
      const s = contourPlot({ x: X, y: Y, values, nx: n, ny: m, levels: [r * r], scale: "linear", equalAspect: false });
      expectValidSvg(s);
      const f = plotFrame(s);
      const pxPerX = f.w / (X[1] - X[0]);
      const pxPerY = f.h / (Y[1] - Y[0]);
      const lines = pathsWithClass(s, "isoline");
      expect(lines.length).toBe(1);
      const pts = pathPoints(lines[0]);
      expect(pts.length).toBeGreaterThan(20);
      let minAngle = Infinity;
      let maxAngle = -Infinity;
      for (const [px, py] of pts) {
        const x = X[0] + (px - f.x) / pxPerX;
        const y = Y[1] - (py - f.y) / pxPerY;
        const rr = Math.hypot(x - cx, y - cy);
        // Radial error in pixels (the two axes have different scales).
        const ux = (x - cx) / rr;
        const uy = (y - cy) / rr;
        const errPx = Math.abs(rr - r) * Math.hypot(ux * pxPerX, uy * pxPerY);
        expect(errPx).toBeLessThan(1);
        const a = Math.atan2(y - cy, x - cx);
        minAngle = Math.min(minAngle, a);
        maxAngle = Math.max(maxAngle, a);
      }
      expect(maxAngle - minAngle).toBeGreaterThan(6); // the whole circle
    }
  });

  it("chooses log levels for values spanning decades (Rosenbrock)", () => {
    const X: [number, number] = [-2, 2];
    const Y: [number, number] = [-1, 3];
    const values = grid(rosenbrock, X, Y, 121, 121);
    const c = contourLevels(values);
    expect(c.scale).toBe("log");
    expect(c.shift).toBe(0);
    expect(c.levels.length).toBeGreaterThanOrEqual(6);
    expect(c.levels[c.levels.length - 1] / c.levels[0]).toBeGreaterThan(1e3);
    for (const l of c.levels) {
      const mant = l / 10 ** Math.floor(Math.log10(l) + 1e-12);
      expect([1, 2, 3, 5].some((k) => Math.abs(mant - k) < 1e-9)).toBe(true);
    }
    const s = contourPlot({ x: X, y: Y, values, nx: 121, ny: 121, title: "Rosenbrock" });
    expectValidSvg(s);
    expect(s).toContain('class="colorbar" data-scale="log"');
    expect(texts(s)).toContain("1000");
    // A quadratic bowl stays linear.
    expect(contourLevels(grid((x, y) => x * x + y * y, [-2, 2], [-2, 2], 81, 81)).scale).toBe("linear");
  });

  it("shifts functions with negative values for log levels and says so", () => {
    const saddle = grid((x, y) => -0.5 * x * x + y ** 4 - 30 * Math.exp(-(x * x + y * y)), [-3, 3], [-3, 3], 61, 61);
    const c = contourLevels(saddle, { scale: "log" });
    expect(c.scale).toBe("log");
    expect(c.shift).toBeLessThan(0);
    expect(c.levels[0]).toBeGreaterThan(c.shift);
    const s = contourPlot({ x: [-3, 3], y: [-3, 3], values: saddle, nx: 61, ny: 61, scale: "log" });
    expectValidSvg(s);
    expect(texts(s).some((t) => t.startsWith("f − min f"))).toBe(true);
  });

  it("draws grids with non-finite samples and refuses bad input", () => {
    const v = grid((x, y) => (x * y > 2 ? NaN : x * x + y * y), [-2, 2], [-2, 2], 21, 21);
    expectValidSvg(contourPlot({ x: [-2, 2], y: [-2, 2], values: v, nx: 21, ny: 21 }));
    expect(() => contourPlot({ x: [-2, 2], y: [-2, 2], values: v, nx: 20, ny: 21 })).toThrow(/values/);
    expect(() => contourPlot({ x: [2, -2], y: [-2, 2], values: v, nx: 21, ny: 21 })).toThrow(/x:/);
  });
});

describe("traceTrajectory", () => {
  const win = { x0: 0, x1: 1, y0: 0, y1: 1 };
  it("clips to the window and records exits", () => {
    const t = traceTrajectory(
      [
        [0.5, 0.5],
        [1.5, 0.5],
        [0.5, 0.25],
      ],
      win,
    );
    expect(t.left).toBe(true);
    expect(t.pieces.length).toBe(2);
    expect(t.pieces[0].map((p) => [p.x, p.y])).toEqual([
      [0.5, 0.5],
      [1, 0.5],
    ]);
    expect(t.exits.length).toBe(1);
    expect(t.exits[0].x).toBe(1);
  });
  it("stops at the first non-finite point", () => {
    const t = traceTrajectory(
      [
        [0.2, 0.2],
        [0.4, 0.4],
        [Infinity, 0],
        [0.5, 0.5],
      ],
      win,
    );
    expect(t.diverged).toEqual({ index: 2, kind: "Infinity" });
    expect(t.last).toEqual({ x: 0.4, y: 0.4, z: 0 });
    expect(t.finiteCount).toBe(2);
  });
});

describe("lineChart and panels", () => {
  const steps = Array.from({ length: 30 }, (_, i) => i);
  const series = [
    { label: "SGD", x: steps, y: steps.map((i) => 10 * 0.8 ** i) },
    { label: "Adam", x: steps, y: steps.map((i) => 5 * 0.6 ** i), dashed: true },
    { label: "too large lr", x: steps, y: steps.map((i) => (i < 12 ? 2 ** i : NaN)) },
  ];

  it("draws series on a log axis and notes divergence", () => {
    const svg = lineChart({ series, logY: true, title: "Loss", xLabel: "step", yLabel: "loss" });
    expectValidSvg(svg);
    const t = texts(svg);
    expect(t).toContain("Loss");
    expect(t).toContain("SGD");
    expect(t).toContain("too large lr (diverged: NaN at step 12)");
    expect(count(svg, 'class="series"')).toBe(3);
    expect(count(svg, 'class="diverged-marker"')).toBe(2); // chart + legend
    expect(t).toContain("1e-5");
  });

  it("breaks lines at non-finite values in the middle and counts them", () => {
    const y = steps.map((i) => (i === 10 || i === 11 ? NaN : i));
    const svg = lineChart({ series: [{ label: "gappy", x: steps, y }] });
    expectValidSvg(svg);
    expect(texts(svg)).toContain("gappy (2 non-finite values not drawn)");
    expect(count(svg, 'class="trajectory-line"')).toBe(2); // one path per run
  });

  it("composes figures into a grid with unique ids", () => {
    const a = lineChart({ series, title: "A", width: 400, height: 300 });
    const b = lineChart({ series, title: "B", width: 400, height: 300, logY: true });
    const quad = grid((x, y) => x * x + y * y, [-1, 1], [-1, 1], 21, 21);
    const c = contourPlot({ x: [-1, 1], y: [-1, 1], values: quad, nx: 21, ny: 21, title: "C", width: 400, height: 300 });
    const d = contourPlot({ x: [-1, 1], y: [-1, 1], values: quad, nx: 21, ny: 21, title: "D", width: 400, height: 300 });
    const svg = panels([a, b, c, d], { cols: 2, title: "Grid" });
    expectValidSvg(svg);
    expect(count(svg, "<svg")).toBe(5);
    expect(svg).toMatch(/^<svg[^>]* width="812" height="/);
    const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of svg.matchAll(/url\(#([^)]*)\)/g)) expect(ids).toContain(m[1]);
    for (const t of ["Grid", "A", "B", "C", "D"]) expect(texts(svg)).toContain(t);
  });
});

describe("surfacePlot", () => {
  const W: [number, number] = [-3, 3];
  const f = (x: number, y: number) => x * x + y * y + y ** 3 + x * y;
  const values = grid(f, W, W, 81, 81);
  const pts: number[][] = [[2.5, 1.5]];
  for (let k = 0; k < 25; k++) {
    const [x, y] = pts[pts.length - 1];
    pts.push([x - 0.05 * (2 * x + y), y - 0.05 * (2 * y + 3 * y * y + x)]);
  }
  const z = pts.map(([x, y]) => f(x, y));

  it("draws a depth-sorted, clipped surface with a trajectory", () => {
    const svg = surfacePlot({ x: W, y: W, values, nx: 81, ny: 81, title: "Cubic", trajectories: [{ label: "GD", points: pts, z }] });
    expectValidSvg(svg);
    const quads = Number(/data-quads="(\d+)"/.exec(svg)![1]);
    expect(quads).toBe(40 * 40);
    expect(texts(svg)).toContain("Cubic");
    expect(texts(svg)).toContain("GD");
    expect(count(svg, '<g class="trajectory"')).toBe(1);
    const zr = surfaceZRange(values);
    expect(zr.clipped).toBe(true);
    expect(texts(svg).some((t) => t.startsWith("z clipped to ["))).toBe(true);
  });

  it("draws animation frames up to a point with the head marked", () => {
    const svg = surfacePlot({ x: W, y: W, values, nx: 81, ny: 81, trajectories: [{ label: "GD", points: pts, z }], upTo: 5 });
    expectValidSvg(svg);
    expect(count(svg, 'class="head-marker"')).toBe(2); // plot + legend
    expect(count(svg, "<circle")).toBeGreaterThanOrEqual(5);
    const out = [
      [0, 0],
      [1, 1],
      [5, 5],
      [NaN, 0],
    ];
    const svg2 = surfacePlot({ x: W, y: W, values, nx: 81, ny: 81, trajectories: [{ label: "Out", points: out, z: [0, 3, 50, NaN] }] });
    expectValidSvg(svg2);
    expect(texts(svg2)).toContain("Out (left the plot) (diverged: NaN at point 3)");
  });
});

describe("export", () => {
  const svg = contourPlot({
    x: [-1, 1],
    y: [-1, 1],
    values: grid((x, y) => x * x + 2 * y * y, [-1, 1], [-1, 1], 31, 31),
    nx: 31,
    ny: 31,
    title: "PNG",
    width: 320,
    height: 260,
  });

  function ihdr(png: Uint8Array): { w: number; h: number } {
    expect([...png.slice(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(String.fromCharCode(...png.slice(12, 16))).toBe("IHDR");
    const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
    return { w: dv.getUint32(16), h: dv.getUint32(20) };
  }

  it("renders PNG at the SVG's size or a requested width", () => {
    expect(ihdr(svgToPng(svg))).toEqual({ w: 320, h: 260 });
    expect(ihdr(svgToPng(svg, { width: 640 }))).toEqual({ w: 640, h: 520 });
    expect(() => svgToPng(svg, { width: 0 })).toThrow(/width/);
  });

  it("renders text with the bundled font (not blank)", () => {
    // The same figure with and without its title differs in pixels only if text renders.
    const noTitle = svg.replace(/<text[^>]*class="title"[^>]*>[^<]*<\/text>/, "");
    expect(Buffer.from(svgToPng(noTitle)).equals(Buffer.from(svgToPng(svg)))).toBe(false);
  });

  it("renders frames to a GIF that decodes with the right frame count and size", () => {
    const frames = [1, 2, 3, 4].map((k) =>
      lineChart({ series: [{ label: "s", x: [0, 1, 2, 3], y: [0, k, k * k, 1] }], title: `frame ${k}`, width: 200, height: 160 }),
    );
    const gif = svgFramesToGif(frames, { delayMs: 100 });
    const r = new GifReader(gif as unknown as Buffer);
    expect(r.numFrames()).toBe(4);
    expect(r.width).toBe(200);
    expect(r.height).toBe(160);
    expect(r.frameInfo(0).delay).toBe(10);
    expect(r.frameInfo(3).delay).toBeGreaterThan(10); // the last frame is held
    expect(r.loopCount()).toBe(0);
    const scaled = new GifReader(svgFramesToGif(frames.slice(0, 2), { delayMs: 50, width: 100, loop: false }) as unknown as Buffer);
    expect([scaled.numFrames(), scaled.width, scaled.height]).toEqual([2, 100, 80]);
  });

  it("frame differencing is exact: each composited frame is that frame mapped onto the GIF's palette", () => {
    // A race: the trajectory grows frame by frame over a fixed background.
    const pts = Array.from({ length: 40 }, (_v, i) => [3 * Math.cos(i / 6) * (1 - i / 50), 3 * Math.sin(i / 6) * (1 - i / 50)]);
    const values = new Float64Array(41 * 41).map((_v, k) => ((k % 41) - 20) ** 2 / 40 + (Math.floor(k / 41) - 20) ** 2 / 40);
    const frames = [5, 15, 25, 40].map((n) =>
      contourPlot({
        x: [-4, 4],
        y: [-4, 4],
        values,
        nx: 41,
        ny: 41,
        width: 320,
        height: 280,
        title: `step ${n}`,
        trajectories: [{ label: "run", points: pts.slice(0, n) }],
      }),
    );
    const bytes = svgFramesToGif(frames, { delayMs: 50 });
    const gif = new GifReader(bytes as unknown as Buffer);
    // The global colour table (GIF89a: after the 13-byte header); frames > 0 mark unchanged pixels transparent.
    const tableSize = 2 ** ((bytes[10] & 7) + 1);
    const clear = gif.frameInfo(1).transparent_index as number;
    expect(clear).toBeGreaterThanOrEqual(0);
    const palette = Array.from({ length: clear }, (_v, i) => [bytes[13 + 3 * i], bytes[14 + 3 * i], bytes[15 + 3 * i]]);
    expect(clear).toBeLessThan(tableSize);
    const gifenc = createRequire(import.meta.url)("gifenc") as { applyPalette(rgba: Uint8Array, p: number[][]): Uint8Array };
    const shown = new Uint8Array(gif.width * gif.height * 4);
    let transparent = 0;
    frames.forEach((svg, k) => {
      gif.decodeAndBlitFrameRGBA(k, shown);
      const index = gifenc.applyPalette(svgToRgba(svg).data, palette);
      let wrong = 0;
      for (let i = 0; i < index.length; i++) {
        const c = palette[index[i]];
        if (shown[4 * i] !== c[0] || shown[4 * i + 1] !== c[1] || shown[4 * i + 2] !== c[2]) wrong++;
      }
      expect(wrong, `frame ${k}`).toBe(0);
      if (k > 0) {
        const px = new Uint8Array(gif.width * gif.height * 4);
        gif.decodeAndBlitFrameRGBA(k, px); // onto zeros: transparent pixels stay 0
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] === 0) transparent++;
      }
    });
    // Most of each later frame is unchanged background, sent as transparent.
    expect(transparent / (3 * gif.width * gif.height)).toBeGreaterThan(0.9);
  });
});

describe("browser safety", () => {
  it("src/plot imports no node modules outside export.ts", () => {
    const dir = fileURLToPath(new URL("../src/plot/", import.meta.url));
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts") && n !== "export.ts")) {
      const src = readFileSync(dir + f, "utf8");
      expect(src, f).not.toMatch(/from\s+["'](node:|fs|path|@resvg|gifenc)/);
    }
    expect(readFileSync(dir + "index.ts", "utf8")).not.toMatch(/from\s+["']\.\/export\.js/);
  });
});

describe("figures keep every label inside the picture", () => {
  /** Each unrotated <text>'s box from its x, y, size, anchor and the font metrics (baseline "middle" via dy). */
  function textBoxes(svg: string): { text: string; x0: number; x1: number; y0: number; y1: number }[] {
    const out = [];
    for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
      const attr = (k: string) => new RegExp(`(?:^| )${k}="([^"]*)"`).exec(m[1])?.[1];
      if (attr("transform")) continue;
      const size = Number(attr("font-size") ?? 12);
      const x = Number(attr("x"));
      const y = Number(attr("y")) + Number(attr("dy") ?? 0);
      const label = m[2].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      const w = textWidth(label, size, attr("font-weight") === "bold");
      const anchor = attr("text-anchor") ?? "start";
      const x0 = anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x;
      out.push({ text: label, x0, x1: x0 + w, y0: y - 0.8 * size, y1: y + 0.25 * size });
    }
    return out;
  }
  function expectInside(svg: string) {
    const W = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
    const H = Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)![1]);
    for (const b of textBoxes(svg)) {
      expect(b.x0, `${b.text} starts left of the figure`).toBeGreaterThanOrEqual(-0.5);
      expect(b.x1, `${b.text} ends right of the figure (${W})`).toBeLessThanOrEqual(W + 0.5);
      expect(b.y0, `${b.text} is above the figure`).toBeGreaterThanOrEqual(-0.5);
      expect(b.y1, `${b.text} is below the figure (${H})`).toBeLessThanOrEqual(H + 0.5);
    }
  }
  const long = "momentum lr=0.001 momentum=0.9 dampening=0.1 nesterov=false + sequentialLR";
  const quad = grid((x, y) => 0.2 * x * x + 2 * y * y, [-3, 3], [-2, 2], 41, 41);
  for (const width of [300, 360, 640]) {
    it(`contourPlot at ${width} px, with and without a title, with long and diverging labels`, () => {
      for (const title of [undefined, "Quadratic"]) {
        expectInside(
          contourPlot({
            x: [-3, 3],
            y: [-2, 2],
            values: quad,
            nx: 41,
            ny: 41,
            width,
            height: Math.round(width * 1.3),
            title,
            trajectories: [
              {
                label: long,
                points: [
                  [2, 1],
                  [1, 0.5],
                  [NaN, NaN],
                ],
              },
              {
                label: "adam lr=0.1",
                points: [
                  [2, 1],
                  [9, 9],
                ],
              },
            ],
            minima: [{ x: 0, y: 0 }],
          }),
        );
      }
    });
    it(`lineChart at ${width} px with long and diverging labels`, () => {
      expectInside(
        lineChart({
          width,
          height: 300,
          title: "Loss",
          xLabel: "step",
          yLabel: "f",
          series: [
            { label: long, x: [0, 1, 2], y: [3, 2, NaN] },
            { label: "adam lr=0.1", x: [0, 1, 2], y: [3, 1, 0.5] },
          ],
        }),
      );
    });
  }
});
