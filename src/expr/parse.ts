/**
 * The formula language: a lexer and a recursive-descent parser that compiles
 * straight onto a tape (`./tape.ts`), with no tree in between. Nothing here
 * evaluates text (no `eval`, no `Function`); names resolve through `Map`s,
 * so `__proto__` or `constructor` are unknown names like any other.
 *
 * Grammar (whitespace anywhere between tokens):
 *
 *   sum     = product { ("+" | "-") product }          left-associative
 *   product = unary { ("*" | "/") unary }              left-associative
 *   unary   = ("-" | "+") unary | power
 *   power   = atom [ ("^" | "**") unary ]              right-associative: 2^3^2 = 2^9
 *   atom    = number | name | name "(" [ sum { "," sum } ] ")" | "(" sum ")"
 *   number  = digits [ "." [digits] ] [ exponent ] | "." digits [ exponent ]
 *   exponent = ("e" | "E") [ "+" | "-" ] digits
 *
 * so `-2^2` is −(2²) = −4 and `2^-1` is 0.5. Errors are field errors on
 * `expr` carrying the 1-based column (`expected ")" at column 7`).
 * Recursion happens only where the text nests (parentheses, arguments,
 * signs, exponents), and nesting is limited to {@link MAX_DEPTH}, so no text
 * can overflow the stack; chains of + − * / are loops.
 *
 * @packageDocumentation
 */

import { rangeError, typeError, type FieldError } from "../errors.js";
import { CONSTANTS, FUNCTIONS, Op } from "./ops.js";
import { MAX_OPS, TapeBuilder, type Val } from "./tape.js";

/** Longest formula accepted, in characters. */
export const MAX_LENGTH = 10_000;
/** Deepest nesting accepted (parentheses, function arguments, signs and exponents each add a level). */
export const MAX_DEPTH = 256;
/** Highest variable index (x1 … x1048576), the run specs' largest dim. */
export const MAX_VARIABLE = 1 << 20;

/** What a formula's variables say about its dimension. */
export interface ParsedFormula {
  /** `"xy"`: x and y (2-D, also when only x or no variable appears); `"indexed"`: x1 … xn. */
  readonly form: "xy" | "indexed";
  /** The highest index n of an indexed formula (0 for "xy"). */
  readonly highest: number;
  /** Builds the tape for a dimension (≥ highest; 2 for "xy"). */
  tape(dim: number): Float64Array;
}

/** The names a user may write, for error messages. */
export const ALLOWED_NAMES = `x, y (or x1 … xn), ${[...CONSTANTS.keys()].join(", ")}, ${[...FUNCTIONS.keys()].map((f) => f + "()").join(", ")}`;

const enum T {
  Num,
  Name,
  Op,
  End,
}

interface Token {
  readonly t: T;
  /** The operator ("+", "-", "*", "/", "^", "(", ")", ","), the name, or the number's text. */
  readonly s: string;
  readonly value: number;
  /** 0-based position of the first character. */
  readonly at: number;
}

/** Hints for characters people type from maths notation. */
const HINTS: ReadonlyMap<string, string> = new Map([
  ["×", "write * for multiplication"],
  ["·", "write * for multiplication"],
  ["÷", "write / for division"],
  ["−", "write - for minus"],
  ["²", "write ^2 for a square"],
  ["³", "write ^3 for a cube"],
  ["π", "write pi"],
  ["[", "use ( and ) for grouping"],
  ["]", "use ( and ) for grouping"],
  ["{", "use ( and ) for grouping"],
  ["}", "use ( and ) for grouping"],
]);

/**
 * A field error on `expr` at a 0-based position, reported 1-based:
 * `${what} at column N${more}` (`more` such as ` (to close …)` or `; allowed: …`).
 */
