// The kernel interface is declared once (declareKernel in src/optim/*.ts) and
// the AssemblyScript side is generated from it. These tests make a
// declaration that drifts from its kernels fail:
// - the coefficient function writes exactly the declared slots;
// - every declared slot is read — perturbing it alone changes the reference
//   step (the reduce pass, for kernels with sums, then the update) for some
//   option set — and the wasm kernels read it at the same offset: with the
//   perturbed row both backends still agree bit for bit, sums included;
// - the binary's row lengths and buffer counts are the declarations'.
import { beforeAll, describe, expect, it } from "vitest";
import { init, type Core } from "../bindings/index.js";
import { checkLayout } from "../bindings/kernels.js";
import { roundFor, type DType, type FloatArray } from "../src/api.js";
import { isClosureDef, kernelDecls, kernelId, mathPow, optimizerNames, resolveOptimizer, type OptimizerDef } from "../src/optim/index.js";
import { resolveOptions } from "../src/schema.js";
import { mulberry32 } from "../src/experiments/random.js";
import { OPTION_CASES } from "./optimizer-cases.js";

let core: Core;
beforeAll(async () => {
  core = await init();
});

const N = 11; // two full f32 vectors and a tail, five f64 vectors and a tail

/** The row of step t for a name's option set (NaN where nothing was written). */
function rowOf(def: OptimizerDef, options: Record<string, unknown>, t: number, pad = 0, at = 0): Float64Array {
  const o = resolveOptions(def.schema, options, def.name);
  const state = def.initialScalars?.(o) ?? {};
  const row = new Float64Array(at + def.kernel.scalars.length + pad).fill(NaN);
  for (let k = 1; k < t; k++) def.coefficients(o, k, state, new Float64Array(def.kernel.scalars.length), 0, mathPow);
  def.coefficients(o, t, state, row, at, mathPow);
  return row;
}

interface Inputs {
  p: FloatArray;
  g: FloatArray;
  bufs: FloatArray[];
  /** The reduce pass's sums (kernels with sums; they start from values ≠ 0 so that the adding shows). */
  sums: Float64Array;
}

function inputs(def: OptimizerDef, dtype: DType, seed: number): Inputs {
  const rnd = mulberry32(seed);
  const make = (f: () => number) => {
    const a = dtype === "f32" ? new Float32Array(N) : new Float64Array(N);
    for (let i = 0; i < N; i++) a[i] = f();
    return a;
  };
  // Buffers positive (they hold squares and norms) and spanning 1e-14 … 1, so that where ε enters shows even in f32;
  // every one present, so a flag flipped on finds its buffer.
  return {
    p: make(() => 4 * rnd() - 2),
    g: make(() => 2 * rnd() - 1),
    bufs: def.kernel.buffers.map(() => make(() => 10 ** (-14 * rnd()))),
    sums: Float64Array.from(def.kernel.sums, () => rnd()),
  };
}

function copy(x: Inputs): Inputs {
  return { p: x.p.slice(), g: x.g.slice(), bufs: x.bufs.map((b) => b.slice()), sums: x.sums.slice() };
}

function reference(def: OptimizerDef, x: Inputs, row: Float64Array, dtype: DType): Inputs {
  const y = copy(x);
  if (def.kernel.sums.length) def.reduce!(y.p, y.g, y.bufs, row, 0, y.sums, roundFor(dtype));
  def.update(y.p, y.g, y.bufs, row, 0, roundFor(dtype));
  return y;
}

/**
 * The same through the core's entries: optimizerReduce{F32,F64}(id, p, g, bufs, n, row, sums) for a kernel
 * with sums, then optimizerStep{F32,F64}(id, p, g, bufs, n, row).
 */
function kernel(def: OptimizerDef, x: Inputs, row: Float64Array, dtype: DType): Inputs {
  const { arena, memory, exports } = core;
  const size = dtype === "f32" ? 4 : 8;
  const ptrs: number[] = [];
  const alloc = (bytes: number) => {
    const p = arena.alloc(bytes);
    ptrs.push(p);
    return p;
  };
  try {
    const p = alloc(N * size),
      g = alloc(N * size),
      r = alloc(row.length * 8),
      table = alloc(4 * Math.max(1, x.bufs.length));
    const sums = alloc(8 * Math.max(1, x.sums.length));
    const bufs = x.bufs.map(() => alloc(N * size));
    const view = (ptr: number) => (dtype === "f32" ? new Float32Array(memory.buffer, ptr, N) : new Float64Array(memory.buffer, ptr, N));
    view(p).set(x.p);
    view(g).set(x.g);
    bufs.forEach((b, k) => view(b).set(x.bufs[k]));
    new Float64Array(memory.buffer, r, row.length).set(row);
    new Int32Array(memory.buffer, table, bufs.length).set(bufs);
    new Float64Array(memory.buffer, sums, x.sums.length).set(x.sums);
    if (x.sums.length) {
      const reduce = exports[dtype === "f32" ? "optimizerReduceF32" : "optimizerReduceF64"] as (...a: number[]) => void;
      reduce(kernelId(def.kernel), p, g, table, N, r, sums);
    }
    const step = exports[dtype === "f32" ? "optimizerStepF32" : "optimizerStepF64"] as (...a: number[]) => void;
    step(kernelId(def.kernel), p, g, table, N, r);
    return {
      p: view(p).slice(),
      g: view(g).slice(),
      bufs: bufs.map((b) => view(b).slice()),
      sums: new Float64Array(memory.buffer, sums, x.sums.length).slice(),
    };
  } finally {
    for (const q of ptrs) arena.release(q);
  }
}

