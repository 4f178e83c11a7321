// The function ids: mirrors FUNCTION_TABLE in bindings/functions.ts (the one
// definition; registry order of src/functions/index.ts). test/wasm-functions.test.ts
// checks that the two agree through the queries below.
//
// Parameters reach the kernels as an f64 array in a fixed order:
//   quadratic: weights[0..n); rosenbrock: a, b; rastrigin: A; ackley: a, b, c;
//   every other function: none (the pointer is ignored);
//   FN_EXPR: the formula's tape.

export const FN_QUADRATIC = 0;
export const FN_CUBIC = 1;
export const FN_ROSENBROCK = 2;
export const FN_BEALE = 3;
export const FN_BOOTH = 4;
export const FN_MATYAS = 5;
export const FN_HIMMELBLAU = 6;
export const FN_THREE_HUMP_CAMEL = 7;
export const FN_SIX_HUMP_CAMEL = 8;
export const FN_GOLDSTEIN_PRICE = 9;
export const FN_RASTRIGIN = 10;
export const FN_ACKLEY = 11;
export const FN_STYBLINSKI_TANG = 12;
export const FN_LEVI13 = 13;
export const FN_EASOM = 14;
export const FN_MCCORMICK = 15;
export const FN_SADDLE = 16;
export const FN_MONKEY_SADDLE = 17;
/** Number of ids (0 … FN_COUNT − 1). */
export const FN_COUNT = 18;
/**
 * A formula: its parameter block is the compiled tape (src/expr/tape.ts),
 * scratch included, evaluated by assembly/expr/tape.ts. Outside the table
 * above (the queries below describe the built-ins only).
 */
export const FN_EXPR = 100;

/** The id of formulas, for the bindings to check against their own. */
export function fnExprId(): i32 {
  return FN_EXPR;
}

/** Number of functions in the table. */
export function fnCount(): i32 {
  return FN_COUNT;
}

/** Number of f64 parameters function `id` reads at dimension n (−1 for an unknown id). */
export function fnParamCount(id: i32, n: i32): i32 {
  if (id < 0 || id >= FN_COUNT) return -1;
  switch (id) {
    case FN_QUADRATIC: return n;
    case FN_ROSENBROCK: return 2;
    case FN_RASTRIGIN: return 1;
    case FN_ACKLEY: return 3;
    default: return 0;
  }
}

/** Whether id is an N-D function (any dimension from fnMinDim), else it is 2-D (−1 for an unknown id). */
export function fnIsNd(id: i32): i32 {
  if (id < 0 || id >= FN_COUNT) return -1;
  return id == FN_QUADRATIC || id == FN_ROSENBROCK || id == FN_RASTRIGIN || id == FN_ACKLEY || id == FN_STYBLINSKI_TANG ? 1 : 0;
}

/** Smallest dimension of function id (−1 for an unknown id). */
export function fnMinDim(id: i32): i32 {
  if (id < 0 || id >= FN_COUNT) return -1;
  if (fnIsNd(id) == 0 || id == FN_ROSENBROCK) return 2;
  return 1;
}

/** 1 when function id uses only + − × (bit-identical to the reference), 0 when it calls sin/cos/exp/sqrt (−1 for an unknown id). */
export function fnPolynomial(id: i32): i32 {
  if (id < 0 || id >= FN_COUNT) return -1;
  return id == FN_RASTRIGIN || id == FN_ACKLEY || id == FN_LEVI13 || id == FN_EASOM || id == FN_MCCORMICK ? 0 : 1;
}
