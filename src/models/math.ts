/**
 * Pure-arithmetic exp, expm1, log, log1p, tanh, erf and sigmoid in f64.
 *
 * `Math.exp`/`log`/`tanh` are not specified to the bit (V8 and
 * AssemblyScript's libm differ by up to an ULP) and JavaScript has no `erf`;
 * a training is only bit-identical on both backends if its activations and
 * losses are. So these functions use nothing but + − × ÷, floor, min/max,
 * comparisons and exponent-field manipulation, in an order that
 * assembly/nn/math.ts repeats lane by lane (f64x2) with the same constants
 * (src/models/mathConstants.ts, imported by both). Accuracy against mpmath
 * (test/nn-math.test.ts, fixtures from scripts/nn_math_fixtures.py): within
 * 2 ULP everywhere; the README lists the measured maxima.
 *
 * Algorithms:
 * - exp, expm1: x = k·ln2 + r with k = ⌊x/ln2 + ½⌋, r by Cody–Waite (ln2 in
 *   two parts, the rounding error of r kept as c); expm1(r) = r + r²·Q(r)
 *   (Taylor to degree 13, |r| ≤ 0.347) carried as a sum of two doubles
 *   ph + pl. exp = 2^k·(1 + ph + pl), scaled in two exact halves of k so
 *   that subnormal results round once; expm1 = 2·((2^(k−1) − ½) + 2^(k−1)·ph
 *   + 2^(k−1)·pl) with the first sum made exact (TwoSum), so no intermediate
 *   overflows below the real overflow threshold.
 * - log, log1p: u = 2^e·m with m ∈ [√2/2, √2), f = m − 1, s = f/(2+f);
 *   log1p(f) = f − (½f² − s·(½f² + R(s²))), R the atanh series; log1p adds
 *   the rounding error of u = 1 + x as c/u.
 * - tanh: |x| ≤ ln3/2: x + x·q(x²) (a Chebyshev fit); above: 1 − 2/(expm1(2|x|) + 2).
 * - erf: |x| < 1: x + x·q(x²); 1 ≤ |x| < 6: 1 − erfc(|x|), erfc from one of
 *   ten polynomials on intervals of width ½ (src/models/erfTable.ts); else ±1.
 *
 * @packageDocumentation
 */
import { ERF_TABLE } from "./erfTable.js";
import {
  ERF_COEFFS,
  EXPM1_C10,
  EXPM1_C11,
  EXPM1_C12,
  EXPM1_C13,
  EXPM1_C2,
  EXPM1_C3,
  EXPM1_C4,
  EXPM1_C5,
  EXPM1_C6,
  EXPM1_C7,
  EXPM1_C8,
  EXPM1_C9,
  INV_LN2,
  LN2_HI,
  LN2_LO,
  LOG_C1,
  LOG_C10,
  LOG_C2,
  LOG_C3,
  LOG_C4,
  LOG_C5,
  LOG_C6,
  LOG_C7,
  LOG_C8,
  LOG_C9,
  SQRT2,
  TANH_Q0,
  TANH_Q1,
  TANH_Q10,
  TANH_Q11,
  TANH_Q2,
  TANH_Q3,
  TANH_Q4,
  TANH_Q5,
  TANH_Q6,
  TANH_Q7,
  TANH_Q8,
  TANH_Q9,
  TANH_THRESHOLD,
} from "./mathConstants.js";

/** 2^(i − 1022) for i = 0 … 2045: every normal power of two, built by exact doublings and halvings. */
const POW2 = (() => {
  const t = new Float64Array(2046);
  let v = 1;
  for (let i = 1022; i < 2046; i++, v *= 2) t[i] = v;
  v = 1;
  for (let i = 1022; i >= 0; i--, v *= 0.5) t[i] = v;
  return t;
})();

/** Reads and writes the exponent word of a double (the high 32 bits, wherever the platform keeps them). */
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
const HI = (() => {
  F64[0] = 1;
  return I32[1] === 0x3ff00000 ? 1 : 0;
})();

const SMALLEST_NORMAL = 2.2250738585072014e-308;
const TWO_TO_54 = 18014398509481984;

/** expm1's Q(r) = 1/2! + r/3! + … + r¹¹/13! (Horner). */
function expm1Q(r: number): number {
  let q = EXPM1_C13;
  q = EXPM1_C12 + r * q;
  q = EXPM1_C11 + r * q;
  q = EXPM1_C10 + r * q;
  q = EXPM1_C9 + r * q;
  q = EXPM1_C8 + r * q;
  q = EXPM1_C7 + r * q;
  q = EXPM1_C6 + r * q;
  q = EXPM1_C5 + r * q;
  q = EXPM1_C4 + r * q;
  q = EXPM1_C3 + r * q;
  return EXPM1_C2 + r * q;
}

// The reduction's results (k, ph, pl), shared by exp and expm1 without allocating.
let redK = 0,
  redPh = 0,
  redPl = 0;

function reduce(x: number): void {
  const kf = Math.floor(x * INV_LN2 + 0.5);
  const hi = x - kf * LN2_HI;
  const lo = kf * LN2_LO;
  const r = hi - lo;
  const c = hi - r - lo;
  const t = r * r * expm1Q(r);
  const ph = r + t;
  redPl = r - ph + t + c * (1 + ph);
  redPh = ph;
  // NaN gives 0, as wasm's i32x4.trunc_sat_f64x2_s_zero.
  redK = kf | 0;
}

