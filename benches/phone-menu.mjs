// The menu page on an emulated mid-range phone: how long until the first "add to cart" works,
// and how much the page downloads. A benchmark (BENCHMARKS.md, "Customers' phones"), never a
// test: it prints figures and decides nothing.
//
//   scripts/release-build.sh
//   node benches/phone-menu.mjs            # 5 cold loads; RUNS=N for another count
//
// Chromium's own throttling (DevTools protocol): 150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up, the CPU 4× slower; a 390×844 touch screen. Each load is cold (a new browser
// context: no cache), after one load that is not counted. It starts the release server (target/release/pizzeria, the site in
// target/site) on a free loopback port with a fresh SQLite database.
//
// "Works" is measured as a customer finds it: the size button is tapped the moment the page
// says it is live (`<body data-hydrated>`), and the time is when the cart bar shows the pizza.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(REPO, "end2end", "package.json"));
const { chromium } = require("@playwright/test");

const RUNS = Number(process.env.RUNS ?? 5);
const SERVER = process.env.PIZZERIA_BIN ?? path.join(REPO, "target/release/pizzeria");
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const CPU_SLOWDOWN = 4;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startServer() {
  const port = await freePort();
  const db = path.join(mkdtempSync(path.join(tmpdir(), "pizzeria-phone-")), "bench.db");
  const child = spawn(SERVER, ["serve"], {
    cwd: REPO,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: `sqlite://${db}`, LEPTOS_SITE_ROOT: path.join(REPO, "target/site"), PIZZERIA_ADDR: `127.0.0.1:${port}`, RUST_LOG: "warn" },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("the server did not start");
}

async function oneLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const bytes = { wasm: 0, js: 0, html: 0, other: 0 };
  const kinds = new Map();
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    const type = response.mimeType ?? "";
    // An island's wasm pieces come in one body (`/pkg/islands/<Island>`, island_bundles.js).
    const wasm = type.includes("wasm") || response.url.includes("/pkg/islands/");
    kinds.set(requestId, wasm ? "wasm" : type.includes("javascript") ? "js" : type.includes("html") ? "html" : "other");
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    bytes[kinds.get(requestId) ?? "other"] += encodedDataLength;
  });
  // Taps the Margherita's medium size the moment the page is live, and notes when the cart
  // bar shows it: all inside the page, so no round trip to this script is counted.
  await page.addInitScript(() => {
    const tapWhenLive = () => {
      const button = document.querySelector('.menu-card[data-item="1"] .add-button[data-size="M"]');
      window.__liveAt = performance.now();
      button.click();
      const seen = () => {
        if (document.querySelector("[data-testid=cart-bar]")) window.__addedAt = performance.now();
        else requestAnimationFrame(seen);
      };
      seen();
    };
    new MutationObserver((_, observer) => {
      if (document.body?.hasAttribute("data-hydrated")) {
        observer.disconnect();
        tapWhenLive();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__addedAt !== undefined, null, { timeout: 60_000, polling: 100 });
  const timing = await page.evaluate(() => ({
    live: window.__liveAt,
    added: window.__addedAt,
    painted: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  }));
  await page.waitForLoadState("networkidle");
  await context.close();
  return { ...timing, bytes };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (value) => (value / 1024).toFixed(1);

const { child, url } = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  // The server compresses each file once, on its first request: a first load, not counted,
  // has them compressed as a deployed server would.
  await oneLoad(browser, url);
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const result = await oneLoad(browser, url);
    runs.push(result);
    console.log(
      `run ${run + 1}: first paint ${result.painted?.toFixed(0)} ms, live ${result.live.toFixed(0)} ms, added to cart ${result.added.toFixed(0)} ms; ` +
        `wasm ${kib(result.bytes.wasm)} KiB, js ${kib(result.bytes.js)} KiB, html ${kib(result.bytes.html)} KiB, other ${kib(result.bytes.other)} KiB (as sent)`,
    );
  }
  const summary = {
    runs: RUNS,
    first_paint_ms: Math.round(median(runs.map((r) => r.painted ?? 0))),
    live_ms: Math.round(median(runs.map((r) => r.live))),
    first_add_works_ms: Math.round(median(runs.map((r) => r.added))),
    wasm_kib_sent: Number(kib(median(runs.map((r) => r.bytes.wasm)))),
    js_kib_sent: Number(kib(median(runs.map((r) => r.bytes.js)))),
    html_kib_sent: Number(kib(median(runs.map((r) => r.bytes.html)))),
  };
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
  child.kill();
}
