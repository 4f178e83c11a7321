/**
 * The compiled form of a formula: a tape of operations in one flat
 * `Float64Array`, read by the reference (`./eval.ts`) and by the wasm
 * interpreter (`assembly/expr/tape.ts`) alike. The parser (`./parse.ts`)
 * drives a {@link TapeBuilder}, which folds constants, shares repeated
 * subexpressions, expands integer powers into multiplications and drops
 * what the result does not use.
 *
 * Layout (indices in f64 units; every integer is stored exactly as an f64):
 *
 * | at | holds |
 * | --- | --- |
 * | 0 | {@link TAPE_FORMAT} |
 * | 1 | nOps: slots 0 … nOps − 1, one per op |
 * | 2 | dim: the function's dimension |
 * | 3 | nVars: variables 0 … nVars − 1 may appear (≤ dim; the gradient is 0 beyond) |
 * | 4 | out: the slot holding f |
 * | 5 | varsAt: nVars entries, the slot of variable k or −1 where it is unused |
 * | 6 | valuesAt: scratch, nOps forward values |
 * | 7 | adjointsAt: scratch, nOps adjoints |
 * | 8 | length of the whole array (scratch included) |
 * | 9 | number of ops that are not {@link EXACT_OPS} |
 * | 10, 11 | 0 (reserved) |
 * | 12 … | op i at 12 + 4i: [code, a, b, c] |
 *
 * `code` is the opcode plus 32 × dep, where dep's bit 0 says the slot depends
 * on variable 0 (x) and bit 1 on variable 1 (y): what a grid may compute once
 * per column or once per row. `a`, `b` are earlier slots; `c` is CONST's
 * value or POWC's exponent; VAR's variable index is `a`.
 *
 * The scratch areas are part of the array so that a copy of it is everything
 * an interpreter needs (the wasm run engine passes it as the function's
 * parameter block and evaluates in place).
 *
 * @packageDocumentation
 */

import { binary, EXACT_OPS, Op, OP_ARITY, unary } from "./ops.js";

export const TAPE_FORMAT = 1;
export const TAPE_HEADER = 12;
/** f64s per op record. */
export const TAPE_RECORD = 4;
/** Bit position of the dependence bits in an op's code. */
export const DEP_SHIFT = 5;
/** Largest |n| for which x^n is expanded into multiplications (larger integer exponents use the power rule). */
export const MAX_CHAIN_EXPONENT = 2 ** 32;
/** Upper bound on ops, so that no text within the length limit can build an unbounded tape. */
export const MAX_OPS = 200_000;

/** An operand while compiling: a slot on the tape, or a constant not (yet) on it. */
export type Val = { readonly slot: number; readonly value: number };
const constant = (value: number): Val => ({ slot: -1, value });

/** A tape being built (see the module comment for what it simplifies). */
export class TapeBuilder {
  private readonly code: number[] = [];
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly c: number[] = [];
  private readonly dep: number[] = [];
  private readonly seen = new Map<string, number>();

  get size(): number {
    return this.code.length;
  }

  number(v: number): Val {
    return constant(v);
  }

  variable(k: number): Val {
    return { slot: this.emit(Op.VAR, k, 0, 0, k === 0 ? 1 : k === 1 ? 2 : 3), value: NaN };
  }

  /** A one-argument op (NEG, ABS, …, SIN, …); folded when the argument is a constant. */
  unary(op: number, x: Val): Val {
    if (x.slot < 0) return constant(unary(op, x.value));
    return this.op(op, x.slot, 0, 0);
  }

  /** A two-argument op (ADD … DIV, MIN, MAX, ATAN2, HYPOT); POW goes through {@link power}. */
  binary(op: number, x: Val, y: Val): Val {
    if (x.slot < 0 && y.slot < 0) return constant(binary(op, x.value, y.value));
    const sa = this.place(x);
    const sb = this.place(y);
    return this.op(op, sa, sb, 0);
  }

  /**
   * x^y and pow(x, y): an integer constant y with |y| ≤ 2³² becomes the
   * multiplication chain of {@link powiChain} (then 1/… for y < 0, the
   * constant 1 for y = 0), another constant y the power rule (POWC), a
   * variable y the general rule (POW). Constant x^y folds with the same rules.
   */
  power(x: Val, y: Val): Val {
    if (y.slot < 0) {
      const n = y.value;
      if (isChainExponent(n)) {
        if (x.slot < 0) return constant(powi(x.value, n));
        if (n === 0) return constant(1);
        let r = chain(Math.abs(n), x.slot, (p, q) => this.op(Op.MUL, p, q, 0).slot);
        if (n < 0) r = this.op(Op.DIV, this.place(constant(1)), r, 0).slot;
        return { slot: r, value: NaN };
      }
      if (x.slot < 0) return constant(Math.pow(x.value, n));
      return this.op(Op.POWC, x.slot, 0, n);
    }
    return this.op(Op.POW, this.place(x), y.slot, 0);
  }

