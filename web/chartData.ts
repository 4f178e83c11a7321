/** What the lab's loss and learning-rate charts draw: scales robust to diverging runs, and long series thinned. */
import type { RunRecord } from "optimlab";

/**
 * The loss chart's scale, once per race, so that one diverging run does not
 * flatten the others: log when no loss is negative (exact zeros sit on the
 * floor), capped at 1000× the start's loss; linear otherwise, capped at 10×
 * the typical run's reach from the start (the lower median over runs of the
 * largest |f − f(x₀)|), on both sides since losses can dive as well as blow up.
 */
export function lossScale(rs: RunRecord[]): { logY: boolean; lo: number; hi: number; clipped: boolean } {
  let lo = Infinity,
    hi = -Infinity,
    loPos = Infinity,
    start = -Infinity;
  for (const r of rs) {
    if (Number.isFinite(r.loss[0])) start = Math.max(start, r.loss[0]);
    for (const v of r.loss) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v > 0 && v < loPos) loPos = v;
    }
  }
  if (!(hi >= lo)) return { logY: false, lo: 0, hi: 1, clipped: false };
  const logY = lo >= 0 && loPos < Infinity;
  if (logY) {
    const cap = Math.max(start, loPos) * 1e3;
    const top = Math.min(hi, cap);
    return { logY, lo: loPos / 1.5, hi: top * 1.5, clipped: hi > cap };
  }
  const reach = rs.map((r) => r.loss.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v - start)) : m), 0)).sort((a, b) => a - b);
  const typical = reach[Math.floor((reach.length - 1) / 2)];
  const cap = Number.isFinite(start) && typical > 0 ? 10 * typical : Infinity;
  const bottom = Math.max(lo, start - cap);
  const top = Math.min(hi, start + cap);
  const pad = top > bottom ? 0.05 * (top - bottom) : Math.max(1, Math.abs(bottom)) * 0.05;
  return { logY, lo: bottom - pad, hi: top + pad, clipped: lo < bottom || hi > top };
}

/** The learning-rate chart's scale: log when the rates span more than a factor 20, else linear from 0. */
export function lrScale(rs: RunRecord[]): { logY: boolean; yDomain: [number, number] } {
  let lo = Infinity,
    hi = -Infinity;
  for (const r of rs) for (const v of r.lr) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (!(hi >= lo)) (lo = 0), (hi = 1);
  const logY = lo > 0 && hi / lo > 20;
  const pad = hi > lo ? 0.06 * (hi - lo) : Math.max(Math.abs(hi) * 0.1, 1e-12);
  return { logY, yDomain: logY ? [lo / 1.4, hi * 1.4] : [Math.min(0, lo - pad), hi + pad] };
}

/**
 * A series for a long chart: finite values clamped into [lo, hi], and beyond
 * ~1200 points each bucket reduced to its min and max (the envelope of an
 * oscillating loss survives). A non-finite value (a diverged run's last) is kept as is.
 */
export function chartSeries(y: readonly number[], lo: number, hi: number): { x: number[]; y: number[] } {
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : v);
  const n = y.length;
  if (n <= 1200) return { x: y.map((_, i) => i), y: y.map(clamp) };
  const b = Math.ceil(n / 600);
  const xs: number[] = [];
  const ys: number[] = [];
  const keep = (iMin: number, iMax: number) => {
    for (const i of iMin <= iMax ? [iMin, iMax] : [iMax, iMin]) if (i >= 0 && xs[xs.length - 1] !== i) xs.push(i), ys.push(clamp(y[i]));
  };
  for (let s = 0; s < n; s += b) {
    let iMin = -1,
      iMax = -1;
    for (let i = s; i < Math.min(n, s + b); i++) {
      if (!Number.isFinite(y[i])) {
        keep(iMin, iMax);
        xs.push(i), ys.push(y[i]);
        return { x: xs, y: ys };
      }
      if (iMin < 0 || y[i] < y[iMin]) iMin = i;
      if (iMax < 0 || y[i] > y[iMax]) iMax = i;
    }
    keep(iMin, iMax);
  }
  if (xs[xs.length - 1] !== n - 1) xs.push(n - 1), ys.push(clamp(y[n - 1]));
  return { x: xs, y: ys };
}
