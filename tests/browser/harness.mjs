// What every browser test file shares: gaoxin started on a fresh SQLite database in a
// temporary folder, accounts made at the console, and Debian's Chromium.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
export const shots = join(here, "screenshots");
const bin = process.env.GAOXIN_BIN || join(repo, "target", "debug", "gaoxin");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/**
 * Starts gaoxin (with `serveArgs`, e.g. `--demo`) after creating `users` ([name, unit, role]
 * each) at the console. Returns the base URL, each user's one-time password, the browser, and
 * `stop()`.
 */
export async function startGaoxin(users, prefix = "gaoxin-browser-", serveArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const data = ["--database", `sqlite://${join(dataDir, "g.db")}`, "--audit-key", join(dataDir, "audit.key")];
  const otp = {};
  for (const [name, unit, role] of users) {
    const out = execFileSync(bin, ["user", "add", name, "--unit", unit, "--role", role, "--create", ...data], { encoding: "utf8" });
    otp[name] = out.trim().split("\n").pop().trim();
  }
  const server = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--create", ...serveArgs, ...data], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("gaoxin did not start within 30 s")), 30000);
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`gaoxin exited with ${code}`)));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    base,
    otp,
    browser,
    async stop() {
      await browser.close();
      // gaoxin writes its last audit anchor as it shuts down: wait for it to go before the
      // folder does.
      const exited = server.exitCode !== null || server.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A signed-in page for `user` of a started gaoxin (`gx`), its one-time password changed to
 * `password` on the way. Collects requests that leave the server and page errors.
 */
export async function signIn(gx, user, password, home = "/") {
  const { base, browser, otp } = gx;
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  const outside = [];
  const errors = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("422")) errors.push(m.text());
  });
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("口令").fill(otp[user]);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(/\/account\/password$/);
  await page.getByLabel("当前口令").fill(otp[user]);
  await page.getByLabel("新口令", { exact: true }).fill(password);
  await page.getByLabel("再次输入新口令").fill(password);
  await page.getByRole("button", { name: "修改口令" }).click();
  await page.waitForURL(/\/login\?changed=true$/);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("口令").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + home);
  return { context, page, outside, errors };
}
