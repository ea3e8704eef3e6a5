import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { hydrated, OwnServer, placeOrder, setStatus, signIn, staffApi } from "./support";

/**
 * The kitchen wall in a rush, at 1920×1080: every open ticket is on the screen whole or counted
 * by the "+N more" counter, pages turn by themselves, the oldest never leaves, and nobody touches
 * the screen.
 */

const WALL = { width: 1920, height: 1080 };
const PAGE_SECS = 2;

/** Realistic orders: several lines, extras, removals, notes; some with allergens from extras. */
function lines(n: number) {
  const pizza = (offset: number) => 1 + ((n + offset) % 6);
  const all = [
    { item_id: pizza(0), size: ["S", "M", "L"][n % 3], quantity: 1 + (n % 2), add: n % 3 === 0 ? [1, 8] : [], remove: [] as string[] },
    { item_id: pizza(3), size: "L", quantity: 1, add: n % 4 === 1 ? [3] : [], notes: n % 5 === 0 ? "Well done, cut in 8" : undefined },
    { item_id: 7 + (n % 3), size: "M", quantity: 1 + (n % 3) },
  ];
  return all.slice(0, 1 + (n % 3));
}

/** Stages by position: most in New (a rush), some further along. */
const STEPS = ["received", "received", "received", "preparing", "received", "baking", "received", "ready", "preparing", "received"];

async function placeOrders(api: APIRequestContext, from: number, to: number) {
  for (let n = from; n < to; n++) {
    const extra = n % 4 === 2 ? { notes: "Allergic to nuts · ring the bell" } : {};
    let order = await placeOrder(api, `Guest${n} Surname`, lines(n), extra);
    const path = ["preparing", "baking", "ready"];
    const target = STEPS[n % STEPS.length];
    for (const status of path.slice(0, path.indexOf(target) + 1)) {
      order = { ...(await setStatus(api, order.id, status, order.version)), token: order.token };
    }
  }
}

/** Counts what the screen shows, as a person standing in front of it would see it: measured in
 *  an animation frame, so it is the frame about to be painted, not a state between two updates. */
async function census(page: Page) {
  return page.evaluate(() => {
  const measure = () => {
    const inside = (box: DOMRect, area: DOMRect) =>
      box.top >= area.top - 0.5 && box.bottom <= area.bottom + 0.5 && box.left >= area.left - 0.5 && box.right <= area.right + 0.5;
    const screen = new DOMRect(0, 0, innerWidth, innerHeight);
    const whole: number[] = [];
    const partly: string[] = [];
    const hidden: number[] = [];
    const boxes: DOMRect[] = [];
    const small: string[] = [];
    for (const ticket of document.querySelectorAll<HTMLElement>(".ticket")) {
      const id = Number(ticket.dataset.order);
      const box = ticket.getBoundingClientRect();
      const seen = getComputedStyle(ticket).visibility !== "hidden" && box.width > 0 && box.height > 0;
      if (!seen) {
        hidden.push(id);
        continue;
      }
      const area = ticket.closest(".stage-tickets")!.getBoundingClientRect();
      if (inside(box, screen) && inside(box, area)) whole.push(id);
      else partly.push(`#${id} box ${Math.round(box.left)},${Math.round(box.top)}-${Math.round(box.right)},${Math.round(box.bottom)} area ${Math.round(area.left)},${Math.round(area.top)}-${Math.round(area.right)},${Math.round(area.bottom)} ${ticket.closest(".kitchen-column")!.getAttribute("data-column")} ${location.search}`);
      boxes.push(box);
      const px = (selector: string) => parseFloat(getComputedStyle(ticket.querySelector(selector)!).fontSize);
      if (px(".ticket-number") < 40 || px(".ticket-name") < 24 || [...ticket.querySelectorAll(".order-line")].some((line) => parseFloat(getComputedStyle(line).fontSize) < 22)) {
        small.push(`#${id}`);
      }
    }
    const overlapping = boxes.filter((a, i) => boxes.some((b, j) => i !== j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)).length;
    const counter = document.querySelector<HTMLElement>(".wall-more")!;
    const counterBox = counter.getBoundingClientRect();
    const stages = [...document.querySelectorAll<HTMLElement>(".kitchen-column")].map((column) => {
      const tickets = [...column.querySelectorAll<HTMLElement>(".ticket")];
      return { first: tickets.length ? Number(tickets[0].dataset.order) : null, late: tickets.filter((t) => t.dataset.urgency === "late").map((t) => Number(t.dataset.order)) };
    });
    return {
      whole,
      partly,
      hidden,
      overlapping,
      small,
      stages,
      counted: Number(counter.dataset.hidden),
      counterText: counter.textContent ?? "",
      counterOnScreen: counterBox.height > 0 && counterBox.top >= 0 && counterBox.bottom <= innerHeight,
      scroll: document.scrollingElement!.scrollHeight - innerHeight,
    };
  };
  return new Promise<ReturnType<typeof measure>>((resolve) => requestAnimationFrame(() => resolve(measure())));
  });
}

