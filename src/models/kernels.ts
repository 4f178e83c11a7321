/**
 * The reference kernels of a dense network: the readable definition of every
 * number the engine computes, and the operation order that the SIMD kernels
 * (assembly/nn/) repeat.
 *
 * Layout: feature-major. An activation, gradient or data buffer holds one row
 * per feature (or output) with a stride of S columns, one per sample; only the
 * first n columns are real (S is n rounded up to whole SIMD vectors). Weights
 * are torch's: W of layer l is out × in row-major, then b.
 *
 * Summation orders (each + and × rounded to the dtype):
 * - products over features (forward Z = b + Σₖ W·A, input gradient
 *   dA = Σₒ W·dZ): one sequential sum per output element, in index order,
 *   starting from b (forward) or +0;
 * - sums over samples (weight and bias gradients, the losses' means): L
 *   lane-partial sums (L = 4 for f32, 2 for f64), lane ℓ adding the terms of
 *   samples i ≡ ℓ (mod L) in order from +0, combined as (s₀ + s₂) + (s₁ + s₃)
 *   (f32) or s₀ + s₁ (f64); a loss's sum runs over its rows in order, each
 *   row's samples in order, into the same L lanes, then is divided by the
 *   count.
 *
 * Transcendental functions (exp, log, log1p, tanh, erf of src/models/math.ts)
 * are evaluated in f64 at the (exact) value of their argument and rounded
 * once to the dtype; everything else is one IEEE operation of the dtype.
 *
 * @packageDocumentation
 */
import type { FloatArray, Round } from "../api.js";
import { ACT_RELU, ACT_SIGMOID, ACT_TANH, LOSS_BCE, LOSS_MSE } from "./kernelIds.js";
import { erf, exp, log, log1p, tanh } from "./math.js";
import { INV_SQRT_2PI, SQRT1_2 } from "./mathConstants.js";

/** Lane-partial sums combined in the documented order. */
function combine(s0: number, s1: number, s2: number, s3: number, L: number, r: Round): number {
  return L === 4 ? r(r(s0 + s2) + r(s1 + s3)) : r(s0 + s1);
}

/** Σᵢ x[xo + i]·y[yo + i] over i < n in L lane-partial sums (y omitted: Σᵢ x[xo + i]). */
export function laneDot(x: FloatArray, xo: number, y: FloatArray | null, yo: number, n: number, L: number, r: Round): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let i = 0; i < n; i++) {
    const t = y ? r(x[xo + i] * y[yo + i]) : x[xo + i];
    switch (i % L) {
      case 0:
        s0 = r(s0 + t);
        break;
      case 1:
        s1 = r(s1 + t);
        break;
      case 2:
        s2 = r(s2 + t);
        break;
      default:
        s3 = r(s3 + t);
    }
  }
  return combine(s0, s1, s2, s3, L, r);
}

/** Z[o, i] = b[o] + Σₖ W[o, k]·A[k, i] (k in order), for i < n. */
export function denseForward(W: FloatArray, b: FloatArray, A: FloatArray, Z: FloatArray, nIn: number, nOut: number, n: number, S: number, r: Round): void {
  for (let o = 0; o < nOut; o++) {
    const zo = o * S;
    Z.fill(b[o], zo, zo + n);
    for (let k = 0; k < nIn; k++) {
      const w = W[o * nIn + k],
        ak = k * S;
      for (let i = 0; i < n; i++) Z[zo + i] = r(Z[zo + i] + r(w * A[ak + i]));
    }
  }
}

/** dA[k, i] = Σₒ W[o, k]·dZ[o, i] (o in order, from +0), for i < n. */
export function denseBackwardInput(W: FloatArray, dZ: FloatArray, dA: FloatArray, nIn: number, nOut: number, n: number, S: number, r: Round): void {
  for (let k = 0; k < nIn; k++) {
    const ak = k * S;
    dA.fill(0, ak, ak + n);
    for (let o = 0; o < nOut; o++) {
      const w = W[o * nIn + k],
        zo = o * S;
      for (let i = 0; i < n; i++) dA[ak + i] = r(dA[ak + i] + r(w * dZ[zo + i]));
    }
  }
}

/** dW[o, k] = Σᵢ dZ[o, i]·A[k, i] and db[o] = Σᵢ dZ[o, i], lane-partial over the n samples. */
export function weightGrad(
  dZ: FloatArray,
  A: FloatArray,
  dW: FloatArray,
  db: FloatArray,
  nIn: number,
  nOut: number,
  n: number,
  S: number,
  L: number,
  r: Round,
): void {
  for (let o = 0; o < nOut; o++) {
    db[o] = laneDot(dZ, o * S, null, 0, n, L, r);
    for (let k = 0; k < nIn; k++) dW[o * nIn + k] = laneDot(dZ, o * S, A, k * S, n, L, r);
  }
}

