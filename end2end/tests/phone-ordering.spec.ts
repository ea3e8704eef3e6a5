import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { hydrated } from "./support";

const PHONE = { width: 390, height: 844 };

/** "€12.50" or "+€1.50" as a number of euros. */
const euros = (text: string | null) => Number(text!.replace(/[^0-9.]/g, ""));

test.describe("on a phone", () => {
  test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

  test("adding confirms it, folds the panel, and the cart bar leads to checkout", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    const bar = page.getByTestId("cart-bar");
    await expect(bar).toHaveCount(0);

    const margherita = page.locator('.menu-card[data-item="1"]');
    await margherita.getByText("Customise").click();
    // The size buttons price what a tap adds, extras included, and the panel says what they add.
    const medium = margherita.locator('.add-button[data-size="M"] .size-price');
    const plain = euros(await medium.textContent());
    const mozzarella = euros(await margherita.locator("label.choice", { hasText: "Extra mozzarella" }).locator(".choice-price").textContent());
    expect(mozzarella).toBeGreaterThan(0);
    await expect(margherita.locator(".customise-price")).toBeHidden();
    await margherita.getByLabel(/Extra mozzarella/).check();
    await expect(medium).toHaveText(`€${(plain + mozzarella).toFixed(2)}`);
    await expect(margherita.locator(".customise-price")).toHaveText(`Extras: +€${mozzarella.toFixed(2)} a pizza, in the prices below`);
    await margherita.getByRole("button", { name: "Add Medium Margherita to the cart" }).click();
    // Seen, and said to screen readers: the notice is a status (live) region.
    const notice = page.getByRole("status").filter({ hasText: "Added to your order" });
    await expect(notice).toHaveText("Added to your order: Margherita (Medium)");
    await expect(notice).toBeInViewport();
    // Done customising: the panel folds away.
    await expect(margherita.locator("details.customise")).not.toHaveAttribute("open", /.*/);
    await expect(medium).toHaveText(`€${plain.toFixed(2)}`);

    // The cart is far below the menu on a phone; the bar is at the bottom of the screen.
    await expect(bar).toBeInViewport();
    await expect(bar).toContainText("1 item");
    const box = (await bar.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(box.y).toBeGreaterThan(PHONE.height - 120);
    await expect(page.locator("#cart-title")).not.toBeInViewport();

    await page.getByRole("button", { name: "Add Lemonade to the cart" }).click();
    await expect(bar).toContainText("2 items");
    const total = (await page.getByTestId("cart-total").textContent())!;
    await expect(bar).toContainText(total);

    await bar.click();
    await expect(page.locator("#cart-title")).toBeInViewport();
    await page.getByLabel("Your name").fill("Ada Phone");
    // The bar never hides the button that places the order.
    await page.getByRole("button", { name: "Place order" }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
  });

  test("in French the bar, the notice and every price are written the French way", async ({ browser }) => {
    const context = await browser.newContext({ viewport: PHONE, locale: "fr-FR", hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("button", { name: /Ajouter Lemonade au panier/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Ajouté" })).toHaveText("Ajouté à votre commande : Lemonade");
    const bar = page.getByTestId("cart-bar");
    await expect(bar).toContainText("1 article");
    await expect(bar).toContainText(/^.*\d+,\d\d\u00a0€.*$/);
    await expect(page.getByTestId("cart-total")).toHaveText(/^\d+,\d\d\u00a0€$/);
    // No price on the page is written the English way.
    expect(await page.locator("body").innerText()).not.toMatch(/€\d/);
    await context.close();
  });
});

/** Every element of the menu and the cart that sticks out of its parent's box, sideways. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) {
      found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    }
    for (const element of document.querySelectorAll(".menu-card *, .checkout *")) {
      const parent = element.parentElement!;
      if (element.closest(".visually-hidden")) continue;
      const own = element.getBoundingClientRect();
      const room = parent.getBoundingClientRect();
      if (own.width === 0 || own.height === 0) continue;
      if (own.right > room.right + 1 || own.left < room.left - 1) {
        const name = `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`;
        found.push(`${name} "${(element.textContent ?? "").trim().slice(0, 30)}" by ${Math.round(Math.max(own.right - room.right, room.left - own.left))} px`);
      }
    }
    return found;
  });
}

test("nothing on the menu or in the cart sticks out of its box, from 320 to 1920 px", async ({ page }) => {
  for (const width of [320, 390, 768, 1024, 1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("button", { name: "Add Lemonade to the cart" }).click();
    // Every customise panel open, as wide as it gets.
    for (const summary of await page.locator(".customise summary").all()) {
      await summary.click();
    }
    await expect(page.locator("details.customise[open]")).toHaveCount(await page.locator("details.customise").count());
    expect(await overflowing(page), `at ${width} px`).toEqual([]);
  }
});
