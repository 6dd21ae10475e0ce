// Browser test of indicator monitoring: on a fresh SQLite database, a reporter of 石家庄高新区
// enters this month's fixed-asset-investment growth, the 市统计局 reviewer returns it with a
// reason, the reporter corrects and resubmits it, the reviewer approves, the dispatcher
// confirms, and the cockpit's light for that target changes (gray → red → green, the
// "unconfirmed" mark gone at the end). Real Chromium, no request leaving the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startGaoxin, signIn, shots } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "Figures!2026ok";

// This month in Beijing time: always open for entry (it closes on the 15th of next month).
const now = new Date(Date.now() + 8 * 3600 * 1000);
const PERIOD = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;

let gx, base, browser, otp;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin(
    [
      ["clerk", "sjz-hz-admin", "reporter"],
      ["statsrev", "stats", "reviewer"],
      ["disp", "dispatch", "dispatcher"],
    ],
    "gaoxin-figures-",
  );
  ({ base, browser, otp } = gx);
});

after(async () => {
  await gx?.stop();
});

/** A signed-in page for `user`. */
const as = (user) => signIn(gx, user, PASSWORD);

/** The cockpit row of 石家庄高新区's fixed-asset-investment growth. */
async function faiRow(page) {
  await page.goto(`${base}/monitor?period=${PERIOD}`);
  const row = page.locator('#zone-sjz-hz tr[data-indicator="fai-growth"]');
  await row.waitFor();
  return row;
}

