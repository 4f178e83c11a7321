/** Downloads of the shown view: SVG, PNG (the contour at 2×, or the 3-D canvas) and an animated GIF of the race on the contour. */
import { contourSvg, surfaceFallbackSvg } from "./figures.js";
import { $, lab, maxFrame, plotWidth } from "./lab.js";

function download(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
}

function currentSvg(): string {
  const w = plotWidth("contour-fig");
  return lab.state.view === "contour" ? contourSvg(w, lab.frame) : surfaceFallbackSvg(w, lab.frame);
}

async function svgToCanvas(svg: string, scale = 1): Promise<HTMLCanvasElement> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    img.src = url;
    await img.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  const c = document.createElement("canvas");
  c.width = Math.round(img.width * scale);
  c.height = Math.round(img.height * scale);
  // The GIF export reads every frame back.
  const ctx = c.getContext("2d", { willReadFrequently: true })!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(img, 0, 0, c.width, c.height);
  return c;
}

const baseName = () => `optimlab-${lab.state.fn.name}-${lab.state.view}`;

export async function exportSvg() {
  download(new Blob([currentSvg()], { type: "image/svg+xml" }), `${baseName()}.svg`);
}

export async function exportPng() {
  const canvas = lab.state.view === "surface" && lab.surfaceView ? lab.surfaceView.snapshot() : await svgToCanvas(currentSvg(), 2);
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, "image/png"));
  if (blob) download(blob, `${baseName()}.png`);
}

/** An animated GIF of the race on the contour (gifenc, one palette from the last frame). */
export async function exportGif() {
  const btn = $<HTMLButtonElement>("export-gif");
  btn.disabled = true;
  const old = btn.textContent;
  try {
    const { GIFEncoder, quantize, applyPalette } = await import("gifenc");
    const total = maxFrame();
    const count = Math.min(total + 1, 48);
    const frames = Array.from({ length: count }, (_, i) => Math.round((i * total) / Math.max(1, count - 1)));
    const width = 560;
    const last = await svgToCanvas(contourSvg(width, total));
    const w = last.width;
    const h = last.height;
    const palette = quantize(last.getContext("2d")!.getImageData(0, 0, w, h).data, 256);
    const gif = GIFEncoder();
    for (let i = 0; i < frames.length; i++) {
      btn.textContent = `GIF ${i + 1}/${frames.length}`;
      const c = i === frames.length - 1 ? last : await svgToCanvas(contourSvg(width, frames[i]));
      const data = c.getContext("2d")!.getImageData(0, 0, w, h).data;
      gif.writeFrame(applyPalette(data, palette), w, h, { palette, delay: i === frames.length - 1 ? 1500 : 80 });
    }
    gif.finish();
    // Always the contour's race, whichever view is shown.
    download(new Blob([gif.bytes() as Uint8Array<ArrayBuffer>], { type: "image/gif" }), `optimlab-${lab.state.fn.name}-contour.gif`);
  } finally {
    btn.textContent = old;
    btn.disabled = false;
  }
}
