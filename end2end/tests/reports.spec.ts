import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, openSignedIn, OwnServer, placeOrder, setStatus, staffApi } from "./support";

const SIZES = [
  { name: "tablet", width: 1024, height: 768 },
  { name: "wall", width: 1920, height: 1080 },
  { name: "phone", width: 390, height: 844 },
];

test("an owner sees today's orders, the time in each stage and the best sellers, and downloads the orders", async ({ browser }, testInfo) => {
  const server = new OwnServer();
  await server.start();
  server.createUser("admin", ADMIN_USER, ADMIN_PASSWORD);
  try {
    const api = await staffApi(browser, server.url);
    // Five orders: three Margheritas (item 1) across them, two of another pizza; two go all
    // the way to collected, one is cancelled.
    const lines = [
      [{ item_id: 1, size: "M", quantity: 2 }],
      [{ item_id: 2, size: "L", quantity: 1 }],
      [{ item_id: 1, size: "S", quantity: 1 }, { item_id: 2, size: "M", quantity: 1 }],
      [{ item_id: 3, size: "M", quantity: 4 }],
      [{ item_id: 4, size: "M", quantity: 1 }],
    ];
    const orders = [];
    for (const [index, order] of lines.entries()) orders.push(await placeOrder(api, `Guest ${index + 1}`, order));
    for (const order of orders.slice(0, 2)) {
      let version = order.version;
      for (const status of ["preparing", "baking", "ready", "collected"]) version = (await setStatus(api, order.id, status, version)).version;
    }
    const cancel = await api.post("/api/change_order_status", {
      data: { order_id: orders[3].id, change: { action: "cancel", reason: "Oven down" }, expected_version: null },
    });
    expect(cancel.status(), await cancel.text()).toBe(200);

    const admin = await openSignedIn(browser, "/admin/reports", {
      baseURL: server.url,
      as: { username: ADMIN_USER, password: ADMIN_PASSWORD },
      viewport: { width: 1024, height: 768 },
    });
    const today = admin.locator(".report-period").first();
    await expect(today.locator(".report-orders")).toHaveText("5");
    await expect(today.locator(".report-late")).toHaveText("0 % (0 of 2)");

    // The hour chart: today's bars add up to today's orders, in its table of numbers too.
    const hours = admin.locator(".report-chart").filter({ has: admin.getByRole("heading", { name: "Orders per hour" }) });
    await expect(hours.locator("svg[role=img] rect.bar-today")).not.toHaveCount(0);
    await hours.getByText("Show the numbers").click();
    const todayCells = await hours.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(todayCells.map(Number).reduce((a, b) => a + b, 0)).toBe(5);

    // Every stage an order left is timed; the best sellers leave the cancelled order out.
    const stages = admin.locator(".report-chart").filter({ has: admin.getByRole("heading", { name: /Average time in each stage/ }) });
    await expect(stages.locator("svg .bar-label")).toHaveText(["Waiting for the kitchen", "Preparing", "In the oven", "Waiting for pickup"]);
    const sellers = admin.locator(".report-chart").filter({ has: admin.getByRole("heading", { name: /Best sellers/ }) });
    await expect(sellers.locator("svg .bar-value")).toHaveText(["3", "2", "1"]);
    await expect(sellers.locator("svg .bar-label").first()).toHaveText("Margherita");

    // The CSV holds every order, one row each.
    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: /Download the last 7 days/ }).click()]);
    const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^Order,Placed,Pickup,Status,Customer,Items,Total/);
    expect(csv.slice(1).map((row) => Number(row.split(",")[0]))).toEqual(orders.map((order) => order.id));

    for (const size of SIZES) {
      await admin.setViewportSize({ width: size.width, height: size.height });
      // Nothing sticks out sideways, at any size.
      const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${size.name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
      const path = testInfo.outputPath(`reports-${size.width}x${size.height}.png`);
      await admin.screenshot({ path, fullPage: true });
      await testInfo.attach(`reports-${size.name}`, { path, contentType: "image/png" });
    }

    // In French, the same report in French words and money.
    await admin.goto("/lang/fr?next=/admin/reports");
    await expect(admin.getByRole("heading", { name: "Commandes par heure" })).toBeVisible();
    await expect(admin.locator(".report-period").first().locator("dt").first()).toHaveText("Commandes");
    await expect(admin.locator(".report-period").first().locator("dd").nth(1)).toHaveText(/^\d[\d\u202F]*,\d\d\u00A0€$/);
  } finally {
    await server.kill();
  }
});
