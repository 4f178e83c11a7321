/** The view switch: the contour, or the three.js surface (loaded on first use; the projected SVG where WebGL is missing). */
import { trajectoryColor } from "optimlab/plot";
import { surfaceFallbackSvg } from "./figures.js";
import { $, lab, NX, NY, plotWidth, scopeIds } from "./lab.js";
import { render } from "./playback.js";

let surfaceLoading: Promise<void> | null = null;

export function surfaceData() {
  return {
    values: lab.gridValues,
    nx: NX,
    ny: NY,
    x: lab.win.x,
    y: lab.win.y,
    trajectories: lab.runs.map((r, k) => ({ points: r.x, loss: r.loss, color: trajectoryColor(k) })),
    frame: lab.frame,
  };
}

export function showView() {
  const surface = lab.state.view === "surface";
  $("contour").hidden = surface;
  $("surface").hidden = !surface;
  if (surface && lab.surfaceView && lab.fn) lab.surfaceView.setData(surfaceData());
  if (surface && !lab.surfaceView && !surfaceLoading) {
    surfaceLoading = import("./surface3d.js").then((m) => {
      lab.surfaceView = m.createSurfaceView($("surface"));
      if (!lab.surfaceView) {
        $("surface").innerHTML = scopeIds(surfaceFallbackSvg(plotWidth("contour-fig")), "s-");
        const p = document.createElement("p");
        p.className = "hint";
        p.textContent = "WebGL is unavailable here, so the 3-D view is the library's projected SVG surface (no orbiting).";
        $("surface").prepend(p);
        return;
      }
      lab.surfaceView.setData(surfaceData());
    });
  }
  render();
}
