// Browser end-to-end test of the Fra-Gent web UI, driven through Debian's Chromium
// with playwright-core. Runs its cases in order against FRAGENT_TEST_URL (the real
// stack behind nginx, as tests/integration.sh starts it). Prints "ok - name" or
// "not ok - name: error" per case and, last, "N passed, N failed"; exits 1 on failure.
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const screenshotDir = resolve(process.env.FRAGENT_SCREENSHOT_DIR ?? join(here, "screenshots"));
const RUN_TIMEOUT_MS = 20_000;
const RUN_NAME = "Ada";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/* Shared between cases: the workflow created in case 2 is run in case 3. */
const shared = { workflowId: null };

/* Fails the current case with "message" unless "cond" holds. */
function check(cond, message) {
  if (!cond) throw new Error(message);
}

/* True when a computed CSS colour (rgb, lab, oklab or oklch) is dark. */
function isDark(color) {
  const n = (color.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  const first = n[0] ?? 255;
  if (color.startsWith("rgb")) return n.slice(0, 3).every((c) => c < 80);
  if (color.startsWith("lab") || color.startsWith("lch")) return first < 35;
  if (color.startsWith("oklab") || color.startsWith("oklch")) return first < 0.35;
  return false;
}

/* Waits until the workflow list has left its loading state and shows no error. */
async function waitForListLoaded(page) {
  await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();
  await page.getByText("Loading workflows…").waitFor({ state: "detached" });
  // Next.js keeps an empty role="alert" route announcer; only alerts with text count.
  const alerts = page.getByRole("alert").filter({ hasText: /\S/ });
  if ((await alerts.count()) > 0) {
    throw new Error(
      `error shown on the page: ${(await alerts.first().innerText()).replace(/\s+/g, " ")}`,
    );
  }
}

const cases = [
  [
    "home page loads with its heading, in light and dark",
    async (page, base) => {
      await page.emulateMedia({ colorScheme: "light" });
      const res = await page.goto(`${base}/`);
      check(res !== null && res.ok(), `GET / answered ${res?.status()}`);
      const title = await page.title();
      check(title.includes("Fra-Gent"), `title is "${title}"`);
      await waitForListLoaded(page);
      await page.getByRole("button", { name: "Create sample workflow" }).waitFor();
      await page.screenshot({ path: join(screenshotDir, "home-light.png"), fullPage: true });

      await page.emulateMedia({ colorScheme: "dark" });
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      check(isDark(bg), `dark mode body background is ${bg}`);
      await page.screenshot({ path: join(screenshotDir, "home-dark.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });
    },
  ],
  [
    "create sample workflow adds a row",
    async (page, base) => {
      if (!page.url().startsWith(base)) await page.goto(`${base}/`);
      await waitForListLoaded(page);
      const created = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/workflows",
      );
      await page.getByRole("button", { name: "Create sample workflow" }).click();
      const res = await created;
      check(res.status() === 201, `POST /api/v1/workflows answered ${res.status()}`);
      const body = await res.json();
      check(typeof body.id === "string", "created workflow has no id");
      const row = page.locator(`[id="workflow-${body.id}"]`);
      await row.getByRole("heading", { name: "Greeting sample" }).waitFor();
      await row.getByRole("button", { name: /^Run / }).waitFor();
      shared.workflowId = body.id;
    },
  ],
  [
    "run streams events live and shows the results",
    async (page) => {
      check(shared.workflowId !== null, "no workflow from the previous case");
      const row = page.locator(`[id="workflow-${shared.workflowId}"]`);
      await row.getByRole("button", { name: /^Run / }).click();
      const input = row.getByRole("textbox", { name: "Name" });
      await input.fill(RUN_NAME);
      await row.getByRole("button", { name: "Start run" }).click();

      const panel = page.getByRole("region", { name: "Execution" });
      const events = panel.getByRole("list", { name: "Execution events" });
      const opts = { timeout: RUN_TIMEOUT_MS };
      await events.getByText("execution.started", { exact: true }).waitFor(opts);
      await events.getByText("execution.completed", { exact: true }).waitFor(opts);
      const results = panel.getByRole("region", { name: "Results" });
      await results.filter({ hasText: `Hello, ${RUN_NAME}!` }).waitFor(opts);
      const status = await panel.getByRole("status").first().innerText();
      check(/succeeded/i.test(status), `status badge says "${status}"`);

      const types = await events.locator("li code").allInnerTexts();
      const started = types.indexOf("execution.started");
      const completed = types.indexOf("execution.completed");
      check(started !== -1 && started < completed, `events out of order: ${types.join(", ")}`);
      const unique = new Set(await events.locator("li").allInnerTexts());
      check(unique.size === (await events.locator("li").count()), "an event is shown twice");
      await page.screenshot({ path: join(screenshotDir, "run.png"), fullPage: true });
    },
  ],
];

async function main() {
  let base = process.env.FRAGENT_TEST_URL ?? "";
  base = base.replace(/\/+$/, "");
  mkdirSync(screenshotDir, { recursive: true });

  let passed = 0;
  let failed = 0;
  let browser = null;
  try {
    if (base === "")
      throw new Error("set FRAGENT_TEST_URL (e.g. http://127.0.0.1:8080)");
    console.log(`# testing ${base}`);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  } catch (err) {
    for (const [name] of cases) {
      console.log(`not ok - ${name}: ${oneLine(err)}`);
      failed += 1;
    }
  }

  if (browser !== null) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") console.log(`# browser console: ${msg.text()}`);
    });

    for (const [name, fn] of cases) {
      pageErrors.length = 0;
      try {
        await fn(page, base);
        check(pageErrors.length === 0, `uncaught error in the page: ${pageErrors.join("; ")}`);
        console.log(`ok - ${name}`);
        passed += 1;
      } catch (err) {
        console.log(`not ok - ${name}: ${oneLine(err)}`);
        failed += 1;
        await page
          .screenshot({
            path: join(screenshotDir, `failed-${passed + failed}.png`),
            fullPage: true,
          })
          .catch(() => undefined);
      }
    }
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

function oneLine(err) {
  const msg = err instanceof Error ? err.message : String(err);
  return (
    msg
      .split("\n")
      .filter((l) => l.trim() !== "")[0]
      ?.trim() ?? "unknown error"
  );
}

await main();
