/**
 * Scales (data → pixels), "nice" ticks and tick labels.
 *
 * - Linear ticks are multiples of a 1-2-5 step (1, 2, 5 × 10^k). Tick values
 *   are computed as integer / integer (`i / (1/step)` when step < 1), so they
 *   are the nearest doubles to the decimal values: 0.3, never
 *   0.30000000000000004.
 * - Log ticks are powers of ten, with 2 and 5 in between when the range spans
 *   few decades, every k-th power when it spans many, and plain linear ticks
 *   when it spans less than one decade.
 * - Labels use a true minus sign (U+2212) and the compact exponent form
 *   ("1e-3", "2.5e6") for numbers below 0.01 or from 1e5 on (1e4 on log axes).
 */
import { maxOf } from "../extrema.js";

export interface Scale {
  readonly type: "linear" | "log";
  /** Data interval (for "log", positive numbers). */
  readonly domain: readonly [number, number];
  /** Pixel interval; may be decreasing (y axes). */
  readonly range: readonly [number, number];
  map(v: number): number;
  invert(p: number): number;
  /** Labelled ticks inside the domain, about `count` of them. */
  ticks(count?: number): number[];
  /** Unlabelled ticks inside the domain (log: 2..9 × 10^k), possibly empty. */
  minorTicks(count?: number): number[];
  /** Labels for `ticks(count)`, formatted consistently as a set. */
  tickLabels(ticks: number[]): string[];
}

function checkInterval(name: string, d: readonly [number, number]): void {
  if (!(Number.isFinite(d[0]) && Number.isFinite(d[1]))) {
    throw new RangeError(`${name}: must be two finite numbers; got [${d[0]}, ${d[1]}]`);
  }
}

/** A linear scale. A zero-width domain is widened by ±0.5 (or ±10%). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  checkInterval("domain", domain);
  checkInterval("range", range);
  let [d0, d1] = domain;
  if (d0 === d1) {
    const pad = d0 === 0 ? 0.5 : Math.abs(d0) * 0.1;
    d0 -= pad;
    d1 += pad;
  }
  const [r0, r1] = range;
  // Work in halves when the domain's width overflows (|bounds| near 1e308).
  const h = Number.isFinite(d1 - d0) ? 1 : 0.5;
  const k = (r1 - r0) / (d1 * h - d0 * h);
  return {
    type: "linear",
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => r0 + (v * h - d0 * h) * k,
    invert: (p) => (d0 * h + (p - r0) / k) / h,
    ticks: (count = 6) => niceTicks(Math.min(d0, d1), Math.max(d0, d1), count),
    minorTicks: () => [],
    tickLabels: (t) => formatTicks(t),
  };
}

/** A base-10 log scale over a positive domain. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  checkInterval("domain", domain);
  checkInterval("range", range);
  let [d0, d1] = domain;
  if (!(d0 > 0 && d1 > 0)) throw new RangeError(`domain: a log scale needs positive bounds; got [${d0}, ${d1}]`);
  if (d0 === d1) {
    d0 /= 2;
    d1 *= 2;
  }
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const k = (r1 - r0) / (Math.log10(d1) - l0);
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  return {
    type: "log",
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => r0 + (Math.log10(v) - l0) * k,
    invert: (p) => 10 ** (l0 + (p - r0) / k),
    ticks: (count = 6) => logTicks(lo, hi, count).major,
    minorTicks: (count = 6) => logTicks(lo, hi, count).minor,
    tickLabels: (t) => (isDecadeSet(t) ? t.map((v) => formatNumber(v, { log: true })) : formatTicks(t)),
  };
}

function isDecadeSet(t: number[]): boolean {
  // 1-2-5 × 10^k sets and power sets are formatted one by one; linear fallbacks as a set.
  return t.every((v) => {
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-12);
    return Math.abs(m - 1) < 1e-9 || Math.abs(m - 2) < 1e-9 || Math.abs(m - 5) < 1e-9;
  });
}

/** The 1-2-5 step for about `count` intervals over `span` (span > 0). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  // Thresholds at the geometric means of neighbouring steps (as d3-array).
  const m = norm >= Math.sqrt(50) ? 10 : norm >= Math.sqrt(10) ? 5 : norm >= Math.sqrt(2) ? 2 : 1;
  return m * mag;
}

/**
 * Multiples of a 1-2-5 step within [lo, hi] (inclusive up to 1e-9 of a step),
 * about `count` of them.
 */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return [lo];
  if (!Number.isFinite(hi - lo)) return niceTicks(lo / 2, hi / 2, count).map((v) => v * 2);
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  if (step >= 1) {
    const i0 = Math.ceil(lo / step - 1e-9);
    const i1 = Math.floor(hi / step + 1e-9);
    for (let i = i0; i <= i1; i++) out.push(i * step);
  } else {
    const inv = Math.round(1 / step); // exact: step is 10^-k × {1, 2, 5}
    const i0 = Math.ceil(lo * inv - 1e-9);
    const i1 = Math.floor(hi * inv + 1e-9);
    for (let i = i0; i <= i1; i++) out.push(i / inv);
  }
  return out.map((v) => (v === 0 ? 0 : v)); // no -0
}

