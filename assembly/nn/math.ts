// exp, expm1, log, log1p, tanh and erf on f64x2, lane by lane the operations
// of src/models/math.ts (same order, same constants: both import
// src/models/mathConstants.ts). Branches of the reference become selects: each
// lane computes every branch and keeps the one the reference takes, whose
// arithmetic is the reference's. f32 kernels promote to f64, call these, and
// round once (promoteLo/promoteHi/demote2 below).
import {
  ERF_COEFFS, EXPM1_C10, EXPM1_C11, EXPM1_C12, EXPM1_C13, EXPM1_C2, EXPM1_C3, EXPM1_C4, EXPM1_C5, EXPM1_C6, EXPM1_C7, EXPM1_C8,
  EXPM1_C9, INV_LN2, LN2_HI, LN2_LO, LOG_C1, LOG_C10, LOG_C2, LOG_C3, LOG_C4, LOG_C5, LOG_C6, LOG_C7, LOG_C8, LOG_C9, SQRT2,
  TANH_Q0, TANH_Q1, TANH_Q10, TANH_Q11, TANH_Q2, TANH_Q3, TANH_Q4, TANH_Q5, TANH_Q6, TANH_Q7, TANH_Q8, TANH_Q9, TANH_THRESHOLD,
} from "../../src/models/mathConstants";

// @ts-ignore: decorator
@inline function c(x: f64): v128 { return f64x2.splat(x); }
// @ts-ignore: decorator
@inline function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }
/** a where mask, else b. */
// @ts-ignore: decorator
@inline function sel(a: v128, b: v128, mask: v128): v128 { return v128.bitselect(a, b, mask); }

/** 2^k per f64 lane from the i32 lanes 0 and 1 of k (each a normal exponent). */
// @ts-ignore: decorator
@inline function pow2(k: v128): v128 {
  return i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(k), i64x2.splat(1023)), 52);
}

// @ts-ignore: decorator
@inline function expm1Q(r: v128): v128 {
  let q = c(EXPM1_C13);
  q = add(c(EXPM1_C12), mul(r, q));
  q = add(c(EXPM1_C11), mul(r, q));
  q = add(c(EXPM1_C10), mul(r, q));
  q = add(c(EXPM1_C9), mul(r, q));
  q = add(c(EXPM1_C8), mul(r, q));
  q = add(c(EXPM1_C7), mul(r, q));
  q = add(c(EXPM1_C6), mul(r, q));
  q = add(c(EXPM1_C5), mul(r, q));
  q = add(c(EXPM1_C4), mul(r, q));
  q = add(c(EXPM1_C3), mul(r, q));
  return add(c(EXPM1_C2), mul(r, q));
}

// exp and expm1 share the reduction (k, ph, pl); it is written out in each so
// that everything stays in locals after inlining.

// @ts-ignore: decorator
@inline export function vexp(x0: v128): v128 {
  const x = f64x2.min(f64x2.max(x0, c(-746)), c(710));
  const kf = f64x2.floor(add(mul(x, c(INV_LN2)), c(0.5)));
  const hi = sub(x, mul(kf, c(LN2_HI)));
  const lo = mul(kf, c(LN2_LO));
  const r = sub(hi, lo);
  const cc = sub(sub(hi, r), lo);
  const t = mul(mul(r, r), expm1Q(r));
  const ph = add(r, t);
  const pl = add(add(sub(r, ph), t), mul(cc, add(c(1), ph)));
  const k = i32x4.trunc_sat_f64x2_s_zero(kf);
  const u = add(c(1), ph);
  const y = add(u, add(add(sub(c(1), u), ph), pl));
  const k1 = i32x4.shr_s(k, 1);
  return mul(mul(y, pow2(k1)), pow2(i32x4.sub(k, k1)));
}

