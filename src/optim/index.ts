/**
 * The optimizer registry: the only list of optimizer names (the CLI, the
 * lab, the benchmarks, the tests and the docs read theirs from it), aliases,
 * and {@link createOptimizer}.
 */
import type { Param } from "../api.js";
import { check, show, typeError } from "../errors.js";
import { adabelief } from "./adabelief.js";
import { adadelta } from "./adadelta.js";
import { adagrad } from "./adagrad.js";
import { adam, adamw } from "./adam.js";
import { adamax } from "./adamax.js";
import { adopt } from "./adopt.js";
import { asgd } from "./asgd.js";
import { adan } from "./adan.js";
import { isClosureDef, type AnyOptimizerDef, type ClosureOptimizerDef, type KernelDecl, type OptimizerDef } from "./def.js";
import { lbfgs } from "./lbfgs.js";
import { nadam } from "./nadam.js";
import { lion } from "./lion.js";
import { Optimizer } from "./optimizer.js";
import { prodigy } from "./prodigy.js";
import { radam } from "./radam.js";
import { rmsprop } from "./rmsprop.js";
import { rprop } from "./rprop.js";
import { sfadamw } from "./sfadamw.js";
import { sfsgd } from "./sfsgd.js";
import { sgd } from "./sgd.js";

/** One registry line: a definition, and for an alias the options it implies unless given. */
interface Entry {
  readonly def: AnyOptimizerDef;
  readonly defaults?: Readonly<Record<string, unknown>>;
}

/** A registry line; `O` stays in its type, so each name's options are typed (see {@link OptionsOf}). */
const line = <O extends Record<string, unknown>>(def: OptimizerDef<O> | ClosureOptimizerDef<O>, defaults?: Partial<O>): Entry & { readonly options?: O } => ({
  def: def as unknown as AnyOptimizerDef,
  defaults,
});

/** Every optimizer, in the order tables and pickers show them. */
const REGISTRY = {
  sgd: line(sgd),
  momentum: line(sgd, { momentum: 0.9 }),
  nesterov: line(sgd, { momentum: 0.9, nesterov: true }),
  adagrad: line(adagrad),
  rmsprop: line(rmsprop),
  adadelta: line(adadelta),
  adam: line(adam),
  adamw: line(adamw),
  adamax: line(adamax),
  nadam: line(nadam),
  radam: line(radam),
  rprop: line(rprop),
  asgd: line(asgd),
  lion: line(lion),
  adopt: line(adopt),
  sfsgd: line(sfsgd),
  sfadamw: line(sfadamw),
  adabelief: line(adabelief),
  adan: line(adan),
  prodigy: line(prodigy),
  lbfgs: line(lbfgs),
} as const satisfies Record<string, Entry>;

export type OptimizerName = keyof typeof REGISTRY;

/** The option interfaces declare an index signature (so they satisfy `Options`); typed options keep only the named keys. */
type KnownKeys<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/**
 * The options of optimizer `N`, typed from its schema: in strict TypeScript
 * `createOptimizer("adam", params, { lr: "0.1" })` and an unknown key fail to
 * compile. (JSON specs are checked at run time instead.)
 */
export type OptionsOf<N extends OptimizerName> = Partial<KnownKeys<NonNullable<(typeof REGISTRY)[N]["options"]>>>;

/** Every optimizer name, aliases included, in registry order. */
export const optimizerNames: readonly OptimizerName[] = Object.freeze(Object.keys(REGISTRY) as OptimizerName[]);

/** The definition behind each name (an alias maps to its algorithm's). */
export const optimizerDefs: Readonly<Record<OptimizerName, AnyOptimizerDef>> = Object.freeze(
  Object.fromEntries(optimizerNames.map((n) => [n, REGISTRY[n].def])) as Record<OptimizerName, AnyOptimizerDef>,
);

/** Options an alias implies unless given: `momentum` is SGD with μ = 0.9, `nesterov` adds Nesterov. */
export const ALIAS_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze(
  Object.fromEntries(optimizerNames.flatMap((n) => ((REGISTRY[n] as Entry).defaults ? [[n, (REGISTRY[n] as Entry).defaults!]] : []))),
);

/**
 * Every distinct kernel, in registry order; a kernel's id (what the
 * WebAssembly dispatch switches on) is its index here. The build generates
 * the AssemblyScript side from this list (scripts/gen-layout.mjs).
 */
export const kernelDecls: readonly KernelDecl[] = Object.freeze([
  ...new Set(
    optimizerNames.flatMap((n) => {
      const def: AnyOptimizerDef = REGISTRY[n].def;
      return isClosureDef(def) ? [] : [def.kernel];
    }),
  ),
]);

/** The id of a kernel (its index in {@link kernelDecls}). */
export function kernelId(k: KernelDecl): number {
  const id = kernelDecls.indexOf(k);
  if (id < 0) throw new Error(`kernel ${k.name} is not in the registry`);
  return id;
}

/** Whether `name` is a registered optimizer. */
export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === "string" && Object.hasOwn(REGISTRY, name);
}

/** The definition and full options for a name, aliases resolved. */
export function resolveOptimizer(name: unknown, options: Record<string, unknown> = {}): { def: AnyOptimizerDef; options: Record<string, unknown> } {
  if (!isOptimizerName(name)) {
    throw typeError("name", `unknown optimizer ${show(name)}; allowed: ${optimizerNames.join(", ")}`);
  }
  const entry: Entry = REGISTRY[name];
  const given = check.object("options", options);
  return { def: entry.def, options: entry.defaults ? { ...entry.defaults, ...given } : given };
}

/**
 * A reference (pure TypeScript) optimizer over `params`.
 *
 * @example
 * const x = new Float64Array([3, 4]), g = new Float64Array(2);
 * const opt = createOptimizer("adam", [{ data: x, grad: g }], { lr: 0.1 });
 * for (let t = 0; t < 100; t++) { g[0] = 0.4 * x[0]; g[1] = 4 * x[1]; opt.step(); }
 */
export function createOptimizer<N extends OptimizerName>(name: N, params: Param[], options?: OptionsOf<N>): Optimizer {
  const r = resolveOptimizer(name, options ?? {});
  return isClosureDef(r.def) ? r.def.create(name, params, r.options) : new Optimizer(name, r.def, params, r.options);
}

export { Optimizer, STATE_FORMAT, type Closure, type OptimizerState } from "./optimizer.js";
export {
  declareKernel,
  isClosureDef,
  mathPow,
  type AnyOptimizerDef,
  type ClosureOptimizerDef,
  type OptimizerDef,
  type Buffers,
  type BufferList,
  type KernelDecl,
  type Pow,
} from "./def.js";
export type { EpsMode } from "./schema.js";
export { sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, adabelief, adan, prodigy, lbfgs };
export { rprop, asgd, lion, adopt, sfsgd, sfadamw };
export { Lbfgs, type LbfgsFlatState } from "./lbfgs.js";
