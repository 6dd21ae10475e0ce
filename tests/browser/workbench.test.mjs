// Browser test of the workbench (工作台), every account's home, on sample data (gaoxin serve
// --demo): each role signs in and lands on its own work; every to-do opens the page that does
// it; the dispatch office's and a leader's home answers the three questions (targets behind
// with their units, who has not reported, overdue orders), each light with its word; and on a
// 390 px phone nothing spills sideways. Screenshots at 1440 and 390 px, in Chinese and English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, signIn, shots } from "./harness.mjs";

const USERS = [
  ["disp", "dispatch", "dispatcher"],
  ["boss", "dispatch", "leader"],
  ["clerk", "sjz-hz-admin", "reporter"],
  ["stat", "stats", "reviewer"],
];
const PASSWORD = "Workbench!2026ok";
let gx;
const pages = {};

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin(USERS, "gaoxin-workbench-", ["--demo"]);
  for (const [name] of USERS) pages[name] = await signIn(gx, name, PASSWORD);
});

after(async () => {
  await gx?.stop();
});

/** The page's horizontal overflow in CSS pixels (0: none). */
async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test("every role lands on its workbench, and each to-do opens the page that does it", async () => {
  for (const [name] of USERS) {
    const { page } = pages[name];
    await page.goto(gx.base + "/");
    await page.locator("h1", { hasText: "我的工作台" }).waitFor();
    assert.equal(await page.locator("#nav-workbench").getAttribute("aria-current"), "page");
    assert.match(await page.locator("p.lead").innerText(), /本期（\d{4}年\d{1,2}月）/);
    const links = await page.locator("#todos a.todo-main").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const none = await page.locator("#wb-none").count();
    assert.ok(links.length > 0 || none === 1, `${name}: a list of to-dos or the word that there are none`);
    // Overdue ones first: no overdue to-do after one that is not.
    const overdue = await page.locator("#todos > li").evaluateAll((lis) => lis.map((l) => l.classList.contains("overdue")));
    assert.deepEqual(overdue, [...overdue].sort((a, b) => Number(b) - Number(a)), `${name}: overdue first`);
    for (const href of links) {
      const answer = await page.goto(gx.base + href);
      assert.equal(answer.status(), 200, `${name}: ${href}`);
      assert.ok(await page.locator("h1").first().isVisible(), `${name}: ${href} has a heading`);
    }
  }
  // The reviewer and the clerk see no city panel; the dispatch office and the leader do.
  for (const [name, city] of [["clerk", 0], ["stat", 0], ["disp", 1], ["boss", 1]]) {
    await pages[name].page.goto(gx.base + "/");
    assert.equal(await pages[name].page.locator("#city").count(), city, name);
  }
  // The dispatcher's demo month has 督办单 to handle (the sample orders are in every state).
  const kinds = await pages.disp.page.locator("#todos > li").evaluateAll((lis) => lis.map((l) => l.dataset.kind));
  assert.ok(kinds.some((k) => k.startsWith("orders-")), kinds.join(","));
  for (const [name] of USERS) {
    assert.deepEqual(pages[name].outside, [], `${name}: nothing fetched from outside`);
    assert.deepEqual(pages[name].errors, [], `${name}: no page errors`);
  }
});

test("the dispatch office's home answers the three questions, lights with their words", async () => {
  const { page } = pages.disp;
  await page.goto(gx.base + "/");
  for (const h of ["落后的目标", "未报送", "逾期督办单"]) {
    assert.ok(await page.locator("#city h3", { hasText: h }).isVisible(), h);
  }
  const cards = page.locator("#behind li.item-card");
  assert.ok((await cards.count()) > 0, "the sample month has targets behind");
  for (const card of await cards.all()) {
    // The light's meaning is also in words (red/yellow) and in its responsible unit.
    assert.match(await card.locator(".item-light b").innerText(), /^(红|黄)：/);
    assert.match(await card.innerText(), /责任单位/);
    // Every gap carries its unit.
    assert.match(await card.innerText(), /差距 [+-]?[\d.]+ (个百分点|家|亿元|名次)/);
  }
  // A target behind opens a prefilled 督办单.
  await cards.first().locator("a.open-order").click();
  await page.waitForURL(/\/supervision\/new\?zone=/);
});

