// Browser test of a 督办单 from opening to closing: the dispatcher opens one on a task and hands
// it to 市科技局 with a deadline; the bureau's reporter finds it in the inbox, signs for it and
// answers; the dispatcher sends the answer back with a reason; the reporter answers again; the
// dispatcher reviews and closes it. Each side sees the order's whole history.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, signIn, shots } from "./harness.mjs";

let gx;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin(
    [
      ["diaodu", "dispatch", "dispatcher"],
      ["keji", "sci-tech", "reporter"],
      ["touchu", "investment", "reporter"],
    ],
    "gaoxin-supervision-",
  );
});

after(async () => {
  await gx?.stop();
});

/** The date `days` from today in Beijing, as a date input takes it. */
function dayFromToday(days) {
  const t = new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000);
  return t.toISOString().slice(0, 10);
}

async function step(page, code, note) {
  if (note !== undefined) await page.locator(`#note-${code}`).fill(note);
  await page.locator(`#act-${code}`).click();
  await page.waitForURL(new RegExp(`done=${code}$`));
  await page.locator("#order-notice").waitFor();
}

test("a 督办单 goes from opening, through a return, to closing", async () => {
  const base = gx.base;
  const d = await signIn(gx, "diaodu", "Dispatch!2026ok");
  const u = await signIn(gx, "keji", "Bureau!2026okay");
  const other = await signIn(gx, "touchu", "Invest!2026ok");

  // The dispatcher opens an order on task 6 and hands it over at once.
  await d.page.goto(base + "/supervision");
  await d.page.locator("#order-new").click();
  await d.page.getByLabel("督办事项").fill("对接活动场次不足");
  await d.page.getByLabel("所属任务").selectOption("t6");
  await d.page.getByLabel("督办事由").fill("前三季度对接活动仅 4 场，低于每年 10 场的要求。");
  await d.page.getByLabel("承办单位").selectOption({ label: "市科技局" });
  const deadline = dayFromToday(10);
  await d.page.getByLabel("办理期限").fill(deadline);
  await d.page.getByLabel("督办要求").fill("请报送第四季度对接活动计划。");
  await d.page.locator("#order-create").click();
  await d.page.waitForURL(/\/supervision\/\d+\?done=open$/);
  const orderUrl = d.page.url().replace(/\?.*$/, "");
  assert.equal(await d.page.locator("#order-state").getAttribute("data-state"), "assigned");
  assert.equal(await d.page.locator("#order-light").getAttribute("data-light"), "green");
  // Shown as people write a day: 2026-12-14 is 2026年12月14日.
  const [y, m, dd] = deadline.split("-").map(Number);
  assert.equal(await d.page.locator("#order-deadline").innerText(), `${y}年${m}月${dd}日`);
  // The dispatcher cannot sign for the unit.
  assert.equal(await d.page.locator("#act-sign").count(), 0);

  // Another bureau does not see it at all.
  const denied = await other.page.goto(orderUrl);
  assert.equal(denied.status(), 404);

  // The bureau finds it in its inbox, signs and answers.
  await u.page.goto(base + "/");
  assert.equal(await u.page.locator("#inbox-unread").innerText(), "1");
  await u.page.locator("#inbox-link").click();
  await u.page.getByRole("button", { name: /对接活动场次不足/ }).click();
  await u.page.waitForURL(orderUrl);
  assert.equal(await u.page.locator("#inbox-unread").count(), 0, "opening the message marks it read");
  assert.equal(await u.page.locator("#act-close").count(), 0, "a unit cannot close its own order");
  await step(u.page, "sign");
  assert.equal(await u.page.locator("#order-state").getAttribute("data-state"), "signed");
  await step(u.page, "answer", "已制定计划：10 月、11 月、12 月各组织 2 场。");
  assert.equal(await u.page.locator("#order-state").getAttribute("data-state"), "answered");

  // The dispatcher sends it back: an empty reason is refused by the browser, then given.
  await d.page.goto(orderUrl);
  await d.page.locator("#act-return").click();
  assert.equal(await d.page.locator("#order-state").getAttribute("data-state"), "answered");
  await step(d.page, "return", "请附各场活动的时间、地点和参加高校名单。");
  assert.equal(await d.page.locator("#order-state").getAttribute("data-state"), "signed");

  // The bureau answers again.
  await u.page.goto(orderUrl);
  assert.match(await u.page.locator("#order-history").innerText(), /请附各场活动的时间/);
  await step(u.page, "answer", "已补充：活动清单见附表，共 6 场。");

  // The dispatcher reviews and closes.
  await d.page.goto(orderUrl);
  await step(d.page, "review", "清单已核对。");
  await step(d.page, "close", "同意销号。");
  assert.equal(await d.page.locator("#order-state").getAttribute("data-state"), "closed");
  assert.equal(await d.page.locator("#order-light").getAttribute("data-light"), "done");
  assert.equal(await d.page.locator("#order-actions").count(), 0);
  const history = await d.page.locator("#order-history tbody tr").allInnerTexts();
  const steps = history.map((row) => row.split("\t")[2]);
  assert.deepEqual(steps, ["立项", "交办", "签收", "办理反馈", "退回", "办理反馈", "复核", "办结销号"]);
  await d.page.screenshot({ path: join(shots, "supervision-closed.png"), fullPage: true });

  // The list shows it closed, and filters by state.
  await d.page.goto(base + "/supervision?state=closed");
  assert.equal(await d.page.locator("#orders tbody tr[data-state=closed]").count(), 1);
  await d.page.goto(base + "/supervision?state=signed");
  assert.equal(await d.page.locator("#orders tbody tr[data-state]").count(), 0);

  // The bureau was told of the return and of the closing; no page left the server or failed.
  await u.page.goto(base + "/inbox");
  const inbox = await u.page.locator("#inbox").innerText();
  assert.match(inbox, /督办单被退回/);
  assert.match(inbox, /督办单已办结销号/);
  for (const s of [d, u, other]) assert.deepEqual(s.outside, []);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(u.errors, []);
  // The other bureau's one error is the 404 it was meant to get.
  assert.deepEqual(other.errors.filter((e) => !e.includes("404")), []);
});
