import { expect, test } from "./fixtures";
import { expectNotReloaded, hydrated, markNoReload, openSignedIn, placeOrder, signIn, STAFF_PASSWORD, STAFF_USER, ticket } from "./support";

test("an order travels from the customer to the kitchen, staff advance it, the customer sees it live", async ({ browser }) => {
  const kitchen = await openSignedIn(browser, "/kitchen");
  await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
  await markNoReload(kitchen);
  // Count every input event the kitchen page gets: the pizzaiolo never touches it.
  await kitchen.evaluate(() => {
    (window as any).__inputs = 0;
    for (const type of ["pointerdown", "mousedown", "touchstart", "keydown", "wheel", "click"]) {
      window.addEventListener(type, () => ((window as any).__inputs += 1), true);
    }
  });

  const customer = await (await browser.newContext()).newPage();
  await customer.goto("/");
  await hydrated(customer);
  await customer.getByRole("button", { name: "Add Medium Margherita to the cart" }).click();
  await customer.getByRole("button", { name: "Add Large Diavola to the cart" }).click();
  await customer.getByRole("button", { name: "One more Diavola" }).click();
  await expect(customer.getByTestId("cart-total")).toHaveText("€39.50");
  await customer.getByLabel("Your name").fill("Pat");
  await customer.getByRole("button", { name: "Place order" }).click();

  // The customer's page is reached by an unguessable token, not the order number.
  await expect(customer).toHaveURL(/\/orders\/[0-9a-f]{32}$/);
  await expect(customer.locator("h1")).toHaveText(/Order #\d+/);
  const orderId = Number((await customer.locator("h1").textContent())!.replace(/\D/g, ""));
  await expect(customer.locator(".order-status")).toHaveAttribute("data-status", "received");

  // The kitchen screen, opened before, shows it within 2 s without anyone touching it.
  const newTicket = ticket(kitchen, orderId, "received");
  await expect(newTicket).toBeVisible({ timeout: 2_000 });
  await expect(newTicket).toContainText("Pat");
  await expect(newTicket).toContainText("Margherita");
  await expect(newTicket).toContainText("2 ×");

  await hydrated(customer);
  await markNoReload(customer);
  const staff = await openSignedIn(browser, "/staff");
  const row = staff.locator(`.staff-order[data-order="${orderId}"]`);
  await row.getByRole("button", { name: "Start preparing" }).click();
  await expect(staff.locator(`.staff-order[data-order="${orderId}"]`)).toHaveAttribute("data-status", "preparing");

  await expect(customer.locator(".order-status")).toHaveAttribute("data-status", "preparing");
  await expect(customer.locator('.step[data-stage="preparing"]')).toHaveAttribute("aria-current", "step");
  await expect(ticket(kitchen, orderId, "preparing")).toBeVisible();
  await expect(ticket(kitchen, orderId, "received")).toHaveCount(0);

  for (const action of ["Into the oven", "Mark ready"]) {
    await staff.locator(`.staff-order[data-order="${orderId}"]`).getByRole("button", { name: action }).click();
  }
  await expect(customer.locator(".order-status")).toHaveText("Ready for pickup");
  await expect(ticket(kitchen, orderId, "ready")).toBeVisible();
  await expectNotReloaded(kitchen);
  await expectNotReloaded(customer);
  expect(await kitchen.evaluate(() => (window as any).__inputs)).toBe(0);
});

test("checkout refuses an empty cart with a clear message", async ({ page, request }) => {
  await signIn(request);
  const before = await (await request.get("/api/orders")).json();
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Your name").fill("Nobody");
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page.getByRole("alert")).toContainText("cart is empty");
  await expect(page).toHaveURL(/\/$/);
  const after = await (await request.get("/api/orders")).json();
  expect(after.seq).toBe(before.seq);
});

test("bad orders get a 4xx with a message and write nothing", async ({ request }) => {
  await signIn(request);
  const before = await (await request.get("/api/orders")).json();
  const cases = [
    { customer_name: "Ada", lines: [{ item_id: 4242, size: "M", quantity: 1 }], field: "lines[0].item_id" },
    { customer_name: "Ada", lines: [{ item_id: 1, size: "M", quantity: 0 }], field: "lines[0].quantity" },
    { customer_name: "Ada", lines: [{ item_id: 1, size: "M", quantity: 1000 }], field: "lines[0].quantity" },
    { customer_name: "Ada", lines: [], field: "lines" },
    { customer_name: "x".repeat(10 * 1024), lines: [{ item_id: 1, size: "M", quantity: 1 }], field: "customer_name" },
  ];
  for (const { field, ...order } of cases) {
    const response = await request.post("/api/place_order", { data: { request: order } });
    expect(response.status()).toBe(422);
    const body = await response.json();
    expect(body.field).toBe(field);
    expect(body.message.length).toBeGreaterThan(5);
  }
  const after = await (await request.get("/api/orders")).json();
  expect(after.seq).toBe(before.seq);
  expect(after.orders.length).toBe(before.orders.length);
});

test("staff pages ask for a sign-in and come back afterwards", async ({ page }) => {
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/login\?next=\/staff$/);
  await hydrated(page);
  await page.getByLabel("Username").fill(STAFF_USER);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // In the page's words, not the server's lowercase English for API clients.
  await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole("heading", { name: "Open orders" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The kitchen wall is a TV: instead of a password form it shows a code to pair it by.
  await page.goto("/kitchen");
  await expect(page).toHaveURL(/\/kitchen\/pair$/);
});

test("two staff advancing the same order at once: the version decides, the other is told", async ({ browser, request }) => {
  await signIn(request);
  const order = await placeOrder(request, "Contested");
  const pages = [];
  for (let i = 0; i < 2; i++) {
    const page = await openSignedIn(browser, "/staff");
    pages.push(page);
  }
  const [first, second] = pages;
  const row = (page: typeof first) => page.locator(`.staff-order[data-order="${order.id}"]`);

  // Hold the second tap in flight until the first has landed: a true race, made repeatable.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let sent!: () => void;
  const secondSent = new Promise<void>((resolve) => (sent = resolve));
  await second.route("**/api/change_order_status", async (route) => {
    sent();
    await held;
    await route.continue();
  });
  const secondTap = row(second).getByRole("button", { name: "Start preparing" }).click();
  await secondSent;
  await row(first).getByRole("button", { name: "Start preparing" }).click();
  await expect(row(first)).toHaveAttribute("data-status", "preparing");
  release();
  await secondTap;

  await expect(second.getByRole("alert")).toHaveText(`Someone else changed order #${order.id} first: it is now preparing.`);
  await expect(row(second)).toHaveAttribute("data-status", "preparing");
  const current = await (await request.get(`/api/orders/${order.id}`)).json();
  expect(current.version).toBe(2);
  expect(current.status).toBe("preparing");
});
