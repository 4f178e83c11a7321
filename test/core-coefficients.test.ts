// A kernel that declares `inputs` has a second writer of its rows: the core's
// own coefficient function (`${name}Coefficients` in assembly/optim/), used
// for runs whose options stay fixed. These tests hold it to the reference's
// `coefficients`: the same row, bit for bit, at every step (one row written
// at step 1 and then step after step, as the core uses it), for every option
// set of every optimizer on that kernel and for random ones; every declared
// input is read; on every kernel that declares step scalars (with or without
// a core function), only those change after step 1; and the planner takes
// those paths exactly when it may.
import { beforeAll, describe, expect, it } from "vitest";
import { init, type Core } from "../bindings/index.js";
import { mulberry32 } from "../src/experiments/random.js";
import { isClosureDef, kernelDecls, kernelId, mathPow, optimizerNames, resolveOptimizer, type OptimizerDef } from "../src/optim/index.js";
import { fillPowers, fixedPlan } from "../src/plan.js";
import { normalizeSpec } from "../src/run.js";
import { resolveOptions } from "../src/schema.js";
import { OPTION_CASES } from "./optimizer-cases.js";

let core: Core;
beforeAll(async () => {
  core = await init();
});

const STEPS = [1, 2, 3, 4, 5, 10, 50, 999, 1000, 4000];
const LAST = STEPS[STEPS.length - 1];

/** The reference's rows at the steps of STEPS, stepping `coefficients` from 1 (it may carry state). */
function referenceRows(def: OptimizerDef, options: Record<string, unknown>): Map<number, Float64Array> {
  const o = resolveOptions(def.schema, options, def.name);
  const state = def.initialScalars?.(o) ?? {};
  const out = new Map<number, Float64Array>();
  for (let t = 1; t <= LAST; t++) {
    const row = new Float64Array(def.kernel.scalars.length);
    def.coefficients(o, t, state, row, 0, mathPow);
    if (STEPS.includes(t)) out.set(t, row);
  }
  return out;
}

/** The core's rows at the steps of STEPS from these inputs (power tables of their declared bases). */
function coreRows(def: OptimizerDef, inputs: Float64Array): Map<number, Float64Array> {
  const k = def.kernel;
  const { arena, memory, exports } = core;
  const ptrs: number[] = [];
  const alloc = (bytes: number) => {
    const p = arena.alloc(Math.max(16, bytes));
    ptrs.push(p);
    return p;
  };
  try {
    const tables = k.powers.map(() => alloc((LAST + 1) * 8));
    const inp = alloc(k.inputs.length * 8),
      pows = alloc(k.powers.length * 4),
      row = alloc(k.scalars.length * 8);
    k.powers.forEach((p, j) => fillPowers(inputs[k.input[p]], new Float64Array(memory.buffer, tables[j], LAST + 1)));
    new Float64Array(memory.buffer, inp, k.inputs.length).set(inputs);
    new Int32Array(memory.buffer, pows, k.powers.length).set(tables);
    const write = exports.optimizerCoefficients as (id: number, t: number, inputs: number, powers: number, row: number) => void;
    const out = new Map<number, Float64Array>();
    // As the core uses it: one row, written whole at step 1; later steps may write only the step scalars.
    new Float64Array(memory.buffer, row, k.scalars.length).fill(NaN);
    for (const t of STEPS) {
      write(kernelId(k), t, inp, pows, row);
      out.set(t, new Float64Array(memory.buffer, row, k.scalars.length).slice());
    }
    return out;
  } finally {
    for (const p of ptrs) arena.release(p);
  }
}

function inputsOf(def: OptimizerDef, options: Record<string, unknown>): Float64Array {
  const out = new Float64Array(def.kernel.inputs.length).fill(NaN);
  def.coreInputs!(resolveOptions(def.schema, options, def.name), out, 0);
  return out;
}

/** Bit-level differences between two rows, as "slot: reference vs core". */
function differences(def: OptimizerDef, a: Float64Array, b: Float64Array): string[] {
  return def.kernel.scalars.filter((_s, i) => !Object.is(a[i], b[i])).map((s) => `${s}: ${a[def.kernel.slot[s]]} vs ${b[def.kernel.slot[s]]}`);
}

/** Random option sets for an optimizer: each numeric option of its cases scaled, β-like ones kept in (0, 1). */
function randomCases(name: string, count: number, seed: number): Record<string, unknown>[] {
  const rnd = mulberry32(seed);
  const bases = OPTION_CASES[name as keyof typeof OPTION_CASES];
  return Array.from({ length: count }, (_, c) => {
    const o: Record<string, unknown> = { ...bases[c % bases.length] };
    o.lr = 10 ** (-5 + 6 * rnd());
    if ("betas" in resolveOptimizer(name).options || name.startsWith("adam")) o.betas = [1 - 10 ** (-3 * rnd()) * 0.9, 1 - 10 ** (-4 * rnd())];
    if (o.weightDecay !== undefined) o.weightDecay = 10 ** (-4 * rnd());
    return o;
  });
}

