// The CLI as the tests run it: a fresh Node process on bin/optimlab.js.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = join(import.meta.dirname, "..", "bin", "optimlab.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A runner for `optimlab ARGS` in which the argument "FILE" stands for a
 * fresh file (in `dir`, a temporary folder named after `prefix`) holding `input`:
 * a string as is, anything else as JSON. Output is captured up to 256 MiB
 * (the default 1 MiB is less than the every-optimizer runs print).
 */
export function cliRunner(prefix: string): { dir: string; cli: (args: string[], input?: unknown) => CliResult } {
  const dir = mkdtempSync(join(tmpdir(), `optimlab-${prefix}-`));
  let n = 0;
  const cli = (args: string[], input?: unknown): CliResult => {
    const file = join(dir, `spec${n++}.json`);
    if (input !== undefined) writeFileSync(file, typeof input === "string" ? input : JSON.stringify(input));
    const r = spawnSync(process.execPath, [BIN, ...args.map((a) => (a === "FILE" ? file : a))], { encoding: "utf8", maxBuffer: 1 << 28 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, cli };
}
