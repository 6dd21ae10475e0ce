// Browser test of the cockpit with sample data (gaoxin serve --demo): a leader signs in on a
// phone and on a desktop, sees 示例数据 on every page, every light colour, the lagging list,
// a light's explanation, and a zone's trend charts drawn by ECharts; then the same in English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, repo, shots } from "./harness.mjs";

const PASSWORD = "Leader!2026ok";
let gx, base, browser;
// The one-time password until the first sign-in changes it.
let current;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin([["boss", "dispatch", "leader"]], "gaoxin-demo-", ["--demo"]);
  ({ base, browser } = gx);
  current = gx.otp.boss;
});

after(async () => {
  // Keep the README's cockpit screenshot current when asked to (GAOXIN_UPDATE_SCREENSHOT=1).
  if (process.env.GAOXIN_UPDATE_SCREENSHOT) {
    mkdirSync(join(repo, "docs"), { recursive: true });
    copyFileSync(join(shots, "cockpit-demo.png"), join(repo, "docs", "cockpit.png"));
  }
  await gx?.stop();
});

async function signedIn(viewport) {
  const context = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  const problems = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) problems.push(`outside: ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  await page.goto(base + "/login");
  await page.locator("#sample-banner").waitFor();
  await page.getByLabel("用户名").fill("boss");
  await page.getByLabel("口令").fill(current);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  if (page.url().includes("/account/password")) {
    await page.getByLabel("当前口令").fill(current);
    await page.getByLabel("新口令", { exact: true }).fill(PASSWORD);
    await page.getByLabel("再次输入新口令").fill(PASSWORD);
    await page.getByRole("button", { name: "修改口令" }).click();
    await page.waitForURL(/\/login\?changed=true$/);
    current = PASSWORD;
    await page.getByLabel("用户名").fill("boss");
    await page.getByLabel("口令").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
  }
  await page.waitForURL(base + "/");
  return { context, page, problems };
}

test("a leader reads the cockpit with sample data, marked as such", async () => {
  const { context, page, problems } = await signedIn({ width: 1366, height: 900 });
  assert.ok(await page.locator("#sample-banner").isVisible(), "示例数据 on the overview");
  await page.getByRole("navigation").getByRole("link", { name: "驾驶舱" }).click();
  await page.locator("h1", { hasText: "指标监测驾驶舱" }).waitFor();
  assert.ok(await page.locator("#sample-banner").isVisible());
  const statuses = await page.locator("tr[data-status]").evaluateAll((rows) => rows.map((r) => r.dataset.status));
  for (const s of ["green", "yellow", "red", "gray"]) assert.ok(statuses.includes(s), `${s} in ${statuses}`);
  assert.ok((await page.locator("#lagging tbody tr").count()) > 0);
  const flagged = await page.locator("tr[data-status] .flag", { hasText: "示例数据" }).count();
  assert.ok(flagged > 0, "values marked as sample data");
  const red = page.locator('tr[data-status="red"]').first();
  await red.locator("details.why summary").click();
  assert.ok((await red.locator("details.why ul").textContent()).includes("序时目标"));
  await page.screenshot({ path: join(shots, "cockpit-demo.png"), fullPage: true });

  await page.locator("#zone-sjz-hz").getByRole("link", { name: "趋势图" }).click();
  await page.locator(".chart svg").first().waitFor();
  assert.equal(await page.locator(".chart svg").count(), 6);
  await page.screenshot({ path: join(shots, "trends-demo.png"), fullPage: true });

  await page.locator("#lang-switch").click();
  await page.locator("h1", { hasText: "石家庄高新区: indicators" }).waitFor();
  assert.ok((await page.locator("#sample-banner").textContent()).includes("Sample data"));
  await page.screenshot({ path: join(shots, "trends-demo-en.png"), fullPage: true });
  await page.locator("#lang-switch").click();
  assert.deepEqual(problems, []);
  await context.close();
});

test("the cockpit fits a phone", async () => {
  const { context, page, problems } = await signedIn({ width: 390, height: 844 });
  await page.goto(base + "/monitor");
  await page.locator("#summary").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(shots, "cockpit-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("the tasks' sub-targets and the task board read at a glance, on a desktop and a phone", async () => {
  const { context, page, problems } = await signedIn({ width: 1366, height: 900 });
  await page.goto(base + "/monitor");
  const subs = page.locator("#subtargets tr[data-subtarget]");
  assert.equal(await subs.count(), 16, "4 of the zones together, 6 per zone");
  const statuses = await subs.evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(statuses.includes("green") && statuses.includes("red"), `${statuses}`);
  // Most behind first: no green row above a red one.
  assert.ok(statuses.lastIndexOf("red") < statuses.indexOf("green"), `${statuses}`);
  // 2025's tech leaders, read now, are final and say so; the light explains itself.
  const tech = page.locator('#subtargets tr[data-subtarget="t2-tech-leaders"]');
  assert.ok((await tech.textContent()).includes("2025年"));
  assert.ok((await tech.textContent()).includes("已结束"));
  await tech.locator("details.why summary").click();
  const why = await tech.locator("details.why ul").textContent();
  assert.ok(why.includes("2025 年已结束") && why.includes("人才和团队"), why);
  await page.locator("#subtargets").screenshot({ path: join(shots, "subtargets-demo.png") });
  // The zones side by side: both ranked, the shared sub-targets compared.
  await page.locator("#compare-link").click();
  await page.locator("h1", { hasText: "各区对比" }).waitFor();
  assert.equal(await page.locator("#standings tr[data-zone]").count(), 2);
  assert.ok((await page.locator("#shared-subtargets tbody tr").count()) >= 4);
  await page.screenshot({ path: join(shots, "compare-demo.png"), fullPage: true });
  await page.goto(base + "/monitor");

  await page.locator("#subtargets-h").getByRole("link", { name: "任务看板" }).click();
  await page.locator("h1", { hasText: "任务看板" }).waitFor();
  const cards = page.locator("#board li.task-card");
  assert.equal(await cards.count(), 16, "13 tasks and 3 safeguard measures");
  const lights = await cards.evaluateAll((cs) => cs.map((c) => c.dataset.status));
  const rank = { red: 0, yellow: 1, green: 2, gray: 3 };
  assert.deepEqual([...lights].sort((a, b) => rank[a] - rank[b]), lights, "most urgent first");
  assert.ok(lights.includes("red") || lights.includes("yellow"), `${lights}`);
  // The first card's first reason leads to what causes it.
  const first = cards.first().locator("ul.reasons a").first();
  const href = await first.getAttribute("href");
  assert.ok(/^\/(monitor#subtargets|supervision\/\d+|work\/\d+)$/.test(href), href);
  await page.screenshot({ path: join(shots, "board-demo.png"), fullPage: true });
  await page.locator("#board-filters select").selectOption("investment");
  await page.locator("#board-filters button").click();
  await page.waitForURL(/department=investment/);
  const led = await page.locator("#board li.task-card").evaluateAll((cs) => cs.map((c) => c.dataset.task));
  assert.deepEqual([...led].sort(), ["t10", "t5", "t7", "t9"].sort(), `${led}`);
  await page.locator("#lang-switch").click();
  await page.locator("h1", { hasText: "Task board" }).waitFor();
  await page.screenshot({ path: join(shots, "board-demo-en.png"), fullPage: true });
  await page.locator("#lang-switch").click();
  assert.deepEqual(problems, []);
  await context.close();

  const phone = await signedIn({ width: 390, height: 844 });
  for (const [path, shot] of [
    ["/work/board", "board-phone.png"],
    ["/monitor#subtargets", "subtargets-phone.png"],
    ["/monitor/compare", "compare-phone.png"],
  ]) {
    await phone.page.goto(base + path);
    await phone.page.locator("h1").waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path} is ${overflow}px wider than the phone`);
    await phone.page.screenshot({ path: join(shots, shot), fullPage: true });
  }
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test("an enterprise's profile is found from the ledgers and reads on a phone", async () => {
  const { context, page, problems } = await signedIn({ width: 390, height: 844 });
  await page.goto(base + "/ledgers");
  await page.locator("#enterprise-search input[name=q]").fill("石家庄高新区示例企业000");
  await page.locator("#enterprise-search button").click();
  await page.locator("#enterprise-found a").first().click();
  await page.locator("#enterprise-name").waitFor();
  assert.ok((await page.locator("#enterprise-name").textContent()).includes("石家庄高新区示例企业000"));
  // The sample ledgers: its certificate, the platform it hosts, the talents it employs.
  const sections = await page.locator("section[id^=profile-]").evaluateAll((s) => s.map((x) => x.id));
  assert.ok(sections.includes("profile-platforms"), `${sections}`);
  assert.ok((await page.locator("#timeline li").count()) > 0);
  // What it does to the zone's 对标分析, by the framework that judges the zone.
  assert.ok((await page.locator("#profile-benchmarking").textContent()).includes("年企业年报数据"));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the profile is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(shots, "profile-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("the ledger dashboards draw the sample ledgers and each bar opens the rows behind it", async () => {
  const { context, page, problems } = await signedIn({ width: 1366, height: 900 });
  await page.goto(base + "/ledgers");
  await page.locator("#dash-link").click();
  await page.locator("#dash-funnel-projects").waitFor();
  // The funnel narrows: more projects in talks than producing.
  const counts = await page.locator("#dash-funnel-projects .dash-value").allTextContents();
  const n = counts.map((c) => parseInt(c, 10));
  assert.equal(n.length, 4);
  assert.ok(n[0] > n[3], `在谈 ${n[0]} > 投产 ${n[3]}`);
  for (const id of ["dash-funnel-targets", "dash-pyramid", "dash-land", "dash-funds"]) {
    assert.ok((await page.locator(`#${id} .dash-bar`).count()) > 0, id);
    assert.ok(await page.locator(`#${id} .badge.sample`).isVisible(), `${id} marked 示例数据`);
  }
  // A stage's stalled projects: the list shows exactly that many.
  const stalled = page.locator("#dash-funnel-projects .dash-aside").first();
  const many = parseInt((await stalled.textContent()).replace(/\D+/g, ""), 10);
  await stalled.click();
  await page.locator("#ledger-rows").waitFor();
  assert.ok(page.url().includes("stalled=1"), page.url());
  assert.equal(await page.locator("#ledger-rows tbody tr").count(), many);
  // A pyramid level: the enterprises holding it in force.
  await page.goBack();
  await page.locator("#dash-pyramid .dash-bar", { hasText: "高新技术企业" }).click();
  await page.locator("#ledger-counted").waitFor();
  assert.ok((await page.locator("#ledger-counted").textContent()).includes("仍在有效期内"));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/ledgers/dashboard");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the dashboards are ${overflow}px wider than the phone`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every cockpit view prints on A4 (or saves as PDF) without the navigation, marked 示例数据", async () => {
  const { execFileSync } = await import("node:child_process");
  const { context, page, problems } = await signedIn({ width: 1366, height: 900 });
  for (const [path, title] of [
    ["/monitor", "指标监测驾驶舱"],
    ["/monitor/sjz-hz", "石家庄高新区"],
    ["/monitor/compare", "各区对比"],
    ["/work/board", "任务看板"],
    ["/ledgers/dashboard", "台账看板"],
  ]) {
    await page.goto(base + path);
    assert.ok(await page.locator("[data-print]").isVisible(), `${path}: the print button`);
    if (path === "/monitor/sjz-hz") await page.locator(".chart svg").first().waitFor();
    const file = join(shots, `print${path.replace(/\//g, "-")}.pdf`);
    await page.pdf({ path: file, format: "A4", printBackground: true });
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    assert.match(info, /Page size:.*\(A4\)/, `${path} on A4: ${info}`);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    for (const want of [title, "示例数据", "boss打印于"]) assert.ok(text.includes(want), `${path}: ${want} in ${text.slice(0, 400)}`);
    for (const not of ["修改口令", "方案原文", "查找"]) assert.ok(!text.includes(not), `${path}: no ${not} on paper`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
