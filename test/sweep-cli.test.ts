// optimlab sweep / merge / tune through the real entry point (bin/optimlab.js on dist/):
// cells against direct `optimlab run` of the same specs (written here by hand from the issue's
// formulas), worker-count independence, shard + merge equal to one run, Ctrl-C, bad arguments.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { log } from "../src/models/math.js";

/** log10 as the tuner computes it (the library's pure-arithmetic log over ln 10). */
const log10 = (x: number) => log(x) / Math.LN10;
import { createFunction } from "../src/functions/index.js";

const BIN = join(__dirname, "..", "bin", "optimlab.js");
const dir = mkdtempSync(join(tmpdir(), "optimlab-sweep-"));
let n = 0;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: dir, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(v: unknown, name = `f${n++}.json`): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
}

const out = (name: string) => join(dir, name);
const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));

/** `optimlab run --backend wasm` of specs (an array: one batch), parsed. */
function runDirect(specs: unknown[], backend = "wasm") {
  const r = cli(["run", file(specs), "--backend", backend]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { x: number[][]; loss: (number | string)[]; stopReason: string }[];
}

const num = (v: number | string) => (typeof v === "string" ? Number(v) : v);

/** The cell of a direct run, computed here: final loss, first step within ε of f*, divergence, the minimum it ends near. */
function expectedCell(r: ReturnType<typeof runDirect>[number], fStar: number, eps: number, minima: number[][], radius: number) {
  const loss = r.loss.map(num);
  const t = loss.findIndex((f) => f - fStar <= eps);
  const last = r.x[r.x.length - 1];
  let minimum: number | null = null;
  let best = radius;
  if (Number.isFinite(loss[loss.length - 1]) && last.every(Number.isFinite)) {
    minima.forEach((m, k) => {
      const d = Math.hypot(last[0] - m[0], last[1] - m[1]);
      if (d <= best) {
        best = d;
        minimum = k;
      }
    });
  }
  return { final: loss[loss.length - 1], steps: t < 0 ? null : t, diverged: r.stopReason === "diverged", minimum };
}

const cellOf = (c: { final: number | string; steps: number | null; diverged: boolean; minimum: number | null }) => ({ ...c, final: num(c.final) });

const adamSweep = {
  run: { function: "rosenbrock", optimizer: { name: "adam", lr: 0.01 }, x0: [-1.2, 1], steps: 400 },
  axes: [
    { path: "optimizer.lr", from: 1e-3, to: 3, count: 9, scale: "log" },
    { path: "optimizer.betas.0", from: 0.5, to: 0.99, count: 5, scale: "linear" },
  ],
  epsilon: 1e-3,
};

/**
 * Starts `optimlab ARGS`, sends SIGINT at the first stderr chunk matching
 * `progress`, and expects exit 130, the one-line cancel message, nothing on
 * stdout and nothing left in `folder`.
 */
async function expectCancelledCleanly(args: string[], progress: RegExp, folder: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "",
    stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.on("data", (d) => {
      if (!stderr && progress.test(String(d))) child.kill("SIGINT");
      stderr += d;
    });
    child.on("exit", (c) => resolve(c));
  });
  expect(code).toBe(130);
  expect(stderr).toMatch(/optimlab: cancelled; nothing written\n$/);
  expect(stdout).toBe("");
  expect(readdirSync(folder)).toEqual([]);
}

