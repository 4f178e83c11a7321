/**
 * The package's version, read from its package.json (Node only): one level
 * up from src/ when run from source, two from dist/src/ when built.
 */
import { readFileSync } from "node:fs";

interface PackageJson {
  name?: string;
  version: string;
  peerDependencies?: Record<string, string>;
}

function packageJson(): PackageJson | undefined {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as PackageJson;
      if (pkg.name === "optimlab") return pkg;
    } catch {
      // try the next location
    }
  }
  return undefined;
}

export function packageVersion(): string {
  return packageJson()?.version ?? "unknown";
}

/** `name@version` of an optional peer dependency as package.json pins it (the name alone if unknown). */
export function peerSpec(name: string): string {
  const v = packageJson()?.peerDependencies?.[name];
  return v ? `${name}@${v}` : name;
}
