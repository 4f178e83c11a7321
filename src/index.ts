/**
 * optimlab's reference library: optimizers, schedulers, test functions and
 * runs, in plain TypeScript. `optimlab` (the package entry) re-exports all
 * of this and adds `createBackend`.
 */
export * from "./api.js";
export * from "./errors.js";
export * from "./optim/index.js";
export { describeKind, describeRule, type NumberRule, type OptionKind, type OptionSpec, type Schema } from "./schema.js";
export * from "./schedulers/index.js";
export * from "./functions/index.js";
export * from "./run.js";
export * from "./models/index.js";
export { jsBackend, type Backend } from "./backend.js";
export type { MemoryInfo } from "./ledger.js";
export { WASM32_BYTES, MAX_STRING_CHARS, runSize, type RunSize } from "./limits.js";
export { PROBLEMS, TABLE_OPTIMIZERS, formatTable, tableRows, tableSpecs } from "./compare.js";
