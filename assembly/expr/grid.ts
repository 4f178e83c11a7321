// A formula over an nx × ny grid, value only, with the reference grid's
// coordinates (src/functions/index.ts grid()): out[j·nx + i] = f(xᵢ, yⱼ).
//
// Each op is evaluated a chunk of points at a time (one dispatch per op per
// chunk, then a tight f64x2 loop: two points per vector), and each op is
// computed only as often as its inputs change: ops that depend on x alone
// once per column for the whole grid (the "x table", when `hoistX`), ops
// that depend on y alone once per row (a scalar, splat), the rest per point.
// Every op is still the same IEEE operation or Math call on the same
// operand values as at a single point, so each grid value is bit-identical
// to exprValueGrad's value there: only when things are computed changes.
//
// Work layout (bytes from `work`, built by layout() from the tape):
//   8 per op: i32 storage offset, i32 class (0 constant, 1 x, 2 y, 3 both);
//   then per op, 16-byte aligned: 16 bytes (classes 0, 2: a splat),
//   nxp·8 (class 1: the whole padded row, nxp = nx rounded up to even) or
//   chunk·8 (class 3).
import { apply } from "./tape";
import {
  DEP_SHIFT, H_NOPS, H_OUT, hdr, OP_ABS, OP_ADD, OP_CONST, OP_DIV, OP_MASK, OP_MAX, OP_MIN, OP_MUL, OP_NEG, OP_SQRT, OP_SUB,
  OP_VAR, RECORD_BYTES, TAPE_HEADER,
} from "./ops";

// @ts-ignore: decorator
@inline function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/** Fills the work tables; returns the bytes used. work = 0 only measures. */
function layout(t: usize, nx: i32, chunk: i32, hoistX: i32, work: usize): usize {
  const nOps = hdr(t, H_NOPS);
  const ops = t + (<usize>TAPE_HEADER << 3);
  const nxp = (nx + 1) & ~1;
  let off = align16(<usize>nOps << 3);
  for (let i = 0; i < nOps; i++) {
    let cls = (<i32>load<f64>(ops + <usize>i * RECORD_BYTES) >> DEP_SHIFT) & 3;
    if (cls == 1 && !hoistX) cls = 3;
    if (work) {
      store<i32>(work + (<usize>i << 3), <i32>off);
      store<i32>(work + (<usize>i << 3), cls, 4);
    }
    off += cls == 1 ? align16(<usize>nxp << 3) : cls == 3 ? align16(<usize>chunk << 3) : 16;
  }
  return off;
}

/** Bytes of work exprGrid needs for this tape, nx, chunk (even, ≥ 2) and hoistX. */
export function exprGridWorkBytes(t: usize, nx: i32, chunk: i32, hoistX: i32): usize {
  return layout(t, nx, chunk, hoistX, 0);
}

/** xᵢ of the reference formula. */
// @ts-ignore: decorator
@inline function colX(x0: f64, dx: f64, rx: f64, i: i32): f64 {
  return x0 + (<f64>i * dx) / rx;
}

/**
 * dst[k] = op(a[k·sa], b[k·sb]) for k < count vectors (two points each);
 * strides are 16 (a row of values) or 0 (one splat value for every point).
 */
function vectorOp(code: i32, c: f64, pa: usize, sa: usize, pb: usize, sb: usize, dst: usize, count: i32): void {
  switch (code) {
    case OP_ADD: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.add(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_SUB: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.sub(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_MUL: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.mul(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_DIV: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.div(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_MIN: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.min(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_MAX: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.max(v128.load(pa + <usize>k * sa), v128.load(pb + <usize>k * sb))); return; }
    case OP_NEG: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.neg(v128.load(pa + <usize>k * sa))); return; }
    case OP_ABS: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.abs(v128.load(pa + <usize>k * sa))); return; }
    case OP_SQRT: { for (let k = 0; k < count; k++) v128.store(dst + (<usize>k << 4), f64x2.sqrt(v128.load(pa + <usize>k * sa))); return; }
    default: {
      // A libm call (or sign): lane by lane, the scalar operation of each point.
      for (let k = 0; k < count; k++) {
        const va = v128.load(pa + <usize>k * sa);
        const vb = v128.load(pb + <usize>k * sb);
        const r0 = apply(code, c, f64x2.extract_lane(va, 0), f64x2.extract_lane(vb, 0));
        const r1 = apply(code, c, f64x2.extract_lane(va, 1), f64x2.extract_lane(vb, 1));
        v128.store(dst + (<usize>k << 4), f64x2.replace_lane(f64x2.splat(r0), 1, r1));
      }
    }
  }
}

/**
 * Values of the formula tape t (2-D) over an nx × ny grid (nx, ny ≥ 2),
 * row-major with y outer, into the f64 array out. work: exprGridWorkBytes
 * bytes, 16-byte aligned; chunk: points per chunk (even, ≥ 2); hoistX: 1 to
 * keep a table of the x-only ops (see the header).
 */