function sameBits(a: Inputs, b: Inputs): boolean {
  const eq = (u: FloatArray, v: FloatArray) => u.every((x, i) => Object.is(x, v[i]));
  return eq(a.p, b.p) && a.bufs.every((u, k) => eq(u, b.bufs[k])) && eq(a.sums, b.sums);
}

/** Values to try in a slot holding v: other numbers, flags flipped, every ε mode. */
function perturbations(v: number): number[] {
  return [v + 0.5, 2 * v + 1, 1 - v, 0, 1, 2, -1, 0.1].filter((w) => !Object.is(w, v));
}

describe("kernel declarations", () => {
  it("every registry name has test option sets", () => {
    for (const name of optimizerNames) expect(OPTION_CASES[name]?.length, name).toBeGreaterThan(0);
  });

  it("the coefficient function writes every declared slot and nothing beside the row", () => {
    for (const name of optimizerNames) {
      const { def } = resolveOptimizer(name);
      if (isClosureDef(def)) continue; // no kernel, no row
      for (const options of OPTION_CASES[name]) {
        for (const t of [1, 2, 7]) {
          const row = rowOf(def, resolveOptimizer(name, options).options, t, 3, 2);
          const slots = Array.from(row.subarray(2, 2 + def.kernel.scalars.length));
          const unwritten = def.kernel.scalars.filter((_s, k) => Number.isNaN(slots[k]));
          expect(unwritten, `${name} ${JSON.stringify(options)} t=${t}`).toEqual([]);
          expect([row[0], row[1], ...row.subarray(2 + def.kernel.scalars.length)].every(Number.isNaN), `${name} writes outside its row`).toBe(true);
        }
      }
    }
  });

  for (const dtype of ["f32", "f64"] as const) {
    it(`every slot is read by the reference, and at the same offset by the wasm kernel (${dtype})`, () => {
      for (const k of kernelDecls) {
        const names = optimizerNames.filter((n) => (resolveOptimizer(n).def as OptimizerDef).kernel === k);
        const cases = names.flatMap((n) =>
          OPTION_CASES[n].map((o) => ({ def: resolveOptimizer(n).def as OptimizerDef, options: resolveOptimizer(n, o).options })),
        );
        k.scalars.forEach((slot, s) => {
          let read = false;
          cases.forEach(({ def, options }, c) => {
            for (const t of [1, 3, 50]) {
              const row = rowOf(def, options, t);
              const x = inputs(def, dtype, 1000 * s + 10 * c + t);
              const base = reference(def, x, row, dtype);
              expect(sameBits(base, kernel(def, x, row, dtype)), `${k.name} ${JSON.stringify(options)} t=${t}`).toBe(true);
              for (const w of perturbations(row[s])) {
                const bent = row.slice();
                bent[s] = w;
                const ref = reference(def, x, bent, dtype);
                const got = kernel(def, x, bent, dtype);
                expect(sameBits(ref, got), `${k.name}: slot ${slot} = ${w} (${JSON.stringify(options)}, t=${t}): the kernel reads another offset`).toBe(true);
                if (!sameBits(ref, base)) read = true;
              }
            }
          });
          expect(read, `${k.name}: slot ${slot} is declared but no update reads it`).toBe(true);
        });
      }
    });
  }

  it("the core was built from these declarations (row lengths, buffer counts, kernel count)", () => {
    expect(() => checkLayout(core.exports)).not.toThrow();
    const lying = { ...core.exports, kernelRowLength: (id: number) => (id === 4 ? 12 : (core.exports.kernelRowLength as (i: number) => number)(id)) };
    expect(() => checkLayout(lying as never)).toThrow(/kernel 4 \(adam\) has 12 scalars/);
  });
});
