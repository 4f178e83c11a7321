/** The race's figures as SVG text: the contour, the loss and lr charts, the projected surface (export and no-WebGL fallback). */
import { functionTitle, type RunResult, type TestFunction } from "optimlab";
import { ContourCache, contourPlot, lineChart, surfacePlot, trajectoryColor } from "optimlab/plot";
import { chartSeries, lossScale, lrScale } from "./chartData.js";
import { lab, maxFrame, NX, NY, optimizerLabel } from "./lab.js";

/** What titles call the function: a formula's label or text (shortened), a built-in's name. */
const fnTitle = (fn: TestFunction) => functionTitle(fn, 48);

/** Animation frames change only the trajectories: the bands of a grid are drawn once. */
const contourCache = new ContourCache();

export function contourSvg(width: number, upTo: number): string {
  // Generous: with equal aspect contourPlot trims unused height, so the plot is as large as the width allows.
  const height = Math.min(Math.round(width * 1.3), 760);
  return contourPlot({
    x: lab.win.x,
    y: lab.win.y,
    values: lab.gridValues,
    nx: NX,
    ny: NY,
    width,
    height,
    // Narrow figures: no title (it would run into the colour bar's label; the step is shown beside the slider).
    title:
      width < 480
        ? undefined
        : `${fnTitle(lab.fn!)}${
            width >= 560 && Object.keys(lab.state.fn.params).length
              ? " (" +
                JSON.stringify(lab.state.fn.params)
                  .replace(/["{}]/g, "")
                  .replace(/,(?=[a-zA-Z])/g, ", ") +
                ")"
              : ""
          } · step ${upTo}/${maxFrame()}`,
    trajectories: lab.runs.map((r, k) => ({
      label: optimizerLabel(lab.state.optimizers[k]),
      points: r.x.slice(0, upTo + 1),
      // The losses tell a run that overflowed far outside the window (x finite, f infinite) as diverged.
      values: r.loss.length === r.x.length ? r.loss.slice(0, upTo + 1) : undefined,
      color: trajectoryColor(k),
    })),
    minima: lab.fn!.minima.map((m) => ({ x: m.x[0], y: m.x[1] })),
    pointName: "step",
    cache: contourCache,
  });
}

/** The charts' scales depend on the race only, not on the frame: computed once per race. */
let scalesOf: { runs: RunResult[]; loss: ReturnType<typeof lossScale>; lr: ReturnType<typeof lrScale> } | null = null;
function scales() {
  if (scalesOf?.runs !== lab.runs) scalesOf = { runs: lab.runs, loss: lossScale(lab.runs), lr: lrScale(lab.runs) };
  return scalesOf;
}

export function lossSvg(width: number, upTo: number): string {
  const { logY, lo, hi, clipped } = scales().loss;
  return lineChart({
    series: lab.runs.map((r, k) => ({
      // Early stopping ends runs at different steps: say which did.
      label: optimizerLabel(lab.state.optimizers[k]) + (r.stopReason === "tol" ? ` (stopped at step ${r.steps}: |Δloss| < tol)` : ""),
      ...chartSeries(r.loss.slice(0, upTo + 1), lo, hi),
      color: trajectoryColor(k),
      markers: false,
    })),
    logY,
    xDomain: [0, Math.max(1, maxFrame())],
    yDomain: [lo, hi],
    title: "Loss",
    xLabel: "step",
    yLabel: `${logY ? "f (log)" : "f"}${clipped ? ", clipped" : ""}`,
    width,
    // Room for a legend row per optimizer below a plot of useful height (a shorter legend leaves the plot taller).
    height: Math.max(250, Math.min(Math.round(width * 0.75), 420)) + 20 * lab.runs.length,
  });
}

/** The learning rate each optimizer used at each step (schedulers make it move). */
export function lrSvg(width: number, upTo: number): string {
  const { logY, yDomain } = scales().lr;
  return lineChart({
    series: lab.runs.map((r, k) => ({
      label: optimizerLabel(lab.state.optimizers[k]),
      ...chartSeries(r.lr.slice(0, upTo), yDomain[0], yDomain[1]),
      color: trajectoryColor(k),
      markers: false,
    })),
    logY,
    xDomain: [0, Math.max(1, maxFrame())],
    yDomain,
    title: "Learning rate",
    xLabel: "step",
    yLabel: logY ? "lr (log)" : "lr",
    legend: false,
    width,
    height: Math.max(200, Math.min(Math.round(width * 0.6), 320)),
  });
}

/** The library's projected surface (the 3-D view's SVG export and no-WebGL fallback), up to step `upTo`. */
export function surfaceFallbackSvg(width: number, upTo = maxFrame()): string {
  return surfacePlot({
    x: lab.win.x,
    y: lab.win.y,
    values: lab.gridValues,
    nx: NX,
    ny: NY,
    width,
    height: Math.round(width * 0.8),
    title: `${fnTitle(lab.fn!)} · step ${upTo}/${maxFrame()}`,
    trajectories: lab.runs.map((r, k) => ({
      label: optimizerLabel(lab.state.optimizers[k]),
      points: r.x.slice(0, upTo + 1),
      z: r.loss.slice(0, upTo + 1),
      color: trajectoryColor(k),
    })),
  });
}
