import { expect, test } from "./fixtures";
import { hydrated, openSignedIn, OwnServer, placeOrder, setStatus, signIn, staffApi, ticket } from "./support";

/** Servers of these tests' own, with thresholds short enough to watch. */

test.describe("kitchen wall screen", () => {
  let server: OwnServer;

  test.beforeAll(async () => {
    server = new OwnServer({ PIZZERIA_TICKET_WARN_SECS: "2", PIZZERIA_TICKET_LATE_SECS: "4" });
    await server.start();
  });

  test.afterAll(async () => {
    await server.kill();
  });

  test("tickets turn amber then red at the server's thresholds, in words as well as colour", async ({ browser }) => {
    const api = await staffApi(browser, server.url);
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url });

    const order = await placeOrder(api, "Timer");
    const card = ticket(kitchen, order.id);
    await expect(card).toHaveAttribute("data-urgency", "on-time");
    await expect(card).toHaveAttribute("data-urgency", "warn", { timeout: 5_000 });
    await expect(card.locator(".urgency-label")).toContainText("waiting");
    await expect(card).toHaveAttribute("data-urgency", "late", { timeout: 5_000 });
    await expect(card.locator(".urgency-label")).toContainText("LATE");
    await expect(card).toHaveCSS("background-color", "rgb(58, 13, 10)");
  });

  test("the staff tablet shows each order's age and urgency by the same thresholds as the wall", async ({ browser }) => {
    const api = await staffApi(browser, server.url);
    const staff = await openSignedIn(browser, "/staff", { baseURL: server.url });
    const order = await placeOrder(api, "Tablet timer");
    const row = staff.locator(`.staff-order[data-order="${order.id}"]`);
    await expect(row).toHaveAttribute("data-urgency", "on-time");
    await expect(row.locator(".ticket-age")).toHaveText(/^\d+ s$/);
    await expect(row).toHaveAttribute("data-urgency", "warn", { timeout: 5_000 });
    await expect(row.locator(".urgency-label")).toContainText("waiting");
    await expect(row).toHaveAttribute("data-urgency", "late", { timeout: 5_000 });
    await expect(row.locator(".urgency-label")).toContainText("LATE");
    await expect(row).toHaveCSS("border-left-color", "rgb(163, 35, 27)");
    // Ready orders wait for their customer, not for the kitchen: no clock.
    await setStatus(api, order.id, "preparing");
    await setStatus(api, order.id, "baking");
    await setStatus(api, order.id, "ready");
    await expect(row).toHaveAttribute("data-status", "ready");
    await expect(row).toHaveAttribute("data-urgency", "none");
    await expect(row.locator(".ticket-age")).toHaveCount(0);
  });

  test("a screen whose code arrives late still comes alive, though its tickets aged meanwhile", async ({ browser }) => {
    const api = await staffApi(browser, server.url);
    const order = await placeOrder(api, "Slow network");
    const context = await browser.newContext({ baseURL: server.url });
    await signIn(context);
    const kitchen = await context.newPage();
    // The ticket crosses its amber threshold between the server's render and hydration.
    await kitchen.route("**/pkg/*.wasm", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await route.continue();
    });
    await kitchen.goto("/kitchen");
    await hydrated(kitchen);
    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
    await expect(ticket(kitchen, order.id)).not.toHaveAttribute("data-urgency", "on-time");
  });

  test("the screen fetches its island's code in one response, not piece by piece", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: server.url });
    await signIn(context);
    const kitchen = await context.newPage();
    const codeRequests: string[] = [];
    kitchen.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.endsWith(".wasm") || path.startsWith("/pkg/islands/")) codeRequests.push(path);
    });
    await kitchen.goto("/kitchen");
    await hydrated(kitchen);
    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
    expect(codeRequests).toContain("/pkg/islands/KitchenScreen");
    expect(codeRequests.filter((path) => /\/(chunk|split)_/.test(path))).toEqual([]);
    await context.close();
  });

  test("a new order is highlighted without anyone acknowledging it; loaded ones are not", async ({ browser }) => {
    const api = await staffApi(browser, server.url);
    const before = await placeOrder(api, "Already there");
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url });
    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
    const fresh = await placeOrder(api, "Just in");
    await expect(ticket(kitchen, fresh.id)).toHaveClass(/ticket-fresh/);
    await expect(ticket(kitchen, before.id)).not.toHaveClass(/ticket-fresh/);
    // The chime is served from our own files.
    expect((await api.get("/sounds/new-order.wav")).status()).toBe(200);
  });

  test("a name that looks like markup is shown as text, and the screen it is on still comes alive", async ({ browser }) => {
    // The board's first orders travel inside the page as JSON in a script element: a name
    // must not be able to end that element early.
    const api = await staffApi(browser, server.url);
    const name = "</script><script>window.pwned=1</script><!--";
    const marked = await placeOrder(api, name, [{ item_id: 1, size: "M", quantity: 1 }], { notes: "<b>no basil</b>" });
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url });
    await expect(ticket(kitchen, marked.id)).toContainText(name);
    await expect(ticket(kitchen, marked.id)).toContainText("<b>no basil</b>");
    expect(await kitchen.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
    const next = await placeOrder(api, "After the markup");
    await expect(ticket(kitchen, next.id)).toBeVisible();
  });

  test("the all-day panel counts the pizzas still to make", async ({ browser }) => {
    const fresh = new OwnServer();
    await fresh.start();
    try {
      const api = await staffApi(browser, fresh.url);
      const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: fresh.url });
      await expect(kitchen.locator(".all-day")).toContainText("Nothing to make");

      await placeOrder(api, "A", [{ item_id: 1, size: "M", quantity: 2 }, { item_id: 3, size: "L", quantity: 1 }]);
      await placeOrder(api, "B", [{ item_id: 1, size: "M", quantity: 1 }]);
      const baking = await placeOrder(api, "C", [{ item_id: 1, size: "M", quantity: 5 }]);
      const preparing = await setStatus(api, baking.id, "preparing", baking.version);
      await setStatus(api, baking.id, "baking", preparing.version);

      const panel = kitchen.locator(".all-day");
      await expect(panel.locator('li[data-item="Margherita M"] .all-day-count')).toHaveText("3");
      await expect(panel.locator('li[data-item="Diavola L"] .all-day-count')).toHaveText("1");
      await expect(panel.locator("li")).toHaveCount(2);
    } finally {
      await fresh.kill();
    }
  });
});
