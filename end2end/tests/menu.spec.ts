import { expect, test } from "./fixtures";
import { expectNotReloaded, hydrated, markNoReload, openSignedIn, OwnServer, ticket } from "./support";

/** A server of this file's own: marking items sold out must not disturb other tests. */

test("a customised pizza is ordered end to end and reaches the kitchen with its details", async ({ browser }) => {
  const kitchen = await openSignedIn(browser, "/kitchen");
  await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");

  const customer = await (await browser.newContext()).newPage();
  await customer.goto("/");
  await hydrated(customer);
  const margherita = customer.locator('.menu-card[data-item="1"]');
  // Its picture is served from public/.
  await expect.poll(() => margherita.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await margherita.getByText("Customise").click();
  await margherita.getByLabel("No basil").check();
  await margherita.getByLabel(/Extra mozzarella/).check();
  await margherita.getByLabel(/Anchovies/).check();
  await margherita.getByLabel("Note for the kitchen").fill("well done");
  await margherita.getByRole("button", { name: "Add Large Margherita to the cart" }).click();
  await customer.getByRole("button", { name: "Add Lemonade to the cart" }).click();
  // Large Margherita €13.00 + extra mozzarella €1.50 + anchovies €1.50, and a lemonade €3.50.
  await expect(customer.getByTestId("cart-total")).toHaveText("€19.50");
  const cartLine = customer.locator(".cart-line").first();
  await expect(cartLine).toContainText("+ Extra mozzarella");
  await expect(cartLine).toContainText("no basil");
  // The customisation was added: the card is ready for a plain one again.
  await expect(margherita.getByLabel("No basil")).not.toBeChecked();

  await customer.getByLabel("Your name").fill("Grace Hopper");
  await customer.getByLabel(/Phone/).fill("+1 555 0100");
  await customer.getByLabel(/Notes/).fill("Ring the bell");
  await customer.getByRole("button", { name: "Place order" }).click();
  await expect(customer).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
  await expect(customer.locator(".order-summary")).toContainText("+ Extra mozzarella");
  await expect(customer.locator(".order-summary")).toContainText("€19.50");
  // The customer sees every allergen of what they ordered.
  await expect(customer.locator(".order-summary .line-allergens").first()).toContainText("gluten, fish, milk");
  const orderId = Number((await customer.locator("h1").textContent())!.replace(/\D/g, ""));

  const newTicket = ticket(kitchen, orderId, "received");
  await expect(newTicket).toBeVisible();
  await expect(newTicket.locator(".ticket-name")).toHaveText("Grace");
  await expect(newTicket.locator(".pickup")).toHaveText("ASAP");
  await expect(newTicket.locator(".line-added")).toHaveText(["+ Extra mozzarella", "+ Anchovies"]);
  await expect(newTicket.locator(".line-removed")).toHaveText("− no basil");
  await expect(newTicket.locator(".line-notes")).toContainText("well done");
  // The kitchen is warned of what the extras bring beyond the recipe: fish.
  await expect(newTicket.locator(".line-allergens")).toHaveText("⚠ Allergens: fish");
  await expect(newTicket.locator(".order-notes")).toContainText("Ring the bell");
  await expect(newTicket).not.toContainText("555", { useInnerText: true });
});

test("the cart survives a reload", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: "Add Small Funghi to the cart" }).click();
  await page.getByRole("button", { name: "One more Funghi" }).click();
  await page.getByRole("button", { name: "Add Tiramisù to the cart" }).click();
  await page.getByLabel("Your name").fill("Linus");
  await expect(page.getByTestId("cart-total")).toHaveText("€23.50");

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("cart-total")).toHaveText("€23.50");
  await expect(page.getByLabel("Your name")).toHaveValue("Linus");
  await expect(page.locator(".cart-line")).toHaveCount(2);
});

test("an item marked sold out shows on an open menu page at once, and checkout refuses it", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  try {
    const customer = await (await browser.newContext({ baseURL: server.url })).newPage();
    await customer.goto("/");
    await hydrated(customer);
    await markNoReload(customer);
    await customer.getByRole("button", { name: "Add Medium Diavola to the cart" }).click();
    const diavola = customer.locator('.menu-card[data-item="3"]');
    await expect(diavola.locator(".sold-out-label")).toHaveCount(0);

    // Staff mark it sold out from the menu admin page.
    const admin = await openSignedIn(browser, "/admin/menu", { baseURL: server.url });
    await admin.locator('tr[data-item="3"]').getByRole("button", { name: /^Mark sold out\b.*Diavola$/ }).click();
    await expect(admin.locator('tr[data-item="3"] .availability')).toHaveText("Sold out");

    await expect(diavola.locator(".sold-out-label")).toHaveText("Sold out");
    await expect(diavola.getByRole("button", { name: "Add Medium Diavola to the cart" })).toBeDisabled();
    await expect(customer.locator(".cart-line-problem")).toContainText("sold out");
    await customer.getByLabel("Your name").fill("Ada");
    await customer.getByRole("button", { name: "Place order" }).click();
    await expect(customer.locator(".checkout-form .error-notice")).toContainText("Diavola is sold out");
    await expect(customer).toHaveURL(/\/$/);

    // Back on the menu: the open page follows again.
    await admin.locator('tr[data-item="3"]').getByRole("button", { name: /^Back on the menu\b.*Diavola$/ }).click();
    await expect(diavola.locator(".sold-out-label")).toHaveCount(0);
    await expect(customer.locator(".cart-line-problem")).toHaveCount(0);
    await expectNotReloaded(customer);
  } finally {
    await server.kill();
  }
});
