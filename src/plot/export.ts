/**
 * PNG and GIF export (Node only: the one file in src/plot/ that imports node
 * modules and native code).
 *
 * Text is rendered with the DejaVu Sans TTF files of the `dejavu-fonts-ttf`
 * package, loaded explicitly with system fonts off, so a figure renders the
 * same on a bare machine as on a desktop.
 */

import { createRequire } from "node:module";
import path from "node:path";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { FONT_FAMILY } from "./svg.js";

const require = createRequire(import.meta.url);

let fontFiles: string[] | null = null;

/** Paths of the bundled DejaVu Sans faces (regular, bold, oblique, bold oblique). */
export function dejaVuFontFiles(): string[] {
  if (!fontFiles) {
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"].map(
      (f) => path.join(dir, f),
    );
  }
  return fontFiles;
}

function renderOptions(width: number | undefined): ResvgRenderOptions {
  if (width !== undefined && !(Number.isInteger(width) && width > 0 && width <= 16384)) {
    throw new RangeError(`width: must be an integer in 1..16384; got ${width}`);
  }
  return {
    font: { fontFiles: dejaVuFontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: width === undefined ? { mode: "original" } : { mode: "width", value: width },
    background: "#ffffff",
    logLevel: "off",
  };
}

function asBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export interface PngOptions {
  /** Output width in px (height keeps the aspect ratio); default the SVG's own width. */
  width?: number;
}

/** Render an SVG document to PNG bytes. */
export function svgToPng(svg: string, o: PngOptions = {}): Uint8Array {
  return asBytes(new Resvg(svg, renderOptions(o.width)).render().asPng());
}

/** Render an SVG document to RGBA pixels (straight alpha, opaque here). */
export function svgToRgba(svg: string, o: PngOptions = {}): { data: Uint8Array; width: number; height: number } {
  const img = new Resvg(svg, renderOptions(o.width)).render();
  return { data: asBytes(img.pixels), width: img.width, height: img.height };
}

// gifenc ships CommonJS (main) and ESM (module) builds with different default
// exports; require() always gets the CommonJS one.
type Palette = number[][];
interface GifEncoder {
  writeFrame(index: Uint8Array, width: number, height: number, opts?: { palette?: Palette; delay?: number; repeat?: number }): void;
  finish(): void;
  bytes(): Uint8Array;
}
interface Gifenc {
  GIFEncoder(): GifEncoder;
  quantize(rgba: Uint8Array, maxColors: number, opts?: { format?: string }): Palette;
  applyPalette(rgba: Uint8Array, palette: Palette, format?: string): Uint8Array;
}
const gifenc = require("gifenc") as Gifenc;

export interface GifOptions {
  /** Delay between frames in ms. */
  delayMs: number;
  /** Output width in px; default the first frame's width. Every frame is rendered at this width. */
  width?: number;
  /** true (default): loop forever; false: play once; a number: play that many extra times. */
  loop?: boolean | number;
  /** How long the last frame stays (ms); default max(1500, 4·delayMs). */
  lastFrameMs?: number;
}

/**
 * Render SVG frames to an animated GIF. One palette is shared by all frames:
 * it is quantized (256 colours, rgb565) from up to five frames sampled evenly,
 * first and last included, and each frame is mapped onto it.
 */
export function svgFramesToGif(frames: readonly string[], o: GifOptions): Uint8Array {
  if (frames.length === 0) throw new RangeError("frames: must hold at least one SVG document");
  if (!(Number.isFinite(o.delayMs) && o.delayMs >= 0)) throw new RangeError(`delayMs: must be a number ≥ 0; got ${o.delayMs}`);
  const first = svgToRgba(frames[0], { width: o.width });
  const width = first.width;
  const rendered: (Uint8Array | null)[] = frames.map(() => null);
  rendered[0] = first.data;
  const render = (k: number): Uint8Array => {
    let px = rendered[k];
    if (!px) {
      const r = svgToRgba(frames[k], { width });
      if (r.width !== width || r.height !== first.height) {
        throw new RangeError(`frames[${k}]: renders at ${r.width}×${r.height}, frame 0 at ${width}×${first.height}`);
      }
      px = r.data;
      rendered[k] = px;
    }
    return px;
  };

  const nSample = Math.min(frames.length, 5);
  const sampleIdx = [...new Set(Array.from({ length: nSample }, (_, s) => Math.round((s * (frames.length - 1)) / Math.max(1, nSample - 1))))];
  const samples = sampleIdx.map(render);
  const joined = new Uint8Array(samples.reduce((n, s) => n + s.length, 0));
  let off = 0;
  for (const s of samples) {
    joined.set(s, off);
    off += s.length;
  }
  const palette = gifenc.quantize(joined, 256);

  const loop = o.loop ?? true;
  const repeat = loop === true ? 0 : loop === false ? -1 : Math.max(0, Math.floor(loop));
  const last = o.lastFrameMs ?? Math.max(1500, 4 * o.delayMs);
  const gif = gifenc.GIFEncoder();
  for (let k = 0; k < frames.length; k++) {
    const px = render(k);
    const index = gifenc.applyPalette(px, palette);
    gif.writeFrame(index, width, first.height, {
      palette: k === 0 ? palette : undefined,
      delay: k === frames.length - 1 ? last : o.delayMs,
      repeat: k === 0 ? repeat : undefined,
    });
    rendered[k] = null; // free frames as we go
  }
  gif.finish();
  return gif.bytes();
}
