/**
 * User formulas as test functions: `{ expr, label?, domain?, start?,
 * minima?, dim? }` → a {@link TestFunction} whose value and exact gradient
 * come from the compiled tape (`./tape.ts`, `./eval.ts`). The language is in
 * `./parse.ts`; the README's "Your own function" section is the user's copy.
 *
 * @packageDocumentation
 */

import { check, checkKnownKeys, rangeError, show, typeError, under } from "../errors.js";
import type { FormulaSpec, GradOut, Minimum, TestFunction } from "../functions/types.js";
import { TapeProgram } from "./eval.js";
import { parseFormula, type ParsedFormula } from "./parse.js";

export { ALLOWED_NAMES, MAX_DEPTH, MAX_LENGTH, MAX_VARIABLE, parseFormula, type ParsedFormula } from "./parse.js";
export { TapeProgram } from "./eval.js";
export { FUNCTIONS, CONSTANTS, EXACT_OPS, Op, OP_ARITY, OP_COUNT } from "./ops.js";
export { chain, DEP_SHIFT, isChainExponent, MAX_CHAIN_EXPONENT, MAX_OPS, powi, TAPE_FORMAT, TAPE_HEADER, TAPE_RECORD } from "./tape.js";

/** The keys of a formula spec. */
export const FORMULA_KEYS = ["expr", "label", "domain", "start", "minima", "dim"] as const;
/** Longest label accepted. */
export const MAX_LABEL = 200;
/** The default plotting window (before it grows to include the start). */
export const FORMULA_DOMAIN: Readonly<{ x: readonly [number, number]; y: readonly [number, number] }> = { x: [-4, 4], y: [-4, 4] };

/** Parsed formulas by text: compiling is deterministic, and a sweep builds the same function many times. */
const cache = new Map<string, ParsedFormula>();
const CACHE_SIZE = 64;

function parsed(text: unknown): ParsedFormula {
  if (typeof text === "string") {
    const hit = cache.get(text);
    if (hit) return hit;
  }
  const p = parseFormula(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text as string, p);
  return p;
}

/** Whether a function spec is a formula (`{ expr: … }`). */
export function isFormulaSpec(spec: unknown): spec is FormulaSpec {
  return typeof spec === "object" && spec !== null && !Array.isArray(spec) && Object.hasOwn(spec, "expr");
}

/** The dimension of a formula from its variables, its `dim` and the caller's (x0's) dimension. */
function resolveDim(p: ParsedFormula, own: number | undefined, caller: number | undefined): number {
  if (p.form === "xy") {
    for (const d of [own, caller]) {
      if (d !== undefined && d !== 2)
        throw rangeError("dim", `a formula in x and y is 2-D, so dim must be 2; got ${show(d)} (write x1 … xn for more dimensions)`);
    }
    return 2;
  }
  const need = p.highest;
  for (const d of [own, caller]) {
    if (d !== undefined && d < need) throw rangeError("dim", `is ${d} but the formula uses x${need}; dim must be at least ${need}`);
  }
  if (own !== undefined && caller !== undefined && own !== caller) {
    throw rangeError("dim", `is ${caller} (from the start point or the run's dim) but the formula's dim is ${own}`);
  }
  return caller ?? own ?? need;
}

function pair(field: string, v: unknown): [number, number] {
  const a = check.array(field, v);
  if (a.length !== 2) throw rangeError(field, `must be [min, max]; got ${show(v)}`);
  const lo = check.finite(`${field}[0]`, a[0]);
  const hi = check.finite(`${field}[1]`, a[1]);
  if (!(hi > lo)) throw rangeError(field, `must have min < max; got [${lo}, ${hi}]`);
  return [lo, hi];
}

function point(field: string, v: unknown, dim: number): number[] {
  const a = check.array(field, v);
  if (a.length !== dim) throw rangeError(field, `must have ${dim} numbers (the formula's dimension); got ${a.length}`);
  return a.map((t, i) => check.finite(`${field}[${i}]`, t));
}

/** [lo, hi] grown (by 10% of its width past the point) to include v. */
function include([lo, hi]: [number, number], v: number): [number, number] {
  if (v >= lo && v <= hi) return [lo, hi];
  const m = 0.1 * (hi - lo);
  return [Math.min(lo, v - m), Math.max(hi, v + m)];
}