/** Asserts the screen accounts for every one of `expected` tickets, and returns what it shows. */
async function expectAccounted(page: Page, expected: number) {
  // The layout runs on the frame after a change: wait until the screen lists them all.
  await expect(page.locator(".ticket")).toHaveCount(expected);
  await expect.poll(async () => (await census(page)).whole.length + (await census(page)).counted).toBe(expected);
  const seen = await census(page);
  expect(seen.partly, "tickets partly on the screen").toEqual([]);
  expect(seen.overlapping, "tickets drawn over each other").toBe(0);
  expect(seen.small, "tickets in type too small for 3 m").toEqual([]);
  expect(seen.scroll, "the page scrolls").toBe(0);
  expect(seen.whole.length + seen.hidden.length).toBe(expected);
  expect(seen.counted, "the counter counts exactly the tickets not shown").toBe(seen.hidden.length);
  if (seen.counted > 0) {
    expect(seen.counterOnScreen, "the counter is on the screen").toBe(true);
    expect(seen.counterText).toContain(`+${seen.counted}`);
  }
  return seen;
}

/** Watches a full cycle of pages: every ticket shown whole at some point; the oldest of each
 *  stage and every late ticket on the screen in every sample. A full cycle is every page the
 *  counter names ("page 2/4") seen at least once, however long the machine takes to turn them;
 *  a screen that never turns its pages fails at the time limit. */
async function expectFullCycle(page: Page, expected: number) {
  const pageOf = (counterText: string) => /(\d+)\/(\d+)/.exec(counterText);
  const limit = Date.now() + 90_000;
  const shown = new Set<number>();
  const pagesSeen = new Set<number>();
  let pages = 1;
  // Tickets that turn late meanwhile stay on every page: then there are more pages.
  while (pagesSeen.size < pages || pagesSeen.size === 0) {
    const seen = await census(page);
    const current = pageOf(seen.counterText);
    if (current) {
      pagesSeen.add(Number(current[1]));
      pages = Number(current[2]);
    }
    expect(seen.partly).toEqual([]);
    seen.whole.forEach((id) => shown.add(id));
    for (const stage of seen.stages) {
      if (stage.first !== null) expect(seen.whole, `the oldest ticket #${stage.first} stays`).toContain(stage.first);
      for (const late of stage.late) expect(seen.whole, `late ticket #${late} stays`).toContain(late);
    }
    expect(Date.now(), `pages seen ${[...pagesSeen].sort()} of ${pages} before the time limit`).toBeLessThan(limit);
    await page.waitForTimeout(400);
  }
  expect(shown.size, "tickets shown whole over a full cycle").toBe(expected);
}

/** Nobody touches the wall: counts every pointer and touch event the context's pages receive. */
async function countTouches(context: BrowserContext) {
  await context.addInitScript(() => {
    for (const type of ["pointerdown", "pointerup", "mousedown", "click", "touchstart", "wheel"]) {
      window.addEventListener(type, () => ((window as unknown as { touched: number }).touched = ((window as unknown as { touched?: number }).touched ?? 0) + 1), true);
    }
  });
}

