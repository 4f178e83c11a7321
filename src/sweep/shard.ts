/**
 * Sharding: `--shard K/N` runs the K-th of N deterministic slices of a
 * sweep's cells (consecutive cell indices, so rows stay together and a
 * worker's β-power tables serve them), and `merge` joins the N partial
 * results into exactly the result of one run.
 */
import { rangeError } from "../errors.js";
import type { SweepCell } from "./cells.js";
import type { SweepResult } from "./sweep.js";

/** Cells [lo, hi) of shard K of N: [⌊(K−1)·C/N⌋, ⌊K·C/N⌋). */
export function shardRange(cells: number, k: number, n: number): [number, number] {
  return [Math.floor(((k - 1) * cells) / n), Math.floor((k * cells) / n)];
}

/** Parses `K/N` (1 ≤ K ≤ N ≤ 100000); errors name `field`. */
export function parseShard(field: string, text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const k = m ? Number(m[1]) : NaN,
    n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1 && n <= 100000) || !(k >= 1 && k <= n))
    throw rangeError(field, `must be K/N with 1 ≤ K ≤ N (N at most 100000), e.g. 2/8; got ${JSON.stringify(text)}`);
  return [k, n];
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

function num(field: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v in NON_FINITE) return NON_FINITE[v];
  throw rangeError(field, `must be a number; got ${JSON.stringify(v)}`);
}

/** Checks one partial result (as parsed from JSON, non-finite numbers as strings); errors name `field` (its file). */
function readPart(field: string, raw: unknown): SweepResult & { shard: [number, number] } {
  const o = raw as Record<string, unknown>;
  if (typeof o !== "object" || o === null || !Array.isArray(o.axes) || !Array.isArray(o.cells))
    throw rangeError(field, "is not a sweep result (an object with axes and cells)");
  const sh = o.shard;
  if (!Array.isArray(sh) || sh.length !== 2 || !sh.every((v) => Number.isInteger(v)) || !(sh[1] >= 1 && sh[0] >= 1 && sh[0] <= sh[1])) {
    throw rangeError(field, `has no "shard": [K, N]; merge joins the parts written by sweep --shard K/N`);
  }
  const axes = (o.axes as unknown[]).map((a, i) => {
    if (!Array.isArray(a)) throw rangeError(`${field}: axes[${i}]`, "must be an array of numbers");
    return a.map((v, j) => num(`${field}: axes[${i}][${j}]`, v));
  });
  const cells = (o.cells as unknown[]).map((c, i) => {
    const x = c as Record<string, unknown>;
    const at = `${field}: cells[${i}]`;
    if (typeof x !== "object" || x === null || !Array.isArray(x.index)) throw rangeError(at, "must be a cell { index, final, steps, diverged, minimum }");
    return {
      index: (x.index as unknown[]).map((v) => num(`${at}.index`, v)),
      final: num(`${at}.final`, x.final),
      steps: x.steps === null ? null : num(`${at}.steps`, x.steps),
      diverged: x.diverged === true,
      minimum: x.minimum === null ? null : num(`${at}.minimum`, x.minimum),
    } satisfies SweepCell;
  });
  return { axes, cells, shard: [sh[0], sh[1]] };
}

/**
 * Joins the parts of one sharded sweep (`name` says which file each is, for
 * errors): every shard 1 … N exactly once, the same axes, each with exactly
 * its slice of the cells. The result equals the unsharded sweep's.
 */
export function mergeSweeps(parts: readonly { name: string; value: unknown }[]): SweepResult {
  if (parts.length === 0) throw rangeError("PART", "merge needs the partial results of every shard");
  const read = parts.map((p) => ({ name: p.name, part: readPart(p.name, p.value) }));
  const first = read[0];
  const n = first.part.shard[1];
  const axesText = JSON.stringify(first.part.axes);
  const total = first.part.axes.reduce((m, a) => m * a.length, 1);
  const byK = new Map<number, (typeof read)[number]>();
  for (const r of read) {
    const [k, nn] = r.part.shard;
    if (nn !== n) throw rangeError(r.name, `is shard ${k}/${nn} but ${first.name} is of ${n} shards`);
    if (JSON.stringify(r.part.axes) !== axesText) throw rangeError(r.name, `has other axes than ${first.name}: not a part of the same sweep`);
    const seen = byK.get(k);
    if (seen) throw rangeError(r.name, `is shard ${k}/${n}, as ${seen.name} is`);
    byK.set(k, r);
  }
  const missing = [];
  for (let k = 1; k <= n; k++) if (!byK.has(k)) missing.push(`${k}/${n}`);
  if (missing.length) throw rangeError("PART", `shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} missing`);
  const cells: SweepCell[] = [];
  const n0 = first.part.axes[0]?.length ?? 0;
  for (let k = 1; k <= n; k++) {
    const r = byK.get(k)!;
    const [lo, hi] = shardRange(total, k, n);
    if (r.part.cells.length !== hi - lo) throw rangeError(r.name, `holds ${r.part.cells.length} cells; shard ${k}/${n} of ${total} cells has ${hi - lo}`);
    r.part.cells.forEach((c, i) => {
      const want = first.part.axes.length === 1 ? [lo + i] : [(lo + i) % n0, Math.floor((lo + i) / n0)];
      if (JSON.stringify(c.index) !== JSON.stringify(want))
        throw rangeError(`${r.name}: cells[${i}].index`, `is ${JSON.stringify(c.index)}; shard ${k}/${n} has ${JSON.stringify(want)} there`);
      cells.push(c);
    });
  }
  return { axes: first.part.axes, cells };
}
