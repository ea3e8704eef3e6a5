import { expect, test } from "./fixtures";
import { openSignedIn, placeOrder, setStatus, signIn } from "./support";

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
  const recent = staff.locator(".recent");
  await expect(recent.locator(`[data-order="${handed.id}"]`)).toBeVisible();
  await recent.locator(`[data-order="${handed.id}"]`).getByRole("button", { name: "Recall" }).click();
  await expect(staff.locator(`.staff-orders > .staff-order[data-order="${handed.id}"][data-status="ready"]`)).toBeVisible();
});