/**
 * A test function from a formula spec. `dim` is the caller's dimension (a
 * run's x0 length), as for the built-ins. Errors are field errors naming
 * `expr` (with the column), `dim`, `label`, `domain…`, `start…`, `minima[i]…`.
 */
export function createFormulaFunction(spec: FormulaSpec, dim?: number): TestFunction {
  const raw = check.object("", spec);
  if (Object.hasOwn(raw, "name")) {
    throw typeError("name", "a function is either a built-in { name, ...params } or a formula { expr, ... }, not both");
  }
  checkKnownKeys(raw, FORMULA_KEYS, "a formula function");
  const p = parsed(raw.expr);
  const text = raw.expr as string;
  const own = raw.dim === undefined ? undefined : check.number("dim", raw.dim, { integer: true, min: 1, max: 1 << 20 });
  if (dim !== undefined) check.number("dim", dim, { integer: true, min: 1, max: 1 << 20 });
  const n = resolveDim(p, own, dim);

  let label: string | undefined;
  if (raw.label !== undefined) {
    if (typeof raw.label !== "string") throw typeError("label", `must be a string; got ${show(raw.label)}`);
    if (!raw.label.trim() || raw.label.length > MAX_LABEL) throw rangeError("label", `must be 1 to ${MAX_LABEL} characters; got ${raw.label.length}`);
    label = raw.label;
  }
  const start = raw.start === undefined ? (p.form === "xy" ? [-2, 2] : new Array<number>(n).fill(-2)) : point("start", raw.start, n);
  let domain: { x: [number, number]; y: [number, number] };
  if (raw.domain === undefined) domain = { x: [...FORMULA_DOMAIN.x], y: [...FORMULA_DOMAIN.y] };
  else {
    const d = check.object("domain", raw.domain);
    checkKnownKeys(d, ["x", "y"], "domain");
    domain = { x: pair("domain.x", d.x), y: pair("domain.y", d.y) };
  }
  domain = { x: include(domain.x, start[0]), y: n > 1 ? include(domain.y, start[1]) : domain.y };

  const tape = p.tape(n);
  const program = new TapeProgram(tape);
  const scratch = new Float64Array(n);
  let minima: Minimum[] = [];
  if (raw.minima !== undefined) {
    minima = check.array("minima", raw.minima).map((m, i) =>
      under(`minima[${i}]`, () => {
        const o = check.object("", m);
        checkKnownKeys(o, ["x", "kind"], "a minimum (its value is computed from the formula)");
        const x = point("x", o.x, n);
        const kind = o.kind === undefined ? "global" : check.oneOf("kind", o.kind, ["global", "local"] as const);
        const value = program.valueAndGrad(x, scratch);
        if (!Number.isFinite(value)) throw rangeError("x", `the formula is ${show(value)} there, so it cannot be a minimum`);
        return Object.freeze({ x: Object.freeze(x) as number[], value, kind });
      }),
    );
  }

  const badX = (x: ArrayLike<number>) => rangeError("x", `must have length ${n} (the dimension of this formula); got ${x.length}`);
  const fn: TestFunction = {
    name: "expr",
    dim: n,
    params: Object.freeze({ tape: Object.freeze(Array.from(tape)) as number[] }),
    polynomial: tape[9] === 0,
    minima: Object.freeze(minima),
    domain,
    start,
    expr: text,
    label: label ?? text,
    valueAndGrad(x: ArrayLike<number>, grad: GradOut): number {
      if (x.length !== n) throw badX(x);
      if (grad.length < n) throw rangeError("grad", `must have length at least ${n}; got ${grad.length}`);
      return program.valueAndGrad(x, grad);
    },
    value(x: ArrayLike<number>): number {
      if (x.length !== n) throw badX(x);
      return program.value(x);
    },
  };
  return Object.freeze(fn);
}

/** What titles call a function: a formula's label (else its text), a built-in's name; shortened to `max` characters. */
export function functionTitle(fn: Pick<TestFunction, "name" | "label">, max = 60): string {
  const t = fn.label ?? fn.name;
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}
