// The formula interpreter: value and exact gradient of a compiled tape
// (layout in src/expr/tape.ts), following the reference src/expr/eval.ts
// operation for operation: forward in tape order, then reverse-mode
// adjoints in reverse tape order with the same contribution formulas.
// Values and adjoints live in the tape's own scratch areas, so nothing is
// allocated; the tape is the function's parameter block (FN_EXPR in
// assembly/fns/index.ts), which is how the run engine evaluates a formula.
import { ld, st } from "../simd";
import {
  H_ADJOINTS_AT, H_DIM, H_NOPS, H_NVARS, H_OUT, H_VALUES_AT, H_VARS_AT, hdr, LN10, LN2, OP_ABS, OP_ACOS, OP_ADD, OP_ASIN, OP_ATAN,
  OP_ATAN2, OP_CBRT, OP_CONST, OP_COS, OP_COSH, OP_DIV, OP_EXP, OP_HYPOT, OP_LOG, OP_LOG10, OP_LOG2, OP_MASK, OP_MAX, OP_MIN,
  OP_MUL, OP_NEG, OP_POW, OP_POWC, OP_SIGN, OP_SIN, OP_SINH, OP_SQRT, OP_SUB, OP_TAN, OP_TANH, OP_VAR, RECORD_BYTES, sgn,
  TAPE_HEADER,
} from "./ops";

/**
 * The value of op `code` (not CONST or VAR) on operand values va, vb with
 * immediate c: one IEEE operation or one Math call, as the reference's.
 */
// @ts-ignore: decorator
@inline export function apply(code: i32, c: f64, va: f64, vb: f64): f64 {
  switch (code) {
    case OP_ADD: return va + vb;
    case OP_SUB: return va - vb;
    case OP_MUL: return va * vb;
    case OP_DIV: return va / vb;
    case OP_NEG: return -va;
    case OP_MIN: return min<f64>(va, vb);
    case OP_MAX: return max<f64>(va, vb);
    case OP_ABS: return abs<f64>(va);
    case OP_SIGN: return sgn(va);
    case OP_SQRT: return sqrt<f64>(va);
    case OP_POWC: return Math.pow(va, c);
    case OP_POW: return Math.pow(va, vb);
    case OP_SIN: return Math.sin(va);
    case OP_COS: return Math.cos(va);
    case OP_TAN: return Math.tan(va);
    case OP_ASIN: return Math.asin(va);
    case OP_ACOS: return Math.acos(va);
    case OP_ATAN: return Math.atan(va);
    case OP_SINH: return Math.sinh(va);
    case OP_COSH: return Math.cosh(va);
    case OP_TANH: return Math.tanh(va);
    case OP_EXP: return Math.exp(va);
    case OP_LOG: return Math.log(va);
    case OP_LOG2: return Math.log2(va);
    case OP_LOG10: return Math.log10(va);
    case OP_CBRT: return Math.cbrt(va);
    case OP_ATAN2: return Math.atan2(va, vb);
    case OP_HYPOT: return Math.hypot(va, vb);
    default: return NaN;
  }
}

/** Adds d to the f64 at p. */
// @ts-ignore: decorator
@inline function acc(p: usize, d: f64): void {
  store<f64>(p, load<f64>(p) + d);
}
/** Subtracts d from the f64 at p. */
// @ts-ignore: decorator
@inline function dec(p: usize, d: f64): void {
  store<f64>(p, load<f64>(p) - d);
}

/**
 * f at the T array x (read as f64) by the tape at t, and, unless g is 0, ∇f
 * into the T array g (n = the tape's dim components, each stored once).
 */
export function exprValueGrad<T>(t: usize, x: usize, g: usize): f64 {
  const nOps = hdr(t, H_NOPS);
  const ops = t + (<usize>TAPE_HEADER << 3);
  const vals = t + (<usize>hdr(t, H_VALUES_AT) << 3);
  for (let i = 0; i < nOps; i++) {
    const rec = ops + <usize>i * RECORD_BYTES;
    const code = <i32>load<f64>(rec) & OP_MASK;
    const a = <i32>load<f64>(rec, 8);
    let r: f64;
    if (code == OP_CONST) r = load<f64>(rec, 24);
    else if (code == OP_VAR) r = <f64>ld<T>(x, a);
    else r = apply(code, load<f64>(rec, 24), load<f64>(vals + (<usize>a << 3)), load<f64>(vals + (<usize><i32>load<f64>(rec, 16) << 3)));
    store<f64>(vals + (<usize>i << 3), r);
  }
  const f = load<f64>(vals + (<usize>hdr(t, H_OUT) << 3));
  if (g) backward<T>(t, g);
  return f;
}

