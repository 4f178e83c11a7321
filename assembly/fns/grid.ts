// f over an nx × ny grid, value only, with the coordinate formula of the
// reference grid() (src/functions/index.ts):
//   out[j·nx + i] = f(xᵢ, yⱼ), xᵢ = x0 + (i·(x1 − x0))/(nx − 1), yⱼ = y0 + (j·(y1 − y0))/(ny − 1).
// Polynomial functions run two x points per f64x2 (each lane the scalar IEEE
// operations, so bit-identical to the reference); the others are scalar.
// The x coordinates are computed once, into the last row of `out`, which is
// then evaluated in place after the other rows have read it.
//
// Each function gets its own copy of the row loop: simdRows<F>/scalarRows<F> are instantiated
// with a marker class F whose inlined `value` is the function (value-only
// path of its kernel), so nothing is dispatched per point.
import {
  FN_ACKLEY, FN_BEALE, FN_BOOTH, FN_CUBIC, FN_EASOM, FN_EXPR, FN_GOLDSTEIN_PRICE, FN_HIMMELBLAU, FN_LEVI13, FN_MATYAS, FN_MCCORMICK,
  FN_MONKEY_SADDLE, FN_QUADRATIC, FN_RASTRIGIN, FN_ROSENBROCK, FN_SADDLE, FN_SIX_HUMP_CAMEL, FN_STYBLINSKI_TANG, FN_THREE_HUMP_CAMEL,
} from "./ids";
import { exprValueGrad } from "../expr/tape";
import { add, mul, num } from "./lane";
import { ackleyNd, rastriginNd, rosenbrock2, styblinskiTang2 } from "./nd";
import { beale, booth, cubic, goldsteinPrice, himmelblau, matyas, monkeySaddle, saddle, sixHumpCamel, threeHumpCamel } from "./polynomial2d";
import { easom, levi13, mccormick } from "./transcendental2d";

/** The point(s) handed to the N-D kernels: coordinate 0 then 1, each an f64 (V = f64) or an f64x2 (V = v128). */
const POINT: usize = memory.data(32, 16);

/** Stores (x0, x1) at POINT in the layout ldx<V, f64> reads (assembly/fns/lane.ts). */
// @ts-ignore: decorator
@inline function point<V>(x0: V, x1: V): usize {
  if (isVector<V>()) {
    v128.store(POINT, x0);
    v128.store(POINT, x1, 16);
  } else {
    store<f64>(POINT, x0);
    store<f64>(POINT, x1, 8);
  }
  return POINT;
}

