// `optimlab report` (what `npm start` runs): every figure is produced and
// valid — parsable SVG, PNG of the stated size, GIF with its frames — and the
// page links every one of them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { GifReader } from "omggif";
import { beforeAll, describe, expect, it } from "vitest";
import { log } from "../src/models/math.js";

/** log10 as the tuner computes it (the library's pure-arithmetic log over ln 10). */
const log10 = (x: number) => log(x) / Math.LN10;
import { optimizerNames } from "../src/optim/index.js";
import { run } from "../src/run.js";

const BIN = join(__dirname, "..", "bin", "optimlab.js");
const out = mkdtempSync(join(tmpdir(), "optimlab-report-"));
let files: string[] = [];
let stdout = "";

beforeAll(() => {
  stdout = execFileSync(process.execPath, [BIN, "report", "--out", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  files = readdirSync(out);
}, 120_000);

function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(b.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg\b[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  expect(m, "root <svg> with width and height").not.toBeNull();
  return { width: Number(m![1]), height: Number(m![2]) };
}

describe("the report", () => {
  it("writes every experiment's figures", () => {
    const stems = files.filter((f) => f.endsWith(".svg")).map((f) => f.replace(/\.svg$/, ""));
    for (const prefix of [
      "e1-",
      "e2-",
      "e3-",
      "e4-cubic",
      "e4-bowl",
      "e4-saddle",
      "e5-",
      "e6-",
      "e8-",
      "e9-",
      "e10-",
      "nn-moons-loss",
      "nn-moons-boundaries",
      "nn-spirals-loss",
      "nn-spirals-boundaries",
      "e12-rosenbrock",
      "e12-beale",
      "e12-himmelblau",
      "e12-sixHumpCamel",
      "e12-rastrigin",
      "e12-styblinskiTang-10d",
    ]) {
      expect(
        stems.some((s) => s.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    expect(stems).toContain("e1-overlay");
    expect(stems).toContain("e3-bowl-2x2");
    expect(files).toEqual(expect.arrayContaining(["e4-cubic.gif", "e4-bowl.gif", "e4-saddle.gif", "index.html", "results.json"]));
    expect(stdout).toMatch(/^optimlab: wrote \d+ files/);
  });

  it("every SVG parses and has a PNG of its size", () => {
    const svgs = files.filter((f) => f.endsWith(".svg"));
    expect(svgs.length).toBeGreaterThanOrEqual(20);
    for (const f of svgs) {
      const svg = readFileSync(join(out, f), "utf8");
      expect(XMLValidator.validate(svg), f).toBe(true);
      expect(svg, f).toContain('font-family="DejaVu Sans"');
      const size = svgSize(svg);
      const png = pngSize(readFileSync(join(out, f.replace(/\.svg$/, ".png"))));
      expect(png.width, f).toBe(Math.round(size.width));
      expect(png.height, f).toBe(Math.round(size.height));
    }
  });

  it("every GIF decodes with its frames", () => {
    for (const f of files.filter((x) => x.endsWith(".gif"))) {
      const r = new GifReader(readFileSync(join(out, f)));
      expect(r.numFrames(), f).toBe(48);
      expect(r.width).toBeGreaterThan(300);
      expect(r.loopCount()).toBe(0); // loops forever
    }
  });

  it("the page shows every experiment and links every figure", () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    for (let n = 1; n <= 11; n++) expect(html).toMatch(new RegExp(`<h2>${n}\\. `));
    for (const f of files.filter((x) => x.endsWith(".png"))) expect(html, f).toContain(`src="${f}"`);
    for (const f of files.filter((x) => x.endsWith(".gif"))) expect(html, f).toContain(`src="${f}"`);
    // the readings are computed from the runs
    expect(html).toMatch(/Fastest to get within 0\.001 of the minimum's value: /);
    expect(html).toMatch(/diverges: the loss becomes -Infinity at step \d+/i);
    expect(html).toMatch(/overshoots \(crosses the minimum's coordinate: x₁ \d+×\)/); // the cubic's coordinates are x₀, x₁
    expect(html).toMatch(/Order of escape from the plotted window: /);
    // experiment 5 and 7 numbers are shown next to the notes'
    expect(html).toContain("0.7513650696");
    expect(html).toContain("0.9711");
    // the networks section has a row for every optimizer of the registry, on both problems
    const nets = html.slice(html.indexOf('<section id="networks">'));
    for (const name of optimizerNames) expect(nets.match(new RegExp(`<tr><td>${name}</td>`, "g"))?.length, name).toBe(2);
  });

  it("the fair ranking tunes every optimizer of the registry on six functions, and its numbers are the runs'", () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toMatch(/<h2>12\. A fair ranking/);
    expect(html).toMatch(/Settings: 6 functions × \d+ optimizers .* runs of 500 steps.* from 5 starts .*seed 1.*Tuned in [\d.]+ s on \d+ workers?\./s);
    const r = JSON.parse(readFileSync(join(out, "results.json"), "utf8")).fairRanking;
    expect(r.optimizers).toEqual([...optimizerNames]);
    expect(r.functions.map((f: { label: string }) => f.label)).toEqual([
      "rosenbrock",
      "beale",
      "himmelblau",
      "sixHumpCamel",
      "rastrigin",
      "styblinskiTang (10-D)",
    ]);
    for (const f of r.functions) {
      expect(f.starts).toHaveLength(5);
      for (const obj of ["auc", "final"]) {
        expect(f[obj].map((t: { optimizer: string }) => t.optimizer)).toEqual([...optimizerNames]);
        for (const t of f[obj]) expect(t.lr >= 1e-5 && t.lr <= 10, `${f.label} ${t.optimizer} lr ${t.lr}`).toBe(true);
      }
    }
    // Adam's tuned auc on rosenbrock, recomputed from reference runs at its lr from the same starts (polynomial: both backends agree bit for bit).
    const rosen = r.functions[0];
    const adam = rosen.auc.find((t: { optimizer: string }) => t.optimizer === "adam");
    const per = rosen.starts.map((x0: number[]) => {
      const res = run({ function: "rosenbrock", optimizer: { name: "adam", lr: adam.lr }, x0, steps: 500, dtype: "f64" });
      if (res.stopReason === "diverged") return Infinity;
      let sum = 0;
      for (let t = 1; t <= 500; t++) sum += log10(Math.max(res.loss[Math.min(t, res.loss.length - 1)], 0) + 1e-16);
      return sum / 500;
    });
    const sorted = [...per].sort((a, b) => a - b);
    expect(adam.objective).toBe(sorted[2]);
    expect(adam.spread).toEqual([sorted[0], sorted[4]]);
  });

  it("results.json keeps non-finite numbers as strings", () => {
    const r = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const cubic = r.surfaceComparisons.panels[0];
    const momentum = cubic.runs.find((x: { optimizer: string }) => x.optimizer === "momentum");
    expect(momentum.result.stopReason).toBe("diverged");
    expect(momentum.result.loss.at(-1)).toBe("-Infinity");
    // the networks section keeps its histories, not its boundary grids
    const moons = r.networks.problems[0];
    expect(moons.runs[0].epochLoss).toHaveLength(moons.problem.epochs);
    expect(moons.runs[0].grid).toBeUndefined();
  });
});
