// The dispatcher: one test function chosen by id (assembly/fns/ids.ts, mirrored
// from FUNCTION_TABLE in bindings/functions.ts), its parameters read from an
// f64 array in the documented order. fnValueGrad<T> is also what the run
// engine (assembly/run.ts) calls between optimizer steps.
import { exprValueGrad } from "../expr/tape";
import { ldx } from "./lane";
import {
  FN_ACKLEY, FN_BEALE, FN_BOOTH, FN_CUBIC, FN_EASOM, FN_EXPR, FN_GOLDSTEIN_PRICE, FN_HIMMELBLAU, FN_LEVI13, FN_MATYAS, FN_MCCORMICK,
  FN_MONKEY_SADDLE, FN_QUADRATIC, FN_RASTRIGIN, FN_ROSENBROCK, FN_SADDLE, FN_SIX_HUMP_CAMEL, FN_STYBLINSKI_TANG, FN_THREE_HUMP_CAMEL,
} from "./ids";
import { ackleyNd, quadraticNd, rastriginNd, rosenbrockNd, styblinskiTangNd } from "./nd";
import { beale, booth, cubic, goldsteinPrice, himmelblau, matyas, monkeySaddle, saddle, sixHumpCamel, threeHumpCamel } from "./polynomial2d";
import { easom, levi13, mccormick } from "./transcendental2d";

export { fnCount, fnExprId, fnIsNd, fnMinDim, fnParamCount, fnPolynomial } from "./ids";
export { fnGrid } from "./grid";

/** Parameter k of the f64 array at p. */
// @ts-ignore: decorator
@inline function par(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

/**
 * f(x) of function `id` at the n-element T array x, computed in f64; writes
 * ∇f into the T array g (each component once, rounded on store for f32)
 * unless g is 0 (value only). p: the f64 parameters (a formula's tape for
 * FN_EXPR). 2-D functions read x[0], x[1].
 */
export function fnValueGrad<T>(id: i32, p: usize, x: usize, g: usize, n: i32): f64 {
  switch (id) {
    case FN_QUADRATIC: return quadraticNd<T>(x, g, n, p);
    case FN_CUBIC: return cubic<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_ROSENBROCK: return rosenbrockNd<T>(x, g, n, par(p, 0), par(p, 1));
    case FN_BEALE: return beale<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_BOOTH: return booth<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_MATYAS: return matyas<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_HIMMELBLAU: return himmelblau<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_THREE_HUMP_CAMEL: return threeHumpCamel<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_SIX_HUMP_CAMEL: return sixHumpCamel<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_GOLDSTEIN_PRICE: return goldsteinPrice<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_RASTRIGIN: return rastriginNd<T>(x, g, n, par(p, 0));
    case FN_ACKLEY: return ackleyNd<T>(x, g, n, par(p, 0), par(p, 1), par(p, 2));
    case FN_STYBLINSKI_TANG: return styblinskiTangNd<T>(x, g, n);
    case FN_LEVI13: return levi13<T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_EASOM: return easom<T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_MCCORMICK: return mccormick<T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_SADDLE: return saddle<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_MONKEY_SADDLE: return monkeySaddle<f64, T>(ldx<f64, T>(x, 0), ldx<f64, T>(x, 1), g);
    case FN_EXPR: return exprValueGrad<T>(p, x, g); // n is the tape's own dim
    default: unreachable();
  }
  return 0;
}

/** f(x) and ∇f: x, g are n-element f32 arrays; f is computed in f64 from the widened x; each ∇f component rounds to f32 once on store. */
export function fnValueGradF32(id: i32, params: usize, x: usize, g: usize, n: i32): f64 {
  return fnValueGrad<f32>(id, params, x, g, n);
}
/** f(x) and ∇f: x, g are n-element f64 arrays. */
export function fnValueGradF64(id: i32, params: usize, x: usize, g: usize, n: i32): f64 {
  return fnValueGrad<f64>(id, params, x, g, n);
}
/** f(x) only (no gradient work), x an n-element f32 array; bit-identical to fnValueGradF32's value. */
export function fnValueF32(id: i32, params: usize, x: usize, n: i32): f64 {
  return fnValueGrad<f32>(id, params, x, 0, n);
}
/** f(x) only, x an n-element f64 array; bit-identical to fnValueGradF64's value. */
export function fnValueF64(id: i32, params: usize, x: usize, n: i32): f64 {
  return fnValueGrad<f64>(id, params, x, 0, n);
}
