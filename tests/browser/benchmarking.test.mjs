// Browser test of 对标分析 with the generated peer set (serve --demo): a dispatcher reads the
// zone's position, the 补强 list and the path to the top twenty, changes a value (what-if) and
// sees the estimate move, then turns a 补强 row into a prefilled 督办单; on a phone and in
// English the page fits and keeps its marks (估算, 示例数据).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, signIn, shots } from "./harness.mjs";

let gx, session;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin([["bm", "dispatch", "dispatcher"]], "gaoxin-bm-", ["--demo"]);
  session = await signIn(gx, "bm", "Bench!mark2026");
});

after(async () => {
  await gx?.stop();
});

const rankOf = async (page) => Number((await page.locator("#bm-rank").textContent()).match(/\d+/)[0]);

test("position → 补强 → what-if → 督办单", async () => {
  const { page, outside, errors } = session;
  await page.getByRole("navigation").getByRole("link", { name: "对标分析" }).click();
  await page.locator("#bm-zones").getByRole("link", { name: "石家庄高新区" }).click();
  await page.locator("#bm-summary").waitFor();
  assert.ok((await page.locator("h1").textContent()).includes("估算"));
  assert.ok(await page.locator(".notice", { hasText: "示例数据" }).first().isVisible(), "sample data marked");
  assert.equal(await page.locator("#bm-table tbody tr").count(), 41);
  assert.ok((await page.locator("#bm-summary").textContent()).includes("共 178 个高新区"));
  assert.ok((await page.locator("#bm-calibration").textContent()).includes("秩相关"));
  await page.locator(".chart svg").first().waitFor();
  const before = await rankOf(page);
  assert.ok((await page.locator("#bm-strengthen ol li").count()) > 0);
  assert.ok((await page.locator("#bm-path-lead").textContent()).length > 0);
  await page.screenshot({ path: join(shots, "benchmarking-1440-zh.png"), fullPage: true });

  // What-if: the first 补强 indicator raised far; the estimate moves at once (htmx), nothing saved.
  const first = await page.locator("#bm-table input.bm-value").first();
  const name = await first.getAttribute("name");
  const value = Number(await first.inputValue());
  await first.fill(String(value * 4 + 50));
  await first.dispatchEvent("change");
  await page.locator("#bm-what-if").waitFor();
  assert.ok(page.url().includes(encodeURIComponent(name).replace(/\./g, ".")) || page.url().includes(name));
  const after = await rankOf(page);
  assert.ok(after <= before, `rank ${before} → ${after}`);
  await page.getByRole("link", { name: "恢复实际数值" }).click();
  await page.locator("#bm-summary").waitFor();
  assert.equal(await page.locator("#bm-what-if").count(), 0);
  assert.equal(await rankOf(page), before);

  // A 补强 row becomes a 督办单, prefilled and linked back to the analysis.
  await page.locator("#bm-strengthen a.bm-order").first().click();
  await page.waitForURL(/\/supervision\/new/);
  assert.ok((await page.locator("#title").inputValue()).startsWith("补强："));
  const basis = await page.locator("#basis").inputValue();
  assert.ok(basis.includes("对标分析（估算") && basis.includes("/benchmarking/sjz-hz"), basis);
  await page.getByRole("button", { name: "立项" }).click();
  await page.waitForURL(/\/supervision\/\d+/);
  assert.equal(await page.locator("#order-state").getAttribute("data-state"), "opened");
  assert.ok((await page.locator("h1").textContent()).includes("补强："));

  // The provincial rank: its framework lists no indicator yet, and the page says so.
  await page.goto(gx.base + "/benchmarking/zd-hz");
  assert.ok((await page.locator("#bm-missing").textContent()).includes("还没有列出任何指标"));
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
});

test("the page fits a phone and reads in English", async () => {
  const { page } = session;
  for (const [width, lang] of [[390, "zh"], [390, "en"], [1440, "en"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${gx.base}/benchmarking/sjz-hz?lang=${lang}`);
    await page.locator(".chart svg").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${width} ${lang}: page is ${overflow}px wider than the window`);
    const h1 = await page.locator("h1").textContent();
    assert.ok(h1.includes(lang === "en" ? "Estimate" : "估算"), h1);
    await page.screenshot({ path: join(shots, `benchmarking-${width}-${lang}.png`), fullPage: true });
  }
  await page.goto(`${gx.base}/benchmarking/sjz-hz?lang=zh`);
});
