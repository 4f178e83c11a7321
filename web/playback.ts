/** Drawing the race at the shown step, and playing it. */
import { contourSvg, lossSvg, lrSvg } from "./figures.js";
import { $, lab, maxFrame, plotWidth, scopeIds, writeHash } from "./lab.js";

let rafPending = false;
export function render() {
  if (rafPending) return;
  rafPending = true;
  requestAnimationFrame(() => {
    rafPending = false;
    renderNow();
  });
}

export function renderNow() {
  if (!lab.fn!) return;
  if (lab.state.view === "contour") $("contour").innerHTML = scopeIds(contourSvg(plotWidth("contour"), lab.frame), "c-");
  else lab.surfaceView?.setFrame(lab.frame);
  $("loss").innerHTML = scopeIds(lossSvg(plotWidth("loss"), lab.frame), "l-");
  $("lr").innerHTML = scopeIds(lrSvg(plotWidth("lr"), lab.frame), "r-");
  $<HTMLInputElement>("frame").value = String(lab.frame);
  $("frame-out").textContent = String(lab.frame);
}

export function setFrame(t: number) {
  lab.frame = Math.max(0, Math.min(maxFrame(), Math.round(t)));
  rememberFrame();
  render();
}

/** The shown step goes into the link (not while playing: browsers throttle history updates). */
export function rememberFrame() {
  lab.state.frame = lab.frame >= maxFrame() ? undefined : lab.frame;
  writeHash();
}

let lastTick = 0;
export function play() {
  if (lab.frame >= maxFrame()) lab.frame = 0;
  lab.playing = true;
  $("play").textContent = "Pause";
  lastTick = performance.now();
  requestAnimationFrame(tick);
}

export function pause() {
  if (lab.playing) {
    lab.playing = false;
    rememberFrame();
  }
  $("play").textContent = "Play";
}

/** The race lasts about 5 s whatever the number of steps (at least one step a frame). */
function tick(now: number) {
  if (!lab.playing) return;
  const perMs = Math.max(maxFrame() / 5000, 1 / 60);
  const adv = Math.max(1, Math.round((now - lastTick) * perMs));
  if (now - lastTick >= 1 / perMs || perMs * 16 >= 1) {
    lastTick = now;
    lab.frame = Math.min(maxFrame(), lab.frame + adv);
    renderNow();
  }
  if (lab.frame >= maxFrame()) {
    pause();
    return;
  }
  requestAnimationFrame(tick);
}

/** The data point under a pointer (rounded to the window's scale), or undefined outside the plot area unless `clamp`. */
