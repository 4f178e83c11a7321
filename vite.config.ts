/**
 * Vite config of the browser lab (web/). The page imports the library only
 * through its public entry points, aliased to the TypeScript sources so Vite
 * bundles them (with the embedded wasm of bindings/generated/wasm.ts, which
 * `npm run build` generates):
 *   "optimlab"      → bindings/index.ts  (createBackend, functions, optimizers, …)
 *   "optimlab/plot" → src/plot/index.ts  (the browser-safe SVG figures)
 *   "optimlab/experiments" → src/experiments/index.ts  (the report's data: the Networks view's learning rates)
 * `npm run lab` serves it, `npm run lab:build` writes build/lab/.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./web"),
  base: "./",
  publicDir: false,
  resolve: {
    alias: [
      { find: /^optimlab\/plot$/, replacement: here("./src/plot/index.ts") },
      { find: /^optimlab\/experiments$/, replacement: here("./src/experiments/index.ts") },
      { find: /^optimlab$/, replacement: here("./bindings/index.ts") },
    ],
  },
  worker: { format: "es" },
  build: {
    outDir: here("./build/lab"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
  },
  server: { host: "localhost", open: false },
  preview: { host: "127.0.0.1" },
});
