import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, openSignedIn } from "./support";

test("an admin creates an API key, sees it once, an outside system orders with it, and revoking it shuts it out", async ({ browser, playwright, baseURL }) => {
  const admin = await openSignedIn(browser, "/admin/api-keys", { as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  await admin.getByLabel("Who uses the new key").fill("Phone till");
  await admin.getByRole("button", { name: "Create a key" }).click();
  const secret = (await admin.locator(".new-api-key").textContent())!.trim();
  expect(secret).toMatch(/^pzk_[0-9a-f]{64}$/);
  // The form starts over: the next key gets neither this name nor, unasked, a wider scope.
  await expect(admin.getByLabel("Who uses the new key")).toHaveValue("");
  await expect(admin.getByLabel("It may also mark items sold out")).not.toBeChecked();
  await admin.getByLabel("Who uses the new key").fill("Stock system");
  await admin.getByLabel("It may also mark items sold out").check();
  await admin.getByRole("button", { name: "Create a key" }).click();
  await expect(admin.locator("li[data-api-key]").filter({ hasText: "Stock system" }).locator(".api-key-scope")).toHaveText("orders, sold out");
  await expect(admin.getByLabel("It may also mark items sold out")).not.toBeChecked();

  const till = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const order = { customer_name: "Grace (phone)", lines: [{ item_id: 1, size: "L", quantity: 1 }] };
  const placed = await till.post("/api/v1/orders", { data: order, headers: { "Idempotency-Key": "till-e2e-0001" } });
  expect(placed.status(), await placed.text()).toBe(201);

  await admin.reload();
  const row = admin.locator("li[data-api-key]").filter({ hasText: "Phone till" });
  await expect(row).toBeVisible();
  await expect(row.locator(".api-key-scope")).toHaveText("orders");
  await expect(admin.locator(".new-api-key")).toHaveCount(0);
  await expect(admin.locator("body")).not.toContainText(secret);
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await till.post("/api/v1/orders", { data: order })).status()).toBe(401);
});