async function openWall(browser: Browser, url: string, path: string) {
  const context = await browser.newContext({ baseURL: url, viewport: WALL });
  await signIn(context);
  await countTouches(context);
  const page = await context.newPage();
  await page.goto(path);
  await hydrated(page);
  await expect(page.locator(".connection")).toHaveAttribute("data-state", "live");
  return page;
}

async function expectUntouched(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { touched?: number }).touched ?? 0), "pointer or touch events").toBe(0);
}

/** Which stages each view shows. */
const VIEWS: Record<string, string[]> = {
  "/kitchen": ["received", "preparing", "baking", "ready"],
  "/kitchen?station=prep": ["received", "preparing"],
  "/kitchen?station=oven": ["baking", "ready"],
  "/kitchen?station=pass": ["ready"],
};

test.describe("the kitchen wall never hides a ticket", () => {
  test.describe.configure({ timeout: 240_000 });
  let server: OwnServer;

  test.beforeAll(async () => {
    server = new OwnServer({ PIZZERIA_WALL_PAGE_SECS: String(PAGE_SECS), PIZZERIA_TICKET_WARN_SECS: "3000", PIZZERIA_TICKET_LATE_SECS: "3600" });
    await server.start();
  });

  test.afterAll(async () => {
    await server.kill();
  });

  test("at 4, 16, 40 and 80 open orders, in every view, each ticket is whole on the screen or counted", async ({ browser }) => {
    const api = await staffApi(browser, server.url);
    let placed = 0;
    for (const count of [4, 16, 40, 80]) {
      await placeOrders(api, placed, count);
      placed = count;
      for (const [path, stages] of Object.entries(VIEWS)) {
        const expected = Array.from({ length: count }, (_, n) => STEPS[n % STEPS.length]).filter((status) => stages.includes(status)).length;
        const wall = await openWall(browser, server.url, path);
        const seen = await expectAccounted(wall, expected);
        if (path === "/kitchen" && count === 4) expect(seen.counted, "four orders all fit").toBe(0);
        if (path === "/kitchen" && count === 16) {
          // Read from across a kitchen: every text at 7:1 contrast or better (WCAG AAA).
          const contrast = await new AxeBuilder({ page: wall }).withRules(["color-contrast-enhanced"]).analyze();
          expect(contrast.violations.flatMap((violation) => violation.nodes.map((node) => node.target.join(" ")))).toEqual([]);
        }
        if (seen.counted > 0) await expectFullCycle(wall, expected);
        if (path === "/kitchen" || path === "/kitchen?station=oven") {
          const name = `wall-${count}-orders${path.includes("oven") ? "-oven" : ""}.png`;
          await wall.screenshot({ path: test.info().outputPath(name) });
        }
        await expectUntouched(wall);
        await wall.context().close();
      }
    }
  });
});

test("late tickets and the oldest stay on the screen while the newer ones rotate", async ({ browser }) => {
  test.setTimeout(180_000);
  const server = new OwnServer({ PIZZERIA_WALL_PAGE_SECS: String(PAGE_SECS), PIZZERIA_TICKET_WARN_SECS: "20", PIZZERIA_TICKET_LATE_SECS: "30" });
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    await placeOrders(api, 0, 3);
    // Make the first three late before the rush arrives.
    await new Promise((resolve) => setTimeout(resolve, 31_000));
    const rush = Array.from({ length: 50 }, (_, n) => n + 100);
    for (const n of rush) await placeOrder(api, `Rush${n}`, lines(n));
    const wall = await openWall(browser, server.url, "/kitchen");
    const seen = await expectAccounted(wall, 53);
    expect(seen.counted, "the rush does not fit on one page").toBeGreaterThan(0);
    expect(seen.stages.flatMap((stage) => stage.late).length, "some tickets are late").toBeGreaterThan(0);
    await expectFullCycle(wall, 53);
    await expectUntouched(wall);
  } finally {
    await server.kill();
  }
});