test("on a 390 px phone every workbench reads without sideways scrolling, in both languages", async () => {
  for (const [name] of USERS) {
    const { page } = pages[name];
    for (const [width, height] of [[1440, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      for (const lang of ["zh", "en"]) {
        await page.goto(`${gx.base}/?lang=${lang}`);
        await page.locator("h1").first().waitFor();
        assert.ok((await overflow(page)) <= 1, `${name} ${lang} at ${width}px spills ${await overflow(page)}px`);
        if (width === 390 && (name === "disp" || name === "clerk")) {
          // The light comes first on each card, in view.
          const light = page.locator("#behind .item-light").first();
          if (await light.count()) assert.ok(await light.isVisible());
        }
        await page.screenshot({ path: join(shots, `workbench-${name}-${width}-${lang}.png`), fullPage: true });
      }
    }
    await page.goto(`${gx.base}/?lang=zh`);
  }
});

test("a report form says before sending when why and what next are required", async () => {
  const { page } = pages.clerk;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(gx.base + "/");
  const todo = page.locator('#todos > li[data-kind^="reports-"] a.todo-main').first();
  assert.equal(await todo.count(), 1, "the demo clerk owes progress reports");
  await todo.click();
  let form = page.locator("#report-form");
  if ((await form.count()) === 0) {
    // Several items: the list, filtered to the clerk's unit; open the first.
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const item = hrefs.find((h) => /^\/work\/\d+$/.test(h));
    assert.ok(item, "the list links its items");
    await page.goto(gx.base + item);
    form = page.locator("#report-form");
  }
  await form.waitFor();
  const options = await page.locator("#reached option").evaluateAll((os) => os.map((o) => [o.value, o.dataset.behind]));
  assert.ok(options.length > 1);
  for (const [value, behind] of options) {
    await page.locator("#reached").selectOption(value);
    const note = await page.locator("#behind-now").isVisible();
    const required = await page.locator("#behind_reason").evaluate((el) => el.required);
    const next = await page.locator("#next_steps").evaluate((el) => el.required);
    assert.equal(note, behind === "1", `note for ${value}`);
    assert.equal(required, behind === "1", `why required for ${value}`);
    assert.equal(next, behind === "1", `next steps required for ${value}`);
  }
  assert.ok((await overflow(page)) <= 1, "the report form fits a phone");
  await page.screenshot({ path: join(shots, "work-report-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
});

test("on a phone the cockpit and the 督办 list read as cards, the light first, nothing sideways", async () => {
  const { page } = pages.boss;
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, table] of [["/monitor", "#lagging"], ["/supervision", "#orders"]]) {
    for (const lang of ["zh", "en"]) {
      await page.goto(`${gx.base}${path}?lang=${lang}`);
      await page.locator(table).waitFor();
      assert.ok((await overflow(page)) <= 1, `${path} ${lang} spills ${await overflow(page)}px`);
      // Each row is a card whose first line is the light and its word.
      const firsts = await page.locator(`${table} tbody tr`).evaluateAll((trs) =>
        trs.filter((tr) => tr.children.length > 1).map((tr) => {
          const cells = [...tr.children].filter((c) => getComputedStyle(c).display !== "none");
          cells.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
          return cells[0].classList.contains("light-cell") && cells[0].innerText.trim().length > 1;
        }));
      assert.ok(firsts.length > 0, `${path}: rows`);
      assert.ok(firsts.every(Boolean), `${path} ${lang}: the light first, with its word`);
      await page.screenshot({ path: join(shots, `phone-${path.slice(1)}-${lang}.png`), fullPage: true });
    }
  }
  // The 督办 list puts the most urgent first: an overdue order before one that is not.
  await page.goto(`${gx.base}/supervision`);
  const lights = await page.locator("#orders tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.light));
  // (The demo has one order overdue and one near its deadline.)
  assert.deepEqual(lights.slice(0, 2), ["red", "yellow"], lights.join(","));
  await page.setViewportSize({ width: 1440, height: 900 });
});
