import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, hydrated, openSignedIn, placeOrder, signIn, ticket } from "./support";

test("an admin pairs a kitchen screen with a one-time link, and revoking it signs the screen out", async ({ browser, request }) => {
  const admin = await openSignedIn(browser, "/admin/devices", { as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  const name = `Oven wall ${Date.now()}`;
  await admin.getByLabel("Name of the new screen").fill(name);
  await admin.getByRole("button", { name: "Add a screen" }).click();
  const link = admin.locator(".pairing-link a");
  await expect(link).toHaveAttribute("href", /^\/pair\/[0-9a-f]{64}$/);
  const pairingPath = (await link.getAttribute("href"))!;

  // The wall screen: opened once by whoever sets it up, then never touched again.
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
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
  // Its live connection closes at once, and the screen falls back to showing a pairing code.
  await expect(screen).toHaveURL(/\/kitchen\/pair$/);
});

test("an admin adds a staff account who can then sign in, and disables it", async ({ browser }) => {
  const admin = await openSignedIn(browser, "/admin/users", { as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  const username = `cook-${Date.now()}`;
  await admin.getByLabel("Username").fill(username);
  // The browser refuses a short password before sending; the server checks again.
  await expect(admin.getByLabel("Password")).toHaveAttribute("minlength", "10");
  await admin.getByLabel("Password").fill("a long cook password");
  await admin.getByRole("button", { name: "Add account" }).click();
  const row = admin.locator(".device", { hasText: username });
  await expect(row).toContainText("staff");

  const cook = await openSignedIn(browser, "/staff", { as: { username, password: "a long cook password" } });
  await expect(cook.getByRole("heading", { name: "Open orders" })).toBeVisible();

  await row.getByRole("button", { name: "Disable" }).click();
  await expect(admin.locator(".device", { hasText: username })).toContainText("disabled");
  await expect(cook).toHaveURL(/\/login\?next=\/staff$/);

  const staffPage = await (await browser.newContext()).newPage();
  await signIn(staffPage.context());
  await staffPage.goto("/admin/users");
  await expect(staffPage.getByRole("alert")).toContainText("not allowed");
});