test("an order for later waits in the Later lane, then fires into New and ages from its fire time", async ({ browser }) => {
  // The first pickup slot a customer may choose: on a quarter hour, at least 20 minutes away.
  const slotMs = 15 * 60_000;
  const pickup = Math.ceil((Date.now() + 21 * 60_000) / slotMs) * slotMs;
  // Preparation takes all but the next 15 seconds before that pickup.
  const prepSecs = Math.floor((pickup - Date.now()) / 1000) - 15;
  const server = new OwnServer({ PIZZERIA_PREP_SECS: String(prepSecs) });
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    const soon = await placeOrder(api, "Soon Customer", lines(1), { pickup_at: new Date(pickup).toISOString() });
    const later = await placeOrder(api, "Later Customer", lines(2), { pickup_at: new Date(pickup + 2 * 3_600_000).toISOString() });
    const now = await placeOrder(api, "Now Customer", lines(3));
    const wall = await openWall(browser, server.url, "/kitchen");

    const lane = wall.locator(".later");
    await expect(lane.locator(`.later-order[data-order="${soon.id}"]`)).toBeVisible();
    await expect(lane.locator(`.later-order[data-order="${later.id}"]`)).toBeVisible();
    await expect(lane.locator(".count")).toHaveText("2");
    await expect(wall.locator(`.ticket[data-order="${soon.id}"]`)).toHaveCount(0);
    await expect(wall.locator(`.ticket[data-order="${now.id}"]`)).toBeVisible();
    // Held orders are not in the all-day count: only the ASAP order's pizzas are.
    const allDay = await wall.locator(".all-day li").count();
    expect(allDay).toBe(lines(3).filter((line) => line.item_id <= 6).length);

    // At its fire time it moves to New, on time, its clock starting from zero.
    const ticket = wall.locator(`.kitchen-column[data-column="received"] .ticket[data-order="${soon.id}"]`);
    await expect(ticket).toBeVisible({ timeout: 30_000 });
    await expect(ticket).toHaveAttribute("data-urgency", "on-time");
    await expect(ticket.locator(".ticket-age")).toHaveText(/^\d{1,2} s$/);
    await expect(lane.locator(`.later-order[data-order="${soon.id}"]`)).toHaveCount(0);
    await expect(lane.locator(".count")).toHaveText("1");
    await expect(ticket).toHaveClass(/ticket-fresh/);
    await expectUntouched(wall);
  } finally {
    await server.kill();
  }
});

test("losing the connection is shown across the room, and clears by itself", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    await placeOrder(api, "Before the drop", lines(1));
    const wall = await openWall(browser, server.url, "/kitchen");
    const banner = wall.locator(".wall-stale");
    await expect(banner).toHaveCount(0);

    await wall.context().setOffline(true);
    // Heartbeats every 2 s in the tests: the banner is up within three of them.
    await expect(banner).toBeVisible({ timeout: 6_000 });
    await expect(banner).toContainText("Not connected since");
    await expect(wall.locator(".kitchen-wall.stale")).toHaveCount(1);
    const box = await banner.boundingBox();
    expect(box!.width, "the banner spans the screen").toBeGreaterThan(WALL.width * 0.9);

    await wall.context().setOffline(false);
    await expect(banner).toHaveCount(0, { timeout: 15_000 });
    await expect(wall.locator(".kitchen-wall.stale")).toHaveCount(0);
    await expectUntouched(wall);
  } finally {
    await server.kill();
  }
});

