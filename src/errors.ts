/**
 * Errors for bad input. Every message starts with the path of the field at
 * fault (`betas: …`, later prefixed to `specs[3].optimizer.betas: …`) and says
 * what is allowed, so a user can fix the input from the message alone.
 */

/** A `RangeError` (bad value) or `TypeError` (bad type or unknown name) that knows which field it is about. */
export interface FieldError extends Error {
  /** Dotted path of the field, e.g. `optimizer.betas`. */
  field: string;
  /** The message without the field path. */
  detail: string;
  /** For a text field (a formula): the 1-based column of the fault, kept when the path is prefixed. */
  column?: number;
}

function make(kind: "range" | "type", field: string, detail: string): FieldError {
  const msg = field ? `${field}: ${detail}` : detail;
  const e = (kind === "range" ? new RangeError(msg) : new TypeError(msg)) as FieldError;
  e.field = field;
  e.detail = detail;
  return e;
}

/** A value of the right type outside its allowed range. */
export function rangeError(field: string, detail: string): FieldError {
  return make("range", field, detail);
}

/** A value of the wrong type, or an unknown name. */
export function typeError(field: string, detail: string): FieldError {
  return make("type", field, detail);
}

export function isFieldError(e: unknown): e is FieldError {
  return (e instanceof RangeError || e instanceof TypeError) && typeof (e as FieldError).field === "string";
}

/**
 * The same error with `prefix` put in front of its field path
 * (`optimizer` + `betas` → `optimizer.betas`; `specs[3]` + `x0` → `specs[3].x0`).
 */
export function withPrefix(e: unknown, prefix: string): unknown {
  if (!isFieldError(e)) return e;
  const field = !e.field ? prefix : e.field.startsWith("[") ? prefix + e.field : `${prefix}.${e.field}`;
  return withField(e, field);
}

/** The same error about another field path (same class and detail). */
export function withField(e: FieldError, field: string): FieldError {
  const out = make(e instanceof RangeError ? "range" : "type", field, e.detail);
  if (e.column !== undefined) out.column = e.column;
  return out;
}

/** Runs `fn`, prefixing the field path of any field error it throws. */
export function under<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw withPrefix(e, prefix);
  }
}

/** Short JSON-ish rendering of a bad value for messages. */
export function show(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "undefined";
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(v);
  }
}

/**
 * Rejects option names not in `allowed`, naming them and the allowed set.
 * `what` describes the owner, e.g. `adam`.
 */
export function checkKnownKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw typeError(k, `unknown option of ${what}; allowed: ${allowed.join(", ")}`);
    }
  }
}

/**
 * What a number rule allows, in words: `a number in [0, Infinity)`. An
 * infinite bound is written open unless infinities are allowed, so one
 * message covers -1 and 1e400 alike. The one wording of every range (the
 * option schemas use it too).
 */
export function numberRange(opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean; allowInfinite?: boolean }): {
  openLo: boolean;
  openHi: boolean;
  range: string;
} {
  const lo = opts.min ?? -Infinity;
  const hi = opts.max ?? Infinity;
  const { openLo, openHi } = openEnds(opts);
  return { openLo, openHi, range: `${opts.integer ? "an integer" : "a number"} in ${openLo ? "(" : "["}${lo}, ${hi}${openHi ? ")" : "]"}` };
}

/** Which ends of a number rule are open (see {@link numberRange}). */
function openEnds(opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; allowInfinite?: boolean }): {
  openLo: boolean;
  openHi: boolean;
} {
  return {
    openLo: opts.minExclusive === true || ((opts.min ?? -Infinity) === -Infinity && !opts.allowInfinite),
    openHi: opts.maxExclusive === true || ((opts.max ?? Infinity) === Infinity && !opts.allowInfinite),
  };
}

/** Validators that return the checked value or throw a field error. */
export const check = {
  number(
    field: string,
    v: unknown,
    opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean; allowInfinite?: boolean } = {},
  ): number {
    if (typeof v !== "number") throw typeError(field, `must be a number; got ${show(v)}`);
    const lo = opts.min ?? -Infinity;
    const hi = opts.max ?? Infinity;
    // The words of the range are built only for a refusal: options are checked for every run of a sweep.
    const { openLo, openHi } = openEnds(opts);
    const okLo = openLo ? v > lo : v >= lo;
    const okHi = openHi ? v < hi : v <= hi;
    if (Number.isNaN(v) || !okLo || !okHi || (opts.integer && !Number.isInteger(v))) {
      throw rangeError(field, `must be ${numberRange(opts).range}; got ${show(v)}`);
    }
    return v;
  },
  finite(field: string, v: unknown): number {
    if (typeof v !== "number") throw typeError(field, `must be a number; got ${show(v)}`);
    if (!Number.isFinite(v)) throw rangeError(field, `must be a finite number; got ${show(v)}`);
    return v;
  },
  boolean(field: string, v: unknown): boolean {
    if (typeof v !== "boolean") throw typeError(field, `must be true or false; got ${show(v)}`);
    return v;
  },
  oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
    if (typeof v !== "string" || !allowed.includes(v as T)) {
      throw (typeof v === "string" ? rangeError : typeError)(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${show(v)}`);
    }
    return v as T;
  },
  object(field: string, v: unknown): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw typeError(field, `must be an object; got ${show(v)}`);
    return v as Record<string, unknown>;
  },
  array(field: string, v: unknown): unknown[] {
    if (!Array.isArray(v)) throw typeError(field, `must be an array; got ${show(v)}`);
    return v;
  },
};
