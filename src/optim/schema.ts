/**
 * Option schemas: one table per optimizer that holds the defaults and the
 * validation of every hyperparameter. Defaults live here and nowhere else.
 */
import { check, checkKnownKeys, rangeError, show, typeError } from "../errors.js";

/** Where ε enters the denominator; see the README's optimizer table. */
export type EpsMode = "outside" | "inside" | "hat";

/** One option: its default and a validator returning the checked value. */
export interface OptionSpec<T> {
  default: T;
  check(field: string, v: unknown): T;
  doc: string;
}

export type Schema<O> = { [K in keyof O]: OptionSpec<O[K]> };

/** Validated options: every schema key present. */
export type Options = Record<string, unknown>;

export const opt = {
  lr: (def: number): OptionSpec<number> => ({
    default: def,
    check: (f, v) => check.number(f, v, { min: 0 }),
    doc: "learning rate, ≥ 0",
  }),
  nonNegative: (def: number, doc: string): OptionSpec<number> => ({
    default: def,
    check: (f, v) => check.number(f, v, { min: 0 }),
    doc,
  }),
  unit: (def: number, doc: string): OptionSpec<number> => ({
    default: def,
    check: (f, v) => check.number(f, v, { min: 0, max: 1 }),
    doc,
  }),
  flag: (doc: string): OptionSpec<boolean> => ({
    default: false,
    check: (f, v) => check.boolean(f, v),
    doc,
  }),
  betas: (def: [number, number]): OptionSpec<[number, number]> => ({
    default: def,
    check: (f, v) => {
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" || typeof v[1] !== "number") {
        throw typeError(f, `must be an array of two numbers [beta1, beta2], each in [0, 1); got ${show(v)}`);
      }
      for (const b of v) {
        if (!(b >= 0 && b < 1)) throw rangeError(f, `must be two numbers [beta1, beta2], each in [0, 1); got ${show(v)}`);
      }
      return [v[0], v[1]];
    },
    doc: "[β1, β2], each in [0, 1)",
  }),
  epsMode: (def: EpsMode, allowed: readonly EpsMode[]): OptionSpec<EpsMode> => ({
    default: def,
    check: (f, v) => check.oneOf(f, v, allowed),
    doc: `where ε goes: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
  }),
};

/**
 * Fills defaults and validates every given option; unknown names are a
 * `TypeError` listing the allowed ones. `what` names the optimizer in messages.
 */
export function resolveOptions<O extends Options>(schema: Schema<O>, given: Record<string, unknown> | undefined, what: string): O {
  const input = given === undefined ? {} : check.object("options", given);
  const keys = Object.keys(schema);
  checkKnownKeys(input, keys, what);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const spec = (schema as Record<string, OptionSpec<unknown>>)[k];
    const v = input[k];
    out[k] = v === undefined ? clone(spec.default) : spec.check(k, v);
  }
  return out as O;
}

function clone<T>(v: T): T {
  return Array.isArray(v) ? (v.slice() as T) : v;
}
