import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, hydrated, openSignedIn, OwnServer, placeOrder, setStatus, staffApi } from "./support";

const PHONE = { width: 390, height: 844 };

/** Stands in for the browser's notifications, vibration and sound, and records their use. */
function recordAlerts() {
  const w = window as any;
  w.__alerts = { notifications: [] as unknown[], vibrations: [] as unknown[], sounds: [] as string[] };
  class RecordedNotification {
    static permission = "default";
    static requestPermission() {
      RecordedNotification.permission = "granted";
      return Promise.resolve("granted");
    }
    constructor(title: string, options?: { body?: string }) {
      w.__alerts.notifications.push({ title, body: options?.body });
    }
  }
  w.Notification = RecordedNotification;
  Object.defineProperty(navigator, "vibrate", {
    configurable: true,
    value: (pattern: unknown) => {
      w.__alerts.vibrations.push(pattern);
      return true;
    },
  });
  HTMLMediaElement.prototype.play = function () {
    w.__alerts.sounds.push(this.src);
    return Promise.resolve();
  };
}

test("a customer looking elsewhere hears the order is ready: the tab's title, a chime, a buzz and the notification they allowed", async ({ browser, request, baseURL }, testInfo) => {
  const context = await browser.newContext({ viewport: PHONE });
  await context.addInitScript(recordAlerts);
  const placed = await placeOrder(request, "Ada");
  const page = await context.newPage();
  await page.goto(`/orders/${placed.token}`);
  await hydrated(page);
  await expect(page).not.toHaveTitle(/Ready/);

  const notifyMe = page.getByRole("button", { name: "Tell me when it's ready" });
  await notifyMe.click();
  await expect(notifyMe).toHaveCount(0);

  const api = await staffApi(browser, baseURL!);
  let version = placed.version;
  for (const status of ["preparing", "baking"]) version = (await setStatus(api, placed.id, status, version)).version;
  await expect(page.locator(".order-status")).toHaveAttribute("data-status", "baking");
  expect(await page.evaluate(() => (window as any).__alerts.notifications)).toEqual([]);

  await setStatus(api, placed.id, "ready", version);
  await expect(page).toHaveTitle(`Ready! Order #${placed.id}`);
  await expect(page.locator(".order-status")).toHaveText("Ready for pickup");
  const alerts = await page.evaluate(() => (window as any).__alerts);
  expect(alerts.notifications).toEqual([{ title: `Ready! Order #${placed.id}`, body: "Your order is ready for pickup." }]);
  expect(alerts.vibrations).toHaveLength(1);
  expect(alerts.sounds.filter((src: string) => src.endsWith("/sounds/new-order.wav"))).toHaveLength(1);
  // Ready is good news: the current step is green, not the red of an error.
  const ready = page.locator('.step[data-stage="ready"]');
  await expect(ready).toHaveAttribute("aria-current", "step");
  expect(await ready.evaluate((step) => getComputedStyle(step).backgroundColor)).toBe("rgb(27, 110, 42)");
  await page.screenshot({ path: testInfo.outputPath("tracker-ready-390x844.png"), fullPage: true });

  // Loaded when already ready: the title says so, but nothing rings again.
  const again = await context.newPage();
  await again.goto(`/orders/${placed.token}`);
  await hydrated(again);
  await expect(again).toHaveTitle(`Ready! Order #${placed.id}`);
  expect(await again.evaluate(() => (window as any).__alerts.notifications)).toEqual([]);
});

