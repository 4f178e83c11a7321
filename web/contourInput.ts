/** Setting the start on the contour: a click plays the race from there, a drag (mouse or pen) reruns it at every move. */
import { markInvalid } from "./editors.js";
import { $, fmtNum, lab } from "./lab.js";
import { pause, play } from "./playback.js";
import { rerun } from "./race.js";

function pointOnContour(ev: { clientX: number; clientY: number }, clamp = false): [number, number] | undefined {
  const svg = $("contour").querySelector("svg");
  const rect = svg?.querySelector("#c-plot-area rect");
  const ctm = svg?.getScreenCTM();
  if (!svg || !rect || !ctm) return undefined;
  const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
  const bx = Number(rect.getAttribute("x"));
  const by = Number(rect.getAttribute("y"));
  const bw = Number(rect.getAttribute("width"));
  const bh = Number(rect.getAttribute("height"));
  if (!clamp && (p.x < bx || p.x > bx + bw || p.y < by || p.y > by + bh)) return undefined;
  const u = Math.min(1, Math.max(0, (p.x - bx) / bw));
  const v = Math.min(1, Math.max(0, (p.y - by) / bh));
  const x = lab.win.x[0] + u * (lab.win.x[1] - lab.win.x[0]);
  const y = lab.win.y[1] - v * (lab.win.y[1] - lab.win.y[0]);
  const round = (val: number, span: number) => Number(val.toFixed(Math.max(0, 3 - Math.floor(Math.log10(span)))));
  return [round(x, lab.win.x[1] - lab.win.x[0]), round(y, lab.win.y[1] - lab.win.y[0])];
}

export function showStart() {
  for (const id of ["x0", "y0"]) markInvalid($(id), false);
  $<HTMLInputElement>("x0").value = fmtNum(lab.state.x0[0]);
  $<HTMLInputElement>("y0").value = fmtNum(lab.state.x0[1]);
}

/** A click sets the start and plays the race from it. */
export function onContourClick(ev: MouseEvent) {
  if (justDragged) {
    justDragged = false;
    return;
  }
  const p = pointOnContour(ev);
  if (!p) return;
  lab.state.x0 = p;
  showStart();
  lab.frame = 0;
  void rerun({ keepFrame: true }).then(play);
}

/**
 * Dragging with a mouse or pen moves the start and reruns the race at every
 * move, showing the whole trajectories (touch keeps scrolling the page; a tap
 * is a click).
 */
let drag: { id: number; x: number; y: number; moved: boolean } | null = null;
let justDragged = false;
let dragFrame = 0;

export function wireDrag() {
  const c = $("contour");
  c.addEventListener("pointerdown", (ev) => {
    if (ev.pointerType === "touch" || ev.button !== 0 || !pointOnContour(ev)) return;
    drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, moved: false };
    c.setPointerCapture(ev.pointerId);
  });
  c.addEventListener("pointermove", (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    if (!drag.moved && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      lab.lockedWindow = lab.win;
      pause();
      lab.state.frame = undefined;
    }
    const p = pointOnContour(ev, true);
    if (!p) return;
    lab.state.x0 = p;
    showStart();
    // One rerun per animation frame, however fast the pointer moves.
    if (!dragFrame) {
      dragFrame = requestAnimationFrame(() => {
        dragFrame = 0;
        void rerun({ live: true });
      });
    }
  });
  const end = (ev: PointerEvent) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const moved = drag.moved;
    drag = null;
    if (!moved) return;
    justDragged = true;
    // A click may follow this pointerup or not (pointercancel): clear the flag once events settle.
    setTimeout(() => (justDragged = false), 0);
    cancelAnimationFrame(dragFrame);
    dragFrame = 0;
    lab.lockedWindow = null;
    void rerun();
  };
  c.addEventListener("pointerup", end);
  c.addEventListener("pointercancel", end);
}
