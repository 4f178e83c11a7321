/**
 * The package's version, read from its package.json (Node only): one level
 * up from src/ when run from source, two from dist/src/ when built.
 */
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version: string };
      if (pkg.name === "optimlab") return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "unknown";
}
