import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, openSignedIn, placeOrder, ticket } from "./support";

test("a kitchen screen acknowledges what it shows, and admins see it keeping up", async ({ browser, request }) => {
  const kitchen = await openSignedIn(browser, "/kitchen");
  await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
  const placed = await placeOrder(request, "Acknowledged");
  await expect(ticket(kitchen, placed.id)).toBeVisible();

  const admin = await openSignedIn(browser, "/admin/devices", { as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  const rows = admin.locator(".connected-table tr[data-connection]");
  // Every screen on the kitchen feed has reported showing the newest event.
  await expect
    .poll(async () => {
      await admin.getByRole("button", { name: "Refresh" }).click();
      const behind = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-behind")));
      return behind.length > 0 && behind.every((count) => count === "0");
    }, { timeout: 15_000 })
    .toBe(true);
  await expect(rows.filter({ hasText: "e2e-staff" }).first()).toContainText("#");
});
