// Browser test: starts gaoxin on a fresh SQLite database, then a real Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) opens 总览, 方案 and 责任分工, follows a link to
// the plan text, loads a department panel through htmx, switches to English, and saves
// screenshots under tests/browser/screenshots/. It fails on any request that leaves the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, repo, shots } from "./harness.mjs";

let gx, base, browser, oneTimePassword;
const USER = "tester";
const NEW_PASSWORD = "Browser!2026ok";

before(async () => {
  mkdirSync(shots, { recursive: true });
  // A dispatcher, created at the console; gaoxin prints its one-time password once.
  gx = await startGaoxin([[USER, "dispatch", "dispatcher"]]);
  ({ base, browser } = gx);
  oneTimePassword = gx.otp[USER];
});

after(async () => {
  // Keep the README's screenshot current when asked to (GAOXIN_UPDATE_SCREENSHOT=1).
  if (process.env.GAOXIN_UPDATE_SCREENSHOT) {
    mkdirSync(join(repo, "docs"), { recursive: true });
    copyFileSync(join(shots, "overview.png"), join(repo, "docs", "screenshot.png"));
  }
  await gx?.stop();
});

/** A page that records every request leaving the server and every console error. */
async function open(viewport = { width: 1366, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  const outside = [];
  const errors = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} ${m.location().url || ""}`);
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, outside, errors };
}

/** Signs in on the login page gaoxin sent us to. */
async function signIn(page, password) {
  await page.getByLabel("用户名").fill(USER);
  await page.getByLabel("口令").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

test("sign in, change the one-time password, read the plan, switch language, sign out", async () => {
  const { context, page, outside, errors } = await open();

  // Anonymous: sent to the login page. The one-time password must be changed first.
  await page.goto(base + "/");
  await page.waitForURL(/\/login\?next=/);
  await page.screenshot({ path: join(shots, "login.png") });
  await page.getByLabel("用户名").fill(USER);
  await page.getByLabel("口令").fill("wrong-Password1");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByText("用户名或口令错误").waitFor();
  // That refusal answered 401, as it should; nothing else may fail.
  assert.deepEqual(errors.filter((e) => !e.includes("/login")), []);
  errors.length = 0;
  await signIn(page, oneTimePassword);
  await page.waitForURL(/\/account\/password$/);
  await page.getByText("请先设置新口令").waitFor();
  await page.getByLabel("当前口令").fill(oneTimePassword);
  await page.getByLabel("新口令", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("再次输入新口令").fill(NEW_PASSWORD);
  await page.screenshot({ path: join(shots, "change-password.png") });
  await page.getByRole("button", { name: "修改口令" }).click();
  await page.waitForURL(/\/login\?changed=true$/);
  await page.getByText("口令已修改").waitFor();
  await signIn(page, NEW_PASSWORD);

  // Signed in, the workbench (工作台) is home; 总览 is one click away.
  await page.waitForURL(base + "/");
  await page.locator("h1", { hasText: "我的工作台" }).waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "总览" }).click();
  await page.waitForURL(base + "/overview");
  await page.locator("h1", { hasText: "总览" }).waitFor();
  for (const zone of ["石家庄高新区", "正定高新区"]) {
    assert.ok(await page.getByRole("heading", { name: zone }).isVisible(), zone);
  }
  assert.ok(await page.getByRole("link", { name: "≥320 家" }).isVisible());
  assert.ok(await page.getByRole("link", { name: "≤20 名次" }).isVisible());
  // ECharts drew both charts (SVG renderer), with the target values as labels.
  await page.locator(".chart svg").first().waitFor();
  assert.equal(await page.locator(".chart svg").count(), 3);
  assert.ok((await page.locator("#zone-sjz-hz .chart").last().textContent()).includes("340"));
  await page.screenshot({ path: join(shots, "overview.png"), fullPage: true });

  // A target's value leads to its sentence in the plan text.
  await page.getByRole("link", { name: "≥46%" }).click();
  await page.waitForURL(/\/plan\/text#q\d+-\d+$/);
  const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const marked = page.locator(`#${anchor} + mark`);
  assert.equal((await marked.textContent()).replace(/\s/g, ""), "税收收入占全县比达到46%");
  assert.ok(await marked.isVisible());
  await page.screenshot({ path: join(shots, "plan-text.png") });

  // 方案
  await page.getByRole("navigation").getByRole("link", { name: "方案", exact: true }).click();
  await page.locator("h1", { hasText: "方案结构" }).waitFor();
  for (const text of ["建设创新研发机构", "加快园区智能化绿色化转型", "企业与高校、科研院所对接活动", "强化运行调度"]) {
    assert.ok(await page.getByText(text, { exact: false }).first().isVisible(), text);
  }
  await page.screenshot({ path: join(shots, "plan.png"), fullPage: true });

  // 责任分工, and a department's tasks loaded into the page by htmx.
  await page.getByRole("navigation").getByRole("link", { name: "责任分工" }).click();
  await page.locator("h1", { hasText: "责任分工" }).waitFor();
  assert.equal(await page.locator("td.cell-lead").count(), 32);
  await page.locator("th.dept a", { hasText: "市投促局" }).click();
  await page.locator("#dept-panel h2", { hasText: "市投促局 的任务" }).waitFor();
  assert.ok(page.url().endsWith("/duties"), "htmx keeps the matrix page");
  assert.ok(await page.locator("#dept-panel").getByText("强化招商引资").isVisible());
  await page.screenshot({ path: join(shots, "duties.png"), fullPage: true });

  // English
  await page.locator("#lang-switch").click();
  await page.locator("h1", { hasText: "Responsibilities" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.ok(await page.getByRole("link", { name: "Overview" }).isVisible());
  await page.getByRole("link", { name: "Overview" }).click();
  await page.locator("h1", { hasText: "Overview: the two zones' targets" }).waitFor();
  assert.ok(await page.getByRole("heading", { name: "石家庄高新区" }).isVisible(), "plan content stays on screen");
  await page.screenshot({ path: join(shots, "overview-en.png"), fullPage: true });
  // And back to Chinese.
  await page.locator("#lang-switch").click();
  await page.locator("h1", { hasText: "总览" }).waitFor();

  // Sign out: the pages are closed again.
  await page.locator("#logout").click();
  await page.waitForURL(/\/login$/);
  await page.goto(base + "/duties");
  await page.waitForURL(/\/login\?next=\/duties$/);

  assert.deepEqual(outside, [], "requests left the server");
  assert.deepEqual(errors, [], "console errors");
  await context.close();
});

test("a department head on a phone reads the overview", async () => {
  const { context, page, outside, errors } = await open({ width: 390, height: 844 });
  await page.goto(base + "/departments/sci-tech");
  await page.waitForURL(/\/login/);
  await signIn(page, NEW_PASSWORD);
  await page.getByRole("heading", { name: "市科技局 的任务" }).waitFor();
  assert.ok(await page.getByText("牵头 9 项，负责实施 0 项").isVisible());
  // Nothing spills sideways but the tables' own scroll areas.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(shots, "department-phone.png"), fullPage: true });
  await page.goto(base + "/overview");
  await page.locator(".chart svg").first().waitFor();
  await page.screenshot({ path: join(shots, "overview-phone.png"), fullPage: true });
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page that is not there says its request id, on a desk and on a phone, in both languages", async () => {
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const { context, page, outside, errors } = await open({ width, height });
    await page.goto(base + "/login");
    await signIn(page, NEW_PASSWORD);
    await page.waitForURL(base + "/");
    for (const lang of ["zh", "en"]) {
      const answer = await page.goto(`${base}/departments/no-such?lang=${lang}`);
      assert.equal(answer.status(), 404);
      const id = answer.headers()["x-request-id"];
      assert.match(id, /^[0-9a-f]{12}$/);
      const shown = page.locator("main code");
      assert.equal(await shown.textContent(), id, "the page shows the id the response carries");
      assert.ok(await page.getByText(lang === "zh" ? "请求编号" : "Request ID").isVisible());
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the error page is ${overflow}px wider than the window`);
      await page.screenshot({ path: join(shots, `not-found-${lang}-${width}.png`), fullPage: true });
    }
    assert.deepEqual(outside, []);
    // The 404 itself is the one console error a browser reports here.
    assert.ok(errors.every((e) => e.includes("404")), errors.join("\n"));
    await context.close();
  }
});