test("a figure goes from entry through return, correction, review and confirmation to the cockpit", async () => {
  const disp = await as("disp");
  let row = await faiRow(disp.page);
  assert.equal(await row.getAttribute("data-status"), "gray");

  // The reporter enters 5 % against a target of 11 % and submits.
  const clerk = await as("clerk");
  await clerk.page.goto(`${base}/figures?period=${PERIOD}`);
  await clerk.page.getByRole("heading", { name: `石家庄高新区 · ${PERIOD}` }).waitFor();
  await clerk.page.locator('input[name="v.fai-rate"]').fill("5");
  await clerk.page.screenshot({ path: join(shots, "figures-entry.png"), fullPage: true });
  await clerk.page.locator("#submit").click();
  await clerk.page.locator("#notice", { hasText: "已保存 1 项，已提交 1 项" }).waitFor();
  assert.equal(await clerk.page.locator("#row-fai-rate").getAttribute("data-state"), "submitted");

  // Submitted values count, marked unconfirmed: the light turns red.
  row = await faiRow(disp.page);
  assert.equal(await row.getAttribute("data-status"), "red");
  assert.ok((await row.textContent()).includes("未确认"));

  // The 市统计局 reviewer is told the figure waits for review, with a link to the review page.
  const rev = await as("statsrev");
  await rev.page.goto(`${base}/inbox`);
  assert.match(await rev.page.locator("#inbox").innerText(), /基础数据已提交，待审核/);
  // …and returns it with a reason.
  await rev.page.goto(`${base}/figures/review`);
  const item = rev.page.locator('tr[data-figure="fai-rate"][data-unit="sjz-hz"]');
  await item.locator('input[name="reason"]').fill("应填本年累计增速，不是当月增速");
  await rev.page.screenshot({ path: join(shots, "figures-review.png"), fullPage: true });
  await item.getByRole("button", { name: "退回" }).click();
  await rev.page.locator("#notice", { hasText: "已退回" }).waitFor();

  // Returned values do not count: gray again.
  row = await faiRow(disp.page);
  assert.equal(await row.getAttribute("data-status"), "gray");

  // The reporter is told, with the reason; sees why on the form, corrects and submits again.
  await clerk.page.goto(`${base}/inbox`);
  const told = await clerk.page.locator("#inbox").innerText();
  assert.match(told, /基础数据被退回/);
  assert.match(told, /应填本年累计增速/);
  await clerk.page.goto(`${base}/figures?period=${PERIOD}`);
  const mine = clerk.page.locator("#row-fai-rate");
  assert.equal(await mine.getAttribute("data-state"), "returned");
  assert.ok((await mine.textContent()).includes("应填本年累计增速"));
  await clerk.page.locator('input[name="v.fai-rate"]').fill("12.5");
  await clerk.page.locator("#submit").click();
  await clerk.page.locator("#notice", { hasText: "已提交 1 项" }).waitFor();

  // Approved by the reviewer, confirmed by the dispatcher.
  await rev.page.goto(`${base}/figures/review`);
  await rev.page.locator('tr[data-figure="fai-rate"][data-unit="sjz-hz"]').getByRole("button", { name: "审核通过" }).click();
  await rev.page.locator("#notice", { hasText: "已审核" }).waitFor();
  await disp.page.goto(`${base}/figures/review`);
  await disp.page.locator('tr[data-figure="fai-rate"][data-unit="sjz-hz"]').getByRole("button", { name: "确认" }).click();
  await disp.page.locator("#notice", { hasText: "已确认" }).waitFor();
  // Each step was told to the next one in line: the dispatch office of the review, the
  // reporter of the confirmation.
  await disp.page.goto(`${base}/inbox`);
  assert.match(await disp.page.locator("#inbox").innerText(), /基础数据已审核，待确认/);
  await clerk.page.goto(`${base}/inbox`);
  assert.match(await clerk.page.locator("#inbox").innerText(), /基础数据已确认/);

  // The cockpit: green, confirmed, and the light explains itself.
  row = await faiRow(disp.page);
  assert.equal(await row.getAttribute("data-status"), "green");
  assert.ok(!(await row.textContent()).includes("未确认"));
  await row.locator("details.why summary").click();
  const why = await row.locator("details.why ul").textContent();
  assert.ok(why.includes("12.5%"), why);
  assert.ok(why.includes("序时目标 = 年度目标 11%"), why);
  await disp.page.screenshot({ path: join(shots, "cockpit.png"), fullPage: true });

  // The value's history names every step and the reason.
  await disp.page.goto(`${base}/figures/history?unit=sjz-hz&figure=fai-rate&period=${PERIOD}`);
  const history = await disp.page.locator("#history tbody").textContent();
  for (const text of ["clerk", "statsrev", "disp", "退回", "应填本年累计增速", "确认"]) {
    assert.ok(history.includes(text), text);
  }

  // Excel, in the dispatcher's hands: the template downloads; uploaded untouched, the dry run
  // says there is nothing to import; a filled workbook (saved by
  // LibreOffice) dry-runs, imports on confirmation, and reaches the cockpit.
  await disp.page.goto(`${base}/figures?unit=sjz-hz&period=2025-07`);
  await disp.page.locator("#excel summary").click();
  const [download] = await Promise.all([
    disp.page.waitForEvent("download"),
    disp.page.locator("#template-link").click(),
  ]);
  assert.equal(download.suggestedFilename(), "gaoxin-figures-sjz-hz-2025-07.xlsx");
  const template = join(shots, "template.xlsx");
  await download.saveAs(template);
  assert.equal(readFileSync(template).subarray(0, 2).toString(), "PK");
  await disp.page.setInputFiles('#upload-form input[name="file"]', template);
  await disp.page.locator("#upload-dry-run").click();
  await disp.page.locator("#upload-result", { hasText: "没有填写任何“本期值”" }).waitFor();
  await disp.page.setInputFiles('#upload-form input[name="file"]', join(here, "fai-2025-saved-by-libreoffice.xlsx"));
  await disp.page.locator("#upload-dry-run").click();
  await disp.page.locator("#upload-rows").waitFor();
  assert.equal(await disp.page.locator("#upload-rows tbody tr").count(), 2);
  await disp.page.screenshot({ path: join(shots, "figures-upload.png"), fullPage: true });
  await disp.page.locator("#upload-confirm").click();
  await disp.page.locator("#notice", { hasText: "已导入 2 行" }).waitFor();
  await disp.page.goto(`${base}/monitor?period=2025-07`);
  const fai = disp.page.locator('#zone-sjz-hz tr[data-indicator="fai-growth"]');
  assert.equal(await fai.getAttribute("data-status"), "green");
  assert.ok((await fai.textContent()).includes("10.8%"));

  for (const s of [disp, clerk, rev]) {
    assert.deepEqual(s.outside, [], "requests left the server");
    assert.deepEqual(s.errors, [], "page errors");
    await s.context.close();
  }
});
