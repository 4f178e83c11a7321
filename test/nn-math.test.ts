/**
 * The pure-arithmetic math functions of the network engine (src/models/math.ts)
 * against mpmath (test/fixtures/nn-math.json, from scripts/nn_math_fixtures.py):
 * every point within 2 ULP of the exact value. The same functions on the wasm
 * core (assembly/nn/math.ts) must give the same bits (test/nn-wasm.test.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { erf, exp, expm1, log, log1p, sigmoid, tanh } from "../src/models/math.js";

type Row = [number, number, number];
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/nn-math.json", import.meta.url), "utf8")) as {
  functions: Record<string, Row[]>;
};

/** Spacing of doubles at |y| (2^(e−52) for |y| in [2^e, 2^(e+1)), 2^−1074 for subnormals). */
function ulpOf(y: number): number {
  const a = Math.abs(y);
  if (a < 2.2250738585072014e-308) return 2 ** -1074;
  const f = new Float64Array([a]);
  const e = ((new Uint32Array(f.buffer)[1] >>> 20) & 0x7ff) - 1023;
  return 2 ** (e - 52);
}

/** Error of `ours` in ULPs of the rounded exact value y, with frac = (exact − y)/ulp(y). */
function ulpError(ours: number, y: number, frac: number): number {
  return (ours - y) / ulpOf(y) - frac;
}

const FUNCTIONS: Record<string, (x: number) => number> = { exp, expm1, log, log1p, tanh, erf };

describe("pure-arithmetic math against mpmath", () => {
  for (const [name, f] of Object.entries(FUNCTIONS)) {
    it(`${name}: every fixture point within 2 ULP`, () => {
      const rows = fixtures.functions[name];
      expect(rows.length).toBeGreaterThan(900);
      let worst = 0,
        at = NaN;
      for (const [x, y, frac] of rows) {
        const e = Math.abs(ulpError(f(x), y, frac));
        if (!(e <= worst)) {
          worst = e;
          at = x;
        }
      }
      // The README quotes these maxima: NN_VERBOSE=1 prints them.
      if (process.env.NN_VERBOSE) console.log(`${name}: max error ${worst.toFixed(3)} ULP at x = ${at}`);
      expect(worst).toBeLessThanOrEqual(2);
    });
  }

  it("special values follow IEEE / C99", () => {
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(exp(NaN)).toBeNaN();
    expect(exp(-745.1)).toBe(5e-324);
    expect(expm1(-Infinity)).toBe(-1);
    expect(expm1(Infinity)).toBe(Infinity);
    expect(expm1(0)).toBe(0);
    expect(expm1(NaN)).toBeNaN();
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(1)).toBe(0);
    expect(log(NaN)).toBeNaN();
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-2)).toBeNaN();
    expect(log1p(Infinity)).toBe(Infinity);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(NaN)).toBeNaN();
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(NaN)).toBeNaN();
    expect(tanh(5e-324)).toBe(5e-324);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(NaN)).toBeNaN();
    expect(erf(6)).toBe(1);
  });

  it("sigmoid is 1/(1 + exp(−x)) and saturates without NaN", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(2)).toBe(1 / (1 + exp(-2)));
  });
});