describe("optimlab sweep", () => {
  it("every cell is what optimlab run --backend wasm gives for its spec (and --backend js, rosenbrock being polynomial)", () => {
    const r = cli(["sweep", file(adamSweep), "--json", out("adam.json"), "--workers", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/best cell: final loss .* at optimizer\.lr = .*, optimizer\.betas\.0 = /);
    const res = read(out("adam.json"));
    const lrs = Array.from({ length: 9 }, (_v, k) => 1e-3 * Math.pow(3 / 1e-3, k / 8));
    const b1s = Array.from({ length: 5 }, (_v, k) => 0.5 + (0.49 * k) / 4);
    expect(res.axes).toEqual([lrs, b1s]);
    expect(res.cells).toHaveLength(45);
    const specs = b1s.flatMap((b) =>
      lrs.map((lr) => ({ function: "rosenbrock", optimizer: { name: "adam", lr, betas: [b, 0.999] }, x0: [-1.2, 1], steps: 400 })),
    );
    const fn = createFunction("rosenbrock");
    const radius = Math.min(0.02 * Math.hypot(fn.domain.x[1] - fn.domain.x[0], fn.domain.y[1] - fn.domain.y[0]), Infinity);
    const minima = fn.minima.map((m) => m.x);
    for (const backend of ["wasm", "js"]) {
      const direct = runDirect(specs, backend);
      res.cells.forEach((c: { index: number[] }, k: number) => {
        expect(c.index).toEqual([k % 9, Math.floor(k / 9)]);
        expect(cellOf(c as never), `${backend} cell ${k}`).toEqual({ index: c.index, ...expectedCell(direct[k], 0, 1e-3, minima, radius) });
      });
    }
    // The cells are not all alike: the map says something.
    expect(new Set(res.cells.map((c: { final: number }) => c.final)).size).toBeGreaterThan(30);
    expect(res.cells.some((c: { steps: number | null }) => c.steps !== null)).toBe(true);
  });

  it("an lr axis scales the scheduler's absolute rates; a run spec's backend js runs the reference", () => {
    const spec = {
      run: {
        function: "beale",
        optimizer: { name: "sgd", lr: 0.01, momentum: 0.9 },
        scheduler: { name: "oneCycleLR", maxLr: 0.02, totalSteps: 100 },
        x0: [1, 1],
        steps: 100,
        backend: "js",
      },
      axes: [{ path: "optimizer.lr", from: 0.001, to: 0.1, count: 3, scale: "log" }],
    };
    const r = cli(["sweep", file(spec), "--json", out("cyc.json")]);
    expect(r.code, r.stderr).toBe(0);
    const res = read(out("cyc.json"));
    const lrs = [0, 1, 2].map((k) => 0.001 * Math.pow(0.1 / 0.001, k / 2));
    const direct = runDirect(
      lrs.map((lr) => ({
        ...spec.run,
        optimizer: { name: "sgd", lr, momentum: 0.9 },
        scheduler: { name: "oneCycleLR", maxLr: 0.02 * (lr / 0.01), totalSteps: 100 },
      })),
      "js",
    );
    res.cells.forEach((c: never, k: number) => expect(cellOf(c).final).toBe(num(direct[k].loss[direct[k].loss.length - 1])));
  });

  it("two start-coordinate axes make a basins map: each cell's minimum is where its direct run ends", () => {
    const spec = {
      run: { function: "himmelblau", optimizer: { name: "adam", lr: 0.1 }, steps: 300 },
      axes: [
        { path: "x0.0", from: -4.5, to: 4.5, count: 7 },
        { path: "x0.1", from: -4.5, to: 4.5, count: 6 },
      ],
    };
    const r = cli(["sweep", file(spec), "--json", out("basins.json"), "--out", out("basins.svg")]);
    expect(r.code, r.stderr).toBe(0);
    const res = read(out("basins.json"));
    const fn = createFunction("himmelblau");
    const minima = fn.minima.map((m) => m.x);
    let sep = Infinity;
    for (let a = 0; a < minima.length; a++)
      for (let b = a + 1; b < minima.length; b++) sep = Math.min(sep, Math.hypot(minima[a][0] - minima[b][0], minima[a][1] - minima[b][1]));
    const radius = Math.min(0.02 * Math.hypot(fn.domain.x[1] - fn.domain.x[0], fn.domain.y[1] - fn.domain.y[0]), 0.3 * sep);
    const xs = res.axes[0],
      ys = res.axes[1];
    const direct = runDirect(ys.flatMap((y: number) => xs.map((x: number) => ({ ...spec.run, x0: [x, y] }))));
    res.cells.forEach((c: never, k: number) =>
      expect(cellOf(c)).toEqual({ index: [k % 7, Math.floor(k / 7)], ...expectedCell(direct[k], 0, 1e-4, minima, radius) }),
    );
    expect(new Set(res.cells.map((c: { minimum: number }) => c.minimum)).size).toBeGreaterThanOrEqual(3);
    const svg = readFileSync(out("basins.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect((svg.match(/data-value=/g) ?? []).length).toBe(42);
  });

  it("the results are the same bytes for 1, 2 and 3 workers", () => {
    const outs = [1, 2, 3].map((w) => {
      const f = out(`w${w}.json`);
      expect(cli(["sweep", file(adamSweep), "--json", f, "--workers", String(w)]).code).toBe(0);
      return readFileSync(f, "utf8");
    });
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
  });

  it("--shard K/N parts merge into exactly the one-run result", () => {
    const spec = file(adamSweep);
    expect(cli(["sweep", spec, "--json", out("whole.json")]).code).toBe(0);
    const parts = [1, 2, 3, 4].map((k) => {
      const f = out(`part-${k}.json`);
      const r = cli(["sweep", spec, "--shard", `${k}/4`, "--json", f]);
      expect(r.code, r.stderr).toBe(0);
      const p = read(f);
      expect(p.shard).toEqual([k, 4]);
      expect(p.cells.length).toBe(Math.floor((k * 45) / 4) - Math.floor(((k - 1) * 45) / 4));
      return f;
    });
    const m = cli(["merge", parts[2], parts[0], parts[3], parts[1], "--json", out("merged.json")]);
    expect(m.code, m.stderr).toBe(0);
    expect(readFileSync(out("merged.json"), "utf8")).toBe(readFileSync(out("whole.json"), "utf8"));
    // Missing, repeated and foreign parts are refused, naming the file.
    expect(cli(["merge", parts[0], parts[1], parts[2], "--json", out("m2.json")])).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "optimlab: PART: shard 4/4 missing\n",
    });
    const dup = cli(["merge", parts[0], parts[1], parts[2], parts[2], "--json", out("m3.json")]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^optimlab: .*part-3\.json: is shard 3\/4, as .*part-3\.json is\n$/);
    const other = file({ ...read(parts[3]), axes: [[1], [2]] });
    expect(cli(["merge", parts[0], parts[1], parts[2], other, "--json", out("m4.json")]).stderr).toMatch(
      /: has other axes than .*: not a part of the same sweep\n$/,
    );
    expect(cli(["merge", out("whole.json"), "--json", out("m5.json")]).stderr).toMatch(/whole\.json: has no "shard": \[K, N\]/);
    for (const f of ["m2.json", "m3.json", "m4.json", "m5.json"]) expect(existsSync(out(f))).toBe(false);
  });

  it("Ctrl-C stops a sweep cleanly: exit 130, nothing written", async () => {
    const sub = join(dir, "cancel");
    mkdirSync(sub);
    const spec = {
      ...adamSweep,
      run: { ...adamSweep.run, steps: 30000 },
      axes: [
        { ...adamSweep.axes[0], count: 64 },
        { ...adamSweep.axes[1], count: 64 },
      ],
    };
    // The first progress line ("… cells"): the pool is running.
    await expectCancelledCleanly(["sweep", file(spec), "--json", join(sub, "x.json"), "--out", join(sub, "x.svg")], /cells/, sub);
  }, 60_000);
});

describe("optimlab tune", () => {
  it("Ctrl-C stops tuning cleanly: exit 130, nothing written", async () => {
    const sub = join(dir, "cancel-tune");
    mkdirSync(sub);
    await expectCancelledCleanly(
      [
        "tune",
        "--function",
        "rosenbrock",
        "--optimizers",
        "adam,sgd,rmsprop,nadam",
        "--starts",
        "20",
        "--steps",
        "20000",
        "--json",
        join(sub, "t.json"),
        "--out",
        join(sub, "t.svg"),
      ],
      /runs/,
      sub,
    );
  }, 60_000);

  it("the tuned objective is what direct runs at the tuned lr give, for every objective", () => {
    for (const objective of ["auc", "final", "steps"]) {
      const f = out(`tune-${objective}.json`);
      const r = cli([
        "tune",
        "--function",
        "beale",
        "--optimizers",
        "sgd:momentum=0.9,adam",
        "--starts",
        "3",
        "--seed",
        "7",
        "--steps",
        "200",
        "--objective",
        objective,
        "--epsilon",
        "1e-3",
        "--json",
        f,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`tuned 2 optimizers on beale for ${objective} .*3 starts, 200 steps, at most 144 runs each`));
      const tuned = read(f);
      expect(tuned.map((t: { optimizer: string }) => t.optimizer)).toEqual(["sgd:momentum=0.9", "adam"]);
      // The starts: Mulberry32 with seed 7, coordinate by coordinate in beale's domain (recomputed here).
      const fn = createFunction("beale");
      let a = 7;
      const next = () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const starts = [0, 1, 2].map(() => [
        fn.domain.x[0] + (fn.domain.x[1] - fn.domain.x[0]) * next(),
        fn.domain.y[0] + (fn.domain.y[1] - fn.domain.y[0]) * next(),
      ]);
      for (const t of tuned) {
        expect(t.also).toBe(null);
        const opt = t.optimizer === "adam" ? { name: "adam", lr: t.lr } : { name: "sgd", momentum: 0.9, lr: t.lr };
        const direct = runDirect(starts.map((x0) => ({ function: "beale", optimizer: opt, x0, steps: 200, dtype: "f64", record: "loss" })));
        const per = direct.map((d) => {
          if (d.stopReason === "diverged") return Infinity;
          const gap = (v: number | string) => log10(Math.max(num(v), 0) + 1e-16);
          if (objective === "final") return gap(d.loss[200]);
          if (objective === "steps") {
            const k = d.loss.findIndex((v) => num(v) <= 1e-3);
            return k < 0 ? 201 : k;
          }
          let s = 0;
          for (let k = 1; k <= 200; k++) s += gap(d.loss[k]);
          return s / 200;
        });
        const sorted = [...per].sort((x, y) => x - y);
        expect(num(t.objective), `${t.optimizer} ${objective}`).toBe(sorted[1]);
        expect(t.spread.map(num)).toEqual([sorted[0], sorted[2]]);
      }
    }
  });

  it("for L-BFGS (several evaluations per step) --steps T is maxEvals: T, and the objectives count evaluations", () => {
    const r = cli([
      "tune",
      "--function",
      "rosenbrock",
      "--optimizers",
      "lbfgs",
      "--start",
      "-1.2,1",
      "--steps",
      "200",
      "--objective",
      "steps",
      "--json",
      out("lbfgs.json"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [t] = read(out("lbfgs.json"));
    const [d] = runDirect([
      { function: "rosenbrock", optimizer: { name: "lbfgs", lr: t.lr }, x0: [-1.2, 1], steps: 200, maxEvals: 200, dtype: "f64", record: "loss" },
    ]) as unknown as { loss: number[]; evals: number[] }[];
    // Point k is known after evals[0] + … + evals[k − 1] evaluations.
    let c = 0,
      want = 201;
    for (let k = 1; k < d.loss.length; k++) {
      c += d.evals[k - 1];
      if (c <= 200 && d.loss[k] <= 1e-4) {
        want = c;
        break;
      }
    }
    expect(want).toBeLessThan(201);
    expect(t.objective).toBe(want);
    expect(d.evals.some((e) => e > 1)).toBe(true);
  });

  it("the same bytes for 1 and 2 workers; --also tunes a second option; --out draws the race", () => {
    const args = [
      "tune",
      "--function",
      "rosenbrock",
      "--optimizers",
      "adam,nadam:momentumDecay=0.004",
      "--start",
      "-1.5,2",
      "--steps",
      "300",
      "--also",
      "betas.0:0.5,0.95",
      "--budget",
      "60",
    ];
    expect(cli([...args, "--workers", "1", "--json", out("t1.json")]).code).toBe(0);
    const r2 = cli([...args, "--workers", "2", "--json", out("t2.json"), "--out", out("race.svg")]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(out("t2.json"), "utf8")).toBe(readFileSync(out("t1.json"), "utf8"));
    for (const e of read(out("t1.json"))) {
      expect(Object.keys(e.also)).toEqual(["betas.0"]);
      expect(e.also["betas.0"] >= 0.5 && e.also["betas.0"] <= 0.95).toBe(true);
    }
    expect(readFileSync(out("race.svg"), "utf8")).toMatch(/adam lr=[\d.e-]+ betas\.0=/);
    expect(r2.stdout).toMatch(/rank +optimizer +best lr +betas\.0 +auc +spread over starts/);
    // An optimizer without the option is refused, naming it.
    const bad = cli(["tune", "--function", "rosenbrock", "--optimizers", "adam,rmsprop", "--steps", "30", "--also", "betas.0"]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toMatch(/^optimlab: --also: "optimizer\.betas\.0" is not a numeric option of rmsprop; allowed: .*\n$/);
  });
});

describe("bad arguments: exit 2, one line naming the field, nothing written", () => {
  const good = file(adamSweep, "good.json");
  const tune = ["tune", "--function", "booth", "--optimizers", "adam", "--steps", "10"];
  const cases: [string, string[], RegExp][] = [
    [
      "a bad path",
      ["sweep", file({ ...adamSweep, axes: [{ path: "optimizer.beta", from: 0, to: 1, count: 2 }] })],
      /^optimlab: axes\[0\]\.path: "optimizer\.beta" is not a numeric option of adam; allowed: /,
    ],
    [
      "a refused value",
      ["sweep", file({ ...adamSweep, axes: [{ path: "optimizer.betas.1", from: 0.5, to: 1, count: 2 }] })],
      /^optimlab: axes\[0\]\.to: optimizer\.betas\.1 = 1 gives a run the library refuses: /,
    ],
    ["a bad run", ["sweep", file({ ...adamSweep, run: { ...adamSweep.run, optimizer: { name: "adam", lr: -1 } } })], /^optimlab: run\.optimizer\.lr: /],
    ["an unknown key", ["sweep", file({ ...adamSweep, eps: 1 })], /^optimlab: eps: unknown option of a sweep spec; allowed: run, axes, epsilon, map\n$/],
    [
      "too many cells",
      [
        "sweep",
        file({
          ...adamSweep,
          axes: [
            { path: "x0.0", from: 0, to: 1, count: 4096 },
            { path: "x0.1", from: 0, to: 1, count: 4096 },
          ],
        }),
      ],
      /^optimlab: axes: give 16777216 cells; at most 1048576/,
    ],
    ["--workers 0", ["sweep", good, "--workers", "0"], /^optimlab: --workers must be an integer in \[1, 1024\]; got "0"\n$/],
    ["--shard 5/4", ["sweep", good, "--shard", "5/4"], /^optimlab: --shard: must be K\/N with 1 ≤ K ≤ N/],
    ["--shard with --out", ["sweep", good, "--shard", "1/2", "--out", out("s.svg")], /^optimlab: --out: a shard holds only part of the cells/],
    ["--out .txt", ["sweep", good, "--out", out("s.txt")], /^optimlab: --out must end in \.svg or \.png; got /],
    [
      "--json in a missing folder",
      ["sweep", good, "--json", "/nonexistent/dir/x.json"],
      /^optimlab: --json: cannot write \/nonexistent\/dir\/x\.json: its folder \/nonexistent\/dir does not exist\n$/,
    ],
    ["--out a folder", ["sweep", good, "--out", dir + "/"], /^optimlab: --out must end in/],
    ["--json and --out the same file", ["sweep", good, "--json", out("same.svg"), "--out", out("same.svg")], /^optimlab: --json: is the same file as --out/],
    ["a missing spec", ["sweep", out("nope.json")], /^optimlab: .*nope\.json: cannot read \(ENOENT\)\n$/],
    ["merge without --json", ["merge", good], /^optimlab: merge needs --json OUT/],
    ["tune without --steps", ["tune", "--function", "booth", "--optimizers", "adam"], /^optimlab: tune needs --steps T/],
    ["tune --start and --starts", [...tune, "--start", "1,1", "--starts", "3"], /^optimlab: --start and --starts exclude each other/],
    ["tune --seed alone", [...tune, "--seed", "3"], /^optimlab: --seed needs --starts N/],
    ["tune --objective", [...tune, "--objective", "best"], /^optimlab: --objective must be final or auc or steps; got "best"\n$/],
    ["tune --lr-range", [...tune, "--lr-range", "1,0.1"], /^optimlab: --lr-range must be LO,HI with 0 < LO < HI/],
    ["tune --also lr", [...tune, "--also", "lr"], /^optimlab: --also must be an option path/],
    ["tune --budget 1", [...tune, "--budget", "1"], /^optimlab: --budget: must allow at least 2 settings per start/],
    [
      "tune an unknown optimizer",
      ["tune", "--function", "booth", "--optimizers", "adam,adamm", "--steps", "10"],
      /^optimlab: --optimizers\[1\]\.name: unknown optimizer "adamm"; allowed: /,
    ],
    ["tune a bad option", ["tune", "--function", "booth", "--optimizers", "adam:betas=0.9/2", "--steps", "10"], /^optimlab: --optimizers\[0\]\.betas: /],
    ["tune a start of the wrong length", [...tune, "--start", "1,2,3"], /^optimlab: --start: has 3 elements; booth takes exactly 2/],
    [
      "tune a function without minima",
      ["tune", "--function", "expr:x^2 + y", "--optimizers", "adam", "--steps", "10"],
      /^optimlab: --function: .* has no known minimum/,
    ],
    ["tune --out .pdf", [...tune, "--out", out("r.pdf")], /^optimlab: --out must end in \.svg or \.png or \.gif/],
  ];
  for (const [label, args, re] of cases) {
    it(label, () => {
      const before = readdirSync(dir).sort();
      const r = cli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(re);
      expect(r.stderr.split("\n")).toHaveLength(2);
      expect(readdirSync(dir).sort()).toEqual(before);
    });
  }
});