export function formulaError(what: string, at: number, more = "", kind: "range" | "type" = "range"): FieldError {
  const e = (kind === "range" ? rangeError : typeError)("expr", `${what} at column ${at + 1}${more}`);
  e.column = at + 1;
  return e;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || isDigit(c);

class Lexer {
  private pos = 0;
  constructor(private readonly text: string) {}

  next(): Token {
    const s = this.text;
    while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
    const at = this.pos;
    if (at >= s.length) return { t: T.End, s: "", value: NaN, at };
    const c = s.charCodeAt(at);
    if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(at + 1)))) return this.number(at);
    if (isNameStart(c)) {
      let end = at + 1;
      while (end < s.length && isNameChar(s.charCodeAt(end))) end++;
      this.pos = end;
      return { t: T.Name, s: s.slice(at, end), value: NaN, at };
    }
    if (s.startsWith("**", at)) {
      this.pos = at + 2;
      return { t: T.Op, s: "^", value: NaN, at };
    }
    const ch = s[at];
    if ("+-*/^(),".includes(ch)) {
      this.pos = at + 1;
      return { t: T.Op, s: ch, value: NaN, at };
    }
    const shown = String.fromCodePoint(s.codePointAt(at)!);
    const hint = HINTS.get(shown);
    throw formulaError(`unexpected character ${JSON.stringify(shown)}`, at, hint ? ` (${hint})` : "");
  }

  private number(at: number): Token {
    const s = this.text;
    let end = at;
    while (isDigit(s.charCodeAt(end))) end++;
    if (s[end] === ".") {
      end++;
      while (isDigit(s.charCodeAt(end))) end++;
    }
    if (s[end] === "e" || s[end] === "E") {
      const sign = s[end + 1] === "+" || s[end + 1] === "-" ? 1 : 0;
      if (isDigit(s.charCodeAt(end + 1 + sign))) {
        end += 1 + sign;
        while (isDigit(s.charCodeAt(end))) end++;
      }
    }
    const text = s.slice(at, end);
    const value = Number(text);
    if (!Number.isFinite(value)) throw formulaError(`number ${text} is too large`, at, " (the largest is about 1.8e308)");
    this.pos = end;
    return { t: T.Num, s: text, value, at };
  }
}

/** Where an operand may end: the top level, a parenthesis, or a function's arguments. */
const enum Ctx {
  Top,
  Paren,
  Args,
}

class Parser {
  private tok: Token;
  private depth = 0;
  private form: "xy" | "indexed" | undefined;
  private highest = 0;
  readonly b = new TapeBuilder();

  constructor(private readonly lex: Lexer) {
    this.tok = lex.next();
  }

  parse(): { result: Val; form: "xy" | "indexed"; highest: number } {
    const result = this.sum(Ctx.Top);
    if (this.tok.t !== T.End) {
      if (this.tok.s === ")") throw formulaError(`unexpected ")"`, this.tok.at, ` (no "(" to close)`);
      throw formulaError(`expected an operator or the end of the formula`, this.tok.at);
    }
    if (this.b.size > MAX_OPS) throw rangeError("expr", `compiles to ${this.b.size} operations; at most ${MAX_OPS} are allowed`);
    return { result, form: this.form ?? "xy", highest: this.highest };
  }

  private advance(): void {
    this.tok = this.lex.next();
  }

  private isOp(s: string): boolean {
    return this.tok.t === T.Op && this.tok.s === s;
  }

  /** Enters one nesting level at the current token. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw formulaError(`nesting deeper than ${MAX_DEPTH} levels`, this.tok.at);
  }

  private sum(ctx: Ctx): Val {
    let v = this.product(ctx);
    for (;;) {
      if (this.isOp("+")) {
        this.advance();
        v = this.b.binary(Op.ADD, v, this.product(ctx));
      } else if (this.isOp("-")) {
        this.advance();
        v = this.b.binary(Op.SUB, v, this.product(ctx));
      } else return v;
    }
  }

  private product(ctx: Ctx): Val {
    let v = this.unary(ctx);
    for (;;) {
      if (this.isOp("*")) {
        this.advance();
        v = this.b.binary(Op.MUL, v, this.unary(ctx));
      } else if (this.isOp("/")) {
        this.advance();
        v = this.b.binary(Op.DIV, v, this.unary(ctx));
      } else return v;
    }
  }

  private unary(ctx: Ctx): Val {
    if (this.isOp("-") || this.isOp("+")) {
      const neg = this.tok.s === "-";
      this.enter();
      this.advance();
      const v = this.unary(ctx);
      this.depth--;
      return neg ? this.b.unary(Op.NEG, v) : v;
    }
    return this.power(ctx);
  }

  private power(ctx: Ctx): Val {
    const base = this.atom();
    this.expectOperatorOrEnd(ctx);
    if (!this.isOp("^")) return base;
    this.enter();
    this.advance();
    const exponent = this.unary(ctx);
    this.depth--;
    return this.b.power(base, exponent);
  }

  /** After an operand: what may follow it, else a precise error. */
  private expectOperatorOrEnd(ctx: Ctx): void {
    const k = this.tok;
    if (k.t === T.End) return;
    if (k.t === T.Op && k.s !== "(") {
      if (k.s === ")" && ctx === Ctx.Top) throw formulaError(`unexpected ")"`, k.at, ` (no "(" to close)`);
      if (k.s === "," && ctx !== Ctx.Args) throw formulaError(`unexpected ","`, k.at, ` (commas separate the arguments of a function)`);
      return;
    }
    const what = ctx === Ctx.Top ? "an operator or the end of the formula" : ctx === Ctx.Paren ? `an operator or ")"` : `an operator, "," or ")"`;
    throw formulaError(`expected ${what}`, k.at, k.t === T.Name || k.t === T.Num || k.s === "(" ? " (write * to multiply)" : "");
  }

