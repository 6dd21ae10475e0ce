// Browser test of the ledgers: the 市科技局 clerk downloads the enterprise template, fills it
// (rows written into the workbook's sheet, as a spreadsheet program would), uploads it, reads
// the dry run (what will be added, what was normalised), confirms, and sees the rows; then does
// the same with the high-tech certificates, and the cockpit's high-tech share — counted from
// the ledgers, never typed — turns from gray to a value, with a link to the rows behind it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, zipSync, strFromU8, strToU8 } from "fflate";
import { startGaoxin, signIn, shots } from "./harness.mjs";

const PASSWORD = "Ledgers!2026ok";
const now = new Date(Date.now() + 8 * 3600 * 1000);
const PERIOD = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let gx;

before(async () => {
  mkdirSync(shots, { recursive: true });
  gx = await startGaoxin([["kj", "sci-tech", "reporter"]], "gaoxin-ledgers-");
});

after(async () => {
  await gx?.stop();
});

/** A valid 统一社会信用代码 for `n` (GB 32100-2015 check digit). */
function uscc(n) {
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first = `91130100MA${String(n).padStart(7, "0")}`;
  const sum = [...first].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  return first + chars[(31 - (sum % 31)) % 31];
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const column = (i) => String.fromCharCode(65 + i);

/** The template with `rows` (arrays of text, one per column) written below the example row. */
function fill(template, rows) {
  const files = unzipSync(new Uint8Array(template));
  const name = "xl/worksheets/sheet1.xml";
  let xml = strFromU8(files[name]);
  const cells = rows
    .map((values, i) => {
      const r = i + 3;
      const cs = values
        .map((v, c) => (v === "" ? "" : `<c r="${column(c)}${r}" t="inlineStr"><is><t xml:space="preserve">${escape(v)}</t></is></c>`))
        .join("");
      return `<row r="${r}">${cs}</row>`;
    })
    .join("");
  assert.ok(xml.includes("</sheetData>"), "the template has a sheet to fill");
  xml = xml.replace("</sheetData>", `${cells}</sheetData>`);
  xml = xml.replace(/<dimension ref="A1:([A-Z]+)\d+"\/>/, (_, c) => `<dimension ref="A1:${c}${rows.length + 2}"/>`);
  files[name] = strToU8(xml);
  return Buffer.from(zipSync(files));
}

/** Downloads the ledger's template, fills it, uploads it, checks the dry run and confirms. */
async function importRows(page, ledger, rows, expectSummary, shot) {
  await page.goto(`${gx.base}/ledgers/${ledger}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#ledger-template").click()]);
  const template = readFileSync(await download.path());
  await page.locator("#ledger-upload summary").click();
  await page.locator('#upload-form input[type="file"]').setInputFiles({
    name: `${ledger}.xlsx`,
    mimeType: XLSX,
    buffer: fill(template, rows),
  });
  await page.locator("#upload-dry-run").click();
  const summary = page.locator("#upload-summary");
  await summary.waitFor();
  assert.ok((await summary.textContent()).includes(expectSummary), await summary.textContent());
  if (shot) await page.screenshot({ path: join(shots, shot), fullPage: true });
  const notes = (await page.locator("#upload-notes").count()) ? await page.locator("#upload-notes").textContent() : "";
  await page.locator("#upload-confirm").click();
  await page.locator("#ledger-notice").waitFor();
  return notes;
}

test("a filled template is checked, confirmed, listed, and counted into the cockpit", async () => {
  const { page, outside, errors } = await signIn(gx, "kj", PASSWORD);
  const shareRow = async () => {
    await page.goto(`${gx.base}/monitor?period=${PERIOD}`);
    const row = page.locator('#zone-sjz-hz tr[data-indicator="hitech-share-city"]');
    await row.waitFor();
    return row;
  };
  // No ledger yet: the share is unreported, not zero.
  assert.equal(await (await shareRow()).getAttribute("data-status"), "gray");

  // Five enterprises: two in 石家庄高新区, three elsewhere in the city; typed as clerks type.
  const enterprises = [
    [uscc(1), "石家庄甲生物科技有限公司 ", "石家庄高新区", "生物医药", "1,250.5万元", "是"],
    [uscc(2).toLowerCase(), "石家庄乙电子有限公司", "石家庄高新区", "电子信息", "300", "否"],
    [uscc(3), "石家庄丙装备有限公司", "石家庄市", "高端装备制造", "1.2亿元", "有"],
    [uscc(4), "石家庄丁新材料有限公司", "石家庄市", "化工新材料", "", ""],
    [uscc(5), "石家庄戊数字有限公司", "石家庄市", "数字经济", "", ""],
  ];
  const notes = await importRows(page, "enterprises", enterprises, "将新增 5 条", "ledger-dry-run.png");
  assert.ok(notes.includes("“1.2亿元”读作 12000 万元"), notes);
  assert.ok(notes.includes("去掉了首尾空格"), notes);
  assert.ok((await page.locator("#ledger-notice").textContent()).includes("新增 5 条"));
  const table = await page.locator("#ledger-rows").textContent();
  assert.ok(table.includes("石家庄甲生物科技有限公司") && table.includes("石家庄戊数字有限公司"), table);
  await page.screenshot({ path: join(shots, "ledger-list.png"), fullPage: true });

  // Their high-tech certificates (one a 瞪羚 recognition, which is not counted).
  const certs = [
    [uscc(1), "石家庄甲生物科技有限公司", "高新技术企业", "GR202513000001", "2025-03-01"],
    [uscc(2), "石家庄乙电子有限公司", "高新技术企业", "GR202513000002", "2025/3/1"],
    [uscc(3), "石家庄丙装备有限公司", "高新技术企业", "GR202413000003", "2024年10月20日"],
    [uscc(4), "石家庄丁新材料有限公司", "瞪羚企业", "", "2025-06-01"],
  ];
  await importRows(page, "qualifications", certs, "将新增 4 条");

  // The cockpit counts them: 2 of the city's 3 valid certificates are in the zone.
  const row = await shareRow();
  assert.notEqual(await row.getAttribute("data-status"), "gray");
  assert.ok((await row.textContent()).includes("66.67%"), await row.textContent());
  await row.locator("details.why summary").click();
  await page.screenshot({ path: join(shots, "ledger-cockpit.png"), fullPage: true });
  await row.locator("a.ledger-link", { hasText: "石家庄高新区" }).click();
  await page.locator("#ledger-counted").waitFor();
  const counted = await page.locator("#ledger-rows tbody").textContent();
  assert.ok(counted.includes("石家庄甲生物科技有限公司") && counted.includes("石家庄乙电子有限公司"), counted);
  assert.ok(!counted.includes("石家庄丙装备有限公司"), counted);

  assert.deepEqual(outside, [], "no request left the server");
  assert.deepEqual(errors, []);
});
