/**
 * The sweep heatmap: final loss over learning rate (log x) × a β-like
 * option (linear y), drawn as SVG with the plotting library's scales,
 * colours and text. Non-finite final losses (diverged runs) are grey.
 */
import { el, formatNumber, g, linearScale, logScale, svgDocument, text, viridis } from "optimlab/plot";

export interface HeatmapData {
  /** Row-major, y outer: losses[j*n + i] at lrs[i], ys[j]. */
  losses: ArrayLike<number>;
  lrs: readonly number[];
  ys: readonly number[];
  n: number;
  yLabel: string;
  /** The optimizer's current (lr, y), marked with a ring. */
  current?: [number, number];
  title: string;
}

const GREY = "#BBBBBB";

/** Colour value of each cell: log10 of (loss − min) when that spans > 2 decades, else linear. */
function colourScale(losses: ArrayLike<number>): { t: (v: number) => number; label: string; ticks: { v: number; label: string }[] } {
  const fin: number[] = [];
  for (let i = 0; i < losses.length; i++) if (Number.isFinite(losses[i])) fin.push(losses[i]);
  if (fin.length === 0) return { t: () => 0, label: "final loss", ticks: [] };
  const lo = Math.min(...fin);
  const hi = Math.max(...fin);
  const shift = lo <= 0 ? lo : 0;
  const pos = fin.map((v) => v - shift).filter((v) => v > 0);
  const plo = pos.length ? Math.min(...pos) : 1;
  const useLog = pos.length > 0 && hi - shift > 100 * Math.max(plo, 1e-300);
  if (useLog) {
    const a = Math.log10(Math.max(plo, (hi - shift) * 1e-12));
    const b = Math.log10(hi - shift);
    const t = (v: number) => (b > a ? (Math.log10(Math.max(v - shift, 10 ** a)) - a) / (b - a) : 0);
    const ticks: { v: number; label: string }[] = [];
    for (let k = Math.ceil(a); k <= Math.floor(b); k += Math.max(1, Math.ceil((b - a) / 5))) {
      ticks.push({ v: 10 ** k + shift, label: formatNumber(10 ** k, { log: true }) });
    }
    return { t, label: shift ? `final loss − min (${formatNumber(shift)}), log` : "final loss (log)", ticks };
  }
  const sc = linearScale([lo, hi], [0, 1]);
  const ticks = sc.ticks(4);
  const labels = sc.tickLabels(ticks);
  return { t: (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5), label: "final loss", ticks: ticks.map((v, i) => ({ v, label: labels[i] })) };
}