const writers = kernelDecls.filter((k) => k.inputs.length > 0);
const namesOf = (k: (typeof kernelDecls)[number]) =>
  optimizerNames.filter((n) => !isClosureDef(resolveOptimizer(n).def) && (resolveOptimizer(n).def as OptimizerDef).kernel === k);

describe("core coefficient functions", () => {
  it("exist for the kernels the fixed-options fast path covers, and every optimizer on them supplies inputs", () => {
    expect(writers.map((k) => k.name)).toEqual(expect.arrayContaining(["adam"]));
    for (const k of kernelDecls) {
      for (const n of namesOf(k)) {
        const def = resolveOptimizer(n).def as OptimizerDef;
        expect(def.coreInputs !== undefined, `${n}: coreInputs exactly when its kernel declares inputs`).toBe(k.inputs.length > 0);
      }
    }
  });

  for (const k of writers) {
    it(`${k.name}: the core writes the reference's row, bit for bit, at every step`, () => {
      for (const name of namesOf(k)) {
        const def = resolveOptimizer(name).def as OptimizerDef;
        for (const options of [...OPTION_CASES[name], ...randomCases(name, 12, 7)]) {
          const resolved = resolveOptimizer(name, options).options;
          const ref = referenceRows(def, resolved);
          const got = coreRows(def, inputsOf(def, resolved));
          for (const t of STEPS) expect(differences(def, ref.get(t)!, got.get(t)!), `${name} ${JSON.stringify(options)} t=${t}`).toEqual([]);
        }
      }
    });

    it(`${k.name}: every declared input is read`, () => {
      const cases = namesOf(k).flatMap((name) =>
        OPTION_CASES[name].map((o) => ({ def: resolveOptimizer(name).def as OptimizerDef, options: resolveOptimizer(name, o).options })),
      );
      k.inputs.forEach((input, j) => {
        const read = cases.some(({ def, options }) => {
          const inputs = inputsOf(def, options);
          const base = coreRows(def, inputs);
          return [inputs[j] + 0.25, 1 - inputs[j], 2].some((w) => {
            const bent = inputs.slice();
            bent[j] = w;
            const got = coreRows(def, bent);
            return STEPS.some((t) => differences(def, base.get(t)!, got.get(t)!).length > 0);
          });
        });
        expect(read, `${k.name}: input ${input} is declared but the core's coefficient function does not read it`).toBe(true);
      });
    });
  }

  // The claim a declared stepScalars makes, which the core relies on (it writes only those after step 1, or with none reads step 1's row at every step).
  for (const k of kernelDecls.filter((d) => d.stepScalars !== undefined)) {
    it(`${k.name}: only the declared step scalars change from step to step (fixed options)`, () => {
      const stepScalars = k.stepScalars!;
      for (const name of namesOf(k)) {
        const def = resolveOptimizer(name).def as OptimizerDef;
        for (const options of [...OPTION_CASES[name], ...randomCases(name, 6, 11)]) {
          const rows = referenceRows(def, resolveOptimizer(name, options).options);
          const first = rows.get(1)!;
          for (const t of STEPS.slice(1)) {
            const changed = differences(def, first, rows.get(t)!).map((d) => d.slice(0, d.indexOf(":")));
            expect(
              changed.filter((s) => !stepScalars.includes(s)),
              `${name} ${JSON.stringify(options)} t=${t}`,
            ).toEqual([]);
          }
        }
      }
    });
  }

  it("runs take the core's rows exactly when the options stay fixed", () => {
    const spec = (extra: object) => normalizeSpec({ function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, steps: 10, ...extra });
    expect(fixedPlan(spec({}))?.inputs?.length).toBe(writers.find((k) => k.name === "adam")!.inputs.length);
    expect(fixedPlan(spec({}))?.row).toBeUndefined();
    expect(fixedPlan(spec({ scheduler: { name: "stepLR", stepSize: 3 } }))).toBeUndefined();
    expect(fixedPlan(normalizeSpec({ function: "rosenbrock", optimizer: { name: "prodigy" }, steps: 10 }))).toBeUndefined();
    // NAdam declares no stepScalars (its μ product is optimizer state) and has no core function: planned.
    expect(fixedPlan(normalizeSpec({ function: "rosenbrock", optimizer: { name: "nadam" }, steps: 10 }))).toBeUndefined();
    // RMSprop declares none that change: one row, the reference's step-1 row, and no core function.
    const rms = fixedPlan(normalizeSpec({ function: "rosenbrock", optimizer: { name: "rmsprop", lr: 0.01, centered: true }, steps: 10 }));
    const def = resolveOptimizer("rmsprop").def as OptimizerDef;
    expect(rms?.inputs).toBeUndefined();
    expect(differences(def, rms!.row!, referenceRows(def, resolveOptimizer("rmsprop", { lr: 0.01, centered: true }).options).get(1)!)).toEqual([]);
  });
});
