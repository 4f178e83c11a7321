/**
 * The optimizer registry: names (lower case, as in the CLI), aliases and
 * {@link createOptimizer}.
 */
import type { Param } from "../api.js";
import { check, show, typeError } from "../errors.js";
import { adadelta } from "./adadelta.js";
import { adagrad } from "./adagrad.js";
import { adam, adamw } from "./adam.js";
import { adamax } from "./adamax.js";
import type { OptimizerDef } from "./def.js";
import { nadam } from "./nadam.js";
import { Optimizer } from "./optimizer.js";
import { radam } from "./radam.js";
import { rmsprop } from "./rmsprop.js";
import { sgd } from "./sgd.js";

export type OptimizerName =
  | "sgd" | "momentum" | "nesterov" | "adagrad" | "rmsprop" | "adadelta"
  | "adam" | "adamw" | "adamax" | "nadam" | "radam";

/** Every optimizer name, aliases included. */
export const optimizerNames: readonly OptimizerName[] = [
  "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam",
];

/** The definition behind each name. */
export const optimizerDefs: Readonly<Record<string, OptimizerDef>> = {
  sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam,
} as unknown as Record<string, OptimizerDef>;

/** Options an alias implies unless given: `momentum` is SGD with μ = 0.9, `nesterov` adds Nesterov. */
export const ALIAS_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = {
  momentum: { momentum: 0.9 },
  nesterov: { momentum: 0.9, nesterov: true },
};

/** The definition and full options for a name, aliases resolved. */
export function resolveOptimizer(name: unknown, options: Record<string, unknown> = {}): { def: OptimizerDef; options: Record<string, unknown> } {
  if (typeof name !== "string" || !(optimizerNames as readonly string[]).includes(name)) {
    throw typeError("name", `unknown optimizer ${show(name)}; allowed: ${optimizerNames.join(", ")}`);
  }
  const alias = ALIAS_DEFAULTS[name];
  const given = check.object("options", options);
  return alias ? { def: sgd as unknown as OptimizerDef, options: { ...alias, ...given } } : { def: optimizerDefs[name], options: given };
}

/**
 * A reference (pure TypeScript) optimizer over `params`.
 *
 * @example
 * const x = new Float64Array([3, 4]), g = new Float64Array(2);
 * const opt = createOptimizer("adam", [{ data: x, grad: g }], { lr: 0.1 });
 * for (let t = 0; t < 100; t++) { g[0] = 0.4 * x[0]; g[1] = 4 * x[1]; opt.step(); }
 */
export function createOptimizer(name: OptimizerName, params: Param[], options?: Record<string, unknown>): Optimizer {
  const r = resolveOptimizer(name, options ?? {});
  return new Optimizer(name, r.def, params, r.options);
}

export { Optimizer, STATE_FORMAT, type OptimizerState } from "./optimizer.js";
export type { OptimizerDef, Coefficients, Buffers } from "./def.js";
export type { EpsMode } from "./schema.js";
export { sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam };
