// `npm run docs`: TypeDoc builds the API reference from the TSDoc without warnings (typedoc.json treats
// them as errors), covering the entry points' API.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(__dirname, "..");

it("builds the API reference of every entry point", () => {
  const out = mkdtempSync(join(tmpdir(), "optimlab-docs-"));
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typedoc", "bin", "typedoc"), "--out", out], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
  const modules = readdirSync(join(out, "modules")).sort();
  expect(modules.length).toBe(4);
  const backend = readFileSync(join(out, "interfaces", readdirSync(join(out, "interfaces")).find((f) => /\.Backend\.html$/.test(f))!), "utf8");
  for (const m of ["fromValues", "zeros", "paramFromValues", "paramZeros", "memory", "tidy"]) expect(backend).toContain(`id="${m.toLowerCase()}"`);
}, 120_000);