test("a screen an admin set up reads new orders aloud and moves tickets with a bump bar", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  server.createUser("admin", "wall-admin", "wall admin password");
  try {
    const admin = (await browser.newContext({ baseURL: server.url })).request;
    await signIn(admin, { username: "wall-admin", password: "wall admin password" });
    const added = await admin.post("/api/add_device", { form: { name: "Oven wall" } });
    expect(added.status(), await added.text()).toBe(200);
    const { device, pairing_path } = await added.json();
    const options = await admin.post("/api/set_screen_options", { form: { device_id: String(device.id), announce: "on", bump_bar: "on" } });
    expect(options.status(), await options.text()).toBe(200);

    // The TV opens its pairing link once, then shows the kitchen as that screen.
    const context = await browser.newContext({ baseURL: server.url, viewport: WALL });
    const paired = await context.request.post("/api/pair_device", { form: { code: pairing_path.replace("/pair/", "") }, maxRedirects: 0 });
    expect(paired.status()).toBeLessThan(400);
    await countTouches(context);
    await context.addInitScript(() => {
      const spoken: string[] = ((window as unknown as { spoken: string[] }).spoken = []);
      speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => void spoken.push(`${utterance.lang}|${utterance.text}`);
    });
    const staff = await staffApi(browser, server.url);
    const first = await placeOrder(staff, "Before", [{ item_id: 1, size: "M", quantity: 1 }]);
    const wall = await context.newPage();
    await wall.goto("/kitchen");
    await hydrated(wall);
    await expect(wall.locator(".connection")).toHaveAttribute("data-state", "live");

    // A new order is announced; the ones the screen loaded with are not.
    const fresh = await placeOrder(staff, "Aloud", [
      { item_id: 3, size: "L", quantity: 2 },
      { item_id: 1, size: "M", quantity: 1 },
      { item_id: 7, size: "M", quantity: 1 },
    ]);
    await expect.poll(() => wall.evaluate(() => (window as unknown as { spoken: string[] }).spoken)).toEqual([
      `en|Order ${fresh.id}: 2 Large Diavola, 1 Medium Margherita, 1 Lemonade`,
    ]);

    // The pedal's key moves the oldest New ticket to Preparing, on every screen.
    await wall.keyboard.press("1");
    await expect(wall.locator(`.kitchen-column[data-column="preparing"] .ticket[data-order="${first.id}"]`)).toBeVisible();
    await expect(wall.locator(`.kitchen-column[data-column="received"] .ticket[data-order="${fresh.id}"]`)).toBeVisible();
    await wall.keyboard.press("2");
    await expect(wall.locator(`.kitchen-column[data-column="baking"] .ticket[data-order="${first.id}"]`)).toBeVisible();
    const kitchen = await staff.post("/api/open_orders", { data: {} });
    const moved = (await kitchen.json()).orders.find((order: { id: number }) => order.id === first.id);
    expect(moved.status).toBe("baking");
    await expectUntouched(wall);
  } finally {
    await server.kill();
  }
});

