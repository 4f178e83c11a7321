// The wasm kernels against the TypeScript reference: same options, same
// data, compared bit for bit (Object.is, so NaN matches NaN and −0 ≠ +0)
// after every step, for parameters and every state buffer.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../bindings/index.js";
import type { DType, FloatArray, Param } from "../src/api.js";
import { optimizerNames, type OptimizerName } from "../src/optim/index.js";
import { OPTION_CASES } from "./optimizer-cases.js";

let wasm: Backend;
let js: Backend;
beforeAll(async () => {
  wasm = await createBackend("wasm");
  js = await createBackend("js");
});

const OPTIONS = OPTION_CASES;

/**
 * A gradient that depends on x (so trajectories feed back) and is computed identically for both backends;
 * it returns the loss it is the gradient of (what a closure returns, for L-BFGS).
 */
function gradient(x: FloatArray, g: FloatArray, t: number): number {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    g[i] = xi * (1 + (i % 5)) + 0.5 * Math.sin(i + t) - 0.1 * xi * xi * xi;
    f += 0.5 * (1 + (i % 5)) * xi * xi + 0.5 * Math.sin(i + t) * xi - 0.025 * xi * xi * xi * xi;
  }
  return f;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `element ${i}: ${a[i]} vs ${b[i]}`;
  return undefined;
}

/**
 * Runs both backends side by side; returns the first difference, or undefined. An optimizer that needs a
 * closure (L-BFGS) gets one that refills the gradients and returns the loss; its flat state is compared
 * through the state dict at the end.
 */
function compare(
  name: OptimizerName,
  options: Record<string, unknown>,
  dtype: DType,
  lengths: number[],
  init: (k: number, i: number) => number,
  steps: number,
  grad: (x: FloatArray, g: FloatArray, t: number) => number = gradient,
): string | undefined {
  const make = (b: Backend) =>
    lengths.map((n, k) =>
      b.param(
        dtype,
        Array.from({ length: n }, (_, i) => init(k, i)),
      ),
    );
  const pw = make(wasm),
    pj = make(js);
  const ow = wasm.createOptimizer(name, pw, options),
    oj = js.createOptimizer(name, pj, options);
  const closure = (ps: Param[], t: number) => () => ps.reduce((f, p) => f + grad(p.data, p.grad, t), 0);
  try {
    for (let t = 0; t < steps; t++) {
      if (oj.requiresClosure) {
        ow.step(closure(pw, t));
        oj.step(closure(pj, t));
      } else {
        pw.forEach((p) => grad(p.data, p.grad, t));
        pj.forEach((p) => grad(p.data, p.grad, t));
        ow.step();
        oj.step();
      }
      for (let k = 0; k < lengths.length; k++) {
        const d = sameBits(pw[k].data, pj[k].data);
        if (d) return `step ${t + 1}, tensor ${k}, params: ${d}`;
        const sw = ow.state(k),
          sj = oj.state(k);
        for (const key of Object.keys(sj)) {
          const e = sameBits(sw[key], sj[key]);
          if (e) return `step ${t + 1}, tensor ${k}, ${key}: ${e}`;
        }
      }
    }
    if (oj.requiresClosure && JSON.stringify(ow.stateDict()) !== JSON.stringify(oj.stateDict())) return "state dicts differ";
    return undefined;
  } finally {
    pw.forEach((p) => p.dispose());
    (ow as unknown as { dispose?(): void }).dispose?.();
  }
}

const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 17, 1023];

describe("wasm kernels agree bit for bit with the reference", () => {
  for (const name of optimizerNames) {
    for (const [j, options] of OPTIONS[name].entries()) {
      for (const dtype of ["f32", "f64"] as const) {
        it(`${name} #${j} ${JSON.stringify(options)} ${dtype}`, () => {
          const diff = compare(name, options, dtype, LENGTHS, (k, i) => Math.sin(3 * i + k) * 2, 25);
          expect(diff).toBeUndefined();
        });
      }
    }
  }
});

/** Values that stress the arithmetic: zeros of both signs, subnormals, huge, NaN, infinities. */
const special = fc.constantFrom(0, -0, 5e-324, -2.5e-320, 1e-45, 1e-39, 1e30, -1e30, 3.4e38, NaN, Infinity, -Infinity, 1, -1);
const value = fc.oneof({ weight: 3, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) }, { weight: 1, arbitrary: special });

describe("property: any length, any values, any options", () => {
  for (const name of optimizerNames) {
    it(`${name}`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...OPTIONS[name]),
          fc.constantFrom<DType>("f32", "f64"),
          fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 8, 9, 15, 16, 33),
          fc.array(value, { minLength: 64, maxLength: 64 }),
          fc.array(value, { minLength: 64, maxLength: 64 }),
          fc.double({ min: 0, max: 2, noNaN: true }),
          (options, dtype, n, xs, gs, lr) => {
            const opts = { ...options, lr };
            // gradients taken from the random pool, not from x: every value reaches every operation
            const grad = (x: FloatArray, g: FloatArray, t: number) => {
              let f = 0;
              for (let i = 0; i < g.length; i++) {
                g[i] = gs[(i + 7 * t) % gs.length];
                f += g[i] * x[i];
              }
              return f;
            };
            const diff = compare(name, opts, dtype, [n], (_k, i) => xs[i % xs.length], 4, grad);
            expect(diff, `${name} ${JSON.stringify(opts)} ${dtype} n=${n}`).toBeUndefined();
          },
        ),
        { numRuns: 60, seed: 20261121 },
      );
    });
  }
});
