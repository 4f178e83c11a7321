// Random formulas for the formula-language suites (fast-check arbitraries of text).
import fc from "fast-check";
import { expect } from "vitest";
import type { FunctionSpec } from "../src/functions/index.js";
import type { RunSpec } from "../src/run.js";

const num = fc.oneof(
  fc.integer({ min: -9, max: 9 }).map(String),
  fc.double({ min: 0.01, max: 9, noNaN: true }).map((v) => String(+v.toPrecision(3))),
);

/**
 * Smooth formulas in x and y whose derivatives stay moderate on [−1.5, 1.5]²
 * (bounded arguments for exp, denominators ≥ 1, logs of ≥ 1), for finite
 * differences to check the exact gradient against.
 */
export const smoothFormula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("x", "y", "x", "y", "1", "0.5", "pi"),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a}) * (${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a}) / (1 + (${b})^2)`),
    fc.tuple(num, tie("f")).map(([c, a]) => `${c}*(${a})`),
    tie("f").map((a) => `sin(${a})`),
    tie("f").map((a) => `cos(${a})`),
    tie("f").map((a) => `exp(sin(${a}))`),
    tie("f").map((a) => `log(1 + (${a})^2)`),
    tie("f").map((a) => `tanh(${a})`),
    tie("f").map((a) => `atan(${a})`),
    tie("f").map((a) => `sqrt(1 + (${a})^2)`),
    tie("f").map((a) => `hypot(${a}, 1)`),
    tie("f").map((a) => `(${a})^2`),
    tie("f").map((a) => `(${a})^3`),
    tie("f").map((a) => `(1 + (${a})^2)^-1`),
    tie("f").map((a) => `(2 + sin(${a}))^1.5`),
    tie("f").map((a) => `pow(2, sin(${a}))`),
    tie("f").map((a) => `cbrt(2 + cos(${a}))`),
    tie("f").map((a) => `asin(sin(${a})/2)`),
  ),
})).f;

/** Formulas of IEEE-exact operations only (+ − × ÷, sqrt, abs, sign, min, max, integer powers): bit-identical on both backends. */
export const exactFormula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("x", "y", "x", "y"),
    num,
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `${a} * ${b}`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `${a} / (${b})`),
    tie("f").map((a) => `-(${a})`),
    tie("f").map((a) => `sqrt(abs(${a}))`),
    tie("f").map((a) => `abs(${a})`),
    tie("f").map((a) => `sign(${a})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `min(${a}, ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `max(${a}, ${b})`),
    fc.tuple(tie("f"), fc.integer({ min: -7, max: 9 })).map(([a, n]) => `(${a})^${n}`),
    fc.tuple(tie("f"), fc.integer({ min: -4, max: 6 })).map(([a, n]) => `pow(${a}, ${n})`),
  ),
})).f;

/** Text that may or may not be a formula: formula tokens, names and stray characters in any order. */
export const mangledText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        "x",
        "y",
        "x1",
        "x2",
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        "^",
        "**",
        ",",
        "1",
        "2.5",
        "1e3",
        "e",
        "pi",
        "sin",
        "atan2",
        "min",
        "pow",
        "__proto__",
        "constructor",
        "toString",
        " ",
        "$",
        "×",
        "²",
        "1e999",
        "x0",
        ".",
        "\n",
      ),
      { maxLength: 40 },
    )
    .map((t) => t.join("")),
);

/** Built-ins and the same functions as formulas (typed from their definitions in src/functions/). */
export const RESTATED: [FunctionSpec, string, number[]][] = [
  ["rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2", [-1.2, 1]],
  ["himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", [0, 0]],
  ["beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2", [1, 1]],
  ["booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2", [0, 0]],
  ["matyas", "0.26*(x^2 + y^2) - 0.48*x*y", [8, 6]],
  ["threeHumpCamel", "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2", [1.5, 1.5]],
  ["sixHumpCamel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2", [0.5, 1]],
  [{ name: "quadratic", weights: [0.2, 2] }, "0.2*x^2 + 2*y^2", [3, 4]],
  [{ name: "rosenbrock" }, "(1 - x1)^2 + 100*(x2 - x1^2)^2 + (1 - x2)^2 + 100*(x3 - x2^2)^2", [-1, 1.5, 0.5]],
  ["styblinskiTang", "(x1^4 - 16*x1^2 + 5*x1 + x2^4 - 16*x2^2 + 5*x2 + x3^4 - 16*x3^2 + 5*x3)/2", [4, -1, 4]],
  ["mccormick", "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1", [-1, 3]],
  [{ name: "rastrigin" }, "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", [-0.2, 0.35]],
];

/** Non-chaotic runs: small steps that settle into one basin. */
export const RESTATED_OPTIMIZERS: RunSpec["optimizer"][] = [
  { name: "adam", lr: 0.01 },
  { name: "sgd", lr: 1e-4, momentum: 0.9 },
  { name: "rmsprop", lr: 1e-3 },
  { name: "adagrad", lr: 0.05 },
];

/**
 * The largest gap between two runs: max over the steps of ‖a − b‖∞ / ‖b‖∞
 * (points), and of |Δloss| / the largest |loss| of the run (a loss that
 * falls to 0 by cancellation, as Rastrigin's 20 − 20, has no relative error
 * of its own).
 */
export function trajectoryGap(a: { x: number[][]; loss: number[] }, b: { x: number[][]; loss: number[] }): number {
  expect(a.x.length).toBe(b.x.length);
  let worst = 0;
  const lossScale = Math.max(...b.loss.map(Math.abs), 1e-300);
  for (let t = 0; t < b.x.length; t++) {
    const norm = Math.max(...b.x[t].map(Math.abs), 1e-300);
    worst = Math.max(worst, Math.max(...b.x[t].map((v, k) => Math.abs(a.x[t][k] - v))) / norm);
    worst = Math.max(worst, Math.abs(a.loss[t] - b.loss[t]) / lossScale);
  }
  return worst;
}
