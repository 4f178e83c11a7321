/**
 * A small SVG writer: strings in, strings out, no DOM, no node imports.
 *
 * Every figure in `src/plot/` is built from these helpers, so that
 * - text content and attribute values are always escaped (`escapeXml`),
 * - coordinates are rounded to 0.01 px (`num`), which keeps files small and
 *   output stable across platforms,
 * - all text uses the one font the PNG export bundles (`FONT_FAMILY`).
 */

/** The font family of every text element; `export.ts` bundles its TTF files. */
export const FONT_FAMILY = "DejaVu Sans";

/** Escape `& < > " '` for use in text content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

/**
 * A coordinate or length rounded to 0.01, without trailing zeros or "-0".
 * Non-finite numbers are a programming error here (they would make an invalid
 * document) and throw.
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`svg: non-finite coordinate ${v}`);
  const r = Math.round(v * 100) / 100;
  if (r === 0) return "0";
  // toFixed(2) avoids exponent notation below 1e21; strip the zeros it adds.
  const s = Math.abs(r) >= 1e21 ? String(r) : r.toFixed(2);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue>;

function attrs(a: Attrs | undefined): string {
  if (!a) return "";
  let out = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue;
    const s = v === true ? k : typeof v === "number" ? num(v) : escapeXml(v);
    out += ` ${k}="${s}"`;
  }
  return out;
}

/** A child is already-serialised markup; falsy children are skipped. */
/** Markup, nothing, or a list of children (lists are passed whole, never spread: they may be long). */
export type Child = string | null | undefined | false | readonly Child[];

function appendChildren(out: string[], children: readonly Child[]): void {
  for (const c of children) {
    if (typeof c === "string") {
      if (c.length > 0) out.push(c);
    } else if (Array.isArray(c)) appendChildren(out, c);
  }
}

/**
 * An element. Children are markup strings (from other calls of `el`);
 * use `text()` or `escapeXml` for character data.
 */
export function el(tag: string, a?: Attrs, ...children: Child[]): string {
  const parts: string[] = [];
  appendChildren(parts, children);
  const body = parts.join("");
  return body.length === 0 ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${body}</${tag}>`;
}

/** A group. */
export function g(a: Attrs | undefined, ...children: Child[]): string {
  return el("g", a, children);
}

export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  /** Vertical placement of `y`: the baseline (default), the middle or the top of capitals. */
  baseline?: "alphabetic" | "middle" | "hanging";
  weight?: "normal" | "bold";
  fill?: string;
  /** Rotation in degrees about (x, y). */
  rotate?: number;
  italic?: boolean;
  attrs?: Attrs;
}

/**
 * A text element in DejaVu Sans. Vertical centring is done with a numeric `dy`
 * (0.35 em for "middle", 0.72 em for "hanging") rather than
 * `dominant-baseline`, which renderers support unevenly.
 */
export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const size = o.size ?? 12;
  const dy = o.baseline === "middle" ? 0.35 * size : o.baseline === "hanging" ? 0.72 * size : undefined;
  return el(
    "text",
    {
      x,
      y,
      dy,
      "font-family": FONT_FAMILY,
      "font-size": size,
      "font-weight": o.weight === "bold" ? "bold" : undefined,
      "font-style": o.italic ? "italic" : undefined,
      "text-anchor": o.anchor && o.anchor !== "start" ? o.anchor : undefined,
      fill: o.fill ?? "#000000",
      transform: o.rotate ? `rotate(${num(o.rotate)} ${num(x)} ${num(y)})` : undefined,
      ...o.attrs,
    },
    escapeXml(content),
  );
}

/** Path data with coordinates rounded to 0.01 px. */
export class PathData {
  private parts: string[] = [];
  moveTo(x: number, y: number): this {
    this.parts.push(`M${num(x)} ${num(y)}`);
    return this;
  }
  lineTo(x: number, y: number): this {
    this.parts.push(`L${num(x)} ${num(y)}`);
    return this;
  }
  close(): this {
    this.parts.push("Z");
    return this;
  }
  /** An open polyline (`closed` adds Z). Fewer than two points add nothing. */
  polyline(points: ReadonlyArray<readonly [number, number]>, closed = false): this {
    if (points.length < (closed ? 3 : 2)) return this;
    this.moveTo(points[0][0], points[0][1]);
    for (let i = 1; i < points.length; i++) this.lineTo(points[i][0], points[i][1]);
    if (closed) this.close();
    return this;
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  toString(): string {
    return this.parts.join("");
  }
}

/** `<path>` from path data; returns "" when the data is empty. */
export function path(d: PathData | string, a: Attrs = {}): string {
  const s = String(d);
  return s.length === 0 ? "" : el("path", { d: s, ...a });
}

export interface DocumentOptions {
  width: number;
  height: number;
  /** Background fill; default white, `null` for transparent. */
  background?: string | null;
  /** `<defs>` content (clip paths). */
  defs?: string;
  title?: string;
}

/** A standalone SVG document with width/height in px and a matching viewBox. */
export function svgDocument(o: DocumentOptions, ...body: Child[]): string {
  const bg = o.background === undefined ? "#ffffff" : o.background;
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width: o.width,
      height: o.height,
      viewBox: `0 0 ${num(o.width)} ${num(o.height)}`,
      "font-family": FONT_FAMILY,
    },
    o.title ? el("title", undefined, escapeXml(o.title)) : "",
    o.defs ? el("defs", undefined, o.defs) : "",
    bg ? el("rect", { width: o.width, height: o.height, fill: bg }) : "",
    body,
  );
}

/** A rectangular clip path; reference it with `clip-path="url(#id)"`. */
export function clipRect(id: string, x: number, y: number, w: number, h: number): string {
  return el("clipPath", { id }, el("rect", { x, y, width: w, height: h }));
}
