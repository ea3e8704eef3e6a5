import { expect, test } from "./fixtures";
import { hydrated, openSignedIn, STAFF_USER, ticket } from "./support";

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
