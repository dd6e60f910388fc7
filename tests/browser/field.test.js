// "Ghi tại đơn vị" in a real browser (issue 14): on a 360 px phone and a 1280 px desktop, a team member
// records at one session's unit — three photos with captions in one save, then a finding and a recommendation —
// and two members of the demo mission record at two units at the same moment, both saved. axe-core checks the
// pages; console errors, page errors, CSP violations and error responses fail the test.
//
// Started by run.sh, like golden-path.test.js (the demo accounts: the team leader and the team member are
// assigned to the demo mission, "Đoàn Giám sát số 5").

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
const LEADER = account('team-leader@demo.giamsat');
const MEMBER = account('team-member@demo.giamsat');

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** One person at one device: a browser context whose pages report every problem into `problems`. */
async function person(label, viewport) {
  const context = await browser.newContext({ ...viewport.options, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  // Violations of the page's Content-Security-Policy are reported as console errors too; this also catches
  // those reported only as events.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const problems = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /Content.Security.Policy/i.test(text)) {
      problems.push(`${label}: console.${message.type()} on ${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`${label}: uncaught ${error.name} on ${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${label}: ${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`${label}: request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
  });
  return { label, context, page, problems };
}

function noProblems(...people) {
  const all = people.flatMap((p) => p.problems.splice(0));
  assert.deepEqual(all, [], 'console errors, page errors, CSP violations or error responses');
}

/** Clicks a submit button and waits for the page it leads to (also when that is the same URL again). */
async function submit(page, button) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await button.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** Clicks a link and waits for the page to load. */
async function follow(page, link) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await link.click();
  await navigated;
  await page.waitForLoadState('load');
}

function pathOf(page) {
  const url = new URL(page.url());
  // A save lands with ?done=saved (its "Đã lưu" is checked by the tests of saving); the path is what is compared.
  url.searchParams.delete('done');
  return url.pathname + url.search;
}

async function heading(page) {
  return (await page.locator('h1').first().innerText()).trim();
}

async function shoot(page, viewport, name) {
  await page.screenshot({ path: path.join(ARTEFACTS, `${viewport.name}-${name}.png`), fullPage: true });
}

/** Runs axe-core on the page as it is; returns the serious and critical violations, keeps every result. */
async function axe(page, viewport, name, findings) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not apply to it.
    await page.evaluate(AXE_SOURCE);
  }
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const brief = (items) =>
      items.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
      }));
    return { url: location.pathname, violations: brief(r.violations), incomplete: brief(r.incomplete), passes: r.passes.map((p) => p.id) };
  });
  writeFileSync(path.join(ARTEFACTS, `${viewport.name}-axe-${name}.json`), JSON.stringify(results, null, 2));
  findings.push({ page: name, viewport: viewport.name, ...results });
  return results.violations.filter((v) => BLOCKING.has(v.impact));
}

/** Nothing makes the page wider than the screen (a phone would have to scroll sideways). */
async function fits(page, name) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).replace(/ /g, '.')}` : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits };
  });
  assert.ok(scrollWidth <= innerWidth, `${name}: the page is ${scrollWidth}px wide on a ${innerWidth}px screen (${culprits.join(', ')})`);
}

function describeViolations(list) {
  return list
    .map((v) => `${v.viewport}/${v.page} ${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.html}`).join('\n')}`)
    .join('\n');
}

async function login(who, { email, password }) {
  const { page } = who;
  await page.goto(`${BASE}/`);
  assert.match(pathOf(page), /^\/login/, 'signed-out visitors are sent to the login page');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await submit(page, page.getByRole('button', { name: 'Đăng nhập' }));
  assert.equal(pathOf(page), '/', `${email} lands on the dashboard`);
  assert.equal(await heading(page), 'Tổng quan');
}


/** A small picture drawn and encoded by the browser itself: `type` is image/png or image/jpeg. */
async function picture(context, type, label) {
  const page = await context.newPage();
  const dataUrl = await page.evaluate(([type, label]) => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext('2d');
    g.fillStyle = '#8fc1e8';
    g.fillRect(0, 0, 160, 120);
    g.fillStyle = '#9b1c1c';
    g.font = 'bold 18px sans-serif';
    g.fillText(label, 10, 65);
    return canvas.toDataURL(type, 0.85);
  }, [type, label]);
  await page.close();
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** From the dashboard to the demo mission's page. */
async function openDemoMission(page) {
  await page.goto(`${BASE}/missions`);
  await follow(page, page.getByRole('link', { name: /Đoàn Giám sát số 5/ }).first());
  assert.match(pathOf(page), /^\/missions\/\d+$/);
}

/** From the mission page, through the session picker, to the recording page of the `nth` session by date. */
async function openRecording(page, nth) {
  await follow(page, page.locator('main a.button', { hasText: 'Ghi tại đơn vị' }).last());
  assert.match(pathOf(page), /^\/missions\/\d+\/record$/);
  await follow(page, page.locator('.record-sessions a').nth(nth));
  assert.match(pathOf(page), /^\/missions\/\d+\/record\/\d+$/);
}

async function saved(page) {
  assert.equal((await page.locator('#saved').innerText()).trim(), 'Đã lưu.');
}

for (const viewport of VIEWPORTS) {
  const { width, height } = viewport.options.viewport;
  test(`recording at a unit on ${viewport.name} (${width}×${height}): three photos in one save, two members at two units at once`, { timeout: 300_000 }, async () => {
    const findings = [];
    const blocking = [];
    const check = async (page, name) => {
      blocking.push(...(await axe(page, viewport, name, findings)).map((v) => ({ ...v, page: name, viewport: viewport.name })));
      await fits(page, name);
    };
    const leader = await person('team leader', viewport);
    const member = await person('team member', viewport);
    try {
      await login(leader, LEADER);
      await login(member, MEMBER);
      await openDemoMission(leader.page);
      await follow(leader.page, leader.page.locator('main a.button', { hasText: 'Ghi tại đơn vị' }).last());
      await check(leader.page, 'record-pick');
      await shoot(leader.page, viewport, 'field-01-pick');
      await follow(leader.page, leader.page.locator('.record-sessions a').first());
      await check(leader.page, 'record');
      await shoot(leader.page, viewport, 'field-02-record');

      // Three photos, each with its caption, in one save.
      const captions = [`Toàn cảnh (${viewport.name})`, `Phát biểu (${viewport.name})`, `Hồ sơ (${viewport.name})`];
      const files = [
        { name: 'IMG_0001.JPG', mimeType: 'image/jpeg', buffer: await picture(leader.context, 'image/jpeg', 'Ảnh 1') },
        { name: 'IMG_0002.PNG', mimeType: 'image/png', buffer: await picture(leader.context, 'image/png', 'Ảnh 2') },
        { name: 'IMG_0003.JPG', mimeType: 'image/jpeg', buffer: await picture(leader.context, 'image/jpeg', 'Ảnh 3') },
      ];
      for (const [i, file] of files.entries()) {
        await leader.page.locator(`#photo_${i}`).setInputFiles(file);
        await leader.page.locator(`#caption_${i}`).fill(captions[i]);
      }
      await submit(leader.page, leader.page.getByRole('button', { name: 'Lưu các ảnh' }));
      await saved(leader.page);
      for (const caption of captions) {
        await leader.page.locator('.recorded-photos figcaption', { hasText: caption }).waitFor();
      }
      await check(leader.page, 'record-saved');
      await shoot(leader.page, viewport, 'field-03-three-photos-saved');

      // Two members at two units of the one mission, saving at the same moment.
      await openDemoMission(member.page);
      await openRecording(member.page, 1);
      const unitOf = async (page) => (await heading(page)).replace(/^Ghi tại /, '');
      assert.notEqual(await unitOf(leader.page), await unitOf(member.page), 'two different units');
      const texts = [`ưu điểm ghi cùng lúc bởi trưởng đoàn (${viewport.name})`, `hạn chế ghi cùng lúc bởi thành viên (${viewport.name})`];
      await leader.page.locator('#kind').selectOption('strength');
      await leader.page.locator('#finding_text').fill(texts[0]);
      await member.page.locator('#kind').selectOption('shortcoming');
      await member.page.locator('#finding_text').fill(texts[1]);
      await Promise.all([
        submit(leader.page, leader.page.getByRole('button', { name: 'Lưu kết quả' })),
        submit(member.page, member.page.getByRole('button', { name: 'Lưu kết quả' })),
      ]);
      await saved(leader.page);
      await saved(member.page);
      await leader.page.locator('#recorded ~ ul li', { hasText: texts[0] }).first().waitFor();
      await member.page.locator('#recorded ~ ul li', { hasText: texts[1] }).first().waitFor();

      // And a photo and a recommendation each, again at once.
      await member.page.locator('#photo_0').setInputFiles({ name: 'IMG_0004.PNG', mimeType: 'image/png', buffer: await picture(member.context, 'image/png', 'Ảnh 4') });
      await member.page.locator('#caption_0').fill(`Ảnh của thành viên (${viewport.name})`);
      await leader.page.locator('#rec_text').fill(`đề nghị ghi cùng lúc (${viewport.name})`);
      await Promise.all([
        submit(member.page, member.page.getByRole('button', { name: 'Lưu các ảnh' })),
        submit(leader.page, leader.page.getByRole('button', { name: 'Lưu kiến nghị' })),
      ]);
      await saved(leader.page);
      await saved(member.page);
      await member.page.locator('.recorded-photos figcaption', { hasText: `Ảnh của thành viên (${viewport.name})` }).waitFor();
      await leader.page.locator('#recorded ~ ul li', { hasText: `đề nghị ghi cùng lúc (${viewport.name})` }).first().waitFor();
      await shoot(leader.page, viewport, 'field-04-leader-at-unit');
      await shoot(member.page, viewport, 'field-05-member-at-other-unit');

      // A bad input: refused beside its field, the text kept.
      await leader.page.locator('#addressees').fill('');
      await leader.page.locator('#rec_text').fill('nội dung giữ lại');
      await submit(leader.page, leader.page.getByRole('button', { name: 'Lưu kiến nghị' }));
      await leader.page.locator('#addressees-error').waitFor();
      assert.equal(await leader.page.locator('#rec_text').inputValue(), 'nội dung giữ lại');
      leader.problems.splice(0).forEach((p) => assert.match(p, /422/, 'only the refused save'));
      await check(leader.page, 'record-refused');
      await shoot(leader.page, viewport, 'field-06-refused');
      noProblems(leader, member);
    } finally {
      writeFileSync(path.join(ARTEFACTS, `${viewport.name}-field-axe.json`), JSON.stringify(findings, null, 2));
      await leader.context.close();
      await member.context.close();
    }
    assert.deepEqual(blocking, [], describeViolations(blocking));
  });
}