export function exprGrid(t: usize, x0: f64, x1: f64, nx: i32, y0: f64, y1: f64, ny: i32, out: usize, work: usize, chunk: i32, hoistX: i32): void {
  layout(t, nx, chunk, hoistX, work);
  const nOps = hdr(t, H_NOPS);
  const ops = t + (<usize>TAPE_HEADER << 3);
  const nxp = (nx + 1) & ~1;
  const dx = x1 - x0, dy = y1 - y0;
  const rx = <f64>(nx - 1), ry = <f64>(ny - 1);

  // Constants, then the x table: every class-0 and class-1 op, in tape order.
  for (let i = 0; i < nOps; i++) {
    const rec = ops + <usize>i * RECORD_BYTES;
    const code = <i32>load<f64>(rec) & OP_MASK;
    const cls = load<i32>(work + (<usize>i << 3), 4);
    const dst = work + <usize>load<i32>(work + (<usize>i << 3));
    if (cls == 0) {
      const va = f64x2.extract_lane(v128.load(operand(work, <i32>load<f64>(rec, 8))), 0);
      const vb = f64x2.extract_lane(v128.load(operand(work, <i32>load<f64>(rec, 16))), 0);
      v128.store(dst, f64x2.splat(code == OP_CONST ? load<f64>(rec, 24) : apply(code, load<f64>(rec, 24), va, vb)));
    } else if (cls == 1) {
      if (code == OP_VAR) {
        for (let i2 = 0; i2 < nxp; i2++) store<f64>(dst + (<usize>i2 << 3), colX(x0, dx, rx, i2));
      } else {
        const a = <i32>load<f64>(rec, 8), b = <i32>load<f64>(rec, 16);
        vectorOp(code, load<f64>(rec, 24), operand(work, a), stride(work, a), operand(work, b), stride(work, b), dst, nxp >> 1);
      }
    }
  }

  const outSlot = hdr(t, H_OUT);
  const outCls = load<i32>(work + (<usize>outSlot << 3), 4);
  const outPtr = work + <usize>load<i32>(work + (<usize>outSlot << 3));
  for (let j = 0; j < ny; j++) {
    const y = y0 + (<f64>j * dy) / ry;
    // The y-only ops: one scalar per row, splat.
    for (let i = 0; i < nOps; i++) {
      if (load<i32>(work + (<usize>i << 3), 4) != 2) continue;
      const rec = ops + <usize>i * RECORD_BYTES;
      const code = <i32>load<f64>(rec) & OP_MASK;
      const dst = work + <usize>load<i32>(work + (<usize>i << 3));
      let r: f64;
      if (code == OP_VAR) r = y;
      else {
        const va = f64x2.extract_lane(v128.load(operand(work, <i32>load<f64>(rec, 8))), 0);
        const vb = f64x2.extract_lane(v128.load(operand(work, <i32>load<f64>(rec, 16))), 0);
        r = apply(code, load<f64>(rec, 24), va, vb);
      }
      v128.store(dst, f64x2.splat(r));
    }
    const row = out + ((<usize>j * <usize>nx) << 3);
    for (let s = 0; s < nxp; s += chunk) {
      const len = min<i32>(chunk, nxp - s);
      const shift = <usize>s << 3;
      for (let i = 0; i < nOps; i++) {
        if (load<i32>(work + (<usize>i << 3), 4) != 3) continue;
        const rec = ops + <usize>i * RECORD_BYTES;
        const code = <i32>load<f64>(rec) & OP_MASK;
        const dst = work + <usize>load<i32>(work + (<usize>i << 3));
        if (code == OP_VAR) {
          for (let k = 0; k < len; k++) store<f64>(dst + (<usize>k << 3), colX(x0, dx, rx, s + k));
          continue;
        }
        const a = <i32>load<f64>(rec, 8), b = <i32>load<f64>(rec, 16);
        vectorOp(code, load<f64>(rec, 24), operand(work, a) + chunkShift(work, a, shift), stride(work, a),
          operand(work, b) + chunkShift(work, b, shift), stride(work, b), dst, len >> 1);
      }
      const keep = min<i32>(len, nx - s);
      if (outCls == 3) memory.copy(row + shift, outPtr, <usize>keep << 3);
      else if (outCls == 1) memory.copy(row + shift, outPtr + shift, <usize>keep << 3);
      else {
        const v = f64x2.extract_lane(v128.load(outPtr), 0);
        for (let k = 0; k < keep; k++) store<f64>(row + shift + (<usize>k << 3), v);
      }
    }
  }
}

/** Where slot i's values start. */
// @ts-ignore: decorator
@inline function operand(work: usize, i: i32): usize {
  return work + <usize>load<i32>(work + (<usize>i << 3));
}
/** 16 for a row or chunk of values, 0 for a splat. */
// @ts-ignore: decorator
@inline function stride(work: usize, i: i32): usize {
  const cls = load<i32>(work + (<usize>i << 3), 4);
  return cls == 1 || cls == 3 ? 16 : 0;
}
/** Inside the chunk starting at byte `shift` of a row: the x table's columns move with it, chunk buffers and splats do not. */
// @ts-ignore: decorator
@inline function chunkShift(work: usize, i: i32, shift: usize): usize {
  return load<i32>(work + (<usize>i << 3), 4) == 1 ? shift : 0;
}
