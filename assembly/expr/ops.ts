// Opcodes of a compiled formula: mirrors `Op` in src/expr/ops.ts (the one
// definition; test/expr-wasm.test.ts checks the two agree through
// exprOpCount/exprOpArity). The tape layout is documented in src/expr/tape.ts.

export const OP_CONST = 0;
export const OP_VAR = 1;
export const OP_ADD = 2;
export const OP_SUB = 3;
export const OP_MUL = 4;
export const OP_DIV = 5;
export const OP_NEG = 6;
export const OP_MIN = 7;
export const OP_MAX = 8;
export const OP_ABS = 9;
export const OP_SIGN = 10;
export const OP_SQRT = 11;
export const OP_POWC = 12;
export const OP_POW = 13;
export const OP_SIN = 14;
export const OP_COS = 15;
export const OP_TAN = 16;
export const OP_ASIN = 17;
export const OP_ACOS = 18;
export const OP_ATAN = 19;
export const OP_SINH = 20;
export const OP_COSH = 21;
export const OP_TANH = 22;
export const OP_EXP = 23;
export const OP_LOG = 24;
export const OP_LOG2 = 25;
export const OP_LOG10 = 26;
export const OP_CBRT = 27;
export const OP_ATAN2 = 28;
export const OP_HYPOT = 29;
export const OP_COUNT = 30;

/** The opcode is the low 5 bits of an op's code; bits 5–6 say whether it depends on x and on y. */
export const OP_MASK = 31;
export const DEP_SHIFT = 5;

// Header fields (f64 indices) and the op record.
export const H_NOPS = 1;
export const H_DIM = 2;
export const H_NVARS = 3;
export const H_OUT = 4;
export const H_VARS_AT = 5;
export const H_VALUES_AT = 6;
export const H_ADJOINTS_AT = 7;
export const TAPE_HEADER = 12;
/** Bytes per op record [code, a, b, c]. */
export const RECORD_BYTES = 32;

/** Math.LN2 and Math.LN10 of JavaScript, as the same f64s. */
export const LN2: f64 = 0.6931471805599453;
export const LN10: f64 = 2.302585092994046;

/** Number of opcodes. */
export function exprOpCount(): i32 {
  return OP_COUNT;
}

/** Slot operands of opcode op (−1 for an unknown one). */
export function exprOpArity(op: i32): i32 {
  if (op < 0 || op >= OP_COUNT) return -1;
  if (op == OP_CONST || op == OP_VAR) return 0;
  if (op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_MIN || op == OP_MAX || op == OP_POW || op == OP_ATAN2 || op == OP_HYPOT) return 2;
  return 1;
}

/** sign(v): 1, −1, or v itself for ±0 and NaN (sgn in src/expr/ops.ts). */
// @ts-ignore: decorator
@inline export function sgn(v: f64): f64 {
  return v > 0 ? 1 : v < 0 ? -1 : v;
}

/** f64 field k of the header at t, as an integer. */
// @ts-ignore: decorator
@inline export function hdr(t: usize, k: i32): i32 {
  return <i32>load<f64>(t + (<usize>k << 3));
}
