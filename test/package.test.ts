// The package as a user installs it: `npm pack` of the built tree (npm test builds first; --ignore-scripts
// so prepack, which runs npm test, does not recurse), installed into a new app from the local npm cache.
// What ships, no native module, `import "optimlab"` running Adam on wasm in Node and in a Vite bundle
// in Chromium, and PNG output asking for its optional packages by name.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsBackend } from "../src/backend.js";
import { cleanup, launch, ROOT, serve } from "./e2e/harness.js";

const work = mkdtempSync(join(tmpdir(), "optimlab-pack-"));
const app = join(work, "app");
let tarball = "";
let files: string[] = [];

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  const out = npm(["pack", "--ignore-scripts", "--silent", "--pack-destination", work], ROOT).trim().split("\n");
  tarball = join(work, out[out.length - 1]);
  files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((f) => f.replace(/^package\//, ""));
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
  // The dependencies are in the npm cache after `npm ci`; the registry is asked only for what is missing.
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], app);
}, 180_000);

afterAll(() => cleanup(work));

/** Every file under a folder (relative paths). */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p, base) : [p.slice(base.length + 1)];
  });
}

/** The reference numbers: Adam on f = 0.2x² + 2y² from (3, 4), 50 f32 steps, on the repository's js backend. */
function reference(): number[] {
  const p = jsBackend.paramFromValues("f32", [3, 4]);
  const opt = jsBackend.createOptimizer("adam", [p], { lr: 0.1 });
  for (let t = 0; t < 50; t++) {
    p.grad[0] = 0.4 * p.data[0];
    p.grad[1] = 4 * p.data[1];
    opt.step();
  }
  return Array.from(p.data);
}

const USE = `
import { createBackend } from "optimlab";
const b = await createBackend("wasm");
const p = b.paramFromValues("f32", [3, 4]);
const opt = b.createOptimizer("adam", [p], { lr: 0.1 });
for (let t = 0; t < 50; t++) {
  p.grad[0] = 0.4 * p.data[0];
  p.grad[1] = 4 * p.data[1];
  opt.step();
}
export const result = { backend: b.name, x: Array.from(p.data) };
`;

describe("the packed package", () => {
  it("ships the built library, the CLI, README and LICENSE, and nothing else", () => {
    expect(files).toContain("dist/bindings/index.js");
    expect(files).toContain("dist/src/index.d.ts");
    expect(files).toContain("bin/optimlab.js");
    expect(files).toContain("LICENSE");
    expect(files).toContain("README.md");
    expect(files.filter((f) => f.startsWith("dist/bench/") || f.startsWith("dist/test/"))).toEqual([]);
    // Source maps would point at sources that are not shipped.
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => !/^(dist\/(src|bindings)\/|bin\/|LICENSE$|README\.md$|package\.json$)/.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(new RegExp(`^${pkg.license} License`));
  });

  it("installs without native modules or the optional PNG packages", () => {
    const nm = join(app, "node_modules");
    const all = walk(nm);
    expect(all.filter((f) => f.endsWith(".node") || f.endsWith("binding.gyp"))).toEqual([]);
    expect(existsSync(join(nm, "@resvg"))).toBe(false);
    expect(existsSync(join(nm, "dejavu-fonts-ttf"))).toBe(false);
    const bytes = all.reduce((n, f) => n + statSync(join(nm, f)).size, 0);
    // Measured: see the README (was 18 MB with the PNG packages as dependencies).
    expect(bytes).toBeLessThan(3_000_000);
  });

  it('runs Adam on the wasm backend through `import "optimlab"` in Node, bit for bit as the reference', () => {
    writeFileSync(join(app, "use.mjs"), USE + "console.log(JSON.stringify(result));\n");
    const r = JSON.parse(execFileSync(process.execPath, ["use.mjs"], { cwd: app, encoding: "utf8" }));
    expect(r.backend).toBe("wasm");
    expect(r.x).toEqual(reference());
    // 50 steps of lr 0.1 toward the minimum at the origin.
    expect(Math.hypot(r.x[0], r.x[1])).toBeLessThan(2);
  });

  it("runs the same in a Vite bundle in Chromium", async () => {
    // A page inside the app: "optimlab" resolves from the app's node_modules, as in a user's project.
    const page = join(app, "page");
    mkdirSync(page);
    writeFileSync(
      join(page, "index.html"),
      '<!doctype html><meta charset="utf-8"><title>app</title><pre id="out"></pre><script type="module" src="./main.js"></script>',
    );
    writeFileSync(
      join(page, "main.js"),
      USE.replace("export const result =", "const result =") + "document.getElementById('out').textContent = JSON.stringify(result);\n",
    );
    const dist = join(work, "page-dist");
    await build({
      configFile: false,
      root: page,
      logLevel: "warn",
      cacheDir: join(work, ".vite"),
      build: { outDir: dist, emptyOutDir: true, target: "es2022" },
    });
    const bundle = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
    expect(bundle.length).toBeGreaterThan(0);
    const { server, url } = await serve(dist);
    const browser = await launch();
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(String(e)));
      await tab.goto(url);
      await tab.waitForFunction(() => document.getElementById("out")!.textContent !== "", undefined, { timeout: 30_000 });
      const r = JSON.parse((await tab.textContent("#out"))!);
      expect(errors).toEqual([]);
      expect(r.backend).toBe("wasm");
      expect(r.x).toEqual(reference());
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);

  it("writes SVG without the optional packages, and asks for them by name for PNG (exit 2, nothing written)", () => {
    const bin = join(app, "node_modules", ".bin", "optimlab");
    const svg = spawnSync(bin, ["compare", "--function", "booth", "--optimizers", "adam:lr=0.1", "--steps", "5", "--out", "c.svg"], {
      cwd: app,
      encoding: "utf8",
    });
    expect(svg.status).toBe(0);
    expect(readFileSync(join(app, "c.svg"), "utf8")).toMatch(/^<svg/);
    const png = spawnSync(bin, ["compare", "--function", "booth", "--optimizers", "adam:lr=0.1", "--steps", "5", "--out", "c.png"], {
      cwd: app,
      encoding: "utf8",
    });
    expect(png.status).toBe(2);
    expect(png.stdout).toBe("");
    expect(png.stderr).toMatch(
      /^optimlab: PNG output \(--out c\.png\) needs @resvg\/resvg-js and dejavu-fonts-ttf, .*npm install @resvg\/resvg-js@2\.6\.2 dejavu-fonts-ttf@2\.37\.3\n$/,
    );
    expect(existsSync(join(app, "c.png"))).toBe(false);
    const version = spawnSync(bin, ["--version"], { cwd: app, encoding: "utf8" });
    expect(version.stdout).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version + "\n");
  });
});
