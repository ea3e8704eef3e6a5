import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, ADMIN_USER, hydrated, placeOrder, signIn, ticket } from "./support";

test("an admin pairs a kitchen screen with a one-time link, and revoking it signs the screen out", async ({ browser, request }) => {
  const adminContext = await browser.newContext();
  await signIn(adminContext, { username: ADMIN_USER, password: ADMIN_PASSWORD });
  const admin = await adminContext.newPage();
  await admin.goto("/admin/devices");
  await hydrated(admin);
  const name = `Oven wall ${Date.now()}`;
  await admin.getByLabel("Name of the new screen").fill(name);
  await admin.getByRole("button", { name: "Add a screen" }).click();
  const link = admin.locator(".pairing-link a");
  await expect(link).toHaveAttribute("href", /^\/pair\/[0-9a-f]{64}$/);
  const pairingPath = (await link.getAttribute("href"))!;

  // The wall screen: opened once by whoever sets it up, then never touched again.
  const screen = await (await browser.newContext()).newPage();
  await screen.goto(pairingPath);
  await hydrated(screen);
  await screen.getByRole("button", { name: "Pair this screen" }).click();
  await expect(screen).toHaveURL(/\/kitchen$/);
  await hydrated(screen);
  await expect(screen.locator(".connection")).toHaveAttribute("data-state", "live");
  const order = await placeOrder(request, "For the paired screen");
  await expect(ticket(screen, order.id, "received")).toBeVisible();

  // The link works once only.
  const again = await (await browser.newContext()).newPage();
  await again.goto(pairingPath);
  await hydrated(again);
  await again.getByRole("button", { name: "Pair this screen" }).click();
  await expect(again.getByRole("alert")).toContainText("unknown, used or expired");

  await admin.locator(".device", { hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await expect(admin.locator(".device", { hasText: name })).toContainText("revoked");
  // Its live connection closes at once, and the screen falls back to the sign-in page.
  await expect(screen).toHaveURL(/\/login\?next=\/kitchen$/);
});
