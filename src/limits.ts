/**
 * What a run may hold, checked before it starts so that no run dies half-way.
 * The arithmetic lives here once: `normalizeSpec` refuses a run whose
 * records cannot fit in the wasm backend's memory (on every backend, so a
 * spec valid on one is valid on the other), and the CLI refuses output that
 * cannot be one JavaScript string.
 *
 * - **wasm32 memory, 4 GiB**: a WebAssembly 1.0 memory has 32-bit addresses.
 *   The run engine keeps every recorded number in it as f64 (8 bytes) until
 *   the run ends, for each SIMD lane the run fills: a lone run is padded to a
 *   whole vector (4 lanes in f32, 2 in f64), and each lane records its rows.
 *   Working buffers come on top: x, ∇f and up to three state buffers per
 *   lane, and the per-step coefficient rows.
 * - **V8's string limit, 2²⁹ − 24 characters**: the CLI writes its results as
 *   one JSON text; a number takes at most 25 characters there
 *   (`-1.2345678901234567e-300,`), the bound used here.
 */
import type { DType, RecordMode } from "./api.js";
import { rangeError } from "./errors.js";

/** Bytes a wasm32 memory can address (65,536 pages of 64 KiB). */
export const WASM32_BYTES = 2 ** 32;

/** The longest string V8 builds (on 64-bit platforms). */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

/** The most characters one number takes in the CLI's JSON, with its comma. */
export const JSON_CHARS_PER_NUMBER = 25;

/** Memory a run's engine reserves besides its own arrays (data segment, scratch blocks). */
const WASM_RESERVE_BYTES = 16 * 2 ** 20;

/** Coefficient row of one step on the wasm engine: at most this many f64 scalars (Adam's 13, with room). */
const PLAN_SCALARS = 16;

/** What decides a run's size. */
export interface RunShape {
  dim: number;
  steps: number;
  record: RecordMode;
  dtype: DType;
}

export interface RunSize {
  /** Points recorded (x0 and the final point at least). */
  points: number;
  losses: number;
  /** Numbers in the result: points × dim + losses + one lr per step. */
  numbers: number;
  /** Upper bound of the wasm memory the run engine uses for this run. */
  wasmBytes: number;
  /** Upper bound of the characters of the result as the CLI's JSON. */
  jsonChars: number;
}

/** The size of a run if it takes all its steps (early stopping only shortens it). */
export function runSize(s: RunShape): RunSize {
  const points = s.record === "all" ? s.steps + 1 : Math.min(2, s.steps + 1);
  const losses = s.record === "final" ? Math.min(2, s.steps + 1) : s.steps + 1;
  const numbers = points * s.dim + losses + s.steps;
  const size = s.dtype === "f32" ? 4 : 8;
  const lanes = 16 / size;
  const perLane = 8 * (points * s.dim + losses) + 5 * size * s.dim + 32;
  const wasmBytes = lanes * perLane + 16 * s.dim + 8 * PLAN_SCALARS * s.steps;
  // Brackets and commas of every point's row, and the result's keys.
  const jsonChars = JSON_CHARS_PER_NUMBER * numbers + 3 * points + 100;
  return { points, losses, numbers, wasmBytes, jsonChars };
}

/** Bytes in GB or MB for messages. */
export function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toPrecision(3)} GB` : `${(n / 1e6).toPrecision(3)} MB`;
}

const REMEDY = 'lower steps or dim, or record "loss" or "final" (only the first and last point)';

/**
 * Refuses a run whose records cannot fit in wasm32's 4 GiB (field `steps`,
 * the message names dim, steps, record and the limit).
 */
export function checkRunFits(s: RunShape): void {
  const size = runSize(s);
  if (size.wasmBytes <= WASM32_BYTES - WASM_RESERVE_BYTES) return;
  throw rangeError(
    "steps",
    `${s.steps} steps with record "${s.record}" keep ${size.points} points of dim ${s.dim} (${s.dtype}): about ${formatBytes(size.wasmBytes)} of run memory, ` +
      `more than the wasm backend can hold (wasm32: 4 GiB; 8 bytes per recorded number for each of the ${16 / (s.dtype === "f32" ? 4 : 8)} SIMD lanes a run fills, plus working buffers); ${REMEDY}`,
  );
}

/**
 * Refuses specs that together cannot fit in wasm32's 4 GiB (field `specs`),
 * each counted as if it filled its SIMD vector alone.
 */
export function checkRunsFit(specs: readonly RunShape[]): void {
  let bytes = 0;
  for (const s of specs) bytes += runSize(s).wasmBytes;
  if (bytes <= WASM32_BYTES - WASM_RESERVE_BYTES) return;
  throw rangeError(
    "specs",
    `the ${specs.length} runs together need about ${formatBytes(bytes)} of run memory, more than the wasm backend can hold (wasm32: 4 GiB); run fewer specs at once, or ${REMEDY}`,
  );
}

/**
 * Refuses results that cannot be written as one JSON text (V8's string
 * limit): each spec alone (field `<prefix>.steps`, prefix `spec` or
 * `specs[i]`), then all of them together (field `specs`).
 */
export function checkJsonFits(specs: readonly RunShape[], prefix: (i: number) => string): void {
  const limit = `more than one JavaScript string holds (V8: 2^29 − 24 = ${MAX_STRING_CHARS.toLocaleString("en-US")} characters, counting ${JSON_CHARS_PER_NUMBER} per number)`;
  let chars = 2;
  specs.forEach((s, i) => {
    const size = runSize(s);
    if (size.jsonChars > MAX_STRING_CHARS) {
      throw rangeError(
        `${prefix(i)}.steps`,
        `${s.steps} steps with record "${s.record}" and dim ${s.dim} give ${size.numbers.toLocaleString("en-US")} numbers: up to ${size.jsonChars.toLocaleString("en-US")} characters of JSON, ${limit}; ${REMEDY}`,
      );
    }
    chars += size.jsonChars + 1;
  });
  if (chars > MAX_STRING_CHARS) {
    throw rangeError(
      "specs",
      `the ${specs.length} results together are up to ${chars.toLocaleString("en-US")} characters of JSON, ${limit}; split the file, or ${REMEDY}`,
    );
  }
}
