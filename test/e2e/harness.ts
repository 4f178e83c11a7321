/**
 * Shared set-up of the browser tests: build the lab with Vite's JS API into
 * a temporary directory, serve it on 127.0.0.1 (random port) with a tiny
 * static server, and launch Debian's Chromium through playwright-core.
 * A missing browser is an error (scripts/ensure-chromium.mjs installs it
 * before `vitest run`), never a skip.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { inflateSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll } from "vitest";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";

export async function buildLab(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "optimlab-lab-"));
  await build({ configFile: join(ROOT, "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  return outDir;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
};

/** Serves `dir`; `headers` go on every response (e.g. a Content-Security-Policy). */
export function serve(dir: string, headers: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store", ...headers });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/` });
    }),
  );
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`node scripts/ensure-chromium.mjs\` (npm test does) or \`apt-get install chromium\``);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export function cleanup(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/** The backend status carries its name once a backend is running. */
export const BACKEND_READY = "#backend-status[data-backend]:not([data-backend=''])";

export interface LabSession {
  /** The served lab's address (valid inside tests). */
  readonly url: () => string;
  readonly browser: () => Browser;
  /**
   * A fresh page at `url + hash`, every console error, uncaught exception and
   * failed request collected in `errors`, after each selector of `waitFor`
   * has appeared.
   */
  open(hash: string, o: { viewport?: { width: number; height: number }; waitFor: readonly string[] }): Promise<{ page: Page; errors: string[] }>;
}

/**
 * One file's browser set-up: the lab built, served (with `headers` on every
 * response) and Chromium launched before its tests, all torn down after.
 */
export function labSession(headers: Record<string, string> = {}): LabSession {
  let dir = "";
  let server: Server | undefined;
  let url = "";
  let browser: Browser | undefined;
  beforeAll(async () => {
    dir = await buildLab();
    ({ server, url } = await serve(dir, headers));
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(null)));
    if (dir) cleanup(dir);
  });
  return {
    url: () => url,
    browser: () => browser!,
    async open(hash, { viewport = { width: 1280, height: 800 }, waitFor }) {
      const page = await browser!.newPage({ viewport });
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
      await page.goto(url + hash);
      for (const sel of waitFor) await page.waitForSelector(sel);
      return { page, errors };
    },
  };
}

/** Decodes an 8-bit, non-interlaced PNG (as Chromium writes screenshots) to RGBA. */
export function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8;
  let width = 0,
    height = 0,
    depth = 0,
    colorType = 0,
    interlace = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (depth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const gray = channels <= 2;
    rgba[i * 4] = px[s];
    rgba[i * 4 + 1] = gray ? px[s] : px[s + 1];
    rgba[i * 4 + 2] = gray ? px[s] : px[s + 2];
    rgba[i * 4 + 3] = channels === 4 ? px[s + 3] : channels === 2 ? px[s + 1] : 255;
  }
  return { width, height, rgba };
}

/** Number of distinct RGB colours in an RGBA image. */
export function distinctColours(rgba: Uint8Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) seen.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
  return seen.size;
}
