import { expect, test } from "./fixtures";

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("the menu points to the plain form, which places the order and shows its page", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Order with the simple form" }).click();
    await expect(page).toHaveURL(/\/order-now$/);
    await page.getByLabel("Margherita Medium · 30 cm, €10.50").fill("2");
    await page.getByLabel("Lemonade, €3.50").fill("1");
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
    await expect(page.locator(".order-status")).toHaveText("Received");
    await expect(page.locator(".order-summary")).toContainText("Margherita");
    await expect(page.locator(".order-total")).toContainText("€24.50");
  });

  test("a refused form comes back with the reason and keeps what was typed", async ({ page }) => {
    await page.goto("/order-now");
    await page.getByLabel("Your name").fill("Ada");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect(page).toHaveURL(/\/order-now\?/);
    await expect(page.locator(".error-notice")).toHaveText("the cart is empty: add at least one pizza");
    await expect(page.getByLabel("Your name")).toHaveValue("Ada");
  });
});
