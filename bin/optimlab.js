#!/usr/bin/env node
// Entry of the `optimlab` command. The CLI lives in src/cli.ts; this file
// wires it to the package entry (which may pick the WebAssembly core).
let cli, entry, pools;
try {
  cli = await import("../dist/src/cli.js");
  entry = await import("../dist/bindings/index.js");
  pools = await import("../dist/bindings/nodePool.js");
} catch (e) {
  process.stderr.write(`optimlab: not built (${e.code ?? e.message}); run "npm run build" first\n`);
  process.exit(1);
}
// `optimlab run … | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => process.exit(e.code === "EPIPE" ? 0 : 1));
process.exitCode = await cli.main(process.argv.slice(2), cli.nodeIO, { createBackend: entry.createBackend, createPool: pools.createNodePool });