// @ts-ignore: decorator
@inline export function vexpm1(x0: v128): v128 {
  const x = f64x2.min(f64x2.max(x0, c(-40)), c(710));
  const kf = f64x2.floor(add(mul(x, c(INV_LN2)), c(0.5)));
  const hi = sub(x, mul(kf, c(LN2_HI)));
  const lo = mul(kf, c(LN2_LO));
  const r = sub(hi, lo);
  const cc = sub(sub(hi, r), lo);
  const t = mul(mul(r, r), expm1Q(r));
  const ph = add(r, t);
  const pl = add(add(sub(r, ph), t), mul(cc, add(c(1), ph)));
  const k = i32x4.trunc_sat_f64x2_s_zero(kf);
  const s = pow2(i32x4.sub(k, i32x4.splat(1)));
  const a = sub(s, c(0.5));
  const b = mul(s, ph);
  const v = add(a, b);
  const bb = sub(v, a);
  const e = add(sub(a, sub(v, bb)), sub(b, bb));
  return mul(c(2), add(v, add(e, mul(s, pl))));
}

// @ts-ignore: decorator
@inline function logCore(e: v128, f: v128, cc: v128): v128 {
  const s = div(f, add(c(2), f));
  const z = mul(s, s);
  let q = c(LOG_C10);
  q = add(c(LOG_C9), mul(z, q));
  q = add(c(LOG_C8), mul(z, q));
  q = add(c(LOG_C7), mul(z, q));
  q = add(c(LOG_C6), mul(z, q));
  q = add(c(LOG_C5), mul(z, q));
  q = add(c(LOG_C4), mul(z, q));
  q = add(c(LOG_C3), mul(z, q));
  q = add(c(LOG_C2), mul(z, q));
  q = add(c(LOG_C1), mul(z, q));
  const R = mul(z, q);
  const hfsq = mul(c(0.5), mul(f, f));
  const inner = sub(f, sub(hfsq, add(mul(s, add(hfsq, R)), add(mul(e, c(LN2_LO)), cc))));
  return sel(inner, add(mul(e, c(LN2_HI)), inner), f64x2.eq(e, c(0)));
}

/** The exponent e of u = 2^e·m with m ∈ [√2/2, √2), as f64 (u positive and normal). */
// @ts-ignore: decorator
@inline function exponentOf(u: v128, m: v128): v128 {
  const hiWords = i32x4.shuffle(u, u, 1, 3, 1, 3);
  const e = f64x2.convert_low_i32x4_s(i32x4.sub(v128.and(i32x4.shr_u(hiWords, 20), i32x4.splat(0x7ff)), i32x4.splat(1023)));
  return sel(add(e, c(1)), e, f64x2.gt(m, c(SQRT2)));
}

