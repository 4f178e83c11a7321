// The README's benchmark tables from a `npm run bench -- --json FILE` run:
//   node scripts/bench-table.mjs FILE
// Prints Markdown: the optimizer summary (n = 1e5 in cache, n = 1e7 against
// the triad ceiling with write-allocate, PyTorch's CPU optimizers where the run
// had torch), grids, batched runs, overhead, the end-to-end and CLI sections,
// the plan costs and the network training steps.
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/bench-table.mjs BENCH.json");
  process.exit(2);
}
const { machine, rows } = JSON.parse(readFileSync(file, "utf8"));
const find = (section, c, impl, n, dtype) =>
  rows.find((r) => r.section === section && r.case === c && r.impl === impl && r.n === n && (dtype === undefined || r.dtype === dtype));
const g = (x) => `${(x / 1e9).toFixed(2)} G`;
const ratio = (a, b, digits = 1) => (a && b ? `${(a.seconds / b.seconds).toFixed(digits)}×` : "—");

const triad = find("bandwidth", "triad", "wasm", 1e7);
console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date.slice(0, 10)}.`);
// A run of some sections (--only network) has no triad: its own tables only.
if (triad) {
  const ceiling = triad.gbPerSecondWithAllocate;
  console.log(
    `Triad at n = 1e7: ${triad.gbPerSecond.toFixed(1)} GB/s by STREAM's count (12 B/element), ${ceiling.toFixed(1)} GB/s with the write-allocate read (16 B/element): the ceiling below.\n`,
  );
  const T = machine.torchThreads;
  console.log(
    `| optimizer | f32, n = 1e5 (elements/s) | × reference | × TF.js-wasm | × TF.js-cpu | × torch, 1 thread | × torch, ${T ?? "all"} threads | f64, n = 1e5: × reference | f32, n = 1e7 (elements/s) | GB/s | of the ceiling |`,
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  // The optimizers of the run, in its order (the registry's): no list kept here.
  const names = [...new Set(rows.filter((r) => r.section === "step" && r.impl === "wasm").map((r) => r.case))];
  for (const o of names) {
    const w5 = find("step", o, "wasm", 1e5, "f32");
    const w64 = find("step", o, "wasm", 1e5, "f64");
    const w7 = find("step", o, "wasm", 1e7, "f32");
    console.log(
      `| ${o} | ${g(w5.perSecond)} | ${ratio(find("step", o, "reference", 1e5, "f32"), w5)} | ${ratio(find("step", o, "tfjs-wasm", 1e5, "f32"), w5)} | ${ratio(find("step", o, "tfjs-cpu", 1e5, "f32"), w5, 0)} | ${ratio(find("step", o, "torch-1t", 1e5, "f32"), w5)} | ${T && T !== 1 ? ratio(find("step", o, `torch-${T}t`, 1e5, "f32"), w5) : "—"} | ${ratio(find("step", o, "reference", 1e5, "f64"), w64)} | ${g(w7.perSecond)} | ${w7.gbPerSecond.toFixed(1)} | ${((100 * w7.gbPerSecond) / ceiling).toFixed(0)}% |`,
    );
  }
  console.log("\n| grid 1000 × 1000 | wasm (points/s) | reference | × reference |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const r of rows.filter((x) => x.section === "grid" && x.impl === "wasm")) {
    const ref = find("grid", r.case, "reference", r.n);
    console.log(`| ${r.case} | ${(r.perSecond / 1e6).toFixed(0)} M | ${(ref.perSecond / 1e6).toFixed(0)} M | ${ratio(ref, r)} |`);
  }
  for (const r of rows.filter((x) => (x.section === "batched" || x.section === "overhead") && x.impl === "wasm")) {
    const ref = find(r.section, r.case, "reference", r.n);
    const per = (x) => (r.section === "overhead" ? `${(x.seconds * 1e9).toFixed(0)} ns per call` : `${(x.perSecond / 1e6).toFixed(1)} M run-steps/s`);
    console.log(`\n${r.case}: wasm ${per(r)}, reference ${per(ref)} (${ratio(ref, r)}).`);
  }
}

const e2e = rows.filter((x) => (x.section === "e2e" || x.section === "cli") && x.impl === "wasm");
if (e2e.length) {
  console.log("\n| end to end | size | wasm | reference | × reference |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of e2e) {
    const ref = find(r.section, r.case, "reference", r.n, r.dtype);
    const per = (x) =>
      r.section === "cli"
        ? `${x.seconds.toFixed(2)} s`
        : r.case.includes("race")
          ? `${(x.perSecond / 1e6).toFixed(2)} M run-steps/s`
          : `${(x.perSecond / 1e6).toFixed(0)} M elements/s`;
    console.log(
      `| ${r.case}${r.section === "cli" ? " (whole process)" : ""} | ${r.dtype ?? ""} ${r.n} | ${per(r)} | ${ref ? per(ref) : "—"} | ${ratio(ref, r, 2)} |`,
    );
  }
}
const plans = rows.filter((x) => x.section === "plan");
if (plans.length) {
  console.log(`\n| coefficient plan, ${plans[0].n} Adam steps | ns per step |`);
  console.log("| --- | ---: |");
  for (const r of plans) console.log(`| ${r.case} | ${(r.seconds * 1e9).toFixed(0)} |`);
}
const compile = rows.find((x) => x.section === "compile");
if (compile) console.log(`\nCompiling ${compile.case}: ${(compile.seconds * 1e6).toFixed(0)} µs.`);
if (machine.torch) console.log(`\nPyTorch: ${machine.torch}.`);
const nets = rows.filter((x) => x.section === "network" && x.impl === "wasm");
if (nets.length) {
  console.log("\n| training step (forward + backward + Adam, f32) | wasm | reference | TF.js-wasm | TF.js-cpu | × reference | × TF.js-wasm | × TF.js-cpu |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const us = (x) => (x ? `${(x.seconds * 1e6).toFixed(0)} µs` : "—");
  for (const r of nets) {
    const o = (impl) => find("network", r.case, impl, r.n);
    console.log(
      `| ${r.case} | ${us(r)} | ${us(o("reference"))} | ${us(o("tfjs-wasm"))} | ${us(o("tfjs-cpu"))} | ${ratio(o("reference"), r)} | ${ratio(o("tfjs-wasm"), r)} | ${ratio(o("tfjs-cpu"), r)} |`,
    );
  }
}
