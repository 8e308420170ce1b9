// Browser end-to-end test of the Fra-Gent web UI, driven through Debian's Chromium
// with playwright-core. Runs its cases in order, in one browser, against
// FRAGENT_TEST_URL: the whole stack behind nginx, as tests/integration.sh starts it.
// Prints "ok - name", "ok - name # SKIP why" or "not ok - name: error" per case and,
// last, "N passed, N failed"; exits 1 on failure. Screenshots of every page in the
// light and the dark theme go to FRAGENT_SCREENSHOT_DIR (default
// tests/e2e/screenshots/). The agent chat talks to tests/llmsrv (the scripted LLM
// server of the integration suites), found in FRAGENT_BUILD_DIR (default build/) or
// at LLMSRV_BIN, and is skipped when it is not built.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const screenshotDir = resolve(process.env.FRAGENT_SCREENSHOT_DIR ?? join(here, "screenshots"));
const RUN_TIMEOUT_MS = 20_000;

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

// A fresh stack has no user: the first case registers ADMIN. When the stack already
// has users (tests/integration.sh runs the it_* suites first), the cases sign in
// as FRAGENT_TEST_ADMIN_USER / FRAGENT_TEST_ADMIN_PASSWORD (the suites' admin by
// default) and do not expect empty lists. Names carry a suffix so that reruns and
// earlier data do not collide.
const SUFFIX = Date.now().toString(36).slice(-5);
const ADMIN = { username: "admin", email: "admin@example.com", password: "correct horse battery" };
const VIEWER = {
  username: `vera_${SUFFIX}`,
  email: `vera_${SUFFIX}@example.com`,
  password: "viewer password 1",
};
const NAMES = {
  credential: `OpenAI key ${SUFFIX}`,
  agent: `Writer ${SUFFIX}`,
  workflow: `Greeter ${SUFFIX}`,
  failing: `Breaks ${SUFFIX}`,
  approval: `Review ${SUFFIX}`,
};

/* Shared between cases, in order. */
const shared = {
  fresh: true,
  workflowId: null,
  agentId: null,
  failingExecutionId: null,
  token: null,
};

/*
 * The scripted OpenAI-compatible server of the integration suites (tests/llmsrv,
 * built in FRAGENT_BUILD_DIR or LLMSRV_BIN), for the agent chat.
 */
const repo = resolve(here, "../..");
const llm = { base: null, why: "", proc: null };

async function startLlm() {
  const bin =
    process.env.LLMSRV_BIN ?? join(repo, process.env.FRAGENT_BUILD_DIR ?? "build", "tests/llmsrv");
  if (!existsSync(bin)) {
    llm.why = `${bin} not built`;
    return;
  }
  const proc = spawn(bin, ["-p", "0", "-d", join(repo, "tests/llm-scenarios")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  llm.proc = proc;
  const first = await new Promise((ok) => {
    const lines = createInterface({ input: proc.stdout });
    const timer = setTimeout(() => ok(""), 5000);
    lines.once("line", (l) => {
      clearTimeout(timer);
      ok(l);
    });
    proc.once("exit", () => ok(""));
  });
  const m = /^port (\d+)/.exec(first);
  if (m === null) {
    llm.why = "tests/llmsrv did not start";
    proc.kill();
    return;
  }
  llm.base = `http://${process.env.LLMSRV_ADDR || "127.0.0.1"}:${m[1]}`;
}

/* Thrown to mark a case as skipped (a route it needs has not landed). */
class Skip extends Error {}

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

/* Screenshots the page as "<name>-light.png" and "<name>-dark.png" (system theme). */
async function shoot(page, name) {
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(screenshotDir, `${name}-light.png`) });
  await page.emulateMedia({ colorScheme: "dark" });
  // The theme applies on the next style pass, which a loaded machine delays: wait for it
  // (up to 3 s) rather than a fixed time.
  let bg = "";
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (isDark(bg)) break;
  }
  check(isDark(bg), `dark theme body background of ${name} is ${bg}`);
  await page.screenshot({ path: join(screenshotDir, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: "light" });
}

/* Fails when the page shows an error alert (the empty route announcer does not count). */
async function noAlerts(page) {
  // Next.js keeps a route announcer with role="alert"; it names the page, it is no error.
  const alerts = page
    .locator('[role="alert"]:not(#__next-route-announcer__)')
    .filter({ hasText: /\S/ });
  if ((await alerts.count()) > 0) {
    throw new Error(`error shown: ${(await alerts.first().innerText()).replace(/\s+/g, " ")}`);
  }
}

/*
 * Goes to a page through the sidebar, without reloading: a full load costs a
 * token refresh, and nginx rate-limits /api/v1/auth/ (10/min, burst 20).
 */
async function nav(page, link, heading = link) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/* Opens execution "id" from the executions list (no full page load). */
async function openExecution(page, id) {
  await nav(page, "Executions");
  await page.getByRole("link", { name: `View execution ${id}` }).click();
  await page.waitForURL(/\/executions\/view\/\?id=/);
}

/* Signs in through the form. */
async function signIn(page, base, user) {
  await page.goto(`${base}/login/`);
  await page.getByLabel("Username or email").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
}

/* Signs out through the account menu and waits for the sign-in page. */
async function signOut(page) {
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
}

