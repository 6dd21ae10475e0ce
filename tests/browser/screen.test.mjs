// Browser test of the 数据大屏 on the sample data (gaoxin serve --demo): an account holding
// only the screen's role signs in and lands on the screen; at 1920×1080 every card is in view
// with nothing to scroll, the type reads across a room, the screen refreshes itself without a
// reload and keeps its last data, marked, when the server cannot be reached; the account opens
// nothing else; at 390 px the cards stack without sideways scrolling.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, signIn, repo, shots } from "./harness.mjs";

const PASSWORD = "Screen!2026ok";
let gx, session;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin([["wall", "dispatch", "screen"]], "gaoxin-screen-", ["--demo"]);
  session = await signIn(gx, "wall", PASSWORD, "/screen");
});

after(async () => {
  if (process.env.GAOXIN_UPDATE_SCREENSHOT) {
    mkdirSync(join(repo, "docs"), { recursive: true });
    copyFileSync(join(shots, "screen-1920.png"), join(repo, "docs", "screen.png"));
  }
  await gx?.stop();
});

const CARDS = ["scr-summary", "scr-zones", "scr-lagging", "scr-orders", "scr-board", "scr-funnel-projects", "scr-pyramid"];

test("the screen fills 1920×1080 without scrolling, readable across a room", async () => {
  const { page, outside, errors } = session;
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(gx.base + "/screen");
  const fit = await page.evaluate(() => ({
    down: document.documentElement.scrollHeight - innerHeight,
    across: document.documentElement.scrollWidth - innerWidth,
    font: parseFloat(getComputedStyle(document.getElementById("screen")).fontSize),
  }));
  assert.deepEqual([fit.down, fit.across], [0, 0], "nothing to scroll");
  assert.ok(fit.font >= 18, `body type ${fit.font}px`);
  for (const id of CARDS) {
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box, id);
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1920 && box.y + box.height <= 1080, `${id} in view: ${JSON.stringify(box)}`);
    assert.ok(box.height > 100, `${id} has room: ${box.height}`);
  }
  // The big numbers are big.
  const big = await page.locator("#scr-summary .scr-lights b").first().evaluate((b) => parseFloat(getComputedStyle(b).fontSize));
  assert.ok(big >= 40, `summary numbers ${big}px`);
  assert.equal(await page.locator("#scr-board li.scr-tile").count(), 16);
  assert.ok(await page.locator("#scr-board li.scr-tile.s-red").count() >= 1, "a red task on the sample data");
  await assert.doesNotReject(page.getByText("示例数据").first().waitFor());
  assert.equal(await page.locator("#screen a").count(), 0, "no link on the screen");
  await page.screenshot({ path: join(shots, "screen-1920.png") });
  assert.deepEqual(outside, [], "nothing fetched from outside");
  assert.deepEqual(errors, []);
});

test("the screen refreshes itself in place, and keeps its data marked stale when the server is away", async () => {
  const context = session.context;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.clock.install();
  await page.goto(gx.base + "/screen");
  await page.evaluate(() => { document.getElementById("screen").dataset.old = "1"; window.notReloaded = true; });
  await page.clock.runFor(61_000);
  await page.waitForSelector("#screen:not([data-old])", { timeout: 10_000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, "swapped in, not reloaded");
  assert.equal(await page.locator("#screen-stale").isHidden(), true);
  // The server cannot be reached: the last screen stays, marked.
  await page.route("**/screen", (r) => r.abort());
  await page.clock.runFor(61_000);
  await page.waitForSelector("#screen-stale:not([hidden])", { timeout: 10_000 });
  assert.equal(await page.locator("#scr-board li.scr-tile").count(), 16);
  await page.unroute("**/screen");
  await page.close();
});

test("the screen's account opens nothing else, and the screen stacks at 390 px", async () => {
  const { page } = session;
  for (const path of ["/", "/monitor", "/ledgers", "/work/board"]) {
    const r = await page.goto(gx.base + path);
    assert.equal(r.status(), 403, path);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(gx.base + "/screen");
  const across = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.equal(across, 0, "no sideways scrolling at 390 px");
  for (const id of CARDS) assert.ok(await page.locator(`#${id}`).isVisible(), id);
});
