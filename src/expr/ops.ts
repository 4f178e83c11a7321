/**
 * The operations of a compiled formula: the one list of opcodes, mirrored by
 * `assembly/expr/ops.ts` (test/expr-wasm.test.ts checks the two through the
 * core's `exprOpCount`/`exprOpArity` queries).
 *
 * Each op writes one slot (its own index on the tape) from up to two earlier
 * slots `a`, `b` and one f64 immediate `c`. "Exact" ops are IEEE-exact (+ − × ÷
 * √ and selections), so both backends give the same bits; the others call a
 * libm function (V8's in the reference, AssemblyScript's in wasm).
 *
 * @packageDocumentation
 */

/** Opcodes (values are the tape's numbers; keep in step with assembly/expr/ops.ts). */
export const Op = {
  /** c */
  CONST: 0,
  /** x[a] */
  VAR: 1,
  ADD: 2,
  SUB: 3,
  MUL: 4,
  DIV: 5,
  NEG: 6,
  /** min(a, b): NaN if either is NaN, −0 below +0 (Math.min) */
  MIN: 7,
  MAX: 8,
  ABS: 9,
  SIGN: 10,
  SQRT: 11,
  /** a^c for a constant, non-integer c (power rule) */
  POWC: 12,
  /** a^b with a variable exponent b (general rule) */
  POW: 13,
  SIN: 14,
  COS: 15,
  TAN: 16,
  ASIN: 17,
  ACOS: 18,
  ATAN: 19,
  SINH: 20,
  COSH: 21,
  TANH: 22,
  EXP: 23,
  LOG: 24,
  LOG2: 25,
  LOG10: 26,
  CBRT: 27,
  /** atan2(a, b) = the angle of the point (b, a), as Math.atan2(y, x) */
  ATAN2: 28,
  HYPOT: 29,
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];

/** Number of opcodes (0 … OP_COUNT − 1). */
export const OP_COUNT = 30;

/** Slot operands each op reads (CONST and VAR read none; VAR's index is in `a`, CONST's value in `c`). */
export const OP_ARITY: readonly number[] = [0, 0, 2, 2, 2, 2, 1, 2, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2];

/** Ops whose value and derivative use only IEEE-exact arithmetic (bit-identical on both backends). */
export const EXACT_OPS: ReadonlySet<number> = new Set([Op.CONST, Op.VAR, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.NEG, Op.MIN, Op.MAX, Op.ABS, Op.SIGN, Op.SQRT]);

/**
 * The formula language's functions: name → [opcode, number of arguments].
 * `pow` is compiled like `^`. A `Map`, so names such as `__proto__` or
 * `constructor` never resolve to anything.
 */
export const FUNCTIONS: ReadonlyMap<string, readonly [number, number]> = new Map<string, readonly [number, number]>([
  ["sin", [Op.SIN, 1]],
  ["cos", [Op.COS, 1]],
  ["tan", [Op.TAN, 1]],
  ["asin", [Op.ASIN, 1]],
  ["acos", [Op.ACOS, 1]],
  ["atan", [Op.ATAN, 1]],
  ["sinh", [Op.SINH, 1]],
  ["cosh", [Op.COSH, 1]],
  ["tanh", [Op.TANH, 1]],
  ["exp", [Op.EXP, 1]],
  ["log", [Op.LOG, 1]],
  ["log2", [Op.LOG2, 1]],
  ["log10", [Op.LOG10, 1]],
  ["sqrt", [Op.SQRT, 1]],
  ["cbrt", [Op.CBRT, 1]],
  ["abs", [Op.ABS, 1]],
  ["sign", [Op.SIGN, 1]],
  ["min", [Op.MIN, 2]],
  ["max", [Op.MAX, 2]],
  ["atan2", [Op.ATAN2, 2]],
  ["hypot", [Op.HYPOT, 2]],
  ["pow", [Op.POW, 2]],
]);

/** The constants of the language. */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
]);

/** sign(v): 1, −1, or v itself for ±0 and NaN (Math.sign; written out so the wasm port is the same expression). */
export function sgn(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : v;
}

/** The value of a one-argument op (not CONST/VAR/POWC/NEG…, which the callers handle). */
export function unary(op: number, a: number): number {
  switch (op) {
    case Op.NEG:
      return -a;
    case Op.ABS:
      return Math.abs(a);
    case Op.SIGN:
      return sgn(a);
    case Op.SQRT:
      return Math.sqrt(a);
    case Op.SIN:
      return Math.sin(a);
    case Op.COS:
      return Math.cos(a);
    case Op.TAN:
      return Math.tan(a);
    case Op.ASIN:
      return Math.asin(a);
    case Op.ACOS:
      return Math.acos(a);
    case Op.ATAN:
      return Math.atan(a);
    case Op.SINH:
      return Math.sinh(a);
    case Op.COSH:
      return Math.cosh(a);
    case Op.TANH:
      return Math.tanh(a);
    case Op.EXP:
      return Math.exp(a);
    case Op.LOG:
      return Math.log(a);
    case Op.LOG2:
      return Math.log2(a);
    case Op.LOG10:
      return Math.log10(a);
    case Op.CBRT:
      return Math.cbrt(a);
    default:
      throw new Error(`not a unary op: ${op}`);
  }
}

/** The value of a two-argument op. */
export function binary(op: number, a: number, b: number): number {
  switch (op) {
    case Op.ADD:
      return a + b;
    case Op.SUB:
      return a - b;
    case Op.MUL:
      return a * b;
    case Op.DIV:
      return a / b;
    case Op.MIN:
      return Math.min(a, b);
    case Op.MAX:
      return Math.max(a, b);
    case Op.POW:
      return Math.pow(a, b);
    case Op.ATAN2:
      return Math.atan2(a, b);
    case Op.HYPOT:
      return Math.hypot(a, b);
    default:
      throw new Error(`not a binary op: ${op}`);
  }
}
