/**
 * PNG and GIF export (Node only: the one file in src/plot/ that imports node
 * modules and native code).
 *
 * PNG rendering needs two packages that library users rarely want, so they
 * are optional peer dependencies, loaded on demand by {@link loadRaster}:
 * `@resvg/resvg-js` (the native renderer) and `dejavu-fonts-ttf` (the
 * DejaVu Sans TTF files, loaded explicitly with system fonts off, so a
 * figure renders the same on a bare machine as on a desktop). Without them,
 * asking for a PNG or GIF is a {@link MissingPackageError} naming what to
 * install; SVG output needs neither.
 */

import { createRequire } from "node:module";
import path from "node:path";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import { peerSpec } from "../version.js";
import { FONT_FAMILY } from "./svg.js";

const require = createRequire(import.meta.url);

/** An optional package that this output needs is not installed. */
export class MissingPackageError extends Error {
  override name = "MissingPackageError";
  constructor(
    readonly packages: string[],
    what: string,
  ) {
    super(
      `${what} needs ${packages.join(" and ")}, optional dependencies of optimlab that are not installed here; run: npm install ${packages.map(peerSpec).join(" ")}`,
    );
  }
}

type ResvgClass = typeof import("@resvg/resvg-js").Resvg;
let Resvg: ResvgClass | undefined;
let fontFiles: string[] | null = null;

/** Whether a package can be resolved from here (without loading it). */
function installed(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the PNG renderer and its fonts once (PNG and GIF output need them);
 * a {@link MissingPackageError} naming the packages to install when they
 * are not there. Call it before the work, so a missing package fails at once.
 */
export async function loadRaster(what = "PNG and GIF output"): Promise<void> {
  if (Resvg && fontFiles) return;
  const missing = ["@resvg/resvg-js", "dejavu-fonts-ttf"].filter((p) => !installed(p));
  if (missing.length) throw new MissingPackageError(missing, what);
  const mod = (await import("@resvg/resvg-js")) as unknown as { Resvg?: ResvgClass; default?: { Resvg: ResvgClass } };
  Resvg = mod.Resvg ?? mod.default?.Resvg;
  dejaVuFontFiles();
}

function resvg(): ResvgClass {
  if (!Resvg) throw new Error("PNG rendering is not loaded: await loadRaster() first");
  return Resvg;
}

/** Paths of the DejaVu Sans faces (regular, bold, oblique, bold oblique). */
export function dejaVuFontFiles(): string[] {
  if (!fontFiles) {
    if (!installed("dejavu-fonts-ttf")) throw new MissingPackageError(["dejavu-fonts-ttf"], "PNG and GIF output");
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"].map((f) => path.join(dir, f));
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

/** Render an SVG document to PNG bytes ({@link loadRaster} first). */
export function svgToPng(svg: string, o: PngOptions = {}): Uint8Array {
  return asBytes(new (resvg())(svg, renderOptions(o.width)).render().asPng());
}

/** Render an SVG document to RGBA pixels (straight alpha, opaque here). */
export function svgToRgba(svg: string, o: PngOptions = {}): { data: Uint8Array; width: number; height: number } {
  const img = new (resvg())(svg, renderOptions(o.width)).render();
  return { data: asBytes(img.pixels), width: img.width, height: img.height };
}

// gifenc ships CommonJS (main) and ESM (module) builds with different default
// exports; require() always gets the CommonJS one.
type Palette = number[][];
interface FrameOptions {
  palette?: Palette;
  delay?: number;
  repeat?: number;
  transparent?: boolean;
  transparentIndex?: number;
  /** GIF disposal method: 1 keeps this frame under the next one. */
  dispose?: number;
  colorDepth?: number;
}
interface GifEncoder {
  writeFrame(index: Uint8Array, width: number, height: number, opts?: FrameOptions): void;
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
  /** Palette size, a power of two from 4 to 256 (default 128); one entry is kept for transparency. */
  colors?: number;
}

/**
 * Render SVG frames to an animated GIF, small enough to share:
 *
 * - one palette for all frames, quantized (rgb565) from up to five frames
 *   sampled evenly, first and last included; 127 colours by default
 *   (figures are flat fills, lines and text; fewer colours also mean
 *   shorter LZW codes);
 * - frame differencing: every frame after the first stays on top of the
 *   previous one (disposal "do not dispose") and paints only the pixels whose
 *   palette index changed; the others are the transparent index, whose long
 *   runs LZW compresses to almost nothing.
 */
export function svgFramesToGif(frames: readonly string[], o: GifOptions): Uint8Array {
  if (frames.length === 0) throw new RangeError("frames: must hold at least one SVG document");
  if (!(Number.isFinite(o.delayMs) && o.delayMs >= 0)) throw new RangeError(`delayMs: must be a number ≥ 0; got ${o.delayMs}`);
  const colors = o.colors ?? 128;
  if (![4, 8, 16, 32, 64, 128, 256].includes(colors)) throw new RangeError(`colors: must be a power of two from 4 to 256; got ${colors}`);
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
  const palette = gifenc.quantize(joined, colors - 1);
  // The transparent index sits after the colours (its RGB is never shown).
  const clear = palette.length;
  const table = [...palette, [255, 255, 255]];
  const depth = Math.max(2, Math.ceil(Math.log2(table.length)));

  const loop = o.loop ?? true;
  const repeat = loop === true ? 0 : loop === false ? -1 : Math.max(0, Math.floor(loop));
  const last = o.lastFrameMs ?? Math.max(1500, 4 * o.delayMs);
  const gif = gifenc.GIFEncoder();
  let prev: Uint8Array | undefined;
  for (let k = 0; k < frames.length; k++) {
    const index = gifenc.applyPalette(render(k), palette);
    let out = index;
    if (prev) {
      out = new Uint8Array(index.length);
      for (let i = 0; i < index.length; i++) out[i] = index[i] === prev[i] ? clear : index[i];
    }
    gif.writeFrame(out, width, first.height, {
      palette: k === 0 ? table : undefined,
      colorDepth: depth,
      delay: k === frames.length - 1 ? last : o.delayMs,
      repeat: k === 0 ? repeat : undefined,
      dispose: 1,
      ...(k > 0 ? { transparent: true, transparentIndex: clear } : {}),
    });
    prev = index;
    rendered[k] = null; // free frames as we go
  }
  gif.finish();
  return gif.bytes();
}
