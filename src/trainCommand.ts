/**
 * `optimlab train FILE [--backend js|wasm] [--dtype f32|f64]`: trains the
 * network spec(s) in FILE ("-" for stdin; one spec or an array) and prints
 * the result(s) as JSON (see the README's "Networks" section). Every spec is
 * validated before any training starts; a bad one exits 2 with one line
 * naming the field.
 */
import type { Backend } from "./backend.js";
import { readJson, toJson, UsageError, type CliDeps, type CliIO } from "./cli.js";
import { check, under } from "./errors.js";
import { normalizeTrainSpec, type TrainResult, type TrainSpec } from "./models/index.js";
import type { BackendName } from "./run.js";

/** The `train` subcommand's body (src/cli.ts parses its flags). */
export async function trainCommand(positional: string[], flags: Record<string, string>, io: CliIO, deps: CliDeps): Promise<number> {
  if (positional.length !== 1) throw new UsageError('train needs exactly one FILE (a JSON training spec or array of specs; "-" reads stdin)');
  const file = positional[0];
  const raw = readJson(file, io);
  const many = Array.isArray(raw);
  if (many && (raw as unknown[]).length === 0) throw new UsageError(`${file}: the array holds no spec`);
  const specs = (many ? (raw as unknown[]) : [raw]).map((s, i) =>
    under(many ? `specs[${i}]` : "spec", () => {
      // Command-line flags override the file, so one file can be trained every way.
      const merged = {
        ...check.object("", s),
        ...(flags.dtype ? { dtype: flags.dtype } : {}),
        ...(flags.backend ? { backend: flags.backend } : {}),
      } as TrainSpec;
      normalizeTrainSpec(merged);
      return merged;
    }),
  );
  const backends = new Map<BackendName, Backend>();
  const results: TrainResult[] = [];
  for (const s of specs) {
    const name = s.backend ?? "js";
    if (!backends.has(name)) backends.set(name, await deps.createBackend(name));
    results.push(backends.get(name)!.train(s));
  }
  io.stdout(toJson(many ? results : results[0]) + "\n");
  return 0;
}