/* Picks "option" in the Radix select labelled "label". */
async function choose(page, label, option) {
  await page.getByRole("combobox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option }).click();
}

/* The canvas node with id "id" (React Flow's wrapper). */
function node(page, id) {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

/* Drags from node "from"'s output handle "handle" to node "to"'s input. */
async function connect(page, from, handle, to) {
  const src = node(page, from).locator(`.react-flow__handle.source[data-handleid="${handle}"]`);
  const dst = node(page, to).locator(".react-flow__handle.target");
  const a = await src.boundingBox();
  const b = await dst.boundingBox();
  check(a !== null && b !== null, `handles of ${from} → ${to} not visible`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${from}:${handle}->${to}"]`).waitFor();
}

/* An access token for direct API calls (one separate sign-in of the admin, kept). */
async function apiToken(page, base, user) {
  if (shared.token !== null) return shared.token;
  const res = await page.request.post(`${base}/api/v1/auth/login`, {
    data: { username: user.username, password: user.password },
  });
  check(res.ok(), `POST /auth/login answered ${res.status()}`);
  shared.token = (await res.json()).access_token;
  return shared.token;
}

const cases = [
  [
    "first run: sign-in page offers to create the admin; registering signs in",
    async (page, base) => {
      const res = await page.goto(`${base}/`);
      check(res !== null && res.ok(), `GET / answered ${res?.status()}`);
      /* The app sends a visitor without a session to the sign-in page at once, by a
         client-side navigation: the router puts the new page's <title> in place after the
         URL has changed, so the title is awaited (up to the usual 10 s), not read once. */
      await page.waitForURL(/\/login\/\?next=/);
      const titled = await page
        .waitForFunction(() => document.title.includes("Fra-Gent"), null, { timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      check(titled, `title lacks Fra-Gent: "${await page.title()}"`);
      const setup = await page.request.get(`${base}/api/v1/auth/setup`);
      check(setup.ok(), `GET /auth/setup answered ${setup.status()}`);
      shared.fresh = (await setup.json()).needs_setup === true;
      if (!shared.fresh) {
        ADMIN.username = process.env.FRAGENT_TEST_ADMIN_USER ?? "it-admin";
        ADMIN.password = process.env.FRAGENT_TEST_ADMIN_PASSWORD ?? "it-password-0123";
        await page.getByRole("heading", { name: "Sign in to Fra-Gent" }).waitFor();
        await shoot(page, "login");
        await page.getByLabel("Username or email").fill(ADMIN.username);
        await page.getByLabel("Password").fill(ADMIN.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
        throw new Skip("the stack already has users: signed in as its admin instead");
      }
      await page.getByRole("heading", { name: "Welcome to Fra-Gent" }).waitFor();
      await shoot(page, "login");
      await page.getByLabel("Username").fill(ADMIN.username);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Create admin account" }).click();
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await page.getByRole("heading", { name: "Get started" }).waitFor();
      await page.getByText("Nothing has run yet").waitFor();
      await noAlerts(page);
      await shoot(page, "dashboard-empty");
    },
  ],
  [
    "session: reload refreshes silently; sign-out; 401 redirects to sign-in; sign-in again",
    async (page, base) => {
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await page.getByRole("button", { name: `Account: ${ADMIN.username}` }).waitFor();
      await signOut(page);
      await page.goto(`${base}/workflows/`);
      await page.waitForURL(/\/login\/\?next=%2Fworkflows/);
      await page.getByLabel("Username or email").fill(ADMIN.username);
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Wrong username or password.").waitFor();
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();
    },
  ],
  [
    "theme toggle: dark is kept across a reload without a flash",
    async (page) => {
      await nav(page, "Dashboard");
      await page.getByRole("button", { name: "Theme: System" }).click();
      await page.getByRole("menuitem", { name: "Dark theme" }).click();
      check(
        await page.evaluate(() => document.documentElement.classList.contains("dark")),
        "no dark class",
      );
      await page.reload({ waitUntil: "commit" });
      await page.waitForSelector("html");
      const early = await page.evaluate(() => document.documentElement.classList.contains("dark"));
      check(early, "dark class missing before the app started");
      await page.getByRole("button", { name: "Theme: Dark" }).click();
      await page.getByRole("menuitem", { name: "System theme" }).click();
      check(
        !(await page.evaluate(() => document.documentElement.classList.contains("dark"))),
        "still dark",
      );
    },
  ],
  [
    "credentials: create one; the list shows it masked",
    async (page, base) => {
      await nav(page, "Credentials");
      if (shared.fresh) await page.getByText("No credentials yet").waitFor();
      await page.getByLabel("Name").fill(NAMES.credential);
      await page.getByLabel("Secret").fill("sk-test-1234567890abcd");
      await page.getByRole("button", { name: "Add credential" }).click();
      const table = page.getByRole("table", { name: "Credentials" });
      await table.getByRole("cell", { name: NAMES.credential, exact: true }).waitFor();
      const text = await table.innerText();
      check(!text.includes("sk-test-1234567890abcd"), "the secret is shown in the list");
      await noAlerts(page);
      await shoot(page, "credentials");
    },
  ],
  [
    "lists: a search narrows the list; Load more (by keyboard) appends the next page",
    async (page, base) => {
      // 55 credentials: a first page of 50, then the last 5.
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const bulk = `Bulk ${SUFFIX}`;
      for (let i = 1; i <= 55; i += 1) {
        const res = await page.request.post(`${base}/api/v1/credentials`, {
          headers,
          data: {
            name: `${bulk} ${String(i).padStart(2, "0")}`,
            provider: "http",
            secret: `s${i}`,
          },
        });
        check(res.status() === 201, `POST /credentials answered ${res.status()}`);
      }
      await nav(page, "Credentials");
      await page.getByRole("searchbox", { name: "Search credentials" }).fill(bulk);
      const rows = page.getByRole("table", { name: "Credentials" }).locator("tbody tr");
      await page.getByText("50 credentials shown, more to load").waitFor();
      check((await rows.count()) === 50, `the first page has ${await rows.count()} rows`);
      const more = page.getByRole("button", { name: "Load more" });
      await more.focus();
      await page.keyboard.press("Enter");
      await page.getByText("55 credentials", { exact: true }).waitFor();
      check((await rows.count()) === 55, `after Load more: ${await rows.count()} rows`);
      check((await more.count()) === 0, "Load more is still offered after the last page");
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
      check(focused === "55 credentials", `focus is on "${focused}", not on the count`);
      await noAlerts(page);
      await shoot(page, "credentials-paged");
      await page.getByRole("searchbox", { name: "Search credentials" }).fill("");
    },
  ],
  [
    "agents: create an agent with the form; it is listed and searchable",
    async (page, base) => {
      await nav(page, "Agents");
      if (shared.fresh) await page.getByText("No agents yet").waitFor();
      await page.getByRole("link", { name: "New agent" }).click();
      await page.getByLabel("Name").fill(NAMES.agent);
      await page.getByLabel("Model").fill("gpt-4o-mini");
      await choose(page, "Credential", new RegExp(`^${NAMES.credential}`));
      await page.getByLabel("System prompt").fill("You write short, friendly greetings.");
      await page.getByLabel("Temperature").fill("0.3");
      await page.getByRole("button", { name: "Create agent" }).click();
      await page.waitForURL(/\/agents\/edit\/\?id=/);
      shared.agentId = new URL(page.url()).searchParams.get("id");
      await page.getByRole("heading", { level: 1, name: NAMES.agent }).waitFor();
      await page.getByRole("heading", { name: "Chat" }).waitFor();
      await noAlerts(page);
      await shoot(page, "agent-editor");
      await nav(page, "Agents");
      await page.getByRole("link", { name: NAMES.agent }).waitFor();
      await page.getByRole("searchbox", { name: "Search agents" }).fill("zzz-no-such-agent");
      await page.getByText("No agent matches").waitFor();
      await page.getByRole("searchbox", { name: "Search agents" }).fill(`riter ${SUFFIX}`);
      await page.getByRole("link", { name: NAMES.agent }).waitFor();
      await shoot(page, "agents");
    },
  ],
  [
    "agent chat streams the answer and shows the tool calls",
    async (page) => {
      check(shared.agentId !== null, "no agent from the previous case");
      if (llm.base === null) throw new Skip(`no scripted LLM server: ${llm.why}`);
      await page.getByRole("link", { name: NAMES.agent }).click();
      await page.getByRole("heading", { level: 1, name: NAMES.agent }).waitFor();
      // The "react" scenario asks for two tools, then answers.
      await page.getByLabel("Base URL (optional)").fill(`${llm.base}/v1`);
      await page.getByLabel("Model").fill("react");
      await page.getByRole("checkbox", { name: "Calculator" }).click();
      await page.getByRole("checkbox", { name: "Current time" }).click();
      await page.getByRole("button", { name: "Save agent" }).click();
      await page.getByText("Agent saved").first().waitFor();
      await page.getByLabel("Message").fill("What is 6*7, and what time is it in Paris?");
      await page.getByRole("button", { name: "Send" }).click();
      const talk = page.getByRole("list", { name: "Conversation" });
      // Closed transcripts hold the same words: wait for the visible answer.
      await talk
        .getByText("The answer is 42.", { exact: true })
        .filter({ visible: true })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      await talk.getByText("Transcript and tool calls").click();
      await talk.getByText(/Tool call: calculator/).waitFor();
      await noAlerts(page);
      await shoot(page, "agent-chat");
    },
  ],
  [
    "workflow editor: drag nodes, connect handles, delete an edge, undo/redo, save",
    async (page, base) => {
      await nav(page, "Workflows");
      if (shared.fresh) await page.getByText("No workflows yet").waitFor();
      await page.getByRole("link", { name: "New workflow" }).click();
      const canvas = page.getByLabel("Workflow canvas");
      await node(page, "in").waitFor();
      await node(page, "out").waitFor();
      const box = await canvas.boundingBox();
      check(box !== null, "no canvas");

      await page
        .getByRole("button", { name: "Add Delay node" })
        .dragTo(canvas, { targetPosition: { x: box.width * 0.35, y: box.height * 0.2 } });
      await node(page, "delay").waitFor();
      await page
        .getByRole("button", { name: "Add Template node" })
        .dragTo(canvas, { targetPosition: { x: box.width * 0.6, y: box.height * 0.75 } });
      await node(page, "template").waitFor();

      // The new node is selected: its form is in the side panel.
      await page.getByLabel("Template", { exact: true }).fill("Hello, {{ .in.name }}!");
      await node(page, "delay").click();
      await page.getByLabel("Milliseconds").fill("2500");

      await connect(page, "in", "default", "delay");
      await connect(page, "delay", "default", "template");
      await connect(page, "template", "default", "out");

      // Remove the starter edge in → out with the Delete key, then undo and redo it.
      const starter = page.locator('.react-flow__edge[data-id="in:default->out"]');
      await starter.click({ force: true });
      await page.keyboard.press("Delete");
      await starter.waitFor({ state: "detached" });
      await page.keyboard.press("Control+z");
      await starter.waitFor();
      await page.keyboard.press("Control+Shift+z");
      await starter.waitFor({ state: "detached" });

      await node(page, "out").click();
      await page.getByLabel("Value (template)").fill("{{ .template.output }}");
      await page.getByRole("button", { name: "Auto-layout" }).click();
      await page.getByLabel("Workflow name").fill(NAMES.workflow);
      await page.getByText("Unsaved changes").waitFor();

      const saved = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/workflows",
      );
      await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("Control+s");
      const res = await saved;
      check(res.status() === 201, `POST /workflows answered ${res.status()}`);
      await page.waitForURL(/\/workflows\/edit\/\?id=/);
      await page.getByText("All changes saved").waitFor();
      shared.workflowId = new URL(page.url()).searchParams.get("id");
      const def = (await res.json()).definition;
      check(def.nodes.length === 4 && def.edges.length === 3, `saved ${JSON.stringify(def.edges)}`);
      await noAlerts(page);
      await node(page, "template").click();
      await shoot(page, "workflow-editor");
    },
  ],
  [
    "run: inputs dialog, nodes turn green live, a step's output opens",
    async (page) => {
      check(shared.workflowId !== null, "no workflow from the previous case");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Run workflow" });
      const inputs = dialog.getByLabel("Inputs (JSON)");
      check((await inputs.inputValue()).includes('"name"'), "inputs are not prefilled with name");
      await inputs.fill('{"name": "Ada"}');
      await dialog.getByRole("button", { name: "Start run" }).click();
      await page.waitForURL(/\/executions\/view\/\?id=/);
      const opts = { timeout: RUN_TIMEOUT_MS };
      // The delay keeps its node running long enough to be seen live.
      await node(page, "delay").locator('[data-status="running"]').waitFor(opts);
      await node(page, "in").locator('[data-status="succeeded"]').waitFor(opts);
      await shoot(page, "execution-running");
      await node(page, "out").locator('[data-status="succeeded"]').waitFor(opts);
      for (const id of ["in", "delay", "template"]) {
        await node(page, id).locator('[data-status="succeeded"]').waitFor();
      }
      const status = page.getByRole("status").filter({ hasText: /Succeeded/ });
      await status.waitFor(opts);
      await page
        .getByRole("region", { name: "Results" })
        .filter({ hasText: "Hello, Ada!" })
        .waitFor(opts);
      await page.getByRole("button", { name: /^Step template, succeeded/ }).click();
      const out = page.getByLabel("Output of template");
      await out.waitFor();
      check((await out.innerText()).includes("Hello, Ada!"), "template output is not shown");
      const delayStep = await page
        .getByRole("button", { name: /^Step delay,/ })
        .getAttribute("aria-label");
      check(/\d(\.\d)? s$/.test(delayStep ?? ""), `delay duration missing: ${delayStep}`);
      await noAlerts(page);
      await shoot(page, "execution-succeeded");
    },
  ],
  [
    "validation: a bad template is marked on its node when saving",
    async (page) => {
      await page.getByRole("link", { name: "Open workflow" }).click();
      await page.getByText("All changes saved").waitFor();
      await node(page, "template").click();
      await page.getByLabel("Template", { exact: true }).fill("Hello, {{ .in.name ");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await node(page, "template").locator("[data-invalid]").waitFor();
      await page.getByRole("list", { name: "Problems of template" }).waitFor();
      await shoot(page, "workflow-invalid");
      await page.keyboard.press("Control+z");

      // A condition node has a "true" and a "false" output; connect one from the side panel.
      await page.getByRole("button", { name: "Add Condition node" }).click();
      const cond = node(page, "condition");
      await cond.locator('.react-flow__handle.source[data-handleid="true"]').waitFor();
      await cond.locator('.react-flow__handle.source[data-handleid="false"]').waitFor();
      await choose(page, "Branch", "false");
      await choose(page, "Connect to", "out");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.locator('.react-flow__edge[data-id="condition:false->out"]').waitFor();
      await page.getByRole("button", { name: "Undo", exact: true }).click();
      await page.getByRole("button", { name: "Undo", exact: true }).click();
      await cond.waitFor({ state: "detached" });
    },
  ],
  [
    "saving over a newer version asks first; Reload shows the other version",
    async (page, base) => {
      check(shared.workflowId !== null, "no workflow from an earlier case");
      const id = shared.workflowId;
      await page.goto(`${base}/workflows/edit/?id=${encodeURIComponent(id)}`);
      await page.getByText("All changes saved").waitFor();
      // Someone else saves the workflow meanwhile (same content, so a new version).
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const cur = await page.request.get(`${base}/api/v1/workflows/${id}`, { headers });
      check(cur.ok(), `GET /workflows/{id} answered ${cur.status()}`);
      const wf = await cur.json();
      const put = await page.request.put(`${base}/api/v1/workflows/${id}`, {
        headers,
        data: {
          name: wf.name,
          description: wf.description,
          definition: wf.definition,
          version: wf.version,
        },
      });
      check(put.ok(), `PUT /workflows/{id} answered ${put.status()}`);

      await page.getByLabel("Workflow name").fill(`Mine ${SUFFIX}`);
      const answered = page.waitForResponse(
        (r) => r.request().method() === "PUT" && new URL(r.url()).pathname.endsWith(id),
      );
      await page.getByRole("button", { name: "Save", exact: true }).click();
      const res = await answered;
      check(res.status() === 409, `the stale save answered ${res.status()}`);
      const dialog = page.getByRole("dialog", { name: "This workflow changed elsewhere" });
      await dialog.waitFor();
      await shoot(page, "workflow-conflict");
      await dialog.getByRole("button", { name: "Reload" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByText("All changes saved").waitFor();
      check(
        (await page.getByLabel("Workflow name").inputValue()) === NAMES.workflow,
        "Reload did not bring back the saved name",
      );
      await noAlerts(page);
    },
  ],
  [
    "versions: every save is listed; an older one shown beside the current one and restored",
    async (page, base) => {
      check(shared.workflowId !== null, "no workflow from an earlier case");
      const id = shared.workflowId;
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const get = async (path) => (await page.request.get(`${base}${path}`, { headers })).json();
      const before = await get(`/api/v1/workflows/${id}`);
      await page.goto(`${base}/workflows/edit/?id=${encodeURIComponent(id)}`);
      await page.getByText("All changes saved").waitFor();
      await page.getByRole("button", { name: "Versions" }).click();
      const sheet = page.getByRole("dialog", { name: "Versions" });
      const rows = sheet.getByRole("list", { name: "Versions" }).getByRole("button");
      await rows.first().waitFor();
      const n = await rows.count();
      check(n === before.version, `${n} versions listed, want ${before.version}`);
      check((await rows.first().innerText()).includes("current"), "the newest is not current");
      await rows.last().click();
      const diff = sheet.getByRole("region", { name: "Version 1 beside the current one" });
      await diff.waitFor();
      check(
        /From version 1 to the current one|Same nodes/.test(await diff.innerText()),
        "no summary of the differences",
      );
      await shoot(page, "workflow-versions");
      await sheet.getByRole("button", { name: "Restore version 1" }).click();
      const confirm = page.getByRole("dialog", { name: "Restore version 1?" });
      await confirm.getByRole("button", { name: "Restore" }).click();
      await page.getByText(`Restored as version ${before.version + 1}`).waitFor();
      await sheet.waitFor({ state: "detached" });
      await page.getByText("All changes saved").waitFor();
      const v1 = await get(`/api/v1/workflows/${id}/versions/1`);
      const now = await get(`/api/v1/workflows/${id}`);
      const ids = (d) => JSON.stringify(d.nodes.map((x) => x.id));
      check(now.version === before.version + 1, `version ${now.version} after the restore`);
      check(ids(now.definition) === ids(v1.definition), "the restored definition is not v1's");
      // Back to what the later cases expect, through the API.
      const back = await page.request.post(
        `${base}/api/v1/workflows/${id}/versions/${before.version}/restore`,
        { headers, data: { version: now.version } },
      );
      check(back.ok(), `restoring version ${before.version} answered ${back.status()}`);
      await noAlerts(page);
    },
  ],
  [
    "export the workflow as JSON and import it as a new one",
    async (page) => {
      /* Both awaited together: a click that fails must not leave the download's wait to
         reject later with nobody listening. */
      const [file] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export", exact: true }).click(),
      ]);
      const path = await file.path();
      const doc = JSON.parse(readFileSync(path, "utf8"));
      check(
        doc.fragent_export === 1 && doc.definition.nodes.length === 4,
        "export lacks the graph",
      );
      doc.name = `Imported ${SUFFIX}`;
      await nav(page, "Workflows");
      const imported = page.waitForResponse(
        (r) =>
          r.request().method() === "POST" &&
          new URL(r.url()).pathname === "/api/v1/workflows/import",
      );
      await page.getByLabel("Import workflow file").setInputFiles({
        name: "greeter.fragent.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(doc)),
      });
      const res = await imported;
      check(res.status() === 201, `POST /workflows/import answered ${res.status()}`);
      await page.getByRole("link", { name: doc.name, exact: true }).waitFor();
    },
  ],
  [
    "a failing workflow shows the error on its node; retry is offered",
    async (page, base) => {
      const token = await apiToken(page, base, ADMIN);
      const auth = { Authorization: `Bearer ${token}` };
      const wf = await page.request.post(`${base}/api/v1/workflows`, {
        headers: auth,
        data: {
          name: NAMES.failing,
          description: "fails on purpose",
          definition: {
            nodes: [
              { id: "in", type: "input", config: {} },
              { id: "boom", type: "transform", config: { expr: 'error("boom: bad input")' } },
              { id: "out", type: "output", config: { value: "{{ .boom.output }}" } },
            ],
            edges: [
              { source: "in", target: "boom" },
              { source: "boom", target: "out" },
            ],
          },
        },
      });
      check(wf.status() === 201, `POST /workflows answered ${wf.status()}: ${await wf.text()}`);
      const run = await page.request.post(
        `${base}/api/v1/workflows/${(await wf.json()).id}/executions`,
        {
          headers: auth,
          data: { inputs: {} },
        },
      );
      check(run.status() === 202, `POST /executions answered ${run.status()}`);
      shared.failingExecutionId = (await run.json()).id;
      await openExecution(page, shared.failingExecutionId);
      const opts = { timeout: RUN_TIMEOUT_MS };
      const failed = node(page, "boom").locator('[data-status="failed"]');
      await failed.waitFor(opts);
      await failed.filter({ hasText: "boom: bad input" }).waitFor();
      await node(page, "out").locator('[data-status="skipped"]').waitFor(opts);
      await page
        .getByRole("status")
        .filter({ hasText: /Failed/ })
        .waitFor(opts);
      await page.getByRole("button", { name: "Retry" }).waitFor();
      await page.getByLabel("Error of boom").waitFor();
      // The test stacks trace every run: the monitor names the run's trace.
      const traceId = (await run.json()).trace_id;
      check(/^[0-9a-f]{32}$/.test(traceId ?? ""), `the run has no trace id: ${traceId}`);
      check(
        (await page.getByTestId("trace-id").getAttribute("title")) === traceId,
        "the monitor does not show the run's trace id",
      );
      await page.getByRole("button", { name: "Copy trace id" }).waitFor();
      await shoot(page, "execution-failed");
    },
  ],
  [
    "cancel stops a running execution",
    async (page, base) => {
      const auth = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const wf = await page.request.post(`${base}/api/v1/workflows`, {
        headers: auth,
        data: {
          name: `Slow ${SUFFIX}`,
          description: "",
          definition: {
            nodes: [
              { id: "in", type: "input", config: {} },
              { id: "wait", type: "delay", config: { ms: 60000 } },
              { id: "out", type: "output", config: { value: "done" } },
            ],
            edges: [
              { source: "in", target: "wait" },
              { source: "wait", target: "out" },
            ],
          },
        },
      });
      check(wf.status() === 201, `POST /workflows answered ${wf.status()}: ${await wf.text()}`);
      const run = await page.request.post(
        `${base}/api/v1/workflows/${(await wf.json()).id}/executions`,
        {
          headers: auth,
          data: { inputs: {} },
        },
      );
      check(run.status() === 202, `POST /executions answered ${run.status()}`);
      await openExecution(page, (await run.json()).id);
      const opts = { timeout: RUN_TIMEOUT_MS };
      await node(page, "wait").locator('[data-status="running"]').waitFor(opts);
      await page.getByRole("button", { name: "Cancel run" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: /Cancelled/ })
        .waitFor(opts);
      await node(page, "wait").locator('[data-status="cancelled"]').waitFor(opts);
      await page.getByRole("button", { name: "Retry" }).waitFor();
      await shoot(page, "execution-cancelled");
    },
  ],
  [
    "executions list: both runs, filtered by status; dashboard counts them",
    async (page, base) => {
      await nav(page, "Executions");
      const table = page.getByRole("table", { name: "Executions" });
      await table.waitFor();
      await table.getByRole("cell", { name: NAMES.workflow }).first().waitFor();
      await table.getByRole("cell", { name: NAMES.failing }).first().waitFor();
      await choose(page, "Status", "Failed");
      await page.waitForURL(/status=failed/);
      await table.getByRole("cell", { name: NAMES.workflow }).waitFor({ state: "detached" });
      await table.getByRole("cell", { name: NAMES.failing }).waitFor();
      const badges = await table.locator("tbody tr td:first-child").allInnerTexts();
      check(
        badges.every((b) => /Failed/.test(b)),
        `filtered list has ${badges.join(", ")}`,
      );
      await shoot(page, "executions");
      await nav(page, "Dashboard");
      if (shared.fresh) {
        await page.getByLabel("Workflows: 4").waitFor();
        await page.getByLabel("Agents: 1").waitFor();
      } else {
        await page.getByLabel(/^Workflows: \d/).waitFor();
      }
      await page.getByRole("table", { name: "Recent executions" }).waitFor();
      await shoot(page, "dashboard");
      await nav(page, "Workflows");
      await page.getByRole("link", { name: NAMES.workflow, exact: true }).waitFor();
      await shoot(page, "workflows");
    },
  ],
  [
    "triggers: a webhook's URL and one-time secret, a signed test request (202, then 200 in sync mode); a weekday schedule explained live; executions filtered by Webhook",
    async (page, base) => {
      check(shared.workflowId !== null, "no workflow from an earlier case");
      const hookName = `Deploy hook ${SUFFIX}`;
      // A workflow never saved has no id: the panel asks to save it first.
      await nav(page, "Workflows");
      await page.getByRole("link", { name: "New workflow" }).click();
      await node(page, "in").waitFor();
      await page.getByRole("button", { name: "Triggers" }).click();
      let sheet = page.getByRole("dialog", { name: "Triggers" });
      await sheet.getByText("Save the workflow first").waitFor();
      await sheet.getByRole("button", { name: "Save workflow" }).waitFor();
      await shoot(page, "triggers-unsaved");
      await page.keyboard.press("Escape");
      await sheet.waitFor({ state: "detached" });

      await nav(page, "Workflows");
      await page.getByRole("link", { name: NAMES.workflow, exact: true }).click();
      await page.getByText("All changes saved").waitFor();
      // By keyboard: focus the toolbar button, Enter opens the panel, Escape gives focus back.
      await page.getByRole("button", { name: "Triggers" }).focus();
      await page.keyboard.press("Enter");
      sheet = page.getByRole("dialog", { name: "Triggers" });
      await sheet.getByText("No webhooks yet").waitFor();
      await noAlerts(page);
      await shoot(page, "triggers-webhooks-empty");

      // A webhook signed with HMAC, answering at once.
      await sheet.getByRole("button", { name: "Add webhook" }).click();
      await sheet.getByLabel("Name").fill(hookName);
      await sheet.getByLabel("HMAC signature").check();
      await sheet.getByText("A secret is made when you save, and shown once.").waitFor();
      await shoot(page, "triggers-webhook-form");
      const made = page.waitForResponse(
        (r) => r.request().method() === "POST" && /\/webhooks$/.test(new URL(r.url()).pathname),
      );
      await sheet.getByRole("button", { name: "Create webhook" }).click();
      check((await made).status() === 201, "POST /workflows/{id}/webhooks did not answer 201");
      const secret = await sheet.getByLabel("Webhook secret").inputValue();
      check(/^whs_[0-9a-f]{64}$/.test(secret), `the secret shown is ${secret}`);
      await sheet.getByText("You won’t see it again", { exact: false }).waitFor();
      const row = sheet.getByRole("listitem", { name: hookName });
      const url = await row.getByLabel(`URL of ${hookName}`).innerText();
      check(
        new RegExp(`^${base.replace(/[.:/]/g, "\\$&")}/hooks/[A-Za-z0-9_-]{43}$`).test(url),
        `the webhook's URL is ${url}`,
      );
      await row.getByRole("button", { name: "Copy URL" }).click();
      await row.getByRole("button", { name: "Copied" }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      check(copied === url, `the clipboard holds ${copied}`);
      await noAlerts(page);
      await shoot(page, "triggers-webhook-secret");

      // The test request: the secret is filled in; the browser signs the body.
      await row.getByRole("button", { name: `Send a test request to ${hookName}` }).click();
      check(
        (await sheet.getByLabel("Secret", { exact: true }).inputValue()) === secret,
        "the test form does not know the new secret",
      );
      await sheet.getByLabel("Body (JSON)").fill('{"name": "Ada"}');
      const curl = await sheet.getByLabel("curl command text").innerText();
      check(
        curl.includes("openssl dgst -sha256 -hmac") && curl.includes(url),
        `curl command: ${curl}`,
      );
      await sheet.getByRole("button", { name: "Send request" }).click();
      const answer = sheet.getByRole("region", { name: "Answer" });
      await answer
        .getByRole("status")
        .filter({ hasText: /^202\b/ })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      check(
        (await answer.getByLabel("Answer body").innerText()).includes('"execution_id"'),
        "the 202 does not name the execution",
      );
      await answer.getByRole("link", { name: "Open execution" }).waitFor();
      await answer.evaluate((el) => el.scrollIntoView({ block: "start" }));
      await shoot(page, "triggers-webhook-test");

      // Sync mode: the caller gets the run's result.
      await sheet.getByRole("button", { name: "Webhooks" }).click();
      await sheet.getByRole("button", { name: "I saved it" }).click();
      await row.getByRole("button", { name: `Edit ${hookName}` }).click();
      await sheet.getByLabel("With the result (sync)").check();
      await sheet.getByLabel("Time limit (seconds)").fill("20");
      await sheet.getByRole("button", { name: "Save webhook" }).click();
      await row.getByText("Sync · 20 s").waitFor();
      await row.getByRole("button", { name: `Send a test request to ${hookName}` }).click();
      await sheet.getByRole("button", { name: "Send request" }).click();
      await answer
        .getByRole("status")
        .filter({ hasText: /^200\b/ })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      check(
        (await answer.getByLabel("Answer body").innerText()).includes('"out": "Hello'),
        "the sync answer lacks the run's result",
      );
      await answer.evaluate((el) => el.scrollIntoView({ block: "start" }));
      await shoot(page, "triggers-webhook-sync");

      // A schedule: the cron field is explained while it is typed.
      await sheet.getByRole("tab", { name: "Schedules" }).click();
      await sheet.getByText("No schedules yet").waitFor();
      await shoot(page, "triggers-schedules-empty");
      await sheet.getByRole("button", { name: "Add schedule" }).click();
      await sheet.getByLabel("Name").fill(`Weekday digest ${SUFFIX}`);
      const cron = sheet.getByLabel("Cron expression");
      await cron.fill("61 9 * * 1-5");
      await sheet.getByText(/minute: 61 is out of range/).waitFor();
      await sheet.getByLabel("Time zone").fill("Europe/Paris");
      await cron.fill("0 9 * * 1-5");
      const when = sheet.getByRole("region", { name: "When it runs" });
      await when.getByText("every weekday at 09:00, Europe/Paris", { exact: true }).waitFor();
      const fires = when.getByRole("list", { name: "Next runs" }).getByRole("listitem");
      check((await fires.count()) === 5, `${await fires.count()} next fire times shown`);
      const firstFire = await fires.first().innerText();
      check(/09:00/.test(firstFire), `the first fire time reads ${firstFire}`);
      await shoot(page, "triggers-schedule-form");
      await sheet.getByRole("button", { name: "Create schedule" }).click();
      const sched = sheet.getByRole("listitem", { name: `Weekday digest ${SUFFIX}` });
      await sched.getByText("Runs every weekday at 09:00, Europe/Paris").waitFor();
      // From now to the next weekday's 09:00 in Paris: hours, "tomorrow" (a Sunday morning) or
      // days (a Saturday or a Friday after 09:00), then the time on the schedule's clock.
      await sched
        .getByText(/^Next run (in \d+ (hours?|minutes?|days)|tomorrow) · .*09:00/)
        .waitFor();
      await noAlerts(page);
      await shoot(page, "triggers-schedules");
      await page.keyboard.press("Escape");
      await sheet.waitFor({ state: "detached" });
      // Focus goes back to the button that opened the panel (on the next tick).
      await page
        .waitForFunction(() => document.activeElement?.textContent?.trim() === "Triggers", null, {
          timeout: 2000,
        })
        .catch(() => {
          throw new Error("focus did not return to the Triggers button");
        });

      // The executions list filtered by trigger: only the webhook's runs.
      await nav(page, "Executions");
      await choose(page, "Trigger", "Webhook");
      await page.waitForURL(/trigger=webhook/);
      // The rows of the unfiltered list stay, dimmed, until the filtered page arrives.
      await page
        .waitForFunction(() => {
          const cells = [
            ...document.querySelectorAll('table[aria-label="Executions"] tbody tr td:nth-child(3)'),
          ];
          return cells.length >= 2 && cells.every((c) => c.textContent?.includes("Webhook"));
        })
        .catch(() => undefined);
      const table = page.getByRole("table", { name: "Executions" });
      await table.getByRole("cell", { name: NAMES.workflow }).first().waitFor();
      const triggers = (await table.locator("tbody tr td:nth-child(3)").allTextContents()).map(
        (t) => t.replace(/\s+/g, " ").trim(),
      );
      check(
        triggers.length >= 2 && triggers.every((t) => t === "Trigger: Webhook"),
        `filtered list has ${triggers.join(", ")}`,
      );
      await shoot(page, "executions-webhook");
      await page
        .getByRole("link", { name: /^View execution / })
        .first()
        .click();
      await page.waitForURL(/\/executions\/view\/\?id=/);
      await page.getByText("Trigger: Webhook").waitFor();
      await page
        .getByRole("status")
        .filter({ hasText: /Succeeded/ })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      await shoot(page, "execution-webhook");
    },
  ],
  [
    "settings: add a viewer, disable and enable it; create an API key shown once; the server's settings",
    async (page) => {
      await nav(page, "Settings");
      await page.getByRole("tab", { name: "Users and roles" }).waitFor();
      await page.getByLabel("Username").fill(VIEWER.username);
      await page.getByLabel("Email").fill(VIEWER.email);
      await page.getByLabel("Password").fill(VIEWER.password);
      await choose(page, "Role", "Viewer");
      await page.getByRole("button", { name: "Add user" }).click();
      await page
        .getByRole("table", { name: "Users" })
        .getByRole("cell", { name: VIEWER.username, exact: true })
        .waitFor();
      await noAlerts(page);
      await page.getByRole("button", { name: `Disable ${VIEWER.username}` }).click();
      await page
        .getByRole("table", { name: "Users" })
        .getByRole("row", { name: new RegExp(VIEWER.username) })
        .getByText("Disabled", { exact: true })
        .waitFor();
      await shoot(page, "settings-users-disabled");
      await page.getByRole("button", { name: `Enable ${VIEWER.username}` }).click();
      await page.getByRole("button", { name: `Disable ${VIEWER.username}` }).waitFor();
      await noAlerts(page);
      await shoot(page, "settings-users");
      await page.getByRole("tab", { name: "API keys" }).click();
      await page.getByLabel("Key name").fill(`ci ${SUFFIX}`);
      await page.getByRole("button", { name: "Create key" }).click();
      const key = page
        .getByRole("dialog", { name: "Copy your new API key" })
        .getByLabel("New API key");
      await key.waitFor();
      check((await key.inputValue()).startsWith("fgk_"), "the new key does not start with fgk_");
      await shoot(page, "settings-api-key");
      await page.getByRole("button", { name: "Done" }).click();
      await page
        .getByRole("table", { name: "API keys" })
        .getByRole("cell", { name: `ci ${SUFFIX}`, exact: true })
        .waitFor();
      // The operator settings in force, read-only: the model allow-list the stack runs with.
      await page.getByRole("tab", { name: "Server" }).click();
      const server = page.getByRole("table", { name: "Operator settings" });
      await server.getByRole("cell", { name: "FRAGENT_MODEL_ALLOWLIST", exact: true }).waitFor();
      const allow = process.env.FRAGENT_MODEL_ALLOWLIST ?? "";
      if (allow !== "") await server.getByRole("cell", { name: allow, exact: true }).waitFor();
      await noAlerts(page);
      await shoot(page, "settings-server");
    },
  ],
  [
    "usage: runs per hour by status with p50/p95, top failing workflows, tokens per model; pricing a model makes its cost known",
    async (page) => {
      await nav(page, "Dashboard");
      const runs = page.getByRole("region", { name: "Runs per hour" });
      const bars = runs.getByTestId("runs-chart").locator(".recharts-bar-rectangle");
      await bars.first().waitFor();
      const figure = (label) =>
        runs
          .locator("dt", { hasText: new RegExp(`^${label}$`) })
          .locator("xpath=following-sibling::dd")
          .innerText();
      check(Number(await figure("Failed")) >= 1, "no failed run counted");
      check(Number(await figure("Succeeded")) >= 1, "no succeeded run counted");
      const p95 = await figure("p95 duration");
      check(/\d/.test(p95), `p95 duration shows ${p95}`);
      await page
        .getByRole("list", { name: "Top failing workflows" })
        .getByRole("link", { name: NAMES.failing, exact: true })
        .waitFor();
      // The range switch by keyboard: arrow keys move and select.
      await page.getByRole("radio", { name: "24 hours" }).focus();
      await page.keyboard.press("ArrowRight");
      const week = page.getByRole("radio", { name: "7 days" });
      check((await week.getAttribute("aria-checked")) === "true", "7 days not selected");
      check(
        await week.evaluate((el) => el === document.activeElement),
        "focus did not follow the range",
      );
      await bars.first().waitFor();
      await noAlerts(page);
      await shoot(page, "dashboard-usage");
      const models = page.getByRole("table", { name: "Tokens and cost per model" });
      await page.getByRole("region", { name: "Top failing workflows" }).scrollIntoViewIfNeeded();
      await shoot(page, "dashboard-usage-models");
      let model = "e2e-model";
      if (llm.base !== null) {
        // The agent chat's model, as the scripted vendor names itself: no price yet.
        model = "llmsrv";
        const row = models.getByRole("row", { name: new RegExp(model) });
        await row.getByText("unknown").waitFor();
        await row.getByRole("link", { name: "set a price" }).click();
        await page.waitForURL(/tab=prices/);
      } else {
        await nav(page, "Settings");
        await page.getByRole("tab", { name: "Model prices" }).click();
        await page.getByRole("button", { name: "Add a model" }).click();
        await page.getByLabel("Model of row 1").fill(model);
      }
      await page.getByLabel(`Prompt price of ${model}`).fill("2.5");
      await page.getByLabel(`Completion price of ${model}`).fill("10");
      await page.getByRole("button", { name: "Save prices" }).click();
      await page.getByText("Model prices saved").waitFor();
      await noAlerts(page);
      await shoot(page, "settings-model-prices");
      // A row without a price is refused before it is sent.
      await page.getByRole("button", { name: "Add a model" }).click();
      await page.getByLabel("Model of row 2").fill("half-priced");
      await page.getByRole("button", { name: "Save prices" }).click();
      await page.getByRole("alert").filter({ hasText: "prompt price of “half-priced”" }).waitFor();
      await page.getByRole("button", { name: "Remove the price of half-priced" }).click();
      if (llm.base !== null) {
        await nav(page, "Dashboard");
        const row = models.getByRole("row", { name: new RegExp(model) });
        await row.waitFor();
        check((await row.getByText("unknown").count()) === 0, "the priced model's cost is unknown");
      }
    },
  ],
  [
    "approval: a run waits for a person; the Approvals page and badge list it; approving from the run view with a comment finishes it",
    async (page, base) => {
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const definition = {
        nodes: [
          { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } },
          {
            id: "review",
            type: "approval",
            config: { role: "admin", message: "Publish this greeting?" },
            position: { x: 260, y: 0 },
          },
          {
            id: "published",
            type: "output",
            config: { value: "published: {{ .review.output.comment }}" },
            position: { x: 540, y: -90 },
          },
          {
            id: "dropped",
            type: "output",
            config: { value: "dropped" },
            position: { x: 540, y: 90 },
          },
        ],
        edges: [
          { source: "in", target: "review" },
          { source: "review", source_handle: "approved", target: "published" },
          { source: "review", source_handle: "rejected", target: "dropped" },
        ],
      };
      const wf = await page.request.post(`${base}/api/v1/workflows`, {
        headers,
        data: { name: NAMES.approval, description: "", definition },
      });
      check(wf.status() === 201, `POST /workflows answered ${wf.status()}`);
      const started = await page.request.post(
        `${base}/api/v1/workflows/${(await wf.json()).id}/executions`,
        { headers, data: { inputs: {} } },
      );
      check(started.status() === 202, `starting the run answered ${started.status()}`);
      const runId = (await started.json()).id;
      let status = "";
      for (let i = 0; i < 100 && status !== "waiting"; i++) {
        if (i > 0) await page.waitForTimeout(200);
        const r = await page.request.get(`${base}/api/v1/executions/${runId}`, { headers });
        status = (await r.json()).status;
      }
      check(status === "waiting", `the run is ${status}, not waiting`);
      // The Approvals page lists it; the badge (polled) counts it.
      await nav(page, "Approvals");
      const item = page.getByRole("article", { name: `review — ${NAMES.approval}` });
      await item.waitFor({ timeout: RUN_TIMEOUT_MS });
      await item.getByText("Publish this greeting?").waitFor();
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: /^Approvals, \d+ waiting for you$/ })
        .waitFor({ timeout: 40_000 });
      await noAlerts(page);
      await shoot(page, "approvals");
      // Approve from the run view, by keyboard.
      const row = page.getByRole("listitem").filter({ has: item });
      await row.getByRole("link", { name: "Open run" }).click();
      await page.waitForURL(/\/executions\/view\/\?id=/);
      const panel = page.getByRole("region", { name: "Approvals" });
      await panel.waitFor({ timeout: RUN_TIMEOUT_MS });
      await page
        .getByRole("status")
        .filter({ hasText: /Waiting/ })
        .first()
        .waitFor();
      await node(page, "review").locator('[data-status="waiting"]').waitFor();
      await shoot(page, "approval-waiting");
      const comment = panel.getByLabel("Comment (optional)");
      await comment.fill("Looks good");
      await comment.press("Tab");
      await page.keyboard.press("Enter");
      await page
        .getByRole("status")
        .filter({ hasText: /Succeeded/ })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      await page
        .getByRole("region", { name: "Results" })
        .filter({ hasText: "published: Looks good" })
        .waitFor({ timeout: RUN_TIMEOUT_MS });
      await panel.getByText(/Approved\s+by/).waitFor();
      await node(page, "dropped").locator('[data-status="skipped"]').waitFor();
      await noAlerts(page);
      await shoot(page, "approval-approved");
      if (shared.fresh) {
        await nav(page, "Approvals");
        await page.getByText("Nothing to approve").waitFor();
      }
    },
  ],
  [
    "a viewer cannot see edit controls",
    async (page, base) => {
      await signOut(page);
      await signIn(page, base, VIEWER);
      await nav(page, "Workflows");
      await page.getByText("Workflows that editors share with you appear here.").waitFor();
      check(
        (await page.getByRole("link", { name: "New workflow" }).count()) === 0,
        "viewer sees New workflow",
      );
      await nav(page, "Dashboard");
      await page.getByText("Nothing has been shared with you yet.").waitFor();
      await page.goto(`${base}/workflows/edit/`);
      await page.getByText("Read only").waitFor();
      for (const name of ["Save", "Run", "Undo", "Import"]) {
        check(
          (await page.getByRole("button", { name, exact: true }).count()) === 0,
          `viewer sees ${name}`,
        );
      }
      check(
        (await page.getByRole("navigation", { name: "Node types" }).count()) === 0,
        "viewer sees the palette",
      );
      await shoot(page, "viewer-editor");
      await page.getByRole("button", { name: "Triggers" }).click();
      const sheet = page.getByRole("dialog", { name: "Triggers" });
      await sheet.getByText("Save the workflow first").waitFor();
      check(
        (await sheet.getByRole("button", { name: "Save workflow" }).count()) === 0,
        "viewer is offered to save",
      );
      await page.keyboard.press("Escape");
      await sheet.waitFor({ state: "detached" });

      // A workflow of the viewer's with a webhook and a schedule (made while an admin had
      // made it an editor): its triggers panel lists them, without the edit actions.
      const admin = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const found = await page.request.get(`${base}/api/v1/users?q=${VIEWER.username}`, {
        headers: admin,
      });
      const viewerId = (await found.json()).items[0]?.id;
      check(viewerId !== undefined, "the viewer is not listed");
      const setRole = async (role) => {
        const r = await page.request.patch(`${base}/api/v1/users/${viewerId}`, {
          headers: admin,
          data: { role },
        });
        check(r.ok(), `PATCH /users/{id} to ${role} answered ${r.status()}`);
      };
      await setRole("editor");
      const login = await page.request.post(`${base}/api/v1/auth/login`, {
        data: { username: VIEWER.username, password: VIEWER.password },
      });
      check(login.ok(), `the viewer's POST /auth/login answered ${login.status()}`);
      const own = { Authorization: `Bearer ${(await login.json()).access_token}` };
      const made = await page.request.post(`${base}/api/v1/workflows`, {
        headers: own,
        data: {
          name: `Shared ${SUFFIX}`,
          description: "",
          definition: {
            nodes: [
              { id: "in", type: "input", config: {} },
              { id: "out", type: "output", config: { value: "ok" } },
            ],
            edges: [{ source: "in", target: "out" }],
          },
        },
      });
      check(made.status() === 201, `POST /workflows answered ${made.status()}`);
      const wid = (await made.json()).id;
      for (const [kind, data] of [
        ["webhooks", { name: "Read-only hook" }],
        ["schedules", { name: "Nightly", cron: "@daily", timezone: "UTC" }],
      ]) {
        const r = await page.request.post(`${base}/api/v1/workflows/${wid}/${kind}`, {
          headers: own,
          data,
        });
        check(r.status() === 201, `POST /workflows/{id}/${kind} answered ${r.status()}`);
      }
      await setRole("viewer");
      await nav(page, "Workflows");
      await page.getByRole("link", { name: `Shared ${SUFFIX}`, exact: true }).click();
      await page.getByText("Read only").waitFor();
      await page.getByRole("button", { name: "Triggers" }).click();
      const hook = sheet.getByRole("listitem", { name: "Read-only hook" });
      await hook.getByLabel("URL of Read-only hook").waitFor();
      await hook.getByRole("button", { name: "Copy URL" }).waitFor();
      for (const name of [/^Add webhook/, /^Send a test request/, /^Edit/, /^More actions/]) {
        check((await sheet.getByRole("button", { name }).count()) === 0, `viewer sees ${name}`);
      }
      check((await sheet.getByRole("switch").count()) === 0, "viewer sees an enabled switch");
      await noAlerts(page);
      await shoot(page, "viewer-triggers");
      await sheet.getByRole("tab", { name: "Schedules" }).click();
      await sheet.getByRole("listitem", { name: "Nightly" }).waitFor();
      for (const name of [/^Add schedule/, /^Edit/, /^Delete/]) {
        check((await sheet.getByRole("button", { name }).count()) === 0, `viewer sees ${name}`);
      }
      await page.keyboard.press("Escape");
      await sheet.waitFor({ state: "detached" });
      await nav(page, "Agents");
      check(
        (await page.getByRole("link", { name: "New agent" }).count()) === 0,
        "viewer sees New agent",
      );
      await nav(page, "Credentials");
      check(
        (await page.getByRole("button", { name: "Add credential" }).count()) === 0,
        "viewer sees Add credential",
      );
      await nav(page, "API keys");
      check(
        (await page.getByRole("tab", { name: "Users and roles" }).count()) === 0,
        "viewer sees Users",
      );
    },
  ],
  [
    "map: the run view lists a map's items by status and opens each item's run",
    async (page, base) => {
      if ((await page.getByRole("button", { name: `Account: ${ADMIN.username}` }).count()) === 0) {
        await signOut(page);
        await signIn(page, base, ADMIN);
      }
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const create = async (name, nodes, edges) => {
        const r = await page.request.post(`${base}/api/v1/workflows`, {
          headers,
          data: { name, description: "", definition: { nodes, edges } },
        });
        check(r.status() === 201, `POST /workflows answered ${r.status()}`);
        return (await r.json()).id;
      };
      const child = await create(
        `Item ${SUFFIX}`,
        [
          { id: "in", type: "input", config: {} },
          { id: "out", type: "output", config: { value: "{{ .in.item }} done" } },
        ],
        [{ source: "in", target: "out" }],
      );
      const parent = await create(
        `Each ${SUFFIX}`,
        [
          { id: "in", type: "input", config: {} },
          {
            id: "each",
            type: "map",
            config: { workflow_id: child, items: '["a","b","c","d","e"]', concurrency: 2 },
          },
          { id: "out", type: "output", config: { value: "{{ .each.output.succeeded }}" } },
        ],
        [
          { source: "in", target: "each" },
          { source: "each", target: "out" },
        ],
      );
      const run = await page.request.post(`${base}/api/v1/workflows/${parent}/executions`, {
        headers,
        data: { inputs: {} },
      });
      check(run.status() === 202, `POST /workflows/{id}/executions answered ${run.status()}`);
      const exec = (await run.json()).id;
      await page.goto(`${base}/executions/view/?id=${encodeURIComponent(exec)}`);
      await page.getByRole("status").filter({ hasText: "Succeeded" }).first().waitFor();
      await node(page, "each").click();
      await page.getByRole("tab", { name: "Items" }).waitFor();
      const items = page.getByRole("list", { name: "Items" });
      await items.getByRole("listitem").nth(4).waitFor();
      check((await items.getByRole("listitem").count()) === 5, "not 5 items listed");
      await page.getByText("5 items started").waitFor();
      await page.getByText("5 succeeded").waitFor();
      await shoot(page, "map-items");
      await choose(page, "Show items of status", "Failed");
      await page.getByText("No items in this status").waitFor();
      await choose(page, "Show items of status", "Every status");
      await items.getByRole("link", { name: "Open item 2" }).click();
      const back = page.getByRole("link", {
        name: "Started by step each (item #2) of its parent run",
      });
      await back.waitFor();
      await page.getByRole("heading", { level: 1, name: `Item ${SUFFIX}` }).waitFor();
      await page.getByText("Trigger: Workflow").waitFor();
      await shoot(page, "map-item-run");
      await back.click();
      await page.getByRole("heading", { level: 1, name: `Each ${SUFFIX}` }).waitFor();
      // The editor names the mapped workflow in its picker.
      await page.goto(`${base}/workflows/edit/?id=${encodeURIComponent(parent)}`);
      await page.getByText("All changes saved").waitFor();
      await node(page, "each").click();
      await page
        .getByRole("combobox", { name: /Workflow run per item/ })
        .filter({ hasText: `Item ${SUFFIX}` })
        .waitFor();
      await noAlerts(page);
    },
  ],
  [
    "budget: set in the editor; a run stops at its limit and shows what it used",
    async (page, base) => {
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const made = await page.request.post(`${base}/api/v1/workflows`, {
        headers,
        data: {
          name: `Budgeted ${SUFFIX}`,
          description: "",
          definition: {
            nodes: [
              { id: "in", type: "input", config: {} },
              { id: "a", type: "template", config: { template: "one" } },
              { id: "b", type: "template", config: { template: "two" } },
              { id: "out", type: "output", config: { value: "{{ .b.output }}" } },
            ],
            edges: [
              { source: "in", target: "a" },
              { source: "a", target: "b" },
              { source: "b", target: "out" },
            ],
          },
        },
      });
      check(made.status() === 201, `POST /workflows answered ${made.status()}`);
      const id = (await made.json()).id;
      await page.goto(`${base}/workflows/edit/?id=${encodeURIComponent(id)}`);
      await page.getByText("All changes saved").waitFor();
      await page.getByRole("button", { name: "Budget" }).click();
      const dialog = page.getByRole("dialog", { name: "Run budget" });
      await dialog.getByLabel("Steps").fill("0");
      await dialog.getByRole("button", { name: "Apply" }).click();
      await dialog.getByText("a whole number from 1 to 1000000").waitFor();
      await dialog.getByLabel("Steps").fill("2");
      await shoot(page, "workflow-budget");
      await dialog.getByRole("button", { name: "Apply" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Budget (set)" }).waitFor();
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("All changes saved").waitFor();
      const saved = await (
        await page.request.get(`${base}/api/v1/workflows/${id}`, { headers })
      ).json();
      check(saved.definition.budget?.max_steps === 2, "the budget was not saved");
      const run = await page.request.post(`${base}/api/v1/workflows/${id}/executions`, {
        headers,
        data: { inputs: {} },
      });
      const exec = (await run.json()).id;
      await page.goto(`${base}/executions/view/?id=${encodeURIComponent(exec)}`);
      await page.getByRole("status").filter({ hasText: "Failed" }).first().waitFor();
      await page.getByText("the run's limit of 2 steps is spent").first().waitFor();
      await page
        .getByLabel("Usage of the run's budget")
        .filter({ hasText: "2 / 2 steps" })
        .waitFor();
      await shoot(page, "run-budget");
    },
  ],
  [
    "switch: cases edited in the side panel become handles; an error handle wired; the error path shown in a run",
    async (page, base) => {
      await signOut(page);
      await signIn(page, base, ADMIN);
      await nav(page, "Workflows");
      await page.getByRole("link", { name: "New workflow" }).click();
      await node(page, "in").waitFor();
      await page.getByRole("button", { name: "Add Switch node" }).click();
      const sw = node(page, "switch");
      await sw.waitFor();
      const handle = (id) => sw.locator(`.react-flow__handle.source[data-handleid="${id}"]`);
      await handle("default").waitFor();
      await handle("error").waitFor();

      // Two cases from the side panel, the first renamed; each becomes a labelled handle.
      const cases = page.getByRole("region", { name: "Cases" });
      await cases.getByRole("button", { name: "Add case" }).click();
      await cases.getByRole("button", { name: "Add case" }).click();
      await handle("case_1").waitFor();
      await handle("case_2").waitFor();
      await cases.getByLabel("Case 1 handle").fill("big");
      await page.keyboard.press("Enter");
      await handle("big").waitFor();
      await cases.getByLabel("Condition (jq)").first().fill(".in.n > 10");
      await cases.getByLabel("Condition (jq)").nth(1).fill(".in.n < 0");
      // A name every node's handle has is refused where it is typed.
      await cases.getByLabel("Case 2 handle").fill("error");
      await page.keyboard.press("Enter");
      await cases.getByText('"error" is a handle every switch has.').waitFor();
      await cases.getByLabel("Case 2 handle").fill("case_2");
      await page.keyboard.press("Enter");

      await connect(page, "in", "default", "switch");
      await connect(page, "switch", "big", "out");
      await connect(page, "switch", "case_2", "out");
      // The error handle, wired from the side panel (keyboard path).
      await choose(page, "Branch", "error");
      await choose(page, "Connect to", "out");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.locator('.react-flow__edge[data-id="switch:error->out"]').waitFor();
      // Renaming a case moves its connections.
      await cases.getByLabel("Case 2 handle").fill("neg");
      await page.keyboard.press("Enter");
      await page.locator('.react-flow__edge[data-id="switch:neg->out"]').waitFor();
      // Moving a case changes which is checked first, not the handles.
      await cases.getByRole("button", { name: "Move case neg up" }).click();
      check(
        (await cases.getByLabel("Case 1 handle").inputValue()) === "neg",
        "the moved case is not first",
      );

      await page.getByLabel("Workflow name").fill(`Switch ${SUFFIX}`);
      const saved = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/workflows",
      );
      await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("Control+s");
      const res = await saved;
      check(res.status() === 201, `POST /workflows answered ${res.status()}: ${await res.text()}`);
      const def = (await res.json()).definition;
      const swDef = def.nodes.find((n) => n.id === "switch");
      const savedCases = swDef.config.cases.map((c) => `${c.name}: ${c.expr}`).join("; ");
      check(savedCases === "neg: .in.n < 0; big: .in.n > 10", `saved cases ${savedCases}`);
      const handles = def.edges
        .filter((e) => e.source === "switch")
        .map((e) => e.source_handle)
        .sort();
      check(JSON.stringify(handles) === '["big","error","neg"]', `saved ${handles}`);
      await page.getByText("All changes saved").waitFor();
      await noAlerts(page);
      await node(page, "switch").click();
      await shoot(page, "workflow-switch");

      // A run whose node fails takes its error branch and still succeeds.
      const auth = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      const wf = await page.request.post(`${base}/api/v1/workflows`, {
        headers: auth,
        data: {
          name: `Falls back ${SUFFIX}`,
          definition: {
            nodes: [
              { id: "in", type: "input", config: {}, position: { x: 0, y: 80 } },
              {
                id: "boom",
                type: "transform",
                config: { expr: 'error("upstream down")' },
                position: { x: 260, y: 80 },
              },
              {
                id: "ok",
                type: "template",
                config: { template: "fine" },
                position: { x: 520, y: 0 },
              },
              {
                id: "fallback",
                type: "template",
                config: { template: "fallback: {{ .boom.output.error }}" },
                position: { x: 520, y: 200 },
              },
              { id: "all", type: "merge", config: {}, position: { x: 780, y: 80 } },
              {
                id: "out",
                type: "output",
                config: { value: "{{ .all.output }}" },
                position: { x: 1040, y: 80 },
              },
            ],
            edges: [
              { source: "in", target: "boom" },
              { source: "boom", target: "ok" },
              { source: "boom", source_handle: "error", target: "fallback" },
              { source: "ok", target: "all" },
              { source: "fallback", target: "all" },
              { source: "all", target: "out" },
            ],
          },
        },
      });
      check(wf.status() === 201, `POST /workflows answered ${wf.status()}: ${await wf.text()}`);
      const run = await page.request.post(
        `${base}/api/v1/workflows/${(await wf.json()).id}/executions`,
        { headers: auth, data: { inputs: {} } },
      );
      check(run.status() === 202, `POST /executions answered ${run.status()}`);
      await openExecution(page, (await run.json()).id);
      const opts = { timeout: RUN_TIMEOUT_MS };
      await page
        .getByRole("status")
        .filter({ hasText: /Succeeded/ })
        .waitFor(opts);
      await node(page, "boom").locator('[data-status="failed"]').waitFor(opts);
      await node(page, "fallback").locator('[data-status="succeeded"]').waitFor(opts);
      await node(page, "ok").locator('[data-status="skipped"]').waitFor(opts);
      const path = page.locator('.react-flow__edge[data-id="boom:error->fallback"]');
      await path.waitFor();
      check(
        (await path.getAttribute("aria-label")) === "Error path taken from boom to fallback",
        "the error path is not marked as taken",
      );
      await page
        .getByRole("region", { name: "Results" })
        .filter({ hasText: "fallback: upstream down" })
        .waitFor(opts);
      await shoot(page, "execution-error-path");
    },
  ],
  [
    "replay: an exact replay matches its original step for step; replaying the agent step with a changed definition marks what differs",
    async (page, base) => {
      if (llm.base === null) throw new Skip(`no scripted LLM server: ${llm.why}`);
      const headers = { Authorization: `Bearer ${await apiToken(page, base, ADMIN)}` };
      // The scripted model answers each request of this scenario in turn: the original run
      // gets the first answer; a replay that calls out gets the second.
      const scenario = `replay_${SUFFIX}`;
      const script = await page.request.post(`${llm.base}/_scenario?name=${scenario}`, {
        data: {
          select: "sequence",
          responses: [{ text: "First answer." }, { text: "Second answer." }],
        },
      });
      check(script.ok(), `POST /_scenario answered ${script.status()}`);
      const cred = await page.request.post(`${base}/api/v1/credentials`, {
        headers,
        data: { name: `Replay key ${SUFFIX}`, provider: "openai", secret: "sk-test-replay" },
      });
      check(cred.status() === 201, `POST /credentials answered ${cred.status()}`);
      const agent = await page.request.post(`${base}/api/v1/agents`, {
        headers,
        data: {
          name: `Replayed ${SUFFIX}`,
          configuration: {
            provider: "openai",
            model: scenario,
            base_url: `${llm.base}/v1`,
            credential_id: (await cred.json()).id,
          },
        },
      });
      check(
        agent.status() === 201,
        `POST /agents answered ${agent.status()}: ${await agent.text()}`,
      );
      const agentId = (await agent.json()).id;
      const agentNode = (prompt) => ({
        id: "agent",
        type: "agent",
        config: { agent_id: agentId, prompt },
        position: { x: 260, y: 0 },
      });
      const definition = (prompt) => ({
        nodes: [
          { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } },
          agentNode(prompt),
          {
            id: "out",
            type: "output",
            config: { value: "{{ .agent.output }}" },
            position: { x: 520, y: 0 },
          },
        ],
        edges: [
          { source: "in", target: "agent" },
          { source: "agent", target: "out" },
        ],
      });
      const name = `Replays ${SUFFIX}`;
      const wf = await page.request.post(`${base}/api/v1/workflows`, {
        headers,
        data: { name, definition: definition("Greet {{ .in.name }}") },
      });
      check(wf.status() === 201, `POST /workflows answered ${wf.status()}: ${await wf.text()}`);
      const workflow = await wf.json();
      const run = await page.request.post(`${base}/api/v1/workflows/${workflow.id}/executions`, {
        headers,
        data: { inputs: { name: "Ada" } },
      });
      check(run.status() === 202, `POST /executions answered ${run.status()}`);
      const originalId = (await run.json()).id;
      const opts = { timeout: RUN_TIMEOUT_MS };
      const succeeded = () =>
        page
          .getByRole("status")
          .filter({ hasText: /Succeeded/ })
          .waitFor(opts);
      /* Waits for the address to name another run than "id" and returns that run's id. */
      const nextRun = async (id) => {
        await page.waitForURL((u) => {
          const at = new URL(u).searchParams.get("id");
          return at !== null && at !== id;
        });
        return new URL(page.url()).searchParams.get("id");
      };
      await openExecution(page, originalId);
      await succeeded();
      await page.getByRole("heading", { level: 1, name }).waitFor();
      // A run that is no replay has no banner and lists no replays yet.
      check(
        (await page.getByRole("region", { name: "Replay", exact: true }).count()) === 0,
        "a banner on the original",
      );

      // An exact replay: every call answered from the recording, every node the same.
      await page.getByRole("button", { name: "Replay", exact: true }).click();
      const exactId = await nextRun(originalId);
      await succeeded();
      const banner = page.getByRole("region", { name: "Replay", exact: true });
      await page.getByText("Trigger: Replay").waitFor();
      await banner.getByRole("link", { name: `run ${originalId.slice(0, 8)}` }).waitFor();
      await banner.getByText("offline").waitFor();
      await banner.getByText("Every step matches the original").waitFor(opts);
      for (const id of ["in", "agent", "out"]) {
        await node(page, id).locator('[data-replay="same"]').waitFor(opts);
      }
      await page.getByRole("button", { name: /^Step agent, succeeded, from recording/ }).waitFor();
      await node(page, "agent").click();
      const compare = page.getByRole("region", { name: "agent beside the original" });
      await compare
        .getByRole("group", { name: "Original output of agent" })
        .getByText("First answer.")
        .waitFor();
      await compare
        .getByRole("group", { name: "Replay output of agent" })
        .getByText("First answer.")
        .waitFor();
      await noAlerts(page);
      await shoot(page, "replay-exact");

      // The original lists its replay.
      await banner.getByRole("link", { name: `run ${originalId.slice(0, 8)}` }).click();
      await page.waitForURL((u) => new URL(u).searchParams.get("id") === originalId);
      await succeeded();
      const replays = page.getByRole("list", { name: "Replays", exact: true });
      await replays.getByRole("link", { name: `Open replay ${exactId}` }).waitFor(opts);
      await replays.getByRole("listitem").filter({ hasText: "Succeeded" }).waitFor(opts);
      await shoot(page, "replay-original");

      // A new prompt saved, then a replay from the agent step with that definition: the
      // agent's request differs, so it calls out and gets another answer.
      const put = await page.request.put(`${base}/api/v1/workflows/${workflow.id}`, {
        headers,
        data: {
          name,
          definition: definition("Greet {{ .in.name }} warmly"),
          version: workflow.version,
        },
      });
      check(put.ok(), `PUT /workflows/{id} answered ${put.status()}: ${await put.text()}`);
      await node(page, "agent").click();
      // By keyboard: the dialog opens on Enter, Escape closes it and gives focus back.
      const fromHere = page.getByRole("button", { name: "Replay from here…" });
      await fromHere.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Replay from here" });
      await dialog.waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      // Focus goes back to the button that opened it (on the next tick).
      await page
        .waitForFunction(
          () => document.activeElement?.textContent?.trim() === "Replay from here…",
          null,
          { timeout: 2000 },
        )
        .catch(() => {
          throw new Error("focus did not return to Replay from here…");
        });
      await page.keyboard.press("Enter");
      const inputs = dialog.getByLabel("Inputs");
      check(JSON.parse(await inputs.inputValue()).name === "Ada", "the inputs are not the run's");
      // Invalid JSON is shown where it is typed and keeps the replay from starting.
      await inputs.fill('{"name": ');
      await dialog.getByText("This is not valid JSON.").waitFor();
      check(
        await dialog.getByRole("button", { name: "Start replay" }).isDisabled(),
        "submit enabled",
      );
      await inputs.fill('{"name": "Ada"}');
      await dialog
        .getByRole("checkbox", { name: "Use the workflow's latest saved definition" })
        .focus();
      await page.keyboard.press("Space");
      await shoot(page, "replay-dialog");
      await dialog.getByRole("button", { name: "Start replay" }).click();
      const fromHereId = await nextRun(originalId);
      await dialog.waitFor({ state: "detached" });
      await succeeded();
      await banner.getByText(/from step agent/).waitFor();
      await banner.getByText(/steps? differs? from the original/).waitFor(opts);
      await node(page, "in").locator('[data-replay="reused"]').waitFor(opts);
      await node(page, "agent").locator('[data-replay="differs"]').waitFor(opts);
      await page.getByRole("button", { name: /^Step agent, succeeded, called out/ }).waitFor();
      await node(page, "agent").click();
      await compare
        .getByRole("group", { name: "Original output of agent" })
        .getByText("First answer.")
        .waitFor();
      await compare
        .getByRole("group", { name: "Replay output of agent" })
        .getByText("Second answer.")
        .waitFor();
      await noAlerts(page);
      await shoot(page, "replay-differs");

      // Both replays are listed under their trigger.
      await nav(page, "Executions");
      await choose(page, "Trigger", "Replay");
      await page.getByRole("link", { name: `View execution ${exactId}` }).waitFor(opts);
      await page.getByRole("link", { name: `View execution ${fromHereId}` }).waitFor(opts);
    },
  ],
];

async function main() {
  const base = (process.env.FRAGENT_TEST_URL ?? "").replace(/\/+$/, "");
  /* A case that fails between starting a wait (a response, a download) and awaiting it
     leaves that wait to time out later with nobody listening: the case has already been
     reported, so the leftover is noted instead of ending the run before its summary. */
  process.on("unhandledRejection", (err) => {
    console.log(`# a wait left by a failed case ended: ${oneLine(err)}`);
  });
  mkdirSync(screenshotDir, { recursive: true });
  for (const f of readdirSync(screenshotDir)) {
    if (/^failed-\d+\.png$/.test(f)) rmSync(join(screenshotDir, f));
  }

  let passed = 0;
  let failed = 0;
  let browser = null;
  try {
    if (base === "") throw new Error("set FRAGENT_TEST_URL (e.g. http://127.0.0.1:8080)");
    console.log(`# testing ${base}`);
    await startLlm();
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  } catch (err) {
    for (const [name] of cases) {
      console.log(`not ok - ${name}: ${oneLine(err)}`);
      failed += 1;
    }
  }

  if (browser !== null) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // The triggers panel's copy buttons write to the clipboard; the test reads it back.
    await context
      .grantPermissions(["clipboard-read", "clipboard-write"], { origin: base })
      .catch(() => undefined);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") console.log(`# browser console: ${msg.text()}`);
    });

    for (const [name, fn] of cases) {
      pageErrors.length = 0;
      const started = Date.now();
      try {
        await fn(page, base);
        check(pageErrors.length === 0, `uncaught error in the page: ${pageErrors.join("; ")}`);
        console.log(`ok - ${name} (${Date.now() - started} ms)`);
        passed += 1;
      } catch (err) {
        if (err instanceof Skip) {
          console.log(`ok - ${name} # SKIP ${err.message}`);
          continue;
        }
        console.log(`not ok - ${name}: ${oneLine(err)}`);
        failed += 1;
        await page
          .screenshot({
            path: join(screenshotDir, `failed-${passed + failed}.png`),
            fullPage: true,
          })
          .catch(() => undefined);
        // The next case starts from the dashboard, not from whatever dialog this one left
        // open (a modal would keep every later click off the page).
        await page.keyboard.press("Escape").catch(() => undefined);
        await page
          .goto(`${base}/`)
          .then(() => page.getByRole("heading", { level: 1 }).first().waitFor())
          .catch(() => undefined);
      }
    }
    await browser.close();
  }
  llm.proc?.kill();
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
