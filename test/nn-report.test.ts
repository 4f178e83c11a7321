// The report's Networks section (src/experiments/networks.ts, src/report/networks.ts)
// and the decision-boundary figure (src/plot/boundary.ts).
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { createBackend } from "../bindings/index.js";
import { defaultLr, NETWORK_LRS, NETWORK_PROBLEMS, networkLr, networkSpec, runNetworks } from "../src/experiments/networks.js";
import { boundaryPlot, BOUNDARY_LEVELS, CLASS_COLORS } from "../src/plot/index.js";
import { networkFigures, networksBody } from "../src/report/networks.js";

describe("boundaryPlot", () => {
  // z = 4(x − 0.25) on [−1, 1]²: the boundary is the vertical line x = 0.25.
  const n = 41;
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = 4 * (-1 + (2 * i) / (n - 1) - 0.25);
  const svg = boundaryPlot({ x: [-1, 1], y: [-1, 1], values, nx: n, ny: n, points: { xy: [0.5, 0.5, -0.5, -0.5, 0, 0], labels: [1, 0, 0] }, title: "t" });

  it("draws the boundary where the logit is 0", () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    const frame = /<clipPath id="plot-area"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    const [x0, , w] = [Number(frame[1]), Number(frame[2]), Number(frame[3])];
    const d = /<path d="([^"]+)"[^>]*class="boundary"/.exec(svg)![1];
    const xs = [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((m) => Number(m[1]));
    expect(xs.length).toBeGreaterThan(1);
    const expected = x0 + ((0.25 + 1) / 2) * w;
    for (const x of xs) expect(Math.abs(x - expected)).toBeLessThan(0.02);
  });

  it("has a band per probability level and a point per sample in its class's colour", () => {
    const bands = svg.slice(svg.indexOf('class="bands"'));
    expect((bands.match(/fill-rule="evenodd"/g) ?? []).length).toBe(BOUNDARY_LEVELS.length);
    const fills = [...svg.matchAll(/<circle [^>]*fill="(#[0-9A-Fa-f]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual([CLASS_COLORS[1], CLASS_COLORS[0], CLASS_COLORS[0]]);
  });
});

describe("the networks section", async () => {
  const wasm = await createBackend("wasm");
  const r = runNetworks({ createTrainer: (s) => wasm.createTrainer(s), optimizers: ["sgd", "adam"], grid: 16 });

  it("learning rates: the committed table, else the optimizer's own (PyTorch's) default", () => {
    expect(defaultLr("sgd")).toBe(1e-3);
    expect(defaultLr("momentum")).toBe(1e-3);
    expect(defaultLr("adam")).toBe(1e-3);
    expect(defaultLr("adadelta")).toBe(1);
    expect(defaultLr("adamax")).toBe(2e-3);
    for (const p of NETWORK_PROBLEMS) {
      expect(networkLr("adam", p.id)).toEqual({ lr: NETWORK_LRS[p.id].adam, source: "pilot" });
    }
    expect(networkLr("adam", "nope" as "moons")).toEqual({ lr: 1e-3, source: "default" });
  });

  it("every run is the contract's training of its spec, from the same start", () => {
    for (const p of r.problems) {
      expect(p.runs.map((x) => x.optimizer)).toEqual(["sgd", "adam"]);
      expect(p.runs[0].initialLoss).toBe(p.runs[1].initialLoss);
      for (const run of p.runs) {
        const t = wasm.train(networkSpec(p.problem, { name: run.optimizer, lr: run.lr }));
        expect(run.epochLoss).toEqual(t.epochLoss);
        expect(run.testAccuracy).toEqual(t.testAccuracy);
        const first = t.accuracy!.findIndex((a) => a >= 0.95);
        expect(run.epochsTo95).toBe(first < 0 ? null : first + 1);
        expect(run.grid!.values).toHaveLength(16 * 16);
      }
      // the training samples drawn are the data set's training split
      expect(p.train.y.length).toBe(Math.round(p.problem.data.n! * (1 - p.problem.data.testFraction!)));
    }
  });

  it("builds its figures and its tables", () => {
    const figs = networkFigures(r);
    expect(figs.map((f) => f.name)).toEqual(["nn-moons-loss", "nn-moons-boundaries", "nn-spirals-loss", "nn-spirals-boundaries"]);
    for (const f of figs) expect(XMLValidator.validate(f.svg), f.name).toBe(true);
    const html = networksBody(r);
    expect(html.match(/<tr><td>adam<\/td>/g)).toHaveLength(2);
    expect(html).toContain("scripts/nets-lr-pilot.mjs");
  });
});