/** A = act(Z) over rows × n. */
export function actForward(act: number, Z: FloatArray, A: FloatArray, rows: number, n: number, S: number, r: Round): void {
  const s12 = r(SQRT1_2);
  for (let row = 0; row < rows; row++) {
    for (let i = row * S, end = i + n; i < end; i++) {
      const z = Z[i];
      if (act === ACT_TANH) A[i] = r(tanh(z));
      else if (act === ACT_RELU) A[i] = Math.max(z, 0);
      else if (act === ACT_SIGMOID) A[i] = r(1 / r(1 + r(exp(-z))));
      else A[i] = r(r(z * 0.5) * r(1 + r(erf(r(z * s12)))));
    }
  }
}

/** dZ = dA ⊙ act′ over rows × n: tanh 1 − A², relu [A > 0], sigmoid (1 − A)·A, gelu Φ(Z) + Z·φ(Z). dZ may be dA. */
export function actBackward(act: number, dA: FloatArray, Z: FloatArray, A: FloatArray, dZ: FloatArray, rows: number, n: number, S: number, r: Round): void {
  const s12 = r(SQRT1_2),
    beta = r(INV_SQRT_2PI);
  for (let row = 0; row < rows; row++) {
    for (let i = row * S, end = i + n; i < end; i++) {
      const da = dA[i];
      if (act === ACT_TANH) dZ[i] = r(da * r(1 - r(A[i] * A[i])));
      else if (act === ACT_RELU) dZ[i] = A[i] <= 0 ? 0 : da;
      else if (act === ACT_SIGMOID) dZ[i] = r(r(da * r(1 - A[i])) * A[i]);
      else {
        const z = Z[i];
        const cdf = r(0.5 * r(1 + r(erf(r(z * s12)))));
        const pdf = r(beta * r(exp(r(r(z * z) * -0.5))));
        dZ[i] = r(da * r(cdf + r(z * pdf)));
      }
    }
  }
}

/**
 * The mean loss over n samples of Z (K × S) against Y (mse, bce: K × S
 * targets; ce: one row of class indices), and when dZ is given its gradient
 * scaled by g (2/N for mse, 1/N for bce, 1/n for ce; N = K·n):
 * - mse: d = z − y, loss d², gradient d·g;
 * - bce: e = exp(−|z|), loss (max(z, 0) − z·y) + log1p(e), gradient (σ − y)·g
 *   with σ = 1/(1 + e) for z ≥ 0, else e/(1 + e);
 * - ce: m = maxⱼ zⱼ, s = Σⱼ exp(zⱼ − m), loss (m + log s) − z_y, gradient
 *   (exp(zⱼ − m)/s − [j = y])·g.
 */
export function lossForward(
  loss: number,
  Z: FloatArray,
  Y: FloatArray,
  dZ: FloatArray | null,
  K: number,
  n: number,
  S: number,
  g: number,
  L: number,
  r: Round,
): number {
  const gr = r(g);
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  const add = (i: number, v: number) => {
    switch (i % L) {
      case 0:
        s0 = r(s0 + v);
        break;
      case 1:
        s1 = r(s1 + v);
        break;
      case 2:
        s2 = r(s2 + v);
        break;
      default:
        s3 = r(s3 + v);
    }
  };
  if (loss === LOSS_MSE || loss === LOSS_BCE) {
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const at = k * S + i,
          z = Z[at],
          y = Y[at];
        if (loss === LOSS_MSE) {
          const d = r(z - y);
          add(i, r(d * d));
          if (dZ) dZ[at] = r(d * gr);
        } else {
          const e = r(exp(-Math.abs(z)));
          add(i, r(r(Math.max(z, 0) - r(z * y)) + r(log1p(e))));
          if (dZ) {
            const d = r(1 + e);
            const s = z >= 0 ? r(1 / d) : r(e / d);
            dZ[at] = r(r(s - y) * gr);
          }
        }
      }
    }
    return r(combine(s0, s1, s2, s3, L, r) / r(K * n));
  }
  for (let i = 0; i < n; i++) {
    const y = Y[i];
    let m = Z[i];
    for (let j = 1; j < K; j++) m = Math.max(m, Z[j * S + i]);
    let s = 0,
      zy = 0;
    for (let j = 0; j < K; j++) {
      const zj = Z[j * S + i];
      const e = r(exp(r(zj - m)));
      s = r(s + e);
      if (dZ) dZ[j * S + i] = e;
      if (y === j) zy = zj;
    }
    add(i, r(r(m + r(log(s))) - zy));
    if (dZ) for (let j = 0; j < K; j++) dZ[j * S + i] = r(r(r(dZ[j * S + i] / s) - (y === j ? 1 : 0)) * gr);
  }
  return r(combine(s0, s1, s2, s3, L, r) / r(n));
}

/** dst[r, c] = src[r, idx[from + c]] for c < n, +0 for n ≤ c < S (rows of srcStride and S elements). */
export function gather(src: FloatArray, srcStride: number, idx: Int32Array, from: number, dst: FloatArray, rows: number, n: number, S: number): void {
  for (let row = 0; row < rows; row++) {
    const s = row * srcStride,
      d = row * S;
    for (let c = 0; c < n; c++) dst[d + c] = src[s + idx[from + c]];
    dst.fill(0, d + n, d + S);
  }
}
