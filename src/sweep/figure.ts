/**
 * A sweep's figure: the lab's heatmap (src/plot/heatmap.ts) of its cells,
 * coloured by the final loss, the steps to reach ε, or the minimum each run
 * ends near (the basins map of two start-coordinate axes).
 */
import { functionTitle } from "../functions/index.js";
import { formatNumber } from "../plot/scale.js";
import { gridMapSvg, type GridMap } from "../plot/heatmap.js";
import type { MapKind, NormalizedSweep, SweepResult } from "./sweep.js";

const round3 = (v: number) => Number(v.toPrecision(3));

/** The heatmap of a (whole) sweep result. */
export function sweepMap(s: NormalizedSweep, r: SweepResult, map: MapKind = s.map): GridMap {
  const xs = r.axes[0];
  const ys = r.axes[1] ?? [0];
  const values = new Float64Array(xs.length * ys.length).fill(NaN);
  for (const c of r.cells) {
    const k = (c.index[1] ?? 0) * xs.length + c.index[0];
    values[k] = map === "final" ? c.final : map === "steps" ? (c.steps ?? NaN) : (c.minimum ?? (c.diverged ? -2 : -1));
  }
  const fn = s.run.fn;
  const o = s.run.optimizer;
  const label = (n: number) => {
    const a = s.axes[n];
    return a.path.text + (a.scale === "log" ? " (log)" : "") + (a.path.text === "optimizer.lr" && s.run.scheduler ? "; the schedule scales with it" : "");
  };
  const what =
    map === "final"
      ? `final loss after ${s.run.steps} steps`
      : map === "steps"
        ? `steps until f − f* ≤ ${formatNumber(s.epsilon)}`
        : `basins after ${s.run.steps} steps`;
  const x0Axes = s.axes.length === 2 && s.axes.every((a) => a.path.keys[0] === "x0");
  return {
    values,
    xs,
    ys,
    xLog: s.axes[0].scale === "log",
    yLog: s.axes[1]?.scale === "log",
    xLabel: label(0),
    yLabel: s.axes[1] ? label(1) : "",
    title: `${o.name} on ${functionTitle(fn)}: ${what}`,
    equalAspect: x0Axes,
    colour:
      map === "minimum"
        ? {
            kind: "class",
            names: fn.minima.map(
              (m) =>
                `(${m.x
                  .slice(0, 2)
                  .map((v) => formatNumber(round3(v)))
                  .join(", ")}${m.x.length > 2 ? ", …" : ""}) f=${formatNumber(round3(m.value))}${m.kind === "local" ? " local" : ""}`,
            ),
            none: { [-1]: `near no minimum (within ${formatNumber(round3(s.rule.radius))})`, [-2]: "diverged" },
          }
        : map === "steps"
          ? { kind: "value", label: "steps", missing: `not reached in ${s.run.steps} steps`, log: false }
          : { kind: "value", label: "final loss", missing: "diverged", log: "auto" },
    ...(x0Axes
      ? {
          stars: fn.minima
            .filter((m) => m.x.length >= 2)
            .map((m) => [m.x[Number(s.axes[0].path.keys[1])], m.x[Number(s.axes[1].path.keys[1])]] as [number, number]),
        }
      : {}),
  };
}

/** The sweep's figure as SVG. */
export function sweepSvg(s: NormalizedSweep, r: SweepResult, width = 720): string {
  return gridMapSvg(sweepMap(s, r), width);
}
