/**
 * The optimizers' option builders: the shared schema system (`../schema.ts`)
 * plus the option only optimizers have, `epsMode`.
 */
import { opt as base, type OptionSpec } from "../schema.js";

export { resolveOptions, type Options, type OptionSpec, type Schema } from "../schema.js";

/** Where ε enters the denominator; see the README's optimizer table. */
export type EpsMode = "outside" | "inside" | "hat";

export const opt = {
  ...base,
  epsMode: (def: EpsMode, allowed: readonly EpsMode[]): OptionSpec<EpsMode> =>
    base.choice(def, allowed, `where ε goes: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`),
};