test("a cancelled order shows why it was cancelled, and no timeline", async ({ browser, request, baseURL }) => {
  const placed = await placeOrder(request, "Grace");
  const api = await staffApi(browser, baseURL!);
  const response = await api.post("/api/set_order_status", {
    data: { order_id: placed.id, status: "cancelled", reason: "the oven broke", expected_version: placed.version },
  });
  expect(response.status(), await response.text()).toBe(200);
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  await page.goto(`/orders/${placed.token}`);
  await hydrated(page);
  await expect(page.locator(".order-status")).toHaveAttribute("data-status", "cancelled");
  await expect(page.locator(".cancelled-note")).toHaveText("Reason: the oven broke");
  await expect(page.locator(".timeline")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Tell me when it's ready" })).toHaveCount(0);
});

test("the status is written once, with the progress as a bar under it", async ({ browser, request }) => {
  const placed = await placeOrder(request, "Once");
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  await page.goto(`/orders/${placed.token}`);
  await hydrated(page);
  await expect(page.locator(".order-status")).toHaveText("Received");
  // The bar's segments name their stage to screen readers only: the word is on the page once.
  const seen = await page.locator("main").evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".visually-hidden").forEach((hidden) => hidden.remove());
    return copy.textContent ?? "";
  });
  expect(seen.match(/Received/g)).toHaveLength(1);
  await expect(page.locator('.step[data-stage="received"]')).toHaveAttribute("aria-current", "step");
  await expect(page.locator(".step")).toHaveCount(5);
});

test("'Keep this link' offers the order's address to the share sheet, or copies it where there is none", async ({ browser, request }) => {
  const placed = await placeOrder(request, "Keeper");
  // A desktop browser: no share sheet, so the link is copied.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await desktop.grantPermissions(["clipboard-read", "clipboard-write"]);
  await desktop.addInitScript(() => Object.defineProperty(Navigator.prototype, "share", { configurable: true, value: undefined }));
  const page = await desktop.newPage();
  await page.goto(`/orders/${placed.token}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Keep this link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

  // A phone: its share sheet gets the title and the address, and nothing is copied.
  const phone = await browser.newContext({ viewport: PHONE });
  await phone.addInitScript(() => {
    (window as any).__shared = [];
    Object.defineProperty(Navigator.prototype, "share", {
      configurable: true,
      value: (data: unknown) => {
        (window as any).__shared.push(data);
        return Promise.resolve();
      },
    });
  });
  const onPhone = await phone.newPage();
  await onPhone.goto(`/orders/${placed.token}`);
  await hydrated(onPhone);
  await onPhone.getByRole("button", { name: "Keep this link" }).click();
  await expect.poll(() => onPhone.evaluate(() => (window as any).__shared)).toEqual([{ title: `Order #${placed.id}`, url: onPhone.url() }]);
  await expect(onPhone.locator(".keep-link-said")).toHaveText("");
});

test("an admin sets the pizzeria's address and phone, and the customer's tracker shows them with a number to call", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  try {
    server.createUser("admin", ADMIN_USER, ADMIN_PASSWORD);
    const api = await staffApi(browser, server.url);
    const order = await placeOrder(api, "Visitor");
    const customer = await (await browser.newContext({ baseURL: server.url, viewport: PHONE })).newPage();
    await customer.goto(`/orders/${order.token}`);
    const card = customer.getByRole("region", { name: "Pizzeria Demo" });
    await expect(card).toBeVisible();
    await expect(card.locator(".pizzeria-phone")).toHaveCount(0);

    const admin = await openSignedIn(browser, "/admin/menu", { baseURL: server.url, as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
    await admin.getByLabel("Address").fill("Via Roma 1\n00100 Roma");
    await admin.getByLabel("Phone").fill("+39 06 1234 5678");
    await admin.getByRole("button", { name: "Save address and phone" }).click();
    await expect(admin.getByRole("status")).toHaveText("Saved: order pages show it now.");

    await customer.reload();
    await expect(card.locator(".pizzeria-address")).toHaveText("Via Roma 1\n00100 Roma");
    await expect(card.getByRole("link", { name: "Call +39 06 1234 5678" })).toHaveAttribute("href", "tel:+390612345678");
    await expect(card).toContainText("Open around the clock");
  } finally {
    await server.kill();
  }
});
