/**
 * Run results as JSON, written straight from their flat arrays in chunks:
 * the same bytes as `JSON.stringify` of the results (non-finite numbers as
 * the strings "NaN", "Infinity", "-Infinity"), without building `x` as
 * `number[][]` or the whole text as one string (a 1e6-dimensional point is
 * about 20 MB of text; V8 strings stop near 2²⁹ characters).
 */
import type { RunResult } from "./run.js";

/** JSON text of one number, as JSON.stringify with the non-finite replacer writes it. */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : `"${v}"`;
}

/** Calls `write` with consecutive pieces of the JSON of `value` (one result or an array of them). */
export function writeResultsJson(value: RunResult | readonly RunResult[], write: (chunk: string) => void, chunkSize = 1 << 16): void {
  let buf = "";
  const put = (s: string) => {
    buf += s;
    if (buf.length >= chunkSize) {
      write(buf);
      buf = "";
    }
  };
  const parts: string[] = [];
  const numbers = (a: ArrayLike<number>, from = 0, to = a.length) => {
    // Joined a few thousand at a time: one string per number appended one by one costs twice as long.
    for (let i = from; i < to; i += 4096) {
      const end = Math.min(to, i + 4096);
      parts.length = 0;
      for (let j = i; j < end; j++) parts.push(num(a[j]));
      put((i === from ? "[" : ",") + parts.join(","));
    }
    put(to > from ? "]" : "[]");
  };
  const one = (r: RunResult) => {
    put('{"x":[');
    const n = r.dim === 0 ? 0 : r.points.length / r.dim;
    for (let k = 0; k < n; k++) {
      if (k) put(",");
      numbers(r.points, k * r.dim, (k + 1) * r.dim);
    }
    put('],"loss":');
    numbers(r.loss);
    put(',"lr":');
    numbers(r.lr);
    // Only closure optimizers' results have it (see RunResult.evals).
    if (r.evals) {
      put(',"evals":');
      numbers(r.evals);
    }
    put(`,"steps":${r.steps},"stopReason":${JSON.stringify(r.stopReason)}`);
    put("}");
  };
  if (Array.isArray(value)) {
    put("[");
    (value as readonly RunResult[]).forEach((r, i) => {
      if (i) put(",");
      one(r);
    });
    put("]");
  } else one(value as RunResult);
  if (buf) write(buf);
}