export function heatmapSvg(d: HeatmapData, width: number): string {
  const W = Math.max(300, Math.round(width));
  const left = 64;
  const right = 96;
  const top = 34;
  const bottom = 48;
  const side = Math.max(120, Math.min(W - left - right, 520));
  const H = top + side + bottom;
  const box = { x: left + Math.max(0, (W - left - right - side) / 2), y: top, w: side, h: side };
  const n = d.n;
  const lrLo = d.lrs[0], lrHi = d.lrs[n - 1];
  const ratio = n > 1 ? Math.pow(lrHi / lrLo, 1 / (n - 1)) : 10;
  const xs = logScale([lrLo / Math.sqrt(ratio), lrHi * Math.sqrt(ratio)], [box.x, box.x + box.w]);
  const dy = n > 1 ? d.ys[1] - d.ys[0] : 1;
  const ys = linearScale([d.ys[0] - dy / 2, d.ys[n - 1] + dy / 2], [box.y + box.h, box.y]);
  const cs = colourScale(d.losses);
  const cw = box.w / n;
  const ch = box.h / n;
  const cells: string[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = d.losses[j * n + i];
      const fill = Number.isFinite(v) ? viridis(Math.min(1, Math.max(0, cs.t(v)))) : GREY;
      cells.push(
        el("rect", {
          x: (box.x + i * cw).toFixed(2),
          y: (box.y + box.h - (j + 1) * ch).toFixed(2),
          width: (cw + 0.4).toFixed(2),
          height: (ch + 0.4).toFixed(2),
          fill,
          "data-loss": String(v),
          "data-i": i,
          "data-j": j,
        }),
      );
    }
  }
  const axes: string[] = [];
  axes.push(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: "#222", "stroke-width": 1 }));
  const decades = [];
  for (let k = Math.ceil(Math.log10(xs.domain[0])); k <= Math.floor(Math.log10(xs.domain[1])); k++) decades.push(10 ** k);
  for (const v of decades) {
    const px = xs.map(v);
    axes.push(el("line", { x1: px, x2: px, y1: box.y + box.h, y2: box.y + box.h + 5, stroke: "#222" }));
    axes.push(text(px, box.y + box.h + 18, formatNumber(v, { log: true }), { anchor: "middle", size: 12 }));
  }
  axes.push(text(box.x + box.w / 2, box.y + box.h + 38, "learning rate (log)", { anchor: "middle", size: 13 }));
  const yt = ys.ticks(5);
  const yl = ys.tickLabels(yt);
  yt.forEach((v, k) => {
    const py = ys.map(v);
    axes.push(el("line", { x1: box.x - 5, x2: box.x, y1: py, y2: py, stroke: "#222" }));
    axes.push(text(box.x - 8, py, yl[k], { anchor: "end", baseline: "middle", size: 12 }));
  });
  axes.push(text(box.x - 48, box.y + box.h / 2, d.yLabel, { anchor: "middle", size: 13, rotate: -90 }));
  axes.push(text(box.x + box.w / 2, 20, d.title, { anchor: "middle", size: 14, weight: "bold" }));
  if (d.current) {
    const [lr, y] = d.current;
    if (lr >= xs.domain[0] && lr <= xs.domain[1] && y >= ys.domain[0] && y <= ys.domain[1]) {
      axes.push(el("circle", { cx: xs.map(lr), cy: ys.map(y), r: 7, fill: "none", stroke: "#fff", "stroke-width": 3 }));
      axes.push(el("circle", { cx: xs.map(lr), cy: ys.map(y), r: 7, fill: "none", stroke: "#000", "stroke-width": 1.5 }));
    }
  }
  // Colour bar.
  const cb = { x: box.x + box.w + 16, y: box.y, w: 14, h: box.h };
  const stops: string[] = [];
  const bands = 32;
  for (let k = 0; k < bands; k++) {
    stops.push(el("rect", { x: cb.x, y: (cb.y + cb.h - ((k + 1) * cb.h) / bands).toFixed(2), width: cb.w, height: (cb.h / bands + 0.5).toFixed(2), fill: viridis(k / (bands - 1)) }));
  }
  for (const tk of cs.ticks) {
    const t = cs.t(tk.v);
    if (!(t >= 0 && t <= 1)) continue;
    const py = cb.y + cb.h - t * cb.h;
    stops.push(el("line", { x1: cb.x + cb.w, x2: cb.x + cb.w + 4, y1: py, y2: py, stroke: "#222" }));
    stops.push(text(cb.x + cb.w + 6, py, tk.label, { baseline: "middle", size: 11 }));
  }
  stops.push(text(cb.x + cb.w + 36, cb.y + cb.h / 2, cs.label, { anchor: "middle", size: 11, rotate: 90 }));
  const legendY = box.y + box.h + 38;
  const anyBad = Array.from({ length: d.losses.length }, (_, k) => d.losses[k]).some((v) => !Number.isFinite(v));
  return svgDocument(
    { width: W, height: H + (anyBad ? 8 : 0), title: d.title },
    g({ class: "cells" }, ...cells),
    g({ class: "axes" }, ...axes),
    g({ class: "colorbar" }, ...stops),
    anyBad ? g({}, el("rect", { x: cb.x, y: legendY - 10, width: 12, height: 12, fill: GREY }), text(cb.x + 16, legendY, "diverged", { size: 11 })) : "",
  );
}
