import { expect, test } from "./fixtures";
import { expectNotReloaded, hydrated, markNoReload, openSignedIn, OwnServer, placeOrder, setStatus, signIn, staffApi, ticket } from "./support";

/** Ports for servers these tests kill and restart themselves. */

test("the kitchen shows it is offline, then catches up by itself", async ({ browser, request }) => {
  await signIn(request);
  const kitchen = await openSignedIn(browser, "/kitchen");
  const badge = kitchen.locator(".connection");
  await expect(badge).toHaveAttribute("data-state", "live");
  await markNoReload(kitchen);

  await kitchen.context().setOffline(true);
  await expect(badge).toHaveAttribute("data-state", "offline");
  await expect(badge).toContainText(/Offline since \d\d:\d\d:\d\d/);

  // Orders keep coming while the screen is away.
  const missed = [];
  for (const name of ["Away A", "Away B", "Away C"]) missed.push(await placeOrder(request, name));
  const advanced = await setStatus(request, missed[0].id, "preparing", missed[0].version);

  await kitchen.context().setOffline(false);
  await expect(badge).toHaveAttribute("data-state", "live");
  await expect(ticket(kitchen, advanced.id, "preparing")).toBeVisible();
  for (const order of missed.slice(1)) await expect(ticket(kitchen, order.id, "received")).toHaveCount(1);
  await expect(ticket(kitchen, advanced.id)).toHaveCount(1);
  await expectNotReloaded(kitchen);
});

test("after a server crash and restart, the kitchen reconnects by itself and matches the database", async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  try {
    const api = await staffApi(browser, server.url);
    const first = await placeOrder(api, "Before crash");
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url });
    await markNoReload(kitchen);
    await expect(ticket(kitchen, first.id, "received")).toBeVisible();

    await server.kill();
    await expect(kitchen.locator(".connection")).not.toHaveAttribute("data-state", "live");
    await server.start();
    const second = await placeOrder(api, "After restart");
    await setStatus(api, first.id, "preparing", first.version);

    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
    await expect(ticket(kitchen, first.id, "preparing")).toBeVisible();
    await expect(ticket(kitchen, second.id, "received")).toBeVisible();
    const snapshot = await (await api.get("/api/orders")).json();
    await expect(kitchen.locator(".ticket")).toHaveCount(snapshot.orders.length);
    await expectNotReloaded(kitchen);
  } finally {
    await server.kill();
  }
});

test("open screens reload themselves when a new build is deployed", async ({ browser }) => {
  const server = new OwnServer({ PIZZERIA_BUILD_ID: "build-one" });
  await server.start();
  try {
    const kitchen = await openSignedIn(browser, "/kitchen", { baseURL: server.url });
    await expect(kitchen.locator('meta[name="pizzeria-build"]')).toHaveAttribute("content", "build-one");
    await markNoReload(kitchen);

    await server.kill();
    server.env.PIZZERIA_BUILD_ID = "build-two";
    await server.start();

    await expect(kitchen.locator('meta[name="pizzeria-build"]')).toHaveAttribute("content", "build-two", { timeout: 20_000 });
    await hydrated(kitchen);
    expect(await kitchen.evaluate(() => (window as any).__noReload)).toBeUndefined();
    await expect(kitchen.locator(".connection")).toHaveAttribute("data-state", "live");
  } finally {
    await server.kill();
  }
});

