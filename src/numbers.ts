/**
 * Numbers in JSON: non-finite values are written as the strings "NaN",
 * "Infinity" and "-Infinity" (JSON has no literal for them), so results and
 * state dicts round-trip exactly.
 */
import { show, typeError } from "./errors.js";

/** Encodes a number so that JSON keeps it exactly. */
export function encodeNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** Inverse of {@link encodeNumber}; anything else is a TypeError naming `field`. */
export function decodeNumber(field: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw typeError(field, `must be a number or one of "NaN", "Infinity", "-Infinity"; got ${show(v)}`);
}

/** JSON with non-finite numbers as the strings "NaN", "Infinity", "-Infinity". */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}
