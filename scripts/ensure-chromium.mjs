#!/usr/bin/env node
/**
 * Makes sure Debian's Chromium is installed for the browser (e2e) tests.
 * If /usr/bin/chromium is missing, runs `apt-get update` then
 * `apt-get install -y chromium` (the test machine runs as root), printing
 * what it does. Any failure exits non-zero: the browser tests are never
 * skipped silently.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = "/usr/bin/chromium";

function run(cmd, args) {
  console.log(`ensure-chromium: $ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} exited with status ${r.status ?? r.signal}`);
}

function fail(msg) {
  console.error(`ensure-chromium: FAILED: ${msg}`);
  console.error(`ensure-chromium: the browser tests need ${CHROMIUM}; install it with \`apt-get install chromium\` (as root).`);
  process.exit(1);
}

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} present`);
} else {
  console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package`);
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    fail("not running as root, so apt-get cannot install chromium");
  }
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} is still missing`);
  console.log(`ensure-chromium: installed ${CHROMIUM}`);
}
const v = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" });
if (v.status !== 0) fail(`${CHROMIUM} --version failed: ${v.stderr || v.error?.message}`);
console.log(`ensure-chromium: ${v.stdout.trim()}`);
