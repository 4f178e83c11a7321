// The matrix products of a dense layer, feature-major (rows of S samples):
//
//   forward         Z[o, :]  = b[o] + Σ_k W[o, k]·A[k, :]      (k in order)
//   input gradient  dA[k, :] = +0   + Σ_o W[o, k]·dZ[o, :]     (o in order)
//   weight gradient dW[o, k] = Σ_i dZ[o, i]·A[k, i],  db[o] = Σ_i dZ[o, i]
//
// The first two are the same kernel, `rowsProduct`, over a strided matrix:
// each output element is one plain sequential sum (lanes hold different
// samples, so SIMD changes nothing in its order). The sums over samples use
// lane-partial sums (lane ℓ adds samples ≡ ℓ mod L in order, from +0),
// combined by hsum. src/models/kernels.ts computes exactly these orders.
import { lanes, ld, shift, splat, st, vadd, vload, vmul, vstore } from "../simd";
import { hsum, hsum2F64, hsum4F32 } from "./common";

// @ts-ignore: decorator
@inline function splatAt<T>(p: usize): v128 { return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load64_splat(p); }

/**
 * Y[r, :] = init[r] + Σ_j M[r·rs + j·js]·X[j, :] for r < R (init = 0: from +0),
 * X: J × S, Y: R × S. Blocks of 4 rows × 2 vectors share their loads.
 */
// @ts-ignore: decorator
@inline export function rowsProduct<T>(m: usize, rs: i32, js: i32, init: usize, x: usize, y: usize, R: i32, J: i32, S: i32): void {
  const L = lanes<T>(), sh = shift<T>();
  const rowBytes = <usize>S << sh;
  const jsB = <usize>js << sh, rsB = <usize>rs << sh;
  let r = 0;
  for (; r + 4 <= R; r += 4) {
    const m0 = m + <usize>r * rsB, m1 = m0 + rsB, m2 = m1 + rsB, m3 = m2 + rsB;
    const b0 = init ? splat<T>(<f64>ld<T>(init, r)) : splat<T>(0);
    const b1 = init ? splat<T>(<f64>ld<T>(init, r + 1)) : splat<T>(0);
    const b2 = init ? splat<T>(<f64>ld<T>(init, r + 2)) : splat<T>(0);
    const b3 = init ? splat<T>(<f64>ld<T>(init, r + 3)) : splat<T>(0);
    const y0 = y + <usize>r * rowBytes, y1 = y0 + rowBytes, y2 = y1 + rowBytes, y3 = y2 + rowBytes;
    let i = 0;
    for (; i + 2 * L <= S; i += 2 * L) {
      let a00 = b0, a01 = b0, a10 = b1, a11 = b1, a20 = b2, a21 = b2, a30 = b3, a31 = b3;
      let xp = x + (<usize>i << sh);
      let o = <usize>0;
      for (let j = 0; j < J; j++, xp += rowBytes, o += jsB) {
        const x0 = v128.load(xp), x1 = v128.load(xp, 16);
        const w0 = splatAt<T>(m0 + o), w1 = splatAt<T>(m1 + o), w2 = splatAt<T>(m2 + o), w3 = splatAt<T>(m3 + o);
        a00 = vadd<T>(a00, vmul<T>(w0, x0)); a01 = vadd<T>(a01, vmul<T>(w0, x1));
        a10 = vadd<T>(a10, vmul<T>(w1, x0)); a11 = vadd<T>(a11, vmul<T>(w1, x1));
        a20 = vadd<T>(a20, vmul<T>(w2, x0)); a21 = vadd<T>(a21, vmul<T>(w2, x1));
        a30 = vadd<T>(a30, vmul<T>(w3, x0)); a31 = vadd<T>(a31, vmul<T>(w3, x1));
      }
      vstore<T>(y0, i, a00); vstore<T>(y0, i + L, a01);
      vstore<T>(y1, i, a10); vstore<T>(y1, i + L, a11);
      vstore<T>(y2, i, a20); vstore<T>(y2, i + L, a21);
      vstore<T>(y3, i, a30); vstore<T>(y3, i + L, a31);
    }
    for (; i < S; i += L) {
      let a0 = b0, a1 = b1, a2 = b2, a3 = b3;
      let xp = x + (<usize>i << sh);
      let o = <usize>0;
      for (let j = 0; j < J; j++, xp += rowBytes, o += jsB) {
        const x0 = v128.load(xp);
        a0 = vadd<T>(a0, vmul<T>(splatAt<T>(m0 + o), x0));
        a1 = vadd<T>(a1, vmul<T>(splatAt<T>(m1 + o), x0));
        a2 = vadd<T>(a2, vmul<T>(splatAt<T>(m2 + o), x0));
        a3 = vadd<T>(a3, vmul<T>(splatAt<T>(m3 + o), x0));
      }
      vstore<T>(y0, i, a0); vstore<T>(y1, i, a1); vstore<T>(y2, i, a2); vstore<T>(y3, i, a3);
    }
  }
  for (; r < R; r++) {
    const m0 = m + <usize>r * rsB;
    const b0 = init ? splat<T>(<f64>ld<T>(init, r)) : splat<T>(0);
    const y0 = y + <usize>r * rowBytes;
    let i = 0;
    for (; i + 2 * L <= S; i += 2 * L) {
      let a0 = b0, a1 = b0;
      let xp = x + (<usize>i << sh);
      let o = <usize>0;
      for (let j = 0; j < J; j++, xp += rowBytes, o += jsB) {
        const w = splatAt<T>(m0 + o);
        a0 = vadd<T>(a0, vmul<T>(w, v128.load(xp)));
        a1 = vadd<T>(a1, vmul<T>(w, v128.load(xp, 16)));
      }
      vstore<T>(y0, i, a0); vstore<T>(y0, i + L, a1);
    }
    for (; i < S; i += L) {
      let a0 = b0;
      let xp = x + (<usize>i << sh);
      let o = <usize>0;
      for (let j = 0; j < J; j++, xp += rowBytes, o += jsB) a0 = vadd<T>(a0, vmul<T>(splatAt<T>(m0 + o), v128.load(xp)));
      vstore<T>(y0, i, a0);
    }
  }
}

