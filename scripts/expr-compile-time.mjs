// Measures how long compiling a formula of about 200 operations takes (the
// README quotes it; issue 12 asks for under a millisecond). Not a test: run
//   npm run build:ts && node scripts/expr-compile-time.mjs
// Prints the op count and the median and 95th percentile over 2000 compiles
// after 500 warm-up ones, each of a different formula (so nothing is cached).
import { parseFormula } from "../dist/src/expr/index.js";

/** A formula of `terms` distinct terms, each about 4 ops: c·sin(a·x + b·y) or c·(x − a)^2·(y + b). */
function formula(seed, terms) {
  const parts = [];
  for (let k = 0; k < terms; k++) {
    const a = ((seed * 31 + k * 7) % 97) / 10 + 0.1,
      b = ((seed * 17 + k * 13) % 89) / 10 + 0.2,
      c = (k % 9) + 1.5;
    parts.push(k % 2 ? `${c}*sin(${a}*x + ${b}*y)` : `${c}*(x - ${a})^2*(y + ${b})`);
  }
  return parts.join(" + ");
}

const TERMS = 26;
const sample = parseFormula(formula(0, TERMS)).tape(2);
console.log(`formula of ${formula(0, TERMS).length} characters, ${sample[1]} operations on the tape`);
const times = [];
for (let i = 0; i < 2500; i++) {
  const text = formula(i + 1, TERMS);
  const t0 = performance.now();
  parseFormula(text).tape(2);
  const dt = performance.now() - t0;
  if (i >= 500) times.push(dt);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.floor(p * (times.length - 1))];
console.log(`compile: median ${(q(0.5) * 1000).toFixed(0)} µs, p95 ${(q(0.95) * 1000).toFixed(0)} µs, max ${(q(1) * 1000).toFixed(0)} µs`);
