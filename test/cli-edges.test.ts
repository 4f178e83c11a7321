// The CLI as people expect it: --version, --help on every subcommand, batched runs with unchanged
// output, plot paths relative to the spec, output problems as exit 2 with nothing half-written, and
// figures whose runs can be told apart.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GifReader } from "omggif";
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { main, type CliIO } from "../src/cli.js";
import type { Backend } from "../src/backend.js";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "optimlab.js");
const dir = mkdtempSync(join(tmpdir(), "optimlab-cli-edges-"));
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
const SUBCOMMANDS = ["run", "report", "compare", "plot", "table", "sweep", "merge", "tune"];

function cli(args: string[], o: { cwd?: string; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: o.cwd ?? dir, timeout: o.timeout ?? 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

function json(name: string, v: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
}

describe("--version and --help", () => {
  it("--version and -v print the package's version", () => {
    for (const flag of ["--version", "-v"]) expect(cli([flag])).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("--help, -h and help list every subcommand", () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      for (const c of SUBCOMMANDS) expect(r.stdout).toMatch(new RegExp(`\\n  ${c} +\\S`));
    }
  });

  for (const c of SUBCOMMANDS) {
    it(`${c} --help and ${c} -h print its usage, options and an example, and read no file`, () => {
      for (const flag of ["--help", "-h"]) {
        const r = cli([c, flag]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: optimlab ${c}\\b`));
        expect(r.stdout).toMatch(/\noptions:\n {2}\S/);
        expect(r.stdout).toMatch(new RegExp(`\\nexample:\\n {2}optimlab ${c}\\b`));
      }
      expect(cli(["help", c]).stdout).toBe(cli([c, "-h"]).stdout);
    });
  }

  it("an unknown dash option is refused, not read as a file name", () => {
    const r = cli(["run", "-x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("optimlab: unknown option -x; allowed: --backend, --dtype, --help\n");
  });
});

describe("run FILE with an array", () => {
  const specs = [
    { function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, x0: [-1.2, 1], steps: 200 },
    { function: "rosenbrock", optimizer: { name: "adam", lr: 0.02 }, x0: [-1, 1.5], steps: 200 },
    { function: "rastrigin", optimizer: { name: "momentum", lr: 0.001 }, x0: [0.3, -0.2, 1.1], steps: 50, dtype: "f64" },
    { function: "booth", optimizer: { name: "sgd", lr: 0.05 }, scheduler: { name: "reduceLROnPlateau", patience: 2 }, x0: [0, 0], steps: 40, record: "loss" },
    { function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, x0: [0.5, 0.5], steps: 200, tol: 1e-9, patience: 3 },
    { function: "beale", optimizer: { name: "rmsprop" }, steps: 30, record: "final", backend: "js" },
  ];

  for (const backend of ["js", "wasm"]) {
    it(`--backend ${backend}: the same bytes as running each spec alone`, () => {
      const all = cli(["run", json(`all-${backend}.json`, specs), "--backend", backend]);
      expect(all.stderr).toBe("");
      expect(all.code).toBe(0);
      const alone = specs.map((s, i) => cli(["run", json(`one-${backend}-${i}.json`, s), "--backend", backend]).stdout.trimEnd());
      expect(all.stdout).toBe(`[${alone.join(",")}]\n`);
    });
  }

  it("calls runMany once per backend, in the file's order", async () => {
    const real = await createBackend("wasm");
    const calls: string[] = [];
    const spy = (b: Backend): Backend => ({
      ...b,
      run: (s) => (calls.push("run"), b.run(s)),
      runMany: (s) => (calls.push(`runMany ${b.name} ${s.length}`), b.runMany(s)),
    });
    const out: string[] = [];
    const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readFile: (p) => readFileSync(p, "utf8") };
    const mixed = specs.map((s, i) => ({ ...s, backend: i % 2 ? "js" : "wasm" }));
    const code = await main(["run", json("mixed.json", mixed)], io, { createBackend: async (k) => spy(k === "wasm" ? real : await createBackend("js")) });
    expect(code).toBe(0);
    expect(calls).toEqual(["runMany wasm 3", "runMany js 3"]);
    const results = JSON.parse(out.join(""));
    expect(results).toHaveLength(specs.length);
    // Results in the file's order: the 3-D rastrigin run is third.
    expect(results[2].x[0]).toHaveLength(3);
  });
});

describe("plot", () => {
  it("writes `out` relative to the spec file, wherever it is run from", () => {
    const sub = join(dir, "specs", "deep");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, "cmp.json"), JSON.stringify({ function: "booth", optimizers: [{ name: "adam", lr: 0.1 }], steps: 5, out: "fig.svg" }));
    const r = cli(["plot", join("specs", "deep", "cmp.json")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(sub, "fig.svg"))).toBe(true);
    expect(existsSync(join(dir, "fig.svg"))).toBe(false);
    expect(r.stdout).toContain(join(sub, "fig.svg"));
  });
});

describe("output problems: exit 2, one line naming the option, nothing written", () => {
  const listing = (d: string) => readdirSync(d).sort();
  const cases: [string, () => string[], RegExp][] = [
    [
      "report --out EXISTING_FILE",
      () => (writeFileSync(join(dir, "a-file"), "x"), ["report", "--out", join(dir, "a-file")]),
      /^optimlab: --out: .*a-file exists and is not a folder\n$/,
    ],
    [
      "report --out /proc/x (Node's recursive mkdir loops there)",
      () => ["report", "--out", "/proc/x"],
      /^optimlab: --out: cannot write \/proc\/x: cannot create files in \/proc: .*\n$/,
    ],
    [
      "report --out in a missing folder",
      () => ["report", "--out", join(dir, "missing", "out")],
      /^optimlab: --out: cannot write .*missing\/out: its folder .*missing does not exist\n$/,
    ],
    [
      "compare --out /nonexistent/dir/x.png",
      () => ["compare", "--function", "booth", "--optimizers", "sgd", "--out", "/nonexistent/dir/x.png"],
      /^optimlab: --out: cannot write \/nonexistent\/dir\/x\.png: its folder \/nonexistent\/dir does not exist\n$/,
    ],
    [
      "compare --out in a folder that takes no files",
      () => ["compare", "--function", "booth", "--optimizers", "sgd", "--out", "/sys/x.svg"],
      /^optimlab: --out: cannot write \/sys\/x\.svg: cannot create files in \/sys: .*\n$/,
    ],
    [
      "compare --out a folder",
      () => (mkdirSync(join(dir, "fold.svg"), { recursive: true }), ["compare", "--function", "booth", "--optimizers", "sgd", "--out", join(dir, "fold.svg")]),
      /^optimlab: --out: .*fold\.svg is a folder; give a file name\n$/,
    ],
    [
      "plot's out in a missing folder names the field out",
      () => ["plot", json("p.json", { function: "booth", optimizers: [{ name: "sgd" }], steps: 2, out: "nowhere/x.svg" })],
      /^optimlab: out: cannot write .*nowhere\/x\.svg: its folder .*nowhere does not exist\n$/,
    ],
  ];
  for (const [label, args, re] of cases) {
    it(label, () => {
      const a = args();
      const before = listing(dir);
      const t0 = performance.now();
      const r = cli(a, { timeout: 20_000 });
      expect(r.signal).toBe(null);
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(re);
      expect(listing(dir)).toEqual(before);
    });
  }

  it.runIf(process.getuid?.() !== 0)("compare --out in a read-only folder (not root)", () => {
    const ro = join(dir, "ro");
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const r = cli(["compare", "--function", "booth", "--optimizers", "sgd", "--out", join(ro, "x.svg")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^optimlab: --out: cannot write .*: permission denied \(EACCES\)\n$/);
    expect(readdirSync(ro)).toEqual([]);
  });

  it("a successful write replaces the file and leaves no temporary file", () => {
    const out = join(dir, "ok", "c.svg");
    mkdirSync(join(dir, "ok"));
    writeFileSync(out, "old");
    const r = cli(["compare", "--function", "booth", "--optimizers", "sgd", "--steps", "3", "--out", out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<svg/);
    expect(readdirSync(join(dir, "ok"))).toEqual(["c.svg"]);
  });
});

/** Stroke colours and dash patterns of the trajectory lines of an SVG, in order. */
function lineStyles(svg: string): string[] {
  return [...svg.matchAll(/<path [^>]*class="trajectory-line"[^>]*>/g)].map((m) => {
    const stroke = /stroke="([^"]+)"/.exec(m[0])![1];
    const dash = /stroke-dasharray="([^"]+)"/.exec(m[0])?.[1] ?? "solid";
    return `${stroke} ${dash}`;
  });
}

describe("compare and plot tell runs apart", () => {
  it("every run of a figure gets its own colour, then dashes; legends say the options that differ", () => {
    const out = join(dir, "lrs.svg");
    expect(
      cli([
        "compare",
        "--function",
        "booth",
        "--optimizers",
        "adam:lr=0.1:betas=0.9/0.99,adam:lr=0.01:betas=0.9/0.99,adam:lr=0.001:betas=0.9/0.99",
        "--steps",
        "20",
        "--out",
        out,
      ]).code,
    ).toBe(0);
    const svg = readFileSync(out, "utf8");
    const styles = [...new Set(lineStyles(svg))];
    expect(styles).toHaveLength(3);
    for (const l of ["adam lr=0.1", "adam lr=0.01", "adam lr=0.001"]) expect(svg).toContain(`>${l}<`);
    // The shared option is said once, in the title, not in every legend entry.
    expect(svg).toContain("all: betas=0.9/0.99");
    expect(svg).not.toContain("adam lr=0.1 betas");
    // Momentum and RAdam, Adam and NAdam: not the same colour any more.
    const ten = Array.from({ length: 10 }, (_v, i) => `sgd:lr=${(i + 1) / 1000}`).join(",");
    const many = join(dir, "ten.svg");
    expect(cli(["compare", "--function", "booth", "--optimizers", ten, "--steps", "5", "--out", many]).code).toBe(0);
    const tenStyles = [...new Set(lineStyles(readFileSync(many, "utf8")))];
    expect(tenStyles).toHaveLength(10);
    // Okabe–Ito's eight first (solid), then dashed.
    expect(tenStyles.slice(0, 8).every((s) => s.endsWith(" solid"))).toBe(true);
    expect(new Set(tenStyles.slice(0, 8).map((s) => s.split(" ")[0])).size).toBe(8);
    expect(tenStyles.slice(8).every((s) => !s.endsWith(" solid"))).toBe(true);
  });

  it("plot takes a color beside the label, and refuses anything but a colour", () => {
    const out = join(dir, "col.svg");
    const r = cli([
      "plot",
      json("col.json", {
        function: "booth",
        optimizers: [
          { name: "adam", lr: 0.1, label: "mine", color: "#123456" },
          { name: "sgd", lr: 0.01 },
        ],
        steps: 5,
        out,
      }),
    ]);
    expect(r.code).toBe(0);
    const styles = lineStyles(readFileSync(out, "utf8"));
    expect(styles[0]).toBe("#123456 solid");
    expect(styles[1]).not.toContain("#123456");
    const bad = cli(["plot", json("badcol.json", { function: "booth", optimizers: [{ name: "adam", color: '"/><script>' }], steps: 5, out })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^optimlab: optimizers\[0\]\.color: must be a colour such as "#0072B2" or "teal"/);
  });

  it("titles carry the function's non-default parameters", () => {
    const out = join(dir, "b10.svg");
    expect(cli(["compare", "--function", "rosenbrock:b=10", "--optimizers", "adam", "--steps", "5", "--out", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(">rosenbrock (b = 10) from (−1.2, 1), 5 steps<");
    const plain = join(dir, "b100.svg");
    expect(cli(["compare", "--function", "rosenbrock", "--optimizers", "adam", "--steps", "5", "--out", plain]).code).toBe(0);
    expect(readFileSync(plain, "utf8")).toContain(">rosenbrock from (−1.2, 1), 5 steps<");
  });

  it("a path that leaves the window and then diverges says both", () => {
    // x ← x − 1.5·2x = −2x: out of the window at once, f = x² overflows near step 510 while x is still finite.
    const out = join(dir, "away.svg");
    const r = cli(["compare", "--function", "quadratic:weights=1/1", "--optimizers", "sgd:lr=1.5", "--steps", "600", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sgd: \d+ steps, final loss Infinity \(diverged\)/);
    expect(readFileSync(out, "utf8")).toMatch(/>sgd lr=1\.5 \(left the plot\) \(diverged: Infinity at step \d+\)</);
  });

  it("the 60-frame GIF of a long race is small (≤ 1.5 MB) and decodes to 60 frames", () => {
    const out = join(dir, "race.gif");
    const r = cli([
      "compare",
      "--function",
      "rosenbrock",
      "--optimizers",
      "sgd:lr=0.001,momentum:lr=0.001,rmsprop:lr=0.01,adam:lr=0.05,adagrad:lr=0.5",
      "--steps",
      "2000",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const bytes = statSync(out).size;
    expect(bytes).toBeLessThanOrEqual(1.5e6);
    const gif = new GifReader(readFileSync(out));
    expect(gif.numFrames()).toBe(60);
  });
});