  /**
   * The finished tape for `result`, keeping only the ops it depends on
   * (so an unused branch such as the base of `sqrt(x)^0` cannot put a NaN into
   * the gradient), with `dim` and the variable count as given.
   */
  finish(result: Val, dim: number, nVars: number): Float64Array {
    const out = this.place(result);
    const n = this.code.length;
    const live = new Uint8Array(n);
    live[out] = 1;
    for (let i = out; i >= 0; i--) {
      if (!live[i]) continue;
      const arity = OP_ARITY[this.code[i]];
      if (arity >= 1) live[this.a[i]] = 1;
      if (arity >= 2) live[this.b[i]] = 1;
    }
    const renum = new Int32Array(n).fill(-1);
    let m = 0;
    for (let i = 0; i < n; i++) if (live[i]) renum[i] = m++;

    const varsAt = TAPE_HEADER + TAPE_RECORD * m;
    const valuesAt = varsAt + nVars;
    const adjointsAt = valuesAt + m;
    const length = adjointsAt + m;
    const t = new Float64Array(length);
    let inexact = 0;
    for (let k = 0; k < nVars; k++) t[varsAt + k] = -1;
    for (let i = 0; i < n; i++) {
      const j = renum[i];
      if (j < 0) continue;
      const op = this.code[i];
      const r = TAPE_HEADER + TAPE_RECORD * j;
      const arity = OP_ARITY[op];
      t[r] = op + (this.dep[i] << DEP_SHIFT);
      t[r + 1] = op === Op.VAR ? this.a[i] : arity >= 1 ? renum[this.a[i]] : 0;
      t[r + 2] = arity >= 2 ? renum[this.b[i]] : 0;
      t[r + 3] = this.c[i];
      if (op === Op.VAR) t[varsAt + this.a[i]] = j;
      if (!EXACT_OPS.has(op)) inexact++;
    }
    t.set([TAPE_FORMAT, m, dim, nVars, renum[out], varsAt, valuesAt, adjointsAt, length, inexact], 0);
    return t;
  }

  /** The slot of an operand, putting a constant on the tape (once per value) when needed. */
  private place(v: Val): number {
    return v.slot >= 0 ? v.slot : this.op(Op.CONST, 0, 0, v.value).slot;
  }

  private op(code: number, a: number, b: number, c: number): Val {
    const arity = OP_ARITY[code];
    const dep = (arity >= 1 ? this.dep[a] : 0) | (arity >= 2 ? this.dep[b] : 0);
    return { slot: this.emit(code, a, b, c, dep), value: NaN };
  }

  /** Appends an op, or returns the slot of an identical earlier one (−0 and +0 are different constants). */
  private emit(code: number, a: number, b: number, c: number, dep: number): number {
    const key = `${code},${a},${b},${Object.is(c, -0) ? "-0" : c}`;
    const prev = this.seen.get(key);
    if (prev !== undefined) return prev;
    const slot = this.code.length;
    this.code.push(code);
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    this.dep.push(dep);
    this.seen.set(key, slot);
    return slot;
  }
}

/** Whether x^n for this constant n is a multiplication chain. */
export function isChainExponent(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) <= MAX_CHAIN_EXPONENT;
}

/**
 * The documented chain for x^m, m ≥ 1 (left-to-right binary method): r = x;
 * then for each bit of m below its leading 1, from high to low, r = r·r and,
 * if the bit is 1, r = r·x. x³ = (x·x)·x, x⁴ = (x·x)·(x·x), x⁵ = ((x·x)·(x·x))·x.
 * `mul` combines two partial results (slots or numbers).
 */
export function chain<T>(m: number, x: T, mul: (p: T, q: T) => T): T {
  let r = x;
  const bits = m.toString(2);
  for (let i = 1; i < bits.length; i++) {
    r = mul(r, r);
    if (bits[i] === "1") r = mul(r, x);
  }
  return r;
}

/** x^n for an integer n with |n| ≤ 2³², by the chain (1/x^|n| for n < 0; 1 for n = 0, as Math.pow). */
export function powi(x: number, n: number): number {
  if (n === 0) return 1;
  const r = chain(Math.abs(n), x, (p, q) => p * q);
  return n < 0 ? 1 / r : r;
}
