/**
 * optimlab's reference library: optimizers, schedulers, test functions and
 * runs, in plain TypeScript. `optimlab` (the package entry) re-exports all
 * of this and adds `createBackend`.
 */
export * from "./api.js";
export * from "./errors.js";
export * from "./optim/index.js";
export * from "./schedulers.js";
export * from "./functions/index.js";
export * from "./run.js";
export * from "./models/index.js";
export { jsBackend, type Backend } from "./backend.js";
export { PROBLEMS, TABLE_OPTIMIZERS, formatTable, tableRows, tableSpecs } from "./compare.js";