// Marker classes, never instantiated: `value<V>(x0, x1, p)` at one point
// (V = f64) or two (V = v128, polynomial functions only). p: the parameters.
// @ts-ignore: decorator
@final @unmanaged class Quadratic {
  // quadratic() of nd.ts unrolled for n = 2, same operations: f = (0 + (w₀x₀)x₀) + (w₁x₁)x₁.
  // The leading 0 + stays: it turns a −0 term into +0 exactly as the reference does.
  @inline value<V>(x0: V, x1: V, p: usize): V {
    const t0 = mul<V>(mul<V>(num<V>(load<f64>(p)), x0), x0);
    const t1 = mul<V>(mul<V>(num<V>(load<f64>(p, 8)), x1), x1);
    return add<V>(add<V>(num<V>(0), t0), t1);
  }
}
// @ts-ignore: decorator
@final @unmanaged class Cubic { @inline value<V>(x0: V, x1: V, p: usize): V { return cubic<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Rosenbrock { @inline value<V>(x0: V, x1: V, p: usize): V { return rosenbrock2<V>(x0, x1, load<f64>(p), load<f64>(p, 8)); } }
// @ts-ignore: decorator
@final @unmanaged class Beale { @inline value<V>(x0: V, x1: V, p: usize): V { return beale<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Booth { @inline value<V>(x0: V, x1: V, p: usize): V { return booth<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Matyas { @inline value<V>(x0: V, x1: V, p: usize): V { return matyas<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Himmelblau { @inline value<V>(x0: V, x1: V, p: usize): V { return himmelblau<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class ThreeHumpCamel { @inline value<V>(x0: V, x1: V, p: usize): V { return threeHumpCamel<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class SixHumpCamel { @inline value<V>(x0: V, x1: V, p: usize): V { return sixHumpCamel<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class GoldsteinPrice { @inline value<V>(x0: V, x1: V, p: usize): V { return goldsteinPrice<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class StyblinskiTang { @inline value<V>(x0: V, x1: V, p: usize): V { return styblinskiTang2<V>(x0, x1); } }
// @ts-ignore: decorator
@final @unmanaged class Saddle { @inline value<V>(x0: V, x1: V, p: usize): V { return saddle<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class MonkeySaddle { @inline value<V>(x0: V, x1: V, p: usize): V { return monkeySaddle<V, f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Rastrigin { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return rastriginNd<f64>(point<f64>(x0, x1), 0, 2, load<f64>(p)); } }
// @ts-ignore: decorator
@final @unmanaged class Ackley { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return ackleyNd<f64>(point<f64>(x0, x1), 0, 2, load<f64>(p), load<f64>(p, 8), load<f64>(p, 16)); } }
// @ts-ignore: decorator
@final @unmanaged class Levi13 { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return levi13<f64>(x0, x1, 0); } }
// @ts-ignore: decorator
@final @unmanaged class Easom { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return easom<f64>(x0, x1, 0); } }
// One point at a time through the interpreter (the bindings use assembly/expr/grid.ts instead, which needs work memory).
// @ts-ignore: decorator
@final @unmanaged class Expr { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return exprValueGrad<f64>(p, point<f64>(x0, x1), 0); } }
// @ts-ignore: decorator
@final @unmanaged class Mccormick { @inline value<V>(x0: f64, x1: f64, p: usize): f64 { return mccormick<f64>(x0, x1, 0); } }

/** yⱼ of the reference formula. */
// @ts-ignore: decorator
@inline function rowY(y0: f64, dy: f64, ny: i32, j: i32): f64 {
  return y0 + (<f64>j * dy) / <f64>(ny - 1);
}

/** The grid for polynomial F: two x points per f64x2, then the odd last column scalar. */
function simdRows<F>(p: usize, y0: f64, dy: f64, nx: i32, ny: i32, xs: usize, out: usize): void {
  const f = changetype<F>(0);
  const full = nx & ~1;
  for (let j = 0; j < ny; j++) {
    const y = rowY(y0, dy, ny, j);
    const vy = f64x2.splat(y);
    const row = out + ((<usize>j * <usize>nx) << 3);
    for (let i = 0; i < full; i += 2) {
      const o = <usize>i << 3;
      // @ts-ignore: F has value<V>
      v128.store(row + o, f.value<v128>(v128.load(xs + o), vy, p));
    }
    if (full < nx) {
      const o = <usize>full << 3;
      // @ts-ignore: F has value<V>
      store<f64>(row + o, f.value<f64>(load<f64>(xs + o), y, p));
    }
  }
}

/** The grid for F, one point at a time. */
function scalarRows<F>(p: usize, y0: f64, dy: f64, nx: i32, ny: i32, xs: usize, out: usize): void {
  const f = changetype<F>(0);
  for (let j = 0; j < ny; j++) {
    const y = rowY(y0, dy, ny, j);
    const row = out + ((<usize>j * <usize>nx) << 3);
    for (let i = 0; i < nx; i++) {
      const o = <usize>i << 3;
      // @ts-ignore: F has value<V>
      store<f64>(row + o, f.value<f64>(load<f64>(xs + o), y, p));
    }
  }
}

/**
 * Values of function id (2-D; quadratic with 2 weights) over an nx × ny grid
 * (nx, ny ≥ 2), row-major with y outer, into the f64 array out (nx·ny
 * elements). params: the f64 parameters as for fnValueGradF64.
 */
export function fnGrid(id: i32, params: usize, x0: f64, x1: f64, nx: i32, y0: f64, y1: f64, ny: i32, out: usize): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const rx = <f64>(nx - 1);
  const xs = out + ((<usize>(ny - 1) * <usize>nx) << 3);
  for (let i = 0; i < nx; i++) store<f64>(xs + (<usize>i << 3), x0 + (<f64>i * dx) / rx);
  const p = params;
  switch (id) {
    case FN_QUADRATIC: simdRows<Quadratic>(p, y0, dy, nx, ny, xs, out); break;
    case FN_CUBIC: simdRows<Cubic>(p, y0, dy, nx, ny, xs, out); break;
    case FN_ROSENBROCK: simdRows<Rosenbrock>(p, y0, dy, nx, ny, xs, out); break;
    case FN_BEALE: simdRows<Beale>(p, y0, dy, nx, ny, xs, out); break;
    case FN_BOOTH: simdRows<Booth>(p, y0, dy, nx, ny, xs, out); break;
    case FN_MATYAS: simdRows<Matyas>(p, y0, dy, nx, ny, xs, out); break;
    case FN_HIMMELBLAU: simdRows<Himmelblau>(p, y0, dy, nx, ny, xs, out); break;
    case FN_THREE_HUMP_CAMEL: simdRows<ThreeHumpCamel>(p, y0, dy, nx, ny, xs, out); break;
    case FN_SIX_HUMP_CAMEL: simdRows<SixHumpCamel>(p, y0, dy, nx, ny, xs, out); break;
    case FN_GOLDSTEIN_PRICE: simdRows<GoldsteinPrice>(p, y0, dy, nx, ny, xs, out); break;
    case FN_STYBLINSKI_TANG: simdRows<StyblinskiTang>(p, y0, dy, nx, ny, xs, out); break;
    case FN_SADDLE: simdRows<Saddle>(p, y0, dy, nx, ny, xs, out); break;
    case FN_MONKEY_SADDLE: simdRows<MonkeySaddle>(p, y0, dy, nx, ny, xs, out); break;
    case FN_RASTRIGIN: scalarRows<Rastrigin>(p, y0, dy, nx, ny, xs, out); break;
    case FN_ACKLEY: scalarRows<Ackley>(p, y0, dy, nx, ny, xs, out); break;
    case FN_LEVI13: scalarRows<Levi13>(p, y0, dy, nx, ny, xs, out); break;
    case FN_EASOM: scalarRows<Easom>(p, y0, dy, nx, ny, xs, out); break;
    case FN_MCCORMICK: scalarRows<Mccormick>(p, y0, dy, nx, ny, xs, out); break;
    case FN_EXPR: scalarRows<Expr>(p, y0, dy, nx, ny, xs, out); break;
    default: unreachable();
  }
}
