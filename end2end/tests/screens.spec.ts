import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, openSignedIn, placeOrder, ticket } from "./support";

test("a kitchen screen acknowledges what it shows, and admins see it keeping up", async ({ browser, request }) => {
  const kitchen = await openSignedIn(browser, "/kitchen");
  await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
  const placed = await placeOrder(request, "Acknowledged");
  await expect(ticket(kitchen, placed.id)).toBeVisible();

  const admin = await openSignedIn(browser, "/admin/devices", { as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  const rows = admin.locator(".connected-table tr[data-connection]");
  // Every screen on the kitchen feed has reported showing the newest event, and the list says
  // so in plain words, updating itself: nobody clicks anything.
  await expect
    .poll(async () => {
      const health = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-behind"), tr.getAttribute("data-health")]));
      return health.length > 0 && health.every(([behind, words]) => behind === "0" && words === "up-to-date");
    }, { timeout: 15_000 })
    .toBe(true);
  await expect(rows.filter({ hasText: "e2e-staff" }).first().locator(".screen-health")).toHaveText("Up to date");

  // A screen that stops acknowledging is told apart once the grace period has passed.
  const stopped = await openSignedIn(browser, "/kitchen");
  await expect(stopped.locator(".connection")).toHaveAttribute("data-state", "live");
  await stopped.evaluate(() => {
    // Keep the socket open but stop it answering: no more acknowledgements go out.
    WebSocket.prototype.send = () => {};
  });
  await placeOrder(request, "Unacknowledged");
  await expect(rows.locator(".screen-health", { hasText: /^Behind for \d+ s$/ }).first()).toBeVisible({ timeout: 30_000 });
});