/** u's mantissa in [1, 2). */
// @ts-ignore: decorator
@inline function mantissa12(u: v128): v128 {
  return v128.or(v128.and(u, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
}

/** The mantissa m ∈ [√2/2, √2) of u = 2^e·m, from its mantissa in [1, 2). */
// @ts-ignore: decorator
@inline function reduced(m: v128): v128 {
  return sel(mul(m, c(0.5)), m, f64x2.gt(m, c(SQRT2)));
}

/** The reference's special cases of log/log1p at u (0 → −∞, +∞ → +∞, negative or NaN → NaN), else r. */
// @ts-ignore: decorator
@inline function logSpecial(u: v128, r: v128): v128 {
  const ok = v128.and(f64x2.gt(u, c(0)), f64x2.ne(u, c(Infinity)));
  const special = sel(c(-Infinity), sel(u, c(NaN), f64x2.eq(u, c(Infinity))), f64x2.eq(u, c(0)));
  return sel(r, special, ok);
}

// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  const sub_ = f64x2.lt(x, c(2.2250738585072014e-308));
  const xs = sel(mul(x, c(18014398509481984)), x, sub_);
  const m = mantissa12(xs);
  const e = add(exponentOf(xs, m), sel(c(-54), c(0), sub_));
  return logSpecial(x, logCore(e, sub(reduced(m), c(1)), c(0)));
}

// @ts-ignore: decorator
@inline export function vlog1p(x: v128): v128 {
  const u = add(c(1), x);
  const m = mantissa12(u);
  const e = exponentOf(u, m);
  const e0 = f64x2.eq(e, c(0));
  const corr = div(sel(sub(c(1), sub(u, x)), sub(x, sub(u, c(1))), f64x2.gt(x, c(1))), u);
  const f = sel(x, sub(reduced(m), c(1)), e0);
  const cc = sel(c(0), corr, e0);
  return logSpecial(u, logCore(e, f, cc));
}

// @ts-ignore: decorator
@inline function tanhQ(z: v128): v128 {
  let q = c(TANH_Q0);
  q = add(mul(q, z), c(TANH_Q1));
  q = add(mul(q, z), c(TANH_Q2));
  q = add(mul(q, z), c(TANH_Q3));
  q = add(mul(q, z), c(TANH_Q4));
  q = add(mul(q, z), c(TANH_Q5));
  q = add(mul(q, z), c(TANH_Q6));
  q = add(mul(q, z), c(TANH_Q7));
  q = add(mul(q, z), c(TANH_Q8));
  q = add(mul(q, z), c(TANH_Q9));
  q = add(mul(q, z), c(TANH_Q10));
  return add(mul(q, z), c(TANH_Q11));
}

// @ts-ignore: decorator
@inline function tanhBig(x: v128, a: v128): v128 {
  const u = vexpm1(mul(c(2), f64x2.min(a, c(22))));
  const r = sub(c(1), div(c(2), add(u, c(2))));
  return sel(f64x2.neg(r), r, f64x2.lt(x, c(0)));
}

// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const a = f64x2.abs(x);
  const small = f64x2.le(a, c(TANH_THRESHOLD));
  // Each lane's value is its branch's arithmetic either way; skipping the branch no lane takes only saves time.
  if (i64x2.all_true(small)) return add(x, mul(x, tanhQ(mul(x, x))));
  if (!v128.any_true(small)) return tanhBig(x, a);
  return sel(add(x, mul(x, tanhQ(mul(x, x)))), tanhBig(x, a), small);
}

/** erf with its coefficient table at `tab` (src/models/erfTable.ts, copied into memory by the bindings). */
// @ts-ignore: decorator
@inline export function verf(x: v128, tab: usize): v128 {
  const a = f64x2.abs(x);
  const inA = f64x2.lt(a, c(1));
  const fi = f64x2.min(f64x2.max(f64x2.floor(mul(sub(a, c(1)), c(2))), c(0)), c(9));
  const h = sub(a, add(c(1.25), mul(c(0.5), fi)));
  const u = sel(mul(x, x), h, inA);
  const row = i32x4.trunc_sat_f64x2_s_zero(sel(c(0), add(fi, c(1)), inA));
  const stride = ERF_COEFFS << 3;
  const p0 = tab + <usize>(i32x4.extract_lane(row, 0) * stride);
  const p1 = tab + <usize>(i32x4.extract_lane(row, 1) * stride);
  let acc = v128.load64_lane(p1, v128.load64_splat(p0), 1);
  for (let j = 1; j < ERF_COEFFS; j++) {
    const o = <usize>j << 3;
    acc = add(mul(acc, u), v128.load64_lane(p1 + o, v128.load64_splat(p0 + o), 1));
  }
  const neg = f64x2.lt(x, c(0));
  const rA = add(x, mul(x, acc));
  const rB0 = sub(c(1), acc);
  const rB = sel(f64x2.neg(rB0), rB0, neg);
  const r = sel(rA, rB, inA);
  return sel(sel(c(-1), c(1), neg), r, f64x2.ge(a, c(6)));
}

/** 1/(1 + exp(−x)). */
// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  return div(c(1), add(c(1), vexp(f64x2.neg(x))));
}

/** Lanes 0, 1 of an f32x4 as f64x2 (exact). */
// @ts-ignore: decorator
@inline export function promoteLo(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
/** Lanes 2, 3 of an f32x4 as f64x2 (exact). */
// @ts-ignore: decorator
@inline export function promoteHi(v: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)); }
/** Two f64x2 rounded to one f32x4 (lo in lanes 0, 1), each lane rounded once, as Math.fround. */
// @ts-ignore: decorator
@inline export function demote2(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
