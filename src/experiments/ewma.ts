/**
 * Experiment 6: the exponentially weighted average of 30 days of seeded
 * random temperatures, uniform on [0, 10):
 *   v₀ = 0, v_t = β·v_{t−1} + (1 − β)·θ_t, and with bias correction v̂_t = v_t / (1 − βᵗ),
 * for β = 0.5 and 0.9 (t = 1 … 30).
 *
 * @packageDocumentation
 */
import type { ExperimentOptions } from "./common.js";
import { createRng, DEFAULT_SEED } from "./random.js";

export interface EwmaSeries {
  beta: number;
  /** v_t, t = 1 … days, no correction (biased towards v₀ = 0 at the start). */
  average: number[];
  /** v̂_t = v_t / (1 − βᵗ). */
  corrected: number[];
  /** 1 − βᵗ, the correction's denominator. */
  correction: number[];
  /** ≈ 1/(1 − β): how many recent days the average mostly covers. */
  effectiveWindow: number;
}

export interface EwmaResult {
  seed: number;
  /** Day numbers 1 … 30. */
  days: number[];
  /** θ_t, uniform on [0, 10). */
  temperatures: number[];
  series: EwmaSeries[];
}

export interface EwmaOptions extends ExperimentOptions {
  /** Default 30. */
  days?: number;
  /** Default [0.5, 0.9]. */
  betas?: number[];
}

/** v_t and v̂_t of a sequence for one β. */
export function ewma(values: readonly number[], beta: number): EwmaSeries {
  const average: number[] = [],
    corrected: number[] = [],
    correction: number[] = [];
  let v = 0;
  let power = 1;
  for (const theta of values) {
    v = beta * v + (1 - beta) * theta;
    power *= beta;
    average.push(v);
    correction.push(1 - power);
    corrected.push(v / (1 - power));
  }
  return { beta, average, corrected, correction, effectiveWindow: 1 / (1 - beta) };
}

/** Experiment 6. */
export function exponentialAverage(opts: EwmaOptions = {}): EwmaResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  const days = opts.days ?? 30;
  const rng = createRng(seed);
  const temperatures = Array.from({ length: days }, () => rng.uniformIn(0, 10));
  return {
    seed,
    days: Array.from({ length: days }, (_, i) => i + 1),
    temperatures,
    series: (opts.betas ?? [0.5, 0.9]).map((b) => ewma(temperatures, b)),
  };
}
