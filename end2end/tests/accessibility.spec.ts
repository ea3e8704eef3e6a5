import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, hydrated, openSignedIn, OwnServer, placeOrder, setStatus, signIn, staffApi } from "./support";

async function expectAccessible(page: Page) {
  await hydrated(page);
  // label-content-name-mismatch is marked experimental in axe, so off unless asked for: a
  // button's spoken name must hold the words it shows (voice control users say those).
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  const problems = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(problems).toEqual([]);
}

test("the menu, order, kitchen and staff pages have no contrast or labelling violations", async ({ browser, page, request }) => {
  await page.goto("/");
  await expectAccessible(page);
  await page.goto("/order-now");
  await expectAccessible(page);

  const placed = await placeOrder(request, "Axe");
  await page.goto(`/orders/${placed.token}`);
  await expectAccessible(page);

  const staffContext = await browser.newContext();
  await signIn(staffContext);
  const staff = await staffContext.newPage();
  for (const path of ["/kitchen", "/staff", "/login"]) {
    await staff.goto(path);
    await expectAccessible(staff);
  }

  const adminContext = await browser.newContext();
  await signIn(adminContext, { username: ADMIN_USER, password: ADMIN_PASSWORD });
  const admin = await adminContext.newPage();
  for (const path of ["/admin/menu", "/admin/devices", "/admin/users", "/admin/api-keys", "/admin/reports"]) {
    await admin.goto(path);
    await expectAccessible(admin);
  }
});

test("the kitchen at 1920×1080 with a dozen orders: 7:1 contrast, and a screenshot for people to look at", async ({ browser }, testInfo) => {
  const server = new OwnServer({ PIZZERIA_TICKET_WARN_SECS: "1", PIZZERIA_TICKET_LATE_SECS: "3" });
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    const names = ["Giulia", "Marco", "Sofia", "Luca", "Chiara", "Matteo", "Anna", "Paolo", "Elena", "Davide", "Sara", "Nico"];
    const steps = ["received", "preparing", "baking", "ready"];
    for (const [index, name] of names.entries()) {
      // Every third order is customised: extras, a removal, notes and so allergens.
      const custom = index % 3 === 0 ? { add: [1, 8], remove: ["basil"], notes: "well done" } : {};
      let order = await placeOrder(
        api,
        name,
        [
          { item_id: 1, size: ["S", "M", "L"][index % 3], quantity: 1 + (index % 3), ...custom },
          { item_id: 1 + ((index + 2) % 6), size: "M", quantity: 1 },
        ],
        index % 4 === 0 ? { notes: "Allergic to nuts", pickup_at: null } : {},
      );
      for (const status of steps.slice(1, 1 + (index % 4))) order = { ...(await setStatus(api, order.id, status, order.version)), token: order.token };
    }
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url, viewport: { width: 1920, height: 1080 } });
    await expect(kitchen.locator(".ticket")).toHaveCount(12);
    await kitchen.waitForTimeout(3_500); // let some tickets turn amber and red
    // The wall screen is read from across a kitchen: WCAG AAA contrast (7:1) for every text.
    const results = await new AxeBuilder({ page: kitchen }).withRules(["color-contrast-enhanced"]).analyze();
    const problems = results.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`));
    expect(problems).toEqual([]);
    const path = testInfo.outputPath("kitchen-1920x1080.png");
    await kitchen.screenshot({ path });
    await testInfo.attach("kitchen-1920x1080", { path, contentType: "image/png" });
  } finally {
    await server.kill();
  }
});
