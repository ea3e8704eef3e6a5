import { test as base, expect, type BrowserContext } from "@playwright/test";

export { expect };

/**
 * Every browser test runs through this `test`: any page of any context the test opens that logs
 * a console error, throws, or breaks the Content-Security-Policy fails the test.
 *
 * Not counted: the browser's own reports of failed requests and refused WebSocket connections,
 * which tests provoke on purpose (servers killed, access refused); the test's assertions judge
 * those.
 */
const EXPECTED_NOISE = [/^Failed to load resource/, /^WebSocket connection to .* failed/];

export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ browser, context }, use) => {
      const problems: string[] = [];
      const watch = (watched: BrowserContext) => {
        const onPage = (page: import("@playwright/test").Page) => {
          page.on("console", (message) => {
            if (message.type() !== "error") return;
            const text = message.text();
            if (!EXPECTED_NOISE.some((noise) => noise.test(text))) problems.push(`${page.url()}: console error: ${text}`);
          });
          page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught: ${error.message}`));
        };
        watched.pages().forEach(onPage);
        watched.on("page", onPage);
        // CSP violations reach the console too; this also catches those reported without it.
        watched.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (event) =>
            console.error(`CSP violation: ${event.violatedDirective} (${event.blockedURI || "inline"})`),
          );
        });
      };
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const created = await newContext(...args);
        watch(created);
        return created;
      };
      await use(problems);
      browser.newContext = newContext;
      expect(problems, "console errors or CSP violations").toEqual([]);
    },
    { auto: true },
  ],
});
