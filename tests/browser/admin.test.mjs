// Browser test of the administrators' pages (三员分立): each of the three signs in with a
// second factor (enrolled here, codes computed as an authenticator app would), the system
// administrator creates an account, the security administrator's role page offers no
// administrator role (those are given at the console only), and the audit administrator reads
// the audit log — bounded unsigned entries from a burst of failed sign-ins, the bounds stated —
// at desk and phone widths. A reporter who keeps typing the wrong password is told the account
// is locked for this address, on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startGaoxin, shots } from "./harness.mjs";

const PASSWORD = "Kw8!zR3#mQ6-admin";
let gx;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin(
    [
      ["sysadm", "dispatch", "system-admin"],
      ["secadm", "dispatch", "security-admin"],
      ["audadm", "dispatch", "audit-admin"],
      ["clerk", "sjz-hz-admin", "reporter"],
    ],
    "gaoxin-admin-",
  );
});

after(async () => {
  await gx?.stop();
});

/** RFC 4648 base32, as the enrolment page shows the secret. */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, "")) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) for time step `step`. */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, "0");
}

const nowStep = () => Math.floor(Date.now() / 30000);

/**
 * Signs `user` in for the first time: enrols the second factor, changes the one-time password,
 * signs in again with the new one and a fresh code. gaoxin refuses a code twice and accepts
 * one step of drift, so the second code is the next step's.
 */
async function signInAdmin(user) {
  const { base, browser, otp } = gx;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = [];
  const outside = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("口令").fill(otp[user]);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/account\/2fa$/);
  const secret = await page.locator("#totp-secret").getAttribute("data-secret");
  const enrolled = nowStep();
  await page.getByLabel("6 位动态口令").fill(totp(secret, enrolled));
  await page.getByRole("button", { name: "确认" }).click();
  await page.waitForURL(/\/account\/password$/);
  await page.getByLabel("当前口令").fill(otp[user]);
  await page.getByLabel("新口令", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入新口令").fill(PASSWORD);
  await page.getByRole("button", { name: "修改口令" }).click();
  await page.waitForURL(/\/login\?changed=true$/);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("口令").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/account\/2fa$/);
  await page.getByLabel("6 位动态口令").fill(totp(secret, Math.max(nowStep(), enrolled + 1)));
  await page.getByRole("button", { name: "确认" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/account/2fa"));
  return { context, page, errors, outside };
}

/** Whether the page is no wider than its viewport (nothing to scroll sideways). */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test("the three administrators each do their own part, at desk and phone widths", async () => {
  const { base, browser } = gx;

  // Failed sign-ins for names that do not exist go to the audit log unsigned, within bounds.
  const stranger = await browser.newContext({ locale: "zh-CN" });
  const guess = await stranger.newPage();
  for (let i = 0; i < 7; i++) {
    await guess.goto(base + "/login");
    await guess.getByLabel("用户名").fill(`nobody${i}`);
    await guess.getByLabel("口令").fill("wrong-password");
    await guess.getByRole("button", { name: "登录" }).click();
    await guess.locator(".form-error").waitFor();
  }
  await stranger.close();

  const [sys, sec, aud] = await Promise.all(["sysadm", "secadm", "audadm"].map(signInAdmin));

  // The system administrator creates an account; it starts without roles.
  await sys.page.goto(base + "/admin/accounts");
  await sys.page.getByLabel("用户名").fill("newclerk");
  await sys.page.getByRole("button", { name: "创建" }).click();
  await sys.page.locator("#one-time-password").waitFor();
  const row = sys.page.locator("tr", { hasText: "newclerk" });
  assert.ok((await row.textContent()).includes("无角色") || (await row.locator(".muted").count()) > 0);
  // Another administrator's row offers no action here: those change at the console.
  const peer = sys.page.locator("tr", { hasText: "secadm" });
  assert.equal(await peer.locator("button").count(), 0, "no disable/delete for another administrator");
  await sys.page.screenshot({ path: join(shots, "admin-accounts.png"), fullPage: true });

  // The security administrator gives roles, but never an administrator's.
  await sec.page.goto(base + "/admin/roles");
  const form = sec.page.locator("tr", { hasText: "newclerk" }).locator("form");
  const offered = await form.locator("input[type=checkbox]").evaluateAll((boxes) => boxes.map((b) => b.value));
  assert.ok(offered.includes("reporter"), `business roles offered: ${offered}`);
  for (const admin of ["system-admin", "security-admin", "audit-admin"]) {
    assert.ok(!offered.includes(admin), `${admin} not offered on the web: ${offered}`);
  }
  await form.locator('input[value="reporter"]').check();
  await form.getByRole("button", { name: "保存" }).click();
  await sec.page.waitForURL(/\/admin\/roles$/);
  await sec.page.screenshot({ path: join(shots, "admin-roles.png"), fullPage: true });

  // The audit administrator reads the log: the failed sign-ins, the bounds on unsigned entries,
  // the role change just made.
  await aud.page.goto(base + "/audit");
  const bounds = await aud.page.locator("#audit-bounds").textContent();
  assert.match(bounds, /未登录/, `bounds stated: ${bounds}`);
  const body = await aud.page.locator("table.audit tbody").textContent();
  assert.ok(body.includes("login.failure"), "failed sign-ins logged");
  assert.ok(body.includes("newclerk"), "the role change logged");
  assert.ok(!body.includes("authz.denied"), "nothing the administrators did was refused");
  await aud.page.screenshot({ path: join(shots, "audit.png"), fullPage: true });
  await aud.page.setViewportSize({ width: 390, height: 844 });
  await aud.page.reload();
  assert.ok(await fitsWidth(aud.page), "the audit page fits 390 px");
  await aud.page.screenshot({ path: join(shots, "audit-phone.png"), fullPage: true });

  for (const s of [sys, sec, aud]) {
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.outside, []);
    await s.context.close();
  }
});

test("a reporter who keeps mistyping is told the account is locked here, on a phone", async () => {
  const { base, browser } = gx;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await context.newPage();
  let message = "";
  for (let i = 0; i < 12 && !message.includes("暂时不能登录"); i++) {
    await page.goto(base + "/login");
    await page.getByLabel("用户名").fill("clerk");
    await page.getByLabel("口令").fill(`not-it-${i}`);
    await page.getByRole("button", { name: "登录" }).click();
    message = await page.locator(".form-error").textContent();
  }
  assert.match(message, /暂时不能登录此账号/, `locked message: ${message}`);
  assert.ok(await fitsWidth(page), "the login page fits 390 px");
  await page.screenshot({ path: join(shots, "login-locked-phone.png"), fullPage: true });
  // The right password does not get past the lock either, and says the same.
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("clerk");
  await page.getByLabel("口令").fill(gx.otp.clerk);
  await page.getByRole("button", { name: "登录" }).click();
  assert.match(await page.locator(".form-error").textContent(), /暂时不能登录此账号/);
  await context.close();
});
