/**
 * Colours.
 *
 * - `OKABE_ITO`: the colour-blind-safe qualitative palette of Okabe & Ito
 *   (2008). `TRAJECTORY_COLORS` orders it for lines over both white and
 *   viridis backgrounds (yellow, weak on white and on viridis' top, comes last).
 * - `viridis(t)`: matplotlib's perceptually uniform sequential map, linearly
 *   interpolated (in sRGB) between 33 anchor colours of the original
 *   256-entry table (within about 1/255 of it).
 * - `MARKER_FILL` / `MARKER_STROKE`: white with a black outline reads on every
 *   colour of both palettes; `contrastColor` picks black or white text/lines
 *   for a background.
 */

export type RGB = [number, number, number];

export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Okabe–Ito in the order trajectories and series take them. */
export const TRAJECTORY_COLORS: readonly string[] = [
  OKABE_ITO.vermillion,
  OKABE_ITO.blue,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

/**
 * Dash patterns (SVG `stroke-dasharray`) that tell apart runs beyond the
 * eight colours: solid first, then dashed, dotted, dash-dot.
 */
export const LINE_DASHES: readonly (string | undefined)[] = [undefined, "7 4", "2 3", "10 3 2 3"];

/**
 * The style of the i-th run of a figure: Okabe–Ito's eight colours first
 * (solid), then the eight again with each dash pattern in turn, so every
 * run of a figure looks different up to 32 runs. `taken` colours (given by
 * the user to other runs) are skipped.
 */
export function runStyle(i: number, taken: readonly string[] = []): { color: string; dashed: string | undefined } {
  const used = new Set(taken.map((c) => c.toLowerCase()));
  const free = TRAJECTORY_COLORS.filter((c) => !used.has(c.toLowerCase()));
  const palette = free.length ? free : TRAJECTORY_COLORS;
  const n = palette.length;
  return { color: palette[i % n], dashed: LINE_DASHES[Math.floor(i / n) % LINE_DASHES.length] };
}

/** The i-th trajectory colour (cycles). */
export function trajectoryColor(i: number): string {
  const n = TRAJECTORY_COLORS.length;
  return TRAJECTORY_COLORS[((i % n) + n) % n];
}

/** Fill and outline for markers drawn over data (minima, start points, heads). */
export const MARKER_FILL = "#FFFFFF";
export const MARKER_STROKE = "#000000";

// matplotlib's viridis (the 256-entry table, as in d3-scale-chromatic) sampled
// at entries round(k·255/32), k = 0..32: 33 anchors, interpolated linearly.
const VIRIDIS_ANCHORS: readonly string[] = [
  "#440154",
  "#470d60",
  "#48186a",
  "#482374",
  "#472d7b",
  "#453781",
  "#424086",
  "#3e4989",
  "#3b528b",
  "#375b8d",
  "#33638d",
  "#2f6b8e",
  "#2c728e",
  "#297a8e",
  "#26828e",
  "#23898e",
  "#21918c",
  "#1f978b",
  "#1f9f88",
  "#21a685",
  "#27ad81",
  "#31b57b",
  "#3dbc74",
  "#4cc26c",
  "#5cc863",
  "#6ece58",
  "#81d34d",
  "#95d840",
  "#aadc32",
  "#c0df25",
  "#d5e21a",
  "#eae51a",
  "#fde725",
];

export function hexToRgb(hex: string): RGB {
  const h = hex.replace("#", "");
  const full =
    h.length === 3
      ? h
          .split("")
          .map((c) => c + c)
          .join("")
      : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex([r, g, b]: RGB): string {
  const c = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, "0");
  return `#${c(r)}${c(g)}${c(b)}`;
}

const VIRIDIS_RGB = VIRIDIS_ANCHORS.map(hexToRgb);

/** viridis at t ∈ [0, 1] (clamped; NaN gives the bottom colour) as RGB 0..255. */
export function viridisRgb(t: number): RGB {
  const x = Number.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
  const n = VIRIDIS_RGB.length - 1;
  const k = Math.min(n - 1, Math.floor(x * n));
  const f = x * n - k;
  const a = VIRIDIS_RGB[k];
  const b = VIRIDIS_RGB[k + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** viridis at t ∈ [0, 1] as "#rrggbb". */
export function viridis(t: number): string {
  return rgbToHex(viridisRgb(t));
}

/** `n` colours evenly spaced along viridis, bottom to top. */
export function sequentialColors(n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [viridis(0.5)];
  return Array.from({ length: n }, (_, i) => viridis(i / (n - 1)));
}

/** Mix of two colours: t = 0 gives a, t = 1 gives b. */
export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Multiply a colour by a brightness factor (clamped to 0..255). */
export function shade(c: RGB, f: number): RGB {
  return [Math.min(255, c[0] * f), Math.min(255, c[1] * f), Math.min(255, c[2] * f)];
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: RGB): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever contrasts more with `background`. */
export function contrastColor(background: string | RGB): "#000000" | "#FFFFFF" {
  const rgb = typeof background === "string" ? hexToRgb(background) : background;
  const L = luminance(rgb);
  // Contrast ratios against white and black are equal at L ≈ 0.179.
  return L > 0.179 ? "#000000" : "#FFFFFF";
}