/** The reverse pass of src/expr/eval.ts (its table of contributions), after a forward pass. */
function backward<T>(t: usize, g: usize): void {
  const nOps = hdr(t, H_NOPS);
  const ops = t + (<usize>TAPE_HEADER << 3);
  const vals = t + (<usize>hdr(t, H_VALUES_AT) << 3);
  const adj = t + (<usize>hdr(t, H_ADJOINTS_AT) << 3);
  // memory.fill is a call into the engine: a short tape zeroes its adjoints inline.
  if (nOps > 64) memory.fill(adj, 0, <usize>nOps << 3);
  else for (let i = 0; i < nOps; i++) store<f64>(adj + (<usize>i << 3), 0);
  store<f64>(adj + (<usize>hdr(t, H_OUT) << 3), 1);
  for (let i = nOps - 1; i >= 0; i--) {
    const rec = ops + <usize>i * RECORD_BYTES;
    const code = <i32>load<f64>(rec) & OP_MASK;
    if (code == OP_CONST || code == OP_VAR || code == OP_SIGN) continue;
    const pa = adj + (<usize><i32>load<f64>(rec, 8) << 3);
    const pb = adj + (<usize><i32>load<f64>(rec, 16) << 3);
    const c = load<f64>(rec, 24);
    const w = load<f64>(adj + (<usize>i << 3));
    const v = load<f64>(vals + (<usize>i << 3));
    const va = load<f64>(vals + (<usize><i32>load<f64>(rec, 8) << 3));
    const vb = load<f64>(vals + (<usize><i32>load<f64>(rec, 16) << 3));
    switch (code) {
      case OP_ADD: { acc(pa, w); acc(pb, w); break; }
      case OP_SUB: { acc(pa, w); dec(pb, w); break; }
      case OP_MUL: { acc(pa, w * vb); acc(pb, w * va); break; }
      case OP_DIV: { acc(pa, w / vb); dec(pb, (w * v) / vb); break; }
      case OP_NEG: { dec(pa, w); break; }
      case OP_MIN: { if (vb < va) acc(pb, w); else acc(pa, w); break; }
      case OP_MAX: { if (vb > va) acc(pb, w); else acc(pa, w); break; }
      case OP_ABS: { acc(pa, w * sgn(va)); break; }
      case OP_SQRT: { acc(pa, w * (0.5 / v)); break; }
      case OP_POWC: { acc(pa, w * (c * Math.pow(va, c - 1))); break; }
      case OP_POW: {
        acc(pa, w * (vb * Math.pow(va, vb - 1)));
        if (v != 0) acc(pb, w * (v * Math.log(va)));
        break;
      }
      case OP_SIN: { acc(pa, w * Math.cos(va)); break; }
      case OP_COS: { dec(pa, w * Math.sin(va)); break; }
      case OP_TAN: { acc(pa, w * (1 + v * v)); break; }
      case OP_ASIN: { acc(pa, w / Math.sqrt(1 - va * va)); break; }
      case OP_ACOS: { dec(pa, w / Math.sqrt(1 - va * va)); break; }
      case OP_ATAN: { acc(pa, w / (1 + va * va)); break; }
      case OP_SINH: { acc(pa, w * Math.cosh(va)); break; }
      case OP_COSH: { acc(pa, w * Math.sinh(va)); break; }
      case OP_TANH: { acc(pa, w * (1 - v * v)); break; }
      case OP_EXP: { acc(pa, w * v); break; }
      case OP_LOG: { acc(pa, w / va); break; }
      case OP_LOG2: { acc(pa, w / (va * LN2)); break; }
      case OP_LOG10: { acc(pa, w / (va * LN10)); break; }
      case OP_CBRT: { acc(pa, w / (3 * (v * v))); break; }
      case OP_ATAN2: {
        const r = va * va + vb * vb;
        if (r != 0) {
          acc(pa, (w * vb) / r);
          dec(pb, (w * va) / r);
        }
        break;
      }
      case OP_HYPOT: {
        if (v != 0) {
          acc(pa, w * (va / v));
          acc(pb, w * (vb / v));
        }
        break;
      }
      default: break;
    }
  }
  const dim = hdr(t, H_DIM);
  const nVars = hdr(t, H_NVARS);
  const vars = t + (<usize>hdr(t, H_VARS_AT) << 3);
  for (let k = 0; k < dim; k++) {
    const slot = k < nVars ? <i32>load<f64>(vars + (<usize>k << 3)) : -1;
    st<T>(g, k, slot >= 0 ? <T>load<f64>(adj + (<usize>slot << 3)) : <T>0);
  }
}
