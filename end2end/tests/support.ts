import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The suite's own server's port: `E2E_PORT` if set, else one found free when the run starts.
 * Loading the config sets it in the environment, which the workers (loading this file again)
 * inherit, so all agree; two runs on one machine never collide.
 */
export const E2E_PORT = Number((process.env.E2E_PORT ??= portFreeNow()));

/** A free loopback port, found synchronously (the config cannot wait). */
function portFreeNow(): string {
  const probe = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", probe]).toString().trim();
}
export const STAFF_USER = "e2e-staff";
export const STAFF_PASSWORD = "e2e staff password";
export const ADMIN_USER = "e2e-admin";
export const ADMIN_PASSWORD = "e2e admin password";
const REPO = path.resolve(__dirname, "..", "..");
/** The server binary the tests run: `cargo leptos build`'s, unless PIZZERIA_BIN names another. */
export const SERVER_BIN = process.env.PIZZERIA_BIN ?? path.join(REPO, "target/debug/pizzeria");

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Every test places orders from 127.0.0.1; the limits themselves are tested in Rust. */
export const TEST_LIMITS = { PIZZERIA_ORDERS_PER_MINUTE: "100000", PIZZERIA_SIGN_INS_PER_MINUTE: "100000" };

/** Debian's Chromium: Playwright never downloads a browser here. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
  ],
};

/**
 * Waits until the page's wasm has hydrated, so clicks reach Rust handlers. A wait for readiness,
 * not a speed check (BENCHMARKS.md measures that): on a loaded machine, a server of a test's own
 * compresses its bundle in the background while the browser compiles it, which took over the
 * 10 s an assertion gets. A page whose hydration fails logs a panic, which fails the test.
 */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
}

/** Marks the page so a test can prove it was never reloaded. */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as any).__noReload = "still here"));
}

export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as any).__noReload)).toBe("still here");
}

/** Signs the context (its pages and its `request`) in, as the test staff member by default. */
export async function signIn(context: BrowserContext | APIRequestContext, as: Credentials = { username: STAFF_USER, password: STAFF_PASSWORD }) {
  const request = "request" in context ? context.request : context;
  const response = await request.post("/api/sign_in", {
    form: { ...as, next: "/staff" },
    maxRedirects: 0,
  });
  // A form post is redirected (302); other clients get 200 and a redirect header.
  expect(response.status(), await response.text()).toBeLessThan(400);
  expect(response.headers()["set-cookie"]).toContain("pizzeria_session=");
}

type Credentials = { username: string; password: string };

/** A new browser context, signed in (as staff by default), with `path` open and hydrated. */
export async function openSignedIn(
  browser: Browser,
  path: string,
  options: { baseURL?: string; as?: Credentials; viewport?: { width: number; height: number } } = {},
) {
  // The kitchen is a wall screen: it is looked at as one, at 1920×1080, unless a test says otherwise.
  const viewport = options.viewport ?? (path.startsWith("/kitchen") ? { width: 1920, height: 1080 } : undefined);
  const context = await browser.newContext({
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(viewport ? { viewport } : {}),
  });
  await signIn(context, options.as);
  const page = await context.newPage();
  await page.goto(path);
  await hydrated(page);
  return page;
}

/** An API client of a server of the test's own, signed in as staff. */
export async function staffApi(browser: Browser, baseURL: string) {
  const api = (await browser.newContext({ baseURL })).request;
  await signIn(api);
  return api;
}

export type Order = { id: number; version: number; status: string };

type Line = { item_id: number; size: string; quantity: number; add?: number[]; remove?: string[]; notes?: string };

/** Places an order as a customer would; `extra` adds checkout fields (phone, notes, pickup_at). */
export async function placeOrder(request: APIRequestContext, name: string, lines: Line[] = [{ item_id: 1, size: "M", quantity: 1 }], extra: Record<string, unknown> = {}) {
  const response = await request.post("/api/place_order", { data: { request: { customer_name: name, lines, ...extra } } });
  expect(response.status(), await response.text()).toBe(200);
  const placed = await response.json();
  return { ...(placed.order as Order), token: placed.token as string };
}

export async function setStatus(request: APIRequestContext, orderId: number, status: string, expectedVersion?: number) {
  const response = await request.post("/api/set_order_status", {
    data: { order_id: orderId, status, expected_version: expectedVersion ?? null },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { id: number; version: number; status: string };
}

/** A kitchen ticket, optionally only while in `status`. */
export function ticket(page: Page, orderId: number, status?: string) {
  const inStatus = status ? `[data-status="${status}"]` : "";
  return page.locator(`.ticket[data-order="${orderId}"]${inStatus}`);
}

/** A server of the test's own, which the test may kill and restart. */
export class OwnServer {
  private child?: ChildProcess;
  readonly db: string;

  /** Found free when the server first starts, and kept across restarts. */
  private port?: number;

  constructor(public env: Record<string, string> = {}) {
    this.db = path.join(mkdtempSync(path.join(tmpdir(), "pizzeria-e2e-")), "own.db");
  }

  get url() {
    if (this.port === undefined) throw new Error("start the server before asking for its address");
    return `http://127.0.0.1:${this.port}`;
  }

  private staffCreated = false;

  async start() {
    if (!this.staffCreated) this.createStaff();
    this.port ??= await freePort();
    this.child = spawn(SERVER_BIN, ["serve"], {
      cwd: REPO,
      stdio: "ignore",
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${this.db}`,
        LEPTOS_SITE_ROOT: path.join(REPO, "target/site"),
        PIZZERIA_ADDR: `127.0.0.1:${this.port}`,
        PIZZERIA_HEARTBEAT_SECS: "2",
        RUST_LOG: "warn",
        ...TEST_LIMITS,
        ...this.env,
      },
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server on port ${this.port} did not start`);
  }

  private createStaff() {
    this.createUser("staff", STAFF_USER, STAFF_PASSWORD);
    this.staffCreated = true;
  }

  /** Adds an account to this server's database (it may be running). */
  createUser(role: "staff" | "admin", username: string, password: string) {
    execFileSync(SERVER_BIN, ["create-user", "--role", role, "--username", username], {
      env: { ...process.env, DATABASE_URL: `sqlite://${this.db}`, PIZZERIA_NEW_PASSWORD: password, RUST_LOG: "error" },
      stdio: "ignore",
    });
  }

  /** SIGKILL: no goodbye to the screens, like a crash or a power cut. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}
