import { expect, test } from "./fixtures";
import { openSignedIn, OwnServer, placeOrder, setStatus, signIn, staffApi } from "./support";

test("staff undo an action within seconds, cancel with a reason, and recall a collected order", async ({ browser, request }) => {
  await signIn(request);
  const staff = await openSignedIn(browser, "/staff");
  const row = (id: number) => staff.locator(`.staff-order[data-order="${id}"]`);

  // Undo.
  const oops = await placeOrder(request, "Oops");
  await row(oops.id).getByRole("button", { name: "Start preparing" }).click();
  await expect(row(oops.id)).toHaveAttribute("data-status", "preparing");
  const undoBar = staff.locator(".undo-bar");
  await expect(undoBar).toContainText(`#${oops.id} is now preparing`);
  await undoBar.getByRole("button", { name: "Undo" }).click();
  await expect(row(oops.id)).toHaveAttribute("data-status", "received");
  await expect(undoBar).toHaveCount(0);

  // Cancel, with a reason the customer will see.
  const doomed = await placeOrder(request, "Doomed");
  await row(doomed.id).getByRole("button", { name: "Cancel…" }).click();
  await staff.getByLabel(`Why is order #${doomed.id} cancelled?`).fill("Out of dough");
  await row(doomed.id).getByRole("button", { name: "Cancel the order" }).click();
  await expect(row(doomed.id)).toHaveCount(0);
  const customer = await (await browser.newContext()).newPage();
  await customer.goto(`/orders/${doomed.token}`);
  await expect(customer.locator(".order-status")).toHaveAttribute("data-status", "cancelled");
  await expect(customer.locator(".cancelled-note", { hasText: "Reason" })).toContainText("Out of dough");

  // Recall a collected order.
  let handed = await placeOrder(request, "Wrong person");
  for (const status of ["preparing", "baking", "ready", "collected"]) {
    handed = { ...(await setStatus(request, handed.id, status, handed.version)), token: handed.token };
  }
  // Recall is near the top, folded, and names how many can be recalled.
  const recent = staff.locator(".recent");
  await expect(recent.locator("summary")).toContainText(/Collected in the last 30 minutes \(\d+\)/);
  const recentBox = (await recent.boundingBox())!;
  const firstOpen = (await staff.locator(".staff-orders > .staff-order").first().boundingBox())!;
  expect(recentBox.y).toBeLessThan(firstOpen.y);
  await recent.locator("summary").click();
  await expect(recent.locator(`[data-order="${handed.id}"]`)).toBeVisible();
  await recent.locator(`[data-order="${handed.id}"]`).getByRole("button", { name: "Recall" }).click();
  await expect(staff.locator(`.staff-orders > .staff-order[data-order="${handed.id}"][data-status="ready"]`)).toBeVisible();
});

test("in a rush a tablet shows at least eight orders whole, and staff find one by stage, number or name", async ({ browser }, testInfo) => {
  const server = new OwnServer();
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    const names = ["Giulia", "Marco", "Sofia", "Luca", "Chiara", "Matteo", "Anna", "Paolo", "Elena", "Davide", "Sara", "Nico"];
    const orders = [];
    for (const [index, name] of names.entries()) {
      let order = await placeOrder(api, name, [{ item_id: 1 + (index % 6), size: "M", quantity: 1 }, { item_id: 7, size: "M", quantity: 1 }]);
      for (const status of ["preparing", "baking", "ready"].slice(0, index % 4)) {
        order = { ...(await setStatus(api, order.id, status, order.version)), token: order.token };
      }
      orders.push(order);
    }
    const staff = await openSignedIn(browser, "/staff", { baseURL: server.url, viewport: { width: 1024, height: 768 } });
    const rows = staff.locator(".staff-orders > .staff-order");
    await expect(rows).toHaveCount(12);
    // Count the rows wholly inside the first screen, without scrolling.
    const whole = await rows.evaluateAll((items) =>
      items.filter((item) => {
        const box = item.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
      }).length,
    );
    await staff.screenshot({ path: testInfo.outputPath("staff-1024x768.png") });
    expect(whole).toBeGreaterThanOrEqual(8);

    // By stage: the button says how many, and shows only those.
    const preparing = staff.getByRole("button", { name: /^Prep \d+$/ });
    await expect(preparing).toHaveText("Prep 3");
    await preparing.click();
    await expect(preparing).toHaveAttribute("aria-pressed", "true");
    await expect(rows).toHaveCount(3);
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute("data-status")))).toEqual(["preparing", "preparing", "preparing"]);
    await staff.getByRole("button", { name: /^All \d+$/ }).click();
    await expect(rows).toHaveCount(12);

    // By number, then by part of a name.
    const search = staff.getByRole("searchbox", { name: "Find an order by number or name" });
    await search.fill(`#${orders[4].id}`);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-order", String(orders[4].id));
    await search.fill("ar");
    await expect(rows).toHaveCount(3); // Marco, Sara, and Chiara
    await search.fill("nobody");
    await expect(rows).toHaveCount(0);
    await expect(staff.locator(".empty")).toHaveText("No open order matches.");
  } finally {
    await server.kill();
  }
});
