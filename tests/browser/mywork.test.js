// "Việc của tôi" in a real browser: the writer sends the demo mission's article for approval; the mission's
// leader finds it on the page and in the dashboard's block, on a phone and a desktop, with axe-core's checks and
// nothing wider than the screen. Screenshots and axe results go to the artefacts.
//
// Started by run.sh, which passes GIAMSAT_BROWSER_BASE_URL, GIAMSAT_BROWSER_ACCOUNTS and GIAMSAT_BROWSER_ARTEFACTS.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const BASE = required('GIAMSAT_BROWSER_BASE_URL').replace(/\/$/, '');
const ARTEFACTS = process.env.GIAMSAT_BROWSER_ARTEFACTS ?? path.resolve(here, '../../target/browser-artefacts');
const CHROMIUM = process.env.GIAMSAT_BROWSER_CHROMIUM ?? '/usr/bin/chromium';
const ACCOUNTS = new Map(
  required('GIAMSAT_BROWSER_ACCOUNTS')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2),
);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);
/** The demo mission, as every list names it (`naming::mission_name`). */
const DEMO_NAME = 'Đoàn Giám sát số 5 — 109-QĐ/QU, 2021';

const VIEWPORTS = [
  { name: 'phone', options: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the browser tests with tests/browser/run.sh`);
  return value;
}

function account(email) {
  const password = ACCOUNTS.get(email);
  if (!password) throw new Error(`no password for ${email} in GIAMSAT_BROWSER_ACCOUNTS`);
  return { email, password };
}

let browser;

before(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
});

/** A signed-in person at one device; every console error or error response lands in `problems`. */
async function signedIn(viewport, { email, password }) {
  const context = await browser.newContext({ ...viewport.options, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught ${e.message} on ${page.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await Promise.all([page.waitForURL(`${BASE}/`), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return { context, page, problems };
}

/** Clicks a submit button and waits for the page it leads to (also when that is the same URL again). */
async function submit(page, button) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await button.click();
  await navigated;
  await page.waitForLoadState('load');
}

async function axe(page, viewport, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  writeFileSync(path.join(ARTEFACTS, `${viewport.name}-axe-${name}.json`), JSON.stringify(results, null, 2));
  return results.filter((v) => BLOCKING.has(v.impact));
}

async function fits(page, name) {
  const { scrollWidth, width } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= width, `${name}: the page is ${scrollWidth}px wide on a ${width}px screen`);
}

test('a pending approval waits on the leader\'s "Việc của tôi", on a phone and a desktop', { timeout: 180_000 }, async () => {
  // The writer drafts the demo mission's article and sends it for approval (once: the article is then locked).
  const writer = await signedIn(VIEWPORTS[1], account('writer@demo.giamsat'));
  await writer.page.goto(`${BASE}/missions`);
  const href = await writer.page.locator('table a[href^="/missions/"]').last().getAttribute('href');
  const reportUrl = `${BASE}${href}/report`;
  await writer.page.goto(reportUrl);
  const save = writer.page.getByRole('button', { name: 'Lưu bản nháp' });
  if (await save.count()) {
    await submit(writer.page, save);
    await submit(writer.page, writer.page.getByRole('button', { name: 'Gửi duyệt' }));
  }
  assert.deepEqual(writer.problems, []);
  await writer.context.close();

  for (const viewport of VIEWPORTS) {
    const leader = await signedIn(viewport, account('team-leader@demo.giamsat'));
    const { page } = leader;
    const block = page.locator('section[aria-labelledby="work-approval"]');
    assert.match(await block.innerText(), /Đoàn Giám sát số 5 — 109-QĐ\/QU, 2021/, 'the dashboard block');
    await page.screenshot({ path: path.join(ARTEFACTS, `${viewport.name}-mywork-dashboard.png`), fullPage: true });
    await page.goto(`${BASE}/my-work`);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Việc của tôi');
    const pending = page.locator('section[aria-labelledby="work-approval"] a', { hasText: DEMO_NAME });
    assert.equal(await pending.count(), 1, 'the pending approval, named by its mission');
    assert.equal(await pending.getAttribute('href'), `${href}/report`);
    await fits(page, `${viewport.name} /my-work`);
    const blocking = await axe(page, viewport, 'mywork');
    assert.deepEqual(blocking, [], 'no serious or critical axe violations');
    await page.screenshot({ path: path.join(ARTEFACTS, `${viewport.name}-mywork.png`), fullPage: true });
    assert.deepEqual(leader.problems, []);
    await leader.context.close();
  }
});
