// `npm run bench -- --quick` in CI: every benchmark section runs and reports
// what it claims to measure. Speed is never asserted here.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isClosureDef, optimizerNames, resolveOptimizer } from "../src/optim/index.js";

describe("bench --quick", () => {
  it("runs every section and writes the JSON", () => {
    const file = join(mkdtempSync(join(tmpdir(), "optimlab-bench-")), "bench.json");
    const out = execFileSync(process.execPath, [join(__dirname, "..", "dist", "bench", "index.js"), "--quick", "--json", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const heading of [
      "Memory-bandwidth ceiling",
      "Optimizer step",
      "Grid evaluation",
      "Batched 2-D runs",
      "Per-call overhead",
      "Network training step",
      "Sweeps and tuning",
    ])
      expect(out).toContain(heading);
    const { machine, rows } = JSON.parse(readFileSync(file, "utf8"));
    expect(machine.cores).toBeGreaterThan(0);
    const sections = new Set(rows.map((r: { section: string }) => r.section));
    expect([...sections].sort()).toEqual(["bandwidth", "batched", "cli", "compile", "e2e", "grid", "network", "overhead", "plan", "step", "sweep"]);
    const sweepImpls = new Set(
      rows.filter((r: { section: string }) => r.section === "sweep").map((r: { impl: string }) => r.impl.replace(/-\d+$/, "-N").replace(/ \(.*\)$/, "")),
    );
    expect([...sweepImpls].sort()).toEqual(["command-N", "pool-N", "reference", "wasm-N"]);
    const impls = new Set(rows.filter((r: { section: string }) => r.section === "step").map((r: { impl: string }) => r.impl));
    expect([...impls].sort()).toEqual(["reference", "tfjs-cpu", "tfjs-wasm", "wasm"]);
    for (const r of rows) {
      expect(r.seconds, `${r.section} ${r.case} ${r.impl}`).toBeGreaterThan(0);
      expect(Number.isFinite(r.perSecond)).toBe(true);
    }
    // every element-wise optimizer, both dtypes, both backends
    const stepCases = new Set(
      rows
        .filter((r: { section: string; impl: string }) => r.section === "step" && r.impl === "wasm")
        .map((r: { case: string; dtype: string }) => `${r.case} ${r.dtype}`),
    );
    expect(stepCases.size).toBe(2 * optimizerNames.filter((n) => !isClosureDef(resolveOptimizer(n).def)).length);
    // both network cases on all four implementations
    const nets = rows.filter((r: { section: string }) => r.section === "network").map((r: { case: string; impl: string }) => `${r.case} ${r.impl}`);
    expect(nets.sort()).toEqual(
      ["2-64-64-1 tanh bce, batch 256", "784-128-10 relu ce, batch 64"]
        .flatMap((c) => ["reference", "tfjs-cpu", "tfjs-wasm", "wasm"].map((i) => `${c} ${i}`))
        .sort(),
    );
  }, 120_000);
});
