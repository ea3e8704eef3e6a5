import { defineConfig } from "@playwright/test";
import { ADMIN_PASSWORD, ADMIN_USER, chromiumLaunchOptions, E2E_PORT, SERVER_BIN, STAFF_PASSWORD, STAFF_USER, TEST_LIMITS } from "./tests/support";

// One server for the suite, on its own fresh database and a free port, built beforehand by
// `cargo leptos build`.
// Tests that need to kill a server start their own (see tests/support.ts).
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  // No retries: a test that fails once has found something.
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    launchOptions: chromiumLaunchOptions,
    // Pages follow the browser's language: tests that want French say so.
    locale: "en-US",
    trace: "retain-on-failure",
  },
  webServer: {
    command:
      "rm -f target/e2e.db target/e2e.db-wal target/e2e.db-shm" +
      ` && '${SERVER_BIN}' create-user --role staff --username ${STAFF_USER}` +
      ` && PIZZERIA_NEW_PASSWORD='${ADMIN_PASSWORD}' '${SERVER_BIN}' create-user --role admin --username ${ADMIN_USER}` +
      ` && exec '${SERVER_BIN}' serve`,
    cwd: "..",
    url: `http://127.0.0.1:${E2E_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: "sqlite://target/e2e.db",
      LEPTOS_SITE_ROOT: "target/site",
      PIZZERIA_ADDR: `127.0.0.1:${E2E_PORT}`,
      PIZZERIA_HEARTBEAT_SECS: "2",
      RUST_LOG: "warn",
      PIZZERIA_NEW_PASSWORD: STAFF_PASSWORD,
      ...TEST_LIMITS,
    },
  },
});