  private atom(): Val {
    const k = this.tok;
    if (k.t === T.Num) {
      this.advance();
      return this.b.number(k.value);
    }
    if (k.t === T.Op && k.s === "(") {
      this.enter();
      this.advance();
      const v = this.sum(Ctx.Paren);
      this.close(k.at);
      this.depth--;
      return v;
    }
    if (k.t === T.Name) {
      this.advance();
      if (this.isOp("(")) return this.call(k);
      return this.name(k);
    }
    if (k.t === T.End) throw formulaError(`expected a number, a name or "("`, k.at, " (the formula ends here)");
    throw formulaError(`expected a number, a name or "("`, k.at, ` (found ${JSON.stringify(k.s)})`);
  }

  /** The ")" closing the "(" at `open`. */
  private close(open: number): void {
    if (this.isOp(")")) {
      this.advance();
      return;
    }
    throw formulaError(`expected ")"`, this.tok.at, ` (to close the "(" at column ${open + 1})`);
  }

  private name(k: Token): Val {
    const c = CONSTANTS.get(k.s);
    if (c !== undefined) return this.b.number(c);
    if (k.s === "x" || k.s === "y") {
      this.useForm("xy", k);
      return this.b.variable(k.s === "x" ? 0 : 1);
    }
    const m = /^x([1-9][0-9]*)$/.exec(k.s);
    if (m) {
      const i = Number(m[1]);
      if (i > MAX_VARIABLE) throw formulaError(`variable ${k.s} is beyond x${MAX_VARIABLE}`, k.at);
      this.useForm("indexed", k);
      if (i > this.highest) this.highest = i;
      return this.b.variable(i - 1);
    }
    if (FUNCTIONS.has(k.s)) throw formulaError(`${k.s} is a function`, k.at, `: write ${k.s}(…)`);
    if (k.s === "x0") throw formulaError(`unknown name "x0"`, k.at, " (variables are numbered from x1)", "type");
    throw formulaError(`unknown name ${JSON.stringify(k.s)}`, k.at, `; allowed: ${ALLOWED_NAMES}`, "type");
  }

  private useForm(form: "xy" | "indexed", k: Token): void {
    if (this.form === undefined) this.form = form;
    else if (this.form !== form) {
      throw formulaError(`${k.s} mixes the variable forms x, y and x1 … xn`, k.at, "; use one of them");
    }
  }

  private call(k: Token): Val {
    const f = FUNCTIONS.get(k.s);
    if (!f) {
      if (CONSTANTS.has(k.s) || k.s === "x" || k.s === "y" || /^x[0-9]+$/.test(k.s)) {
        throw formulaError(`${k.s} is not a function`, this.tok.at, " (write * to multiply)");
      }
      throw formulaError(`unknown function ${JSON.stringify(k.s)}`, k.at, `; allowed: ${ALLOWED_NAMES}`, "type");
    }
    const [op, arity] = f;
    const open = this.tok.at;
    this.enter();
    this.advance();
    const args: Val[] = [];
    if (!this.isOp(")")) {
      args.push(this.sum(Ctx.Args));
      while (this.isOp(",")) {
        this.advance();
        args.push(this.sum(Ctx.Args));
      }
    }
    this.close(open);
    this.depth--;
    if (args.length !== arity) {
      throw formulaError(`${k.s} takes ${arity} argument${arity === 1 ? "" : "s"}`, k.at, `; got ${args.length}`);
    }
    if (op === Op.POW) return this.b.power(args[0], args[1]);
    return arity === 1 ? this.b.unary(op, args[0]) : this.b.binary(op, args[0], args[1]);
  }
}

/**
 * Parses and compiles `text`. Throws only field errors on `expr` (a
 * TypeError for a non-string or an unknown name, else a RangeError), each
 * with the 1-based `column` of the fault when there is one.
 */
export function parseFormula(text: unknown): ParsedFormula {
  if (typeof text !== "string") throw typeError("expr", `must be a formula as a string, such as "x^2 + y^2"; got ${typeof text}`);
  if (text.length > MAX_LENGTH) {
    const e = rangeError("expr", `is ${text.length} characters long; at most ${MAX_LENGTH} are allowed`);
    e.column = MAX_LENGTH + 1;
    throw e;
  }
  if (text.trim() === "") throw formulaError("empty formula", 0, `; write one such as "x^2 + y^2"`);
  const p = new Parser(new Lexer(text));
  const { result, form, highest } = p.parse();
  const nVars = form === "xy" ? 2 : highest;
  return { form, highest, tape: (dim) => p.b.finish(result, dim, nVars) };
}
