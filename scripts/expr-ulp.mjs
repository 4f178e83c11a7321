// Measures how far the wasm core's transcendental primitives (AssemblyScript's
// Math) are from V8's, through one-primitive formulas on both backends: the
// largest ULP distance of the value and the share of arguments where they
// differ at all, per primitive and argument range. The README's table and the
// bounds in test/expr-wasm.test.ts come from a run with N = 2000000:
//   npm run build --silent && node scripts/expr-ulp.mjs 2000000
import { createBackend, createFunction } from "../dist/bindings/index.js";

const wasm = await createBackend("wasm");
const dv = new DataView(new ArrayBuffer(8));
const ordered = (v) => {
  dv.setFloat64(0, v);
  const k = dv.getBigInt64(0);
  return k < 0n ? -(k & 0x7fffffffffffffffn) : k;
};
const ulp = (a, b) => {
  if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
};
// A fixed linear congruential generator, so every run measures the same arguments.
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const signed = (span) => (rnd() < 0.5 ? -1 : 1) * Math.exp((rnd() * 2 - 1) * span);
const ranges = {
  trig: () => [(rnd() * 2 - 1) * 1e3, 0],
  mid: () => [rnd() * 20 - 10, 0],
  unit: () => [rnd() * 2 - 1, 0],
  wide: () => [signed(20), 0],
  pos: () => [Math.exp((rnd() * 2 - 1) * 30), 0],
  big: () => [rnd() * 1400 - 700, 0],
  pair: () => [signed(20), signed(20)],
  powArgs: () => [Math.exp((rnd() * 2 - 1) * 30), rnd() * 20 - 10],
};
const cases = [
  ["sin(x)", "trig", "mid"],
  ["cos(x)", "trig", "mid"],
  ["tan(x)", "trig", "mid"],
  ["asin(x)", "unit"],
  ["acos(x)", "unit"],
  ["atan(x)", "wide"],
  ["sinh(x)", "mid", "big"],
  ["cosh(x)", "mid", "big"],
  ["tanh(x)", "mid", "unit"],
  ["exp(x)", "mid", "big"],
  ["log(x)", "pos"],
  ["log2(x)", "pos"],
  ["log10(x)", "pos"],
  ["cbrt(x)", "wide"],
  ["pow(x, y)", "powArgs"],
  ["atan2(x, y)", "pair"],
  ["hypot(x, y)", "pair"],
];
const N = Number(process.argv[2] ?? 200000);
for (const [expr, ...use] of cases) {
  const r = createFunction({ expr }),
    w = wasm.createFunction({ expr });
  for (const name of use) {
    let worst = 0,
      differ = 0;
    for (let k = 0; k < N; k++) {
      const p = ranges[name]();
      const u = ulp(r.value(p), w.value(p));
      if (u > 0) differ++;
      if (u > worst) worst = u;
    }
    console.log(`${expr.padEnd(12)} ${name.padEnd(8)} max ${worst} ULP, ${((100 * differ) / N).toFixed(2)}% differ (${N} arguments)`);
  }
}
