/**
 * Option schemas: one declaration per option (its kind, default and doc)
 * from which validation, defaults and editors all follow. Optimizers and
 * schedulers share this one system; defaults live in their schemas and
 * nowhere else.
 *
 * An editor (the browser lab, a form) reads `kind` to build its control:
 * the range of a number, the values of a choice, the length and labels of a
 * tuple such as `betas`.
 *
 * @packageDocumentation
 */
import { check, checkKnownKeys, isFieldError, numberRange, rangeError, show, typeError, under } from "./errors.js";

/** The allowed range of a number (always finite unless `max` is Infinity and the value is too — never: values stay finite). */
export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
}

/** What an option holds, for validation and for editors. */
export type OptionKind =
  | ({ readonly type: "number"; readonly nullable?: boolean } & NumberRule)
  | { readonly type: "boolean" }
  | { readonly type: "choice"; readonly values: readonly string[]; readonly nullable?: boolean }
  /** A fixed-length tuple (`betas`: labels ["beta1", "beta2"]) or, without `length`, a list (`milestones`). */
  | { readonly type: "numbers"; readonly length?: number; readonly labels?: readonly string[]; readonly each: NumberRule; readonly increasing?: boolean }
  /** A list of scheduler specs (sequentialLR's `schedulers`). */
  | { readonly type: "schedulers" };

/** One option: its kind, its default (absent: required), a one-line doc, and the validator derived from the kind. */
export interface OptionSpec<T> {
  readonly kind: OptionKind;
  /** `undefined` when the option is required (or, with `optional`, may be left out). */
  readonly default: T | undefined;
  /** No default and not required: a left-out option stays absent (oneCycleLR's alternatives `totalSteps` / `epochs`). */
  readonly optional?: boolean;
  readonly doc: string;
  /** Returns the checked value or throws a field error naming `field`. */
  check(field: string, v: unknown): T;
}

export type Schema<O> = { readonly [K in keyof O]: OptionSpec<O[K]> };

/** Validated options: every schema key present (required ones given, the rest defaulted). */
export type Options = Record<string, unknown>;

/** The value type an option spec validates to. */
export type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;

/** `a number in [0, Infinity)`: the wording of `check.number` (errors.ts numberRange). */
export function describeRule(r: NumberRule): string {
  return numberRange(r).range;
}

/** What an option allows, in words (for messages and docs). */
export function describeKind(k: OptionKind): string {
  switch (k.type) {
    case "number":
      return describeRule(k) + (k.nullable ? ", or null" : "");
    case "boolean":
      return "true or false";
    case "choice":
      return `one of ${k.values.map((v) => JSON.stringify(v)).join(", ")}${k.nullable ? ", or null" : ""}`;
    case "numbers": {
      const range = describeRule(k.each).replace(/^an? (integer|number) in /, "");
      const what = k.each.integer ? "integers" : "numbers";
      if (k.length !== undefined) {
        const count = COUNT_WORDS[k.length] ?? String(k.length);
        return `${count} ${what}${k.labels ? ` [${k.labels.join(", ")}]` : ""}, each in ${range}`;
      }
      return `an array of ${what} in ${range}${k.increasing ? ", strictly increasing" : ""}`;
    }
    case "schedulers":
      return "an array of scheduler specs";
  }
}

const COUNT_WORDS: Record<number, string> = { 1: "one", 2: "two", 3: "three", 4: "four" };

function checkNumbers(field: string, v: unknown, k: Extract<OptionKind, { type: "numbers" }>): number[] {
  if (k.length !== undefined) {
    // The message is built only for a refusal: every optimizer with betas checks a tuple.
    if (!Array.isArray(v) || v.length !== k.length || v.some((x) => typeof x !== "number"))
      throw typeError(field, `must be an array of ${describeKind(k)}; got ${show(v)}`);
    for (const x of v as number[]) {
      if (!inRule(x, k.each)) throw rangeError(field, `must be ${describeKind(k)}; got ${show(v)}`);
    }
    return (v as number[]).slice();
  }
  const out = check.array(field, v).map((x, i) => check.number(`${field}[${i}]`, x, k.each));
  if (k.increasing) {
    for (let i = 1; i < out.length; i++) {
      if (!(out[i] > out[i - 1])) {
        throw rangeError(`${field}[${i}]`, `must be greater than ${field}[${i - 1}] = ${out[i - 1]} (strictly increasing); got ${out[i]}`);
      }
    }
  }
  return out;
}

function inRule(x: number, r: NumberRule): boolean {
  const lo = r.min ?? -Infinity;
  const hi = r.max ?? Infinity;
  if (Number.isNaN(x) || !Number.isFinite(x)) return false;
  if (r.minExclusive ? !(x > lo) : !(x >= lo)) return false;
  if (r.maxExclusive ? !(x < hi) : !(x <= hi)) return false;
  return !r.integer || Number.isInteger(x);
}

/** A nullable option's check: null passes, and a refusal says that null is allowed too. */
function orNull<T>(v: unknown, fn: () => T): T | null {
  if (v === null) return null;
  try {
    return fn();
  } catch (e) {
    if (!isFieldError(e)) throw e;
    const at = e.detail.lastIndexOf("; got ");
    const detail = at < 0 ? `${e.detail}, or null` : `${e.detail.slice(0, at)}, or null${e.detail.slice(at)}`;
    throw (e instanceof RangeError ? rangeError : typeError)(e.field, detail);
  }
}

