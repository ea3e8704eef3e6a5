import { expect, test } from "./fixtures";
import { ADMIN_PASSWORD, ADMIN_USER, hydrated, openSignedIn, OwnServer, STAFF_USER, ticket } from "./support";

test.describe("a French browser", () => {
  test.use({ locale: "fr-FR" });

  test("orders in French, sees French refusals, and the kitchen and the order page speak French too", async ({ browser, page, baseURL }) => {
    const kitchen = await openSignedIn(browser, "/kitchen");
    await kitchen.context().addCookies([{ name: "pizzeria_lang", value: "fr", url: baseURL! }]);
    await kitchen.reload();
    await hydrated(kitchen);
    await expect(kitchen.locator("html")).toHaveAttribute("lang", "fr");

    await page.goto("/");
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { name: "Boissons" })).toBeVisible();
    await page.getByRole("button", { name: "Ajouter Margherita (Moyenne) au panier" }).click();
    await expect(page.locator(".cart-line")).toContainText("Margherita");

    // The server's refusal, in the page's language.
    await page.getByRole("button", { name: "Commander" }).click();
    await expect(page.locator(".error-notice")).toHaveText("indiquez votre nom, s'il vous plaît");

    await page.getByLabel("Votre nom").fill("Amélie Poulain");
    await page.getByRole("button", { name: "Commander" }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
    await expect(page.locator("h1")).toContainText("Commande n°");
    await expect(page.locator(".order-status")).toHaveText("Reçue");
    const orderId = Number((await page.locator("h1").textContent())!.replace(/\D/g, ""));

    const newTicket = ticket(kitchen, orderId, "received");
    await expect(newTicket).toBeVisible();
    await expect(newTicket.locator(".pickup")).toHaveText("Dès que possible");

    // The switch in the top bar: back to English, on the same page.
    await page.getByRole("link", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
    await expect(page.locator(".order-status")).toHaveText("Received");
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Drinks" })).toBeVisible();
  });

  test("a wrong password is said as such, in French, and never as the server's English", async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
    await page.getByLabel("Identifiant").fill(STAFF_USER);
    await page.getByLabel("Mot de passe").fill("pas le mot de passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.getByRole("alert")).toHaveText("Identifiant ou mot de passe incorrect.");
  });
});

test("an admin prices in Swiss francs, and customers see francs on the menu and in the cart, in either language", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  server.createUser("admin", ADMIN_USER, ADMIN_PASSWORD);
  try {
    const admin = await openSignedIn(browser, "/admin/menu", { baseURL: server.url, as: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
    await admin.getByLabel("Prices are in").selectOption("CHF");
    await admin.getByRole("button", { name: "Save the currency" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "CHF" })).toHaveText("Saved: pages opened from now on show prices in CHF.");

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto("/");
    await hydrated(page);
    const medium = page.locator('.menu-card[data-item="1"] .add-button[data-size="M"]');
    await expect(medium.locator(".size-price")).toHaveText(/^CHF\u00A0\d+\.\d\d$/);
    await medium.click();
    // The island formats money in the browser: it must use the page's currency too.
    await expect(page.getByTestId("cart-bar")).toContainText(/CHF\u00A0\d+\.\d\d/);
    await expect(page.locator("body")).not.toContainText("€");

    await context.addCookies([{ name: "pizzeria_lang", value: "fr", url: server.url }]);
    await page.goto("/");
    await hydrated(page);
    await expect(medium.locator(".size-price")).toHaveText(/^\d+,\d\d\u00A0CHF$/);
  } finally {
    await server.kill();
  }
});