/** eˣ, within 1 ULP (overflow to Infinity above ~709.78, gradual underflow to 0 below ~−745.13). */
export function exp(x: number): number {
  reduce(Math.min(Math.max(x, -746), 710));
  const u = 1 + redPh;
  const y = u + (1 - u + redPh + redPl);
  const k1 = redK >> 1;
  return y * POW2[k1 + 1022] * POW2[redK - k1 + 1022];
}

/** eˣ − 1, accurate near 0 (−1 below −40, where it rounds to −1). */
export function expm1(x: number): number {
  reduce(Math.min(Math.max(x, -40), 710));
  const s = POW2[redK - 1 + 1022];
  const a = s - 0.5;
  const b = s * redPh;
  const v = a + b;
  const bb = v - a;
  const e = a - (v - bb) + (b - bb);
  return 2 * (v + (e + s * redPl));
}

/** e·ln2 + log1p(f) + c, the shared tail of log and log1p (f ∈ [√2/2 − 1, √2 − 1]). */
function logCore(e: number, f: number, c: number): number {
  const s = f / (2 + f);
  const z = s * s;
  let q = LOG_C10;
  q = LOG_C9 + z * q;
  q = LOG_C8 + z * q;
  q = LOG_C7 + z * q;
  q = LOG_C6 + z * q;
  q = LOG_C5 + z * q;
  q = LOG_C4 + z * q;
  q = LOG_C3 + z * q;
  q = LOG_C2 + z * q;
  q = LOG_C1 + z * q;
  const R = z * q;
  const hfsq = 0.5 * (f * f);
  const inner = f - (hfsq - (s * (hfsq + R) + (e * LN2_LO + c)));
  // e = 0 skips the addition so that log1p(−0) stays −0.
  return e === 0 ? inner : e * LN2_HI + inner;
}

// Exponent and mantissa of the last splitExponent call.
let splitE = 0,
  splitM = 0;

/** u = 2^e·m with m ∈ [√2/2, √2), for a positive normal u. */
function splitExponent(u: number): void {
  F64[0] = u;
  const hi = I32[HI];
  let e = ((hi >>> 20) & 0x7ff) - 1023;
  I32[HI] = (hi & 0x000fffff) | 0x3ff00000;
  let m = F64[0];
  if (m > SQRT2) {
    m = m * 0.5;
    e = e + 1;
  }
  splitE = e;
  splitM = m;
}

/** ln x, within 1 ULP; −Infinity at 0, NaN below. */
export function log(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? x : NaN;
  let adjust = 0;
  if (x < SMALLEST_NORMAL) {
    x = x * TWO_TO_54;
    adjust = -54;
  }
  splitExponent(x);
  return logCore(splitE + adjust, splitM - 1, 0);
}

/** ln(1 + x), accurate near 0; −Infinity at −1, NaN below. */
export function log1p(x: number): number {
  const u = 1 + x;
  if (!(u > 0) || u === Infinity) return u === 0 ? -Infinity : u === Infinity ? u : NaN;
  splitExponent(u);
  if (splitE === 0) return logCore(0, x, 0);
  // (1 + x) − u exactly (Fast2Sum, larger operand first), divided by u: the first-order correction.
  const c = (x > 1 ? 1 - (u - x) : x - (u - 1)) / u;
  return logCore(splitE, splitM - 1, c);
}

/** tanh's q(z) = tanh(√z)/√z − 1 (Horner). */
function tanhQ(z: number): number {
  let q = TANH_Q0;
  q = q * z + TANH_Q1;
  q = q * z + TANH_Q2;
  q = q * z + TANH_Q3;
  q = q * z + TANH_Q4;
  q = q * z + TANH_Q5;
  q = q * z + TANH_Q6;
  q = q * z + TANH_Q7;
  q = q * z + TANH_Q8;
  q = q * z + TANH_Q9;
  q = q * z + TANH_Q10;
  return q * z + TANH_Q11;
}

/** tanh x, within 2 ULP. */
export function tanh(x: number): number {
  const a = Math.abs(x);
  if (a <= TANH_THRESHOLD) return x + x * tanhQ(x * x);
  const u = expm1(2 * Math.min(a, 22));
  const r = 1 - 2 / (u + 2);
  return x < 0 ? -r : r;
}

/** Horner over row `row` of the erf table at u. */
function erfRow(row: number, u: number): number {
  const base = row * ERF_COEFFS;
  let acc = ERF_TABLE[base];
  for (let j = 1; j < ERF_COEFFS; j++) acc = acc * u + ERF_TABLE[base + j];
  return acc;
}

/** erf x, within 2 ULP. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 1) return x + x * erfRow(0, x * x);
  if (a >= 6) return x < 0 ? -1 : 1;
  const i = Math.min(Math.max(Math.floor((a - 1) * 2), 0), 9);
  const r = 1 - erfRow(1 + i, a - (1.25 + 0.5 * i));
  return x < 0 ? -r : r;
}

/** The logistic function 1/(1 + e⁻ˣ) (torch's formula). */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}