/** The validator of a kind. Scheduler lists are checked by the scheduler registry (they nest specs). */
function validator(k: OptionKind): (field: string, v: unknown) => unknown {
  switch (k.type) {
    case "number":
      return (f, v) => (k.nullable ? orNull(v, () => check.number(f, v, k)) : check.number(f, v, k));
    case "boolean":
      return (f, v) => check.boolean(f, v);
    case "choice":
      return (f, v) => (k.nullable ? orNull(v, () => check.oneOf(f, v, k.values)) : check.oneOf(f, v, k.values));
    case "numbers":
      return (f, v) => checkNumbers(f, v, k);
    case "schedulers":
      return (f, v) => check.array(f, v);
  }
}

function spec<T>(kind: OptionKind, def: T | undefined, doc: string, optional = false): OptionSpec<T> {
  return { kind, default: def, doc, check: validator(kind) as (f: string, v: unknown) => T, ...(optional ? { optional } : {}) };
}

/** Option builders. A `default` of `undefined` makes the option required. */
export const opt = {
  number: (def: number | undefined, rule: NumberRule, doc: string): OptionSpec<number> => spec({ type: "number", ...rule }, def, doc),
  /** A number that may be left out (no default; see {@link OptionSpec.optional}). */
  optionalNumber: (rule: NumberRule, doc: string): OptionSpec<number | undefined> => spec({ type: "number", ...rule }, undefined, doc, true),
  /** A number or `null` (JSON has no Infinity; `null` stands for "none" or "derived", as the doc says). */
  nullableNumber: (def: number | null, rule: NumberRule, doc: string): OptionSpec<number | null> => spec({ type: "number", nullable: true, ...rule }, def, doc),
  lr: (def: number): OptionSpec<number> => spec({ type: "number", min: 0 }, def, "learning rate, ≥ 0"),
  nonNegative: (def: number, doc: string): OptionSpec<number> => spec({ type: "number", min: 0 }, def, doc),
  unit: (def: number, doc: string): OptionSpec<number> => spec({ type: "number", min: 0, max: 1 }, def, doc),
  flag: (doc: string, def = false): OptionSpec<boolean> => spec({ type: "boolean" }, def, doc),
  choice: <T extends string>(def: T | undefined, values: readonly T[], doc: string): OptionSpec<T> => spec({ type: "choice", values }, def, doc),
  nullableChoice: <T extends string>(def: T | null, values: readonly T[], doc: string): OptionSpec<T | null> =>
    spec({ type: "choice", values, nullable: true }, def, doc),
  /** A fixed-length tuple of numbers, e.g. `betas` with labels ["beta1", "beta2"]. */
  tuple: <N extends number[]>(def: N, labels: readonly string[], each: NumberRule, doc: string): OptionSpec<N> =>
    spec({ type: "numbers", length: labels.length, labels, each }, def, doc),
  /** [β1, β2], each in [0, 1). */
  betas: (def: [number, number]): OptionSpec<[number, number]> =>
    spec({ type: "numbers", length: 2, labels: ["beta1", "beta2"], each: { min: 0, max: 1, maxExclusive: true } }, def, "[β1, β2], each in [0, 1)"),
  /** A list of numbers (e.g. milestones). */
  list: (def: number[] | undefined, each: NumberRule, doc: string, increasing = false): OptionSpec<number[]> =>
    spec({ type: "numbers", each, increasing }, def, doc),
  /** Nested scheduler specs; the owner checks each element. */
  schedulers: (doc: string): OptionSpec<unknown[]> => spec<unknown[]>({ type: "schedulers" }, undefined, doc),
};

/** Every key of a schema whose option is required. */
export function requiredKeys(schema: Schema<Options>): string[] {
  return Object.keys(schema).filter((k) => schema[k].default === undefined && !schema[k].optional);
}

/** A copy of a default value (arrays are copied so callers cannot change the schema). */
export function cloneValue<T>(v: T): T {
  return Array.isArray(v) ? (v.slice() as T) : v;
}

/**
 * Fills defaults and validates every given option; unknown names are a
 * `TypeError` listing the allowed ones, a missing required option a
 * `TypeError` saying what it must be. `owner` names the optimizer or
 * scheduler in messages. `extraKeys` are allowed besides the schema's (a
 * spec's `name`) and left to the caller.
 */
export function resolveOptions<O extends Options>(
  schema: Schema<O>,
  given: Record<string, unknown> | undefined,
  owner: string,
  extraKeys: readonly string[] = [],
): O {
  const input = given === undefined ? {} : check.object("options", given);
  const keys = Object.keys(schema);
  checkKnownKeys(input, [...extraKeys, ...keys], owner);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const s = (schema as Record<string, OptionSpec<unknown>>)[k];
    const v = input[k];
    if (v === undefined) {
      if (s.optional) continue;
      if (s.default === undefined) throw typeError(k, `is required by ${owner}; must be ${describeKind(s.kind)}`);
      out[k] = cloneValue(s.default);
    } else out[k] = s.check(k, v);
  }
  return out as O;
}

/** Runs `fn` over each element of a nested list, prefixing errors with `field[i]`. */
export function eachUnder<T>(field: string, list: readonly unknown[], fn: (v: unknown, i: number) => T): T[] {
  return list.map((v, i) => under(`${field}[${i}]`, () => fn(v, i)));
}
