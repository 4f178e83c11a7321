/**
 * Sweeps, tuning and sharding: plans of many runs, split over a pool of
 * workers (browser-safe; the Node pool is in bindings/nodePool.ts, the
 * lab's in web/).
 *
 * @packageDocumentation
 */
export * from "./cells.js";
export * from "./objective.js";
export * from "./evaluate.js";
export * from "./pool.js";
export * from "./paths.js";
export * from "./sweep.js";
export * from "./shard.js";
export * from "./tune.js";
export * from "./figure.js";