test("each station's screen shows only the items routed to it, as an admin sets them on the menu page", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  server.createUser("admin", "wall-admin", "wall admin password");
  try {
    const staff = await staffApi(browser, server.url);
    const toReady = async (name: string, items: { item_id: number; size: string; quantity: number }[]) => {
      let order = await placeOrder(staff, name, items);
      for (const status of ["preparing", "baking", "ready"]) order = await setStatus(staff, order.id, status, order.version);
      return order;
    };
    const mixed = await toReady("Mixed", [{ item_id: 1, size: "M", quantity: 1 }, { item_id: 7, size: "M", quantity: 1 }]);
    const drinks = await toReady("Drinks", [{ item_id: 7, size: "M", quantity: 2 }]);
    const pizza = await toReady("Pizza", [{ item_id: 3, size: "L", quantity: 1 }]);
    const lineNames = (page: Page, id: number) => page.locator(`.ticket[data-order="${id}"] .line-name`).allTextContents();

    // The oven line: pizzas only; an order of drinks only is not its work.
    const oven = await openWall(browser, server.url, "/kitchen?station=oven");
    await expect(oven.locator(`.ticket[data-order="${mixed.id}"]`)).toBeVisible();
    expect(await lineNames(oven, mixed.id)).toEqual(["Margherita"]);
    await expect(oven.locator(`.ticket[data-order="${pizza.id}"]`)).toBeVisible();
    await expect(oven.locator(`.ticket[data-order="${drinks.id}"]`)).toHaveCount(0);
    await oven.screenshot({ path: test.info().outputPath("station-oven.png") });
    await expectUntouched(oven);

    // The pass: what it adds, and every ready order to hand over; its All-day counts drinks.
    const pass = await openWall(browser, server.url, "/kitchen?station=pass");
    for (const order of [mixed, drinks, pizza]) await expect(pass.locator(`.ticket[data-order="${order.id}"]`)).toBeVisible();
    expect(await lineNames(pass, mixed.id)).toEqual(["Lemonade"]);
    expect(await lineNames(pass, pizza.id)).toEqual([]);
    await expect(pass.locator('.all-day li[data-item="Lemonade M"] .all-day-count')).toHaveText("3");
    await pass.screenshot({ path: test.info().outputPath("station-pass.png") });
    await expectUntouched(pass);

    // An admin sends lemonade to the oven line, from a tablet: new orders follow the change.
    const tablet = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 } });
    await signIn(tablet, { username: "wall-admin", password: "wall admin password" });
    const menu = await tablet.newPage();
    await menu.goto("/admin/menu");
    await hydrated(menu);
    const picker = menu.getByLabel("Station for Lemonade");
    await expect(picker).toHaveValue("pass");
    await picker.selectOption("oven");
    await expect(menu.getByLabel("Station for Lemonade")).toHaveValue("oven");
    await menu.screenshot({ path: test.info().outputPath("menu-stations-tablet.png") });
    const later = await placeOrder(staff, "Thirsty", [{ item_id: 7, size: "M", quantity: 1 }]);
    const prep = await openWall(browser, server.url, "/kitchen?station=prep");
    expect(await lineNames(prep, later.id)).toEqual(["Lemonade"]);
    expect(await lineNames(oven, mixed.id), "orders keep the stations they were placed with").toEqual(["Margherita"]);
    await expectUntouched(prep);
  } finally {
    await server.kill();
  }
});

test("a TV pairs itself by a short code that an admin types on their phone", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  server.createUser("admin", "wall-admin", "wall admin password");
  try {
    const tvContext = await browser.newContext({ baseURL: server.url, viewport: WALL });
    await countTouches(tvContext);
    const tv = await tvContext.newPage();
    await tv.goto("/kitchen");
    await expect(tv).toHaveURL(/\/kitchen\/pair$/);
    await hydrated(tv);
    const code = tv.locator(".screen-code");
    await expect(code).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect(tv.locator(".screen-code-qr svg")).toBeVisible();
    await tv.screenshot({ path: test.info().outputPath("tv-pairing-code.png") });
    const shown = (await code.textContent())!;

    // The admin's phone, from the QR code: the code is filled in.
    const phoneContext = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
    await signIn(phoneContext, { username: "wall-admin", password: "wall admin password" });
    const phone = await phoneContext.newPage();
    await phone.goto(`/admin/devices?code=${shown}`);
    await hydrated(phone);
    await expect(phone.locator("#screen-code")).toHaveValue(shown);
    // A mistyped code is refused in words, and pairs nothing.
    await phone.locator("#screen-code").fill("BCDF-GHJK");
    await phone.locator("#screen-name").fill("Oven wall");
    await phone.getByRole("button", { name: "Pair the screen" }).click();
    await expect(phone.getByRole("alert")).toContainText("no screen is waiting with that code");
    await phone.locator("#screen-code").fill(shown.toLowerCase());
    await phone.getByRole("button", { name: "Pair the screen" }).click();
    await expect(phone.getByRole("status").filter({ hasText: "Oven wall is paired" })).toBeVisible();
    await phone.screenshot({ path: test.info().outputPath("phone-pairing-approved.png") });

    // The TV signs itself in and opens the kitchen, untouched.
    await expect(tv).toHaveURL(/\/kitchen$/, { timeout: 15_000 });
    await hydrated(tv);
    await expect(tv.locator(".connection")).toHaveAttribute("data-state", "live");
    const staff = await staffApi(browser, server.url);
    const order = await placeOrder(staff, "For the new screen");
    await expect(tv.locator(`.ticket[data-order="${order.id}"]`)).toBeVisible();
    await expectUntouched(tv);
  } finally {
    await server.kill();
  }
});