/** Four lane-partial accumulators → the four sums, stored at p (f32: one vector; f64: two). */
// @ts-ignore: decorator
@inline function store4<T>(p: usize, a: v128, b: v128, c: v128, d: v128): void {
  if (sizeof<T>() == 4) v128.store(p, hsum4F32(a, b, c, d));
  else {
    v128.store(p, hsum2F64(a, b));
    v128.store(p, hsum2F64(c, d), 16);
  }
}

/**
 * dW[o, k] = Σ_i dZ[o, i]·A[k, i] and db[o] = Σ_i dZ[o, i] over the S columns
 * (padding +0 in both), lane-partial sums combined by hsum. dZ: nOut × S,
 * A: nIn × S, dW: nOut × nIn row-major. Blocks of 2 outputs × 4 inputs.
 */
// @ts-ignore: decorator
@inline export function weightGrad<T>(dz: usize, a: usize, dw: usize, db: usize, nIn: i32, nOut: i32, S: i32): void {
  const L = lanes<T>(), sh = shift<T>();
  const rowBytes = <usize>S << sh;
  const span = <usize>S << sh;
  for (let o = 0; o < nOut; o++) {
    const d0 = dz + <usize>o * rowBytes;
    let s = splat<T>(0);
    for (let i = 0; i < S; i += L) s = vadd<T>(s, vload<T>(d0, i));
    st<T>(db, o, hsum<T>(s));
  }
  let o = 0;
  for (; o + 2 <= nOut; o += 2) {
    const d0 = dz + <usize>o * rowBytes, d1 = d0 + rowBytes;
    const w0 = dw + (<usize>(o * nIn) << sh), w1 = w0 + (<usize>nIn << sh);
    let k = 0;
    for (; k + 4 <= nIn; k += 4) {
      const x0 = a + <usize>k * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
      let p00 = splat<T>(0), p01 = p00, p02 = p00, p03 = p00, p10 = p00, p11 = p00, p12 = p00, p13 = p00;
      for (let off = <usize>0; off < span; off += 16) {
        const g0 = v128.load(d0 + off), g1 = v128.load(d1 + off);
        const v0 = v128.load(x0 + off), v1 = v128.load(x1 + off), v2 = v128.load(x2 + off), v3 = v128.load(x3 + off);
        p00 = vadd<T>(p00, vmul<T>(g0, v0)); p01 = vadd<T>(p01, vmul<T>(g0, v1));
        p02 = vadd<T>(p02, vmul<T>(g0, v2)); p03 = vadd<T>(p03, vmul<T>(g0, v3));
        p10 = vadd<T>(p10, vmul<T>(g1, v0)); p11 = vadd<T>(p11, vmul<T>(g1, v1));
        p12 = vadd<T>(p12, vmul<T>(g1, v2)); p13 = vadd<T>(p13, vmul<T>(g1, v3));
      }
      store4<T>(w0 + (<usize>k << sh), p00, p01, p02, p03);
      store4<T>(w1 + (<usize>k << sh), p10, p11, p12, p13);
    }
    for (; k < nIn; k++) {
      const x0 = a + <usize>k * rowBytes;
      let p0 = splat<T>(0), p1 = p0;
      for (let off = <usize>0; off < span; off += 16) {
        const v0 = v128.load(x0 + off);
        p0 = vadd<T>(p0, vmul<T>(v128.load(d0 + off), v0));
        p1 = vadd<T>(p1, vmul<T>(v128.load(d1 + off), v0));
      }
      st<T>(w0, k, hsum<T>(p0));
      st<T>(w1, k, hsum<T>(p1));
    }
  }
  for (; o < nOut; o++) {
    const d0 = dz + <usize>o * rowBytes;
    const w0 = dw + (<usize>(o * nIn) << sh);
    let k = 0;
    for (; k + 4 <= nIn; k += 4) {
      const x0 = a + <usize>k * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
      let p0 = splat<T>(0), p1 = p0, p2 = p0, p3 = p0;
      for (let off = <usize>0; off < span; off += 16) {
        const g0 = v128.load(d0 + off);
        p0 = vadd<T>(p0, vmul<T>(g0, v128.load(x0 + off)));
        p1 = vadd<T>(p1, vmul<T>(g0, v128.load(x1 + off)));
        p2 = vadd<T>(p2, vmul<T>(g0, v128.load(x2 + off)));
        p3 = vadd<T>(p3, vmul<T>(g0, v128.load(x3 + off)));
      }
      store4<T>(w0 + (<usize>k << sh), p0, p1, p2, p3);
    }
    for (; k < nIn; k++) {
      const x0 = a + <usize>k * rowBytes;
      let p0 = splat<T>(0);
      for (let off = <usize>0; off < span; off += 16) p0 = vadd<T>(p0, vmul<T>(v128.load(d0 + off), v128.load(x0 + off)));
      st<T>(w0, k, hsum<T>(p0));
    }
  }
}
