// Browser test of a 督办单 from opening to closing: the dispatcher opens one on a task and hands
// it to 市科技局 with a deadline; the bureau's reporter finds it in the inbox, signs for it and
// answers; the dispatcher sends the answer back with a reason; the reporter answers again; the
// dispatcher reviews and closes it. Each side sees the order's whole history. Then, on a second
// order, the offices' other steps: the bureau asks for more time (延期申请) and the dispatcher
// grants it with a new deadline, a second request is refused with a reason; the dispatcher
// urges (催办) and a leader writes an instruction (领导批示); the bureau is told of each.
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
      ["lingdao", "dispatch", "leader"],
      ["diaodu2", "dispatch", "dispatcher"],
      ["keji2", "sci-tech", "reporter"],
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

/** Opens an order on task 6 as the dispatcher, handed to 市科技局 with a deadline; its URL. */
async function openOrder(d, title, days) {
  await d.page.goto(gx.base + "/supervision/new");
  await d.page.getByLabel("督办事项").fill(title);
  await d.page.getByLabel("所属任务").selectOption("t6");
  await d.page.getByLabel("督办事由").fill("对接活动计划未按时报送。");
  await d.page.getByLabel("承办单位").selectOption({ label: "市科技局" });
  await d.page.getByLabel("办理期限").fill(dayFromToday(days));
  await d.page.getByLabel("督办要求").fill("请报送对接活动计划。");
  await d.page.locator("#order-create").click();
  await d.page.waitForURL(/\/supervision\/\d+\?done=open$/);
  return d.page.url().replace(/\?.*$/, "");
}

/** 2026-12-14 as people write it: 2026年12月14日. */
function human(day) {
  const [y, m, dd] = day.split("-").map(Number);
  return `${y}年${m}月${dd}日`;
}

test("a unit asks for more time, the dispatcher grants or refuses; 催办 and 批示 reach the unit", async () => {
  const d = await signIn(gx, "diaodu2", "Dispatch!2026ok");
  const u = await signIn(gx, "keji2", "Bureau!2026okay");
  const boss = await signIn(gx, "lingdao", "Leader!2026okay");
  for (const s of [d, u]) await s.page.goto(gx.base + "/inbox");
  const orderUrl = await openOrder(d, "对接活动计划延期", 5);
  const first = dayFromToday(5);

  // The bureau signs for it, then asks for more time: the day and the reason are required.
  await u.page.goto(orderUrl);
  await step(u.page, "sign");
  assert.equal(await u.page.locator("#deadline-extend_request").getAttribute("required"), "");
  const asked = dayFromToday(20);
  await u.page.locator("#deadline-extend_request").fill(asked);
  await step(u.page, "extend_request", "需等待省科技厅批复活动经费，预计两周后到位。");
  assert.match(await u.page.locator("#order-extension").innerText(), new RegExp(human(asked)));
  assert.equal(await u.page.locator("#order-deadline").innerText().then((t) => t.startsWith(human(first))), true);
  // One request at a time: no second request while this one waits.
  assert.equal(await u.page.locator("#act-extend_request").count(), 0);

  // The dispatcher is told, finds it on the workbench, and grants the day asked for.
  await d.page.goto(gx.base + "/");
  const todo = d.page.locator('#todos > li[data-kind="extensions-to-decide"] a.todo-main');
  assert.equal(await todo.count(), 1, "a request to decide is a to-do");
  await todo.click();
  await d.page.waitForURL(orderUrl);
  assert.equal(await d.page.locator("#deadline-extend_grant").inputValue(), asked, "the day asked for, filled in");
  await step(d.page, "extend_grant", "同意。");
  assert.equal(await d.page.locator("#order-deadline").innerText(), human(asked));
  assert.equal(await d.page.locator("#order-extension").count(), 0);

  // A second request is refused with a reason: the deadline stays.
  await u.page.goto(orderUrl);
  await u.page.locator("#deadline-extend_request").fill(dayFromToday(40));
  await step(u.page, "extend_request", "再延两周。");
  await d.page.goto(orderUrl);
  await d.page.locator("#act-extend_refuse").click();
  assert.equal(await d.page.locator("#order-extension").count(), 1, "an empty reason is refused by the browser");
  await step(d.page, "extend_refuse", "已延期一次，请按期完成。");
  assert.equal(await d.page.locator("#order-deadline").innerText(), human(asked));

  // 催办 by the dispatcher, 批示 by a leader; neither moves the order.
  await step(d.page, "urge", "请本周报送初稿。");
  await boss.page.goto(orderUrl);
  assert.equal(await boss.page.locator("#act-sign").count(), 0);
  await step(boss.page, "instruct", "请市科技局主要负责同志亲自调度，月底前办结。");
  assert.equal(await boss.page.locator("#order-state").getAttribute("data-state"), "signed");

  await d.page.goto(orderUrl);
  const steps = (await d.page.locator("#order-history tbody tr").allInnerTexts()).map((row) => row.split("\t")[2]);
  assert.deepEqual(steps, ["立项", "交办", "签收", "延期申请", "同意延期", "延期申请", "不同意延期", "催办", "领导批示"]);
  await d.page.screenshot({ path: join(shots, "supervision-extension.png"), fullPage: true });

  // The bureau was told of each decision, the nudge and the instruction, with their words.
  await u.page.goto(gx.base + "/inbox");
  const inbox = await u.page.locator("#inbox").innerText();
  assert.match(inbox, /督办单延期申请已审批/);
  assert.match(inbox, new RegExp(`同意延期，办理期限改为 ${human(asked)}`));
  assert.match(inbox, /不同意延期/);
  assert.match(inbox, /督办单催办/);
  assert.match(inbox, /领导批示：\s*请市科技局主要负责同志亲自调度/);
  // The dispatcher was told of the requests and the instruction.
  await d.page.goto(gx.base + "/inbox");
  const dinbox = await d.page.locator("#inbox").innerText();
  assert.match(dinbox, /督办单延期申请，待审批/);
  assert.match(dinbox, /督办单领导批示/);
  for (const s of [d, u, boss]) {
    assert.deepEqual(s.outside, []);
    assert.deepEqual(s.errors, []);
  }
});