/**
 * Log-axis ticks over [lo, hi] (0 < lo < hi): `major` are labelled, `minor`
 * are the remaining 2..9 × 10^k marks (empty when major already has them, or
 * when the range spans more than 12 decades).
 */
export function logTicks(lo: number, hi: number, count = 6): { major: number[]; minor: number[] } {
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) return { major: lo > 0 && lo === hi ? [lo] : [], minor: [] };
  const e0 = Math.floor(Math.log10(lo) + 1e-12);
  const e1 = Math.ceil(Math.log10(hi) - 1e-12);
  const inRange = (v: number) => v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12);
  const decades = Math.log10(hi / lo);
  const build = (mantissas: number[], every = 1) => {
    const out: number[] = [];
    for (let e = e0; e <= e1; e++) {
      if (((e % every) + every) % every !== 0) continue;
      for (const m of mantissas) {
        const v = Number(`${m}e${e}`); // exact decimal: 1e-3, not 0.0010000000000000002
        if (inRange(v)) out.push(v);
      }
    }
    return out;
  };
  let major: number[];
  if (decades < 1) {
    major = build([1, 2, 5]);
    if (major.length < 3) major = niceTicks(lo, hi, Math.max(3, Math.min(count, 5))).filter((v) => v > 0);
  } else if (decades * 3 <= count + 1) major = build([1, 2, 5]);
  else if (decades <= count + 1) major = build([1]);
  else major = build([1], Math.ceil(decades / count));
  const set = new Set(major);
  const minor = decades > 12 ? [] : build([1, 2, 3, 4, 5, 6, 7, 8, 9]).filter((v) => !set.has(v));
  return { major, minor };
}

export interface FormatOptions {
  /** Decimal places to show in fixed notation (derived from the tick step). */
  decimals?: number;
  /** Significant decimals of the mantissa in exponent form. */
  mantissaDecimals?: number;
  /** Force exponent form (true), fixed form (false) or decide by magnitude (undefined). */
  exponent?: boolean;
  /** Log-axis rule: exponent form from 1e4 on instead of 1e5. */
  log?: boolean;
}

const MINUS = "\u2212";

function stripZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * One number as a tick label: "0", "0.25", "−3", "1e-3", "2.5e6".
 * Without options it uses up to 4 significant digits.
 */
export function formatNumber(v: number, o: FormatOptions = {}): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : `${MINUS}∞`;
  if (v === 0) return "0";
  const a = Math.abs(v);
  const sign = v < 0 ? MINUS : "";
  const big = o.log ? 1e4 : 1e5;
  const useExp = o.exponent ?? (a < 0.01 || a >= big);
  if (useExp) {
    let e = Math.floor(Math.log10(a));
    let m = a / 10 ** e;
    const md = o.mantissaDecimals ?? 3;
    let ms = stripZeros(m.toFixed(md));
    if (ms.startsWith("10")) {
      // 9.9996 rounded up to 10.000: renormalise.
      e += 1;
      m = a / 10 ** e;
      ms = stripZeros(m.toFixed(md));
    }
    return `${sign}${ms}e${e}`;
  }
  const d = o.decimals ?? Math.max(0, Math.min(10, 3 - Math.floor(Math.log10(a))));
  return sign + stripZeros(a.toFixed(d));
}

/**
 * Labels for a set of linear ticks: the same notation for all, with just
 * enough decimals to tell neighbours apart.
 */
export function formatTicks(ticks: number[]): string[] {
  if (ticks.length === 0) return [];
  const finite = ticks.filter(Number.isFinite);
  const maxAbs = maxOf(finite, Math.abs);
  let step = Infinity;
  for (let i = 1; i < finite.length; i++) step = Math.min(step, Math.abs(finite[i] - finite[i - 1]));
  if (!Number.isFinite(step) || step === 0) step = maxAbs || 1;
  const stepExp = Math.floor(Math.log10(step) + 1e-9);
  // A tick step like 0.25 needs one more decimal than its exponent says.
  const stepDigits = Math.abs(step / 10 ** stepExp - Math.round(step / 10 ** stepExp)) > 1e-6 ? 1 : 0;
  const useExp = maxAbs > 0 && (maxAbs < 0.01 || maxAbs >= 1e5);
  return ticks.map((v) => {
    if (v === 0 || !Number.isFinite(v)) return formatNumber(v);
    if (useExp) {
      const e = Math.floor(Math.log10(Math.abs(v)) + 1e-12);
      return formatNumber(v, { exponent: true, mantissaDecimals: Math.max(0, e - stepExp + stepDigits) });
    }
    return formatNumber(v, { exponent: false, decimals: Math.max(0, -stepExp + stepDigits) });
  });
}
