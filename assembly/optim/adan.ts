// Adan (sail-sg/Adan, single-tensor path); the operation order of src/optim/adan.ts.
import { lanes, shift, splat, vadd, vdiv, vload, vmul, vneg, vsqrt, vstore, vsub } from "../simd";
import { AdanBuf, AdanRow, AdanSum } from "../generated/layout";
import { tailIn, tailOut } from "../tail";
import { bufAt, flag, sc } from "./row";
import { combine, ld2, ldf } from "./sums";

// @ts-ignore: decorator
@inline function body<T>(p: usize, g: usize, m: usize, v: usize, nb: usize, w: usize,
  b1: v128, omb1: v128, b2: v128, omb2: v128, b3: v128, omb3: v128, eps: v128, bc3s: v128, valueM: v128, valueV: v128,
  decay: v128, divisor: v128, clip: v128, hasDecay: bool, hasDivisor: bool, first: bool, maximize: bool): void {
  let gi = vload<T>(g, 0);
  if (maximize) gi = vneg<T>(gi);
  let wi = first ? vmul<T>(gi, vneg<T>(clip)) : vload<T>(w, 0);
  gi = vmul<T>(gi, clip);
  wi = vadd<T>(wi, gi);
  const mi = vadd<T>(vmul<T>(vload<T>(m, 0), b1), vmul<T>(omb1, gi));
  vstore<T>(m, 0, mi);
  const vi = vadd<T>(vmul<T>(vload<T>(v, 0), b2), vmul<T>(omb2, wi));
  vstore<T>(v, 0, vi);
  wi = vadd<T>(vmul<T>(wi, b2), gi);
  const ni = vadd<T>(vmul<T>(vload<T>(nb, 0), b3), vmul<T>(vmul<T>(omb3, wi), wi));
  vstore<T>(nb, 0, ni);
  const d = vadd<T>(vdiv<T>(vsqrt<T>(ni), bc3s), eps);
  let pi = vload<T>(p, 0);
  if (hasDecay) pi = vmul<T>(pi, decay);
  pi = vadd<T>(pi, vdiv<T>(vmul<T>(valueM, mi), d));
  pi = vadd<T>(pi, vdiv<T>(vmul<T>(valueV, vi), d));
  if (hasDivisor) pi = vdiv<T>(pi, divisor);
  vstore<T>(p, 0, pi);
  vstore<T>(w, 0, vsub<T>(splat<T>(0), gi));
}

/** Adan step over n elements of T: p, g, expAvg, expAvgDiff, expAvgSq, negPrevGrad. */
// @ts-ignore: decorator
@inline export function adanStep<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize): void {
  const m = bufAt(bufs, AdanBuf.expAvg), v = bufAt(bufs, AdanBuf.expAvgDiff), nb = bufAt(bufs, AdanBuf.expAvgSq), w = bufAt(bufs, AdanBuf.negPrevGrad);
  const beta1 = sc(row, AdanRow.beta1), oneMinusBeta1 = sc(row, AdanRow.oneMinusBeta1), beta2 = sc(row, AdanRow.beta2);
  const oneMinusBeta2 = sc(row, AdanRow.oneMinusBeta2), beta3 = sc(row, AdanRow.beta3), oneMinusBeta3 = sc(row, AdanRow.oneMinusBeta3);
  const eps = sc(row, AdanRow.eps), biasCorrection3Sqrt = sc(row, AdanRow.biasCorrection3Sqrt), valueM = sc(row, AdanRow.valueM);
  const valueV = sc(row, AdanRow.valueV), decay = sc(row, AdanRow.decay), divisor = sc(row, AdanRow.divisor), clip = sc(row, AdanRow.clip);
  const first = flag(row, AdanRow.first), maximize = flag(row, AdanRow.maximize);
  const vb1 = splat<T>(beta1), vomb1 = splat<T>(oneMinusBeta1), vb2 = splat<T>(beta2), vomb2 = splat<T>(oneMinusBeta2);
  const vb3 = splat<T>(beta3), vomb3 = splat<T>(oneMinusBeta3), veps = splat<T>(eps), vbc3s = splat<T>(biasCorrection3Sqrt);
  const vvm = splat<T>(valueM), vvv = splat<T>(valueV), vdecay = splat<T>(decay), vdiv = splat<T>(divisor), vclip = splat<T>(clip);
  const hasDecay = decay != 1, hasDivisor = divisor != 1, fst = first, max = maximize;
  const L = lanes<T>(), sh = shift<T>();
  const full = n & ~(L - 1);
  for (let i = 0; i < full; i += L) {
    const o = <usize>i << sh;
    body<T>(p + o, g + o, m + o, v + o, nb + o, w + o, vb1, vomb1, vb2, vomb2, vb3, vomb3, veps, vbc3s, vvm, vvv, vdecay, vdiv, vclip,
      hasDecay, hasDivisor, fst, max);
  }
  const k = n - full;
  if (k > 0) {
    body<T>(tailIn<T>(0, p, full, k), tailIn<T>(1, g, full, k), tailIn<T>(2, m, full, k), tailIn<T>(3, v, full, k), tailIn<T>(4, nb, full, k),
      tailIn<T>(5, w, full, k), vb1, vomb1, vb2, vomb2, vb3, vomb3, veps, vbc3s, vvm, vvv, vdecay, vdiv, vclip, hasDecay, hasDivisor, fst, max);
    tailOut<T>(0, p, full, k);
    tailOut<T>(2, m, full, k);
    tailOut<T>(3, v, full, k);
    tailOut<T>(4, nb, full, k);
    tailOut<T>(5, w, full, k);
  }
}

/** The global norm's reduce pass over one tensor: sums[gradSq] += Σ g² (f64, lane order; see assembly/optim/sums.ts). */
// @ts-ignore: decorator
@inline export function adanReduce<T>(p: usize, g: usize, bufs: usize, n: i32, row: usize, sums: usize): void {
  let A = f64x2.splat(0), B = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const ga = ld2<T>(g, i), gb = ld2<T>(g, i + 2);
    A = f64x2.add(A, f64x2.mul(ga, ga));
    B = f64x2.add(B, f64x2.mul(gb, gb));
  }
  let p0 = f64x2.extract_lane(A, 0), p1 = f64x2.extract_lane(A, 1), p2 = f64x2.extract_lane(B, 0), p3 = f64x2.extract_lane(B, 1);
  for (let k = 0; i + k < n; k++) {
    const x = ldf<T>(g, i + k);
    const t = x * x;
    if (k == 0) p0 += t;
    else if (k == 1) p1 += t;
    else p2 += t;
  }
  const at = sums + (<usize>AdanSum.gradSq << 3);
  store<f64>(at, load<f64>(at) + combine(p0, p1, p2, p3));
}
