// The golden path of tests/e2e/forms.rs, in a real browser: Debian's headless Chromium driven by playwright-core,
// on a phone-sized and a desktop viewport, each step done by the role that does it in real life.
//
// Committee staff create the decision and the mission, add the team and the supervised units and notify them;
// the team leader (assigned to the mission) records the working sessions with a photo, starts the fieldwork,
// records the findings and a recommendation and ends the fieldwork; staff conclude. axe-core checks the main
// pages; console errors, uncaught page errors, CSP violations and error responses fail the test.
//
// Started by run.sh, which passes: GIAMSAT_BROWSER_BASE_URL, GIAMSAT_BROWSER_ACCOUNTS ("EMAIL PASSWORD" lines,
// the demo accounts), GIAMSAT_BROWSER_ARTEFACTS (screenshots, axe results).

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
const STAFF = account('staff@demo.giamsat');
const LEADER = account('team-leader@demo.giamsat');
const WRITER = account('writer@demo.giamsat');

/** axe-core's own build, from node_modules, evaluated in the page (never fetched from anywhere). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** Impacts that fail the test; the others are written to the artefacts and shown as diagnostics. */
const BLOCKING = new Set(['serious', 'critical']);

const VIEWPORTS = [
  {
    name: 'phone',
    options: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    mission: { decision: '45/QĐ-HĐND', team: 'Đoàn giám sát số 2', ordinal: '2' },
  },
  {
    name: 'desktop',
    options: { viewport: { width: 1280, height: 800 } },
    mission: { decision: '46/QĐ-HĐND', team: 'Đoàn giám sát số 3', ordinal: '3' },
  },
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

async function transition(page, to, label) {
  const button = page.locator(`form:has(input[name="to"][value="${to}"]) button[type="submit"]`);
  assert.equal((await button.innerText()).trim(), label);
  await submit(page, button);
}

async function stateOf(page) {
  return (await page.locator('.facts .state').innerText()).trim();
}

/** A real JPEG (320×240), drawn and encoded by the browser itself. */
async function makeJpeg(context) {
  const page = await context.newPage();
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 240);
    sky.addColorStop(0, '#8fc1e8');
    sky.addColorStop(1, '#f4f1e8');
    g.fillStyle = sky;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#9b1c1c';
    g.fillRect(40, 110, 240, 90);
    g.fillStyle = '#ffffff';
    g.font = 'bold 22px sans-serif';
    g.fillText('UBND phường', 90, 160);
    return canvas.toDataURL('image/jpeg', 0.85);
  });
  await page.close();
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  return bytes;
}

test('the checks themselves work: axe-core runs under the page\'s CSP, and a CSP violation is caught', async () => {
  const viewport = { name: 'selftest', options: { viewport: { width: 1280, height: 800 } } };
  const visitor = await person('visitor', viewport);
  try {
    await visitor.page.goto(`${BASE}/login`);
    noProblems(visitor);
    await visitor.page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'unlabelled';
      document.querySelector('main').append(input);
    });
    const blocking = await axe(visitor.page, viewport, 'unlabelled-input', []);
    assert.ok(blocking.some((v) => v.id === 'label' && v.nodes.some((n) => n.target === '#unlabelled')), 'axe reports the unlabelled input');
    await visitor.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline"';
      document.head.append(script);
    });
    await visitor.page.waitForTimeout(200);
    assert.notEqual(await visitor.page.title(), 'inline', 'the CSP blocks inline script');
    const seen = visitor.problems.splice(0);
    assert.ok(seen.some((p) => /Content Security Policy|CSP violation/.test(p)), `the violation is reported: ${seen}`);
  } finally {
    await visitor.context.close();
  }
});

for (const viewport of VIEWPORTS) {
  const { width, height } = viewport.options.viewport;
  test(`golden path on ${viewport.name} (${width}×${height}): staff create, the leader records, staff conclude`, { timeout: 300_000 }, async (t) => {
    const axeFindings = [];
    const blocking = [];
    const check = async (page, name) => {
      blocking.push(...(await axe(page, viewport, name, axeFindings)).map((v) => ({ ...v, page: name, viewport: viewport.name })));
      await fits(page, name);
    };
    const staff = await person('staff', viewport);
    const leader = await person('team leader', viewport);
    const writer = await person('writer', viewport);
    const reader = await person('reader', viewport);
    const m = viewport.mission;
    let step = 'start';
    const phase = (name) => {
      step = name;
      t.diagnostic(`${viewport.name}: ${name}`);
    };
    try {
      // --- Committee staff -------------------------------------------------------------------------------------
      phase('staff sign in');
      await staff.page.goto(`${BASE}/login`);
      await check(staff.page, 'login');
      await shoot(staff.page, viewport, '01-login');
      await login(staff, STAFF);
      await check(staff.page, 'dashboard');
      await shoot(staff.page, viewport, '02-dashboard');
      noProblems(staff);

      phase('staff create the decision and the mission');
      const s = staff.page;
      await follow(s, s.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Cuộc giám sát' }));
      assert.equal(await heading(s), 'Cuộc giám sát');
      await check(s, 'missions');
      await shoot(s, viewport, '03-missions');
      await follow(s, s.getByRole('link', { name: 'Tạo cuộc giám sát' }));
      assert.equal(pathOf(s), '/missions/new');
      await check(s, 'mission-form');
      await s.getByLabel('Hệ thống giám sát').selectOption('council');
      await s.getByLabel('Hình thức').selectOption('thematic');
      await s.getByLabel('Số, ký hiệu').fill(m.decision);
      await s.getByLabel('Ngày ban hành').fill('2023-09-07');
      await s.getByLabel('Cơ quan ban hành').fill('Thường trực HĐND quận');
      await s.getByLabel('Trích yếu').fill('thành lập Đoàn giám sát việc giải quyết kiến nghị cử tri');
      await s.getByLabel('Chủ thể giám sát').fill('Thường trực HĐND quận');
      await s.getByLabel('Tên đoàn').fill(m.team);
      await s.getByLabel('Số thứ tự của đoàn').fill(m.ordinal);
      await s.getByLabel('Nội dung giám sát').fill('việc giải quyết kiến nghị cử tri');
      await s.getByRole('group', { name: 'Thời gian giám sát' }).getByLabel('Từ ngày').fill('2023-10-02');
      await s.getByRole('group', { name: 'Thời gian giám sát' }).getByLabel('Đến ngày').fill('2023-10-06');
      await shoot(s, viewport, '04-mission-form');
      await submit(s, s.getByRole('button', { name: 'Lưu' }));
      const id = pathOf(s).match(/^\/missions\/(\d+)$/)?.[1];
      assert.ok(id, `a new mission page, not ${pathOf(s)}`);
      const missionUrl = `${BASE}/missions/${id}`;
      assert.equal(await stateOf(s), 'Đã có quyết định', 'a decision with number and date');
      noProblems(staff);

      phase('staff add the team in protocol order');
      await follow(s, s.getByRole('link', { name: 'Sửa thành phần đoàn' }));
      assert.equal(await heading(s), 'Thành phần đoàn');
      const add = async (role, name, position, description = '') => {
        const group = s.getByRole('group', { name: 'Thêm thành viên' });
        await group.getByLabel('Vai trò').selectOption(role);
        await group.getByLabel('Họ tên').fill(name);
        await group.getByLabel('Chức vụ').fill(position);
        await group.getByLabel('Mô tả nhóm').fill(description);
        await submit(s, group.getByRole('button', { name: 'Thêm vào danh sách' }));
        assert.equal(pathOf(s), `/missions/${id}/members`);
      };
      await add('deputy_leader', 'Lê Văn Bình', 'Phó Trưởng ban Pháp chế HĐND quận');
      await add('leader', 'Trần Thị Hà', 'Phó Chủ tịch HĐND quận');
      await add('member', '', '', 'đại diện các ban HĐND quận');
      // The leader was added second; the decision names the leader first.
      await submit(s, s.getByRole('group', { name: '2.' }).getByRole('button', { name: 'Lên' }));
      assert.equal(await s.locator('#name-0').inputValue(), 'Trần Thị Hà', 'moved up');
      await check(s, 'members-form');
      await shoot(s, viewport, '05-members-form');
      await submit(s, s.getByRole('button', { name: 'Lưu thành phần đoàn' }));
      assert.equal(pathOf(s), `/missions/${id}`);
      const members = (await s.locator('ol.members li').allInnerTexts()).map((text) => text.trim());
      assert.deepEqual(members.map((text) => text.split(':')[1]?.trim().split(' – ')[0]), ['Trần Thị Hà', 'Lê Văn Bình', 'đại diện các ban HĐND quận']);
      noProblems(staff);

      phase('staff add the supervised units');
      for (const name of ['Phúc Tân', 'Hàng Mã']) {
        await follow(s, s.getByRole('link', { name: 'Thêm đơn vị' }));
        await s.getByLabel('Loại đơn vị').selectOption('ward');
        await s.getByLabel('Tên').fill(name);
        await submit(s, s.getByRole('button', { name: 'Lưu' }));
        assert.equal(pathOf(s), `/missions/${id}`);
      }
      assert.equal(await s.locator('ul.targets > li').count(), 2);
      noProblems(staff);

      phase('staff notify the units');
      await transition(s, 'notified', 'Đã thông báo cho đơn vị');
      assert.equal(await stateOf(s), 'Đã thông báo');
      noProblems(staff);

      phase('staff assign the demo team leader to the mission as its leader');
      const account = s.locator('#assign-user option', { hasText: LEADER.email });
      await s.locator('#assign-user').selectOption(await account.getAttribute('value'));
      await s.locator('#assign-capacity').selectOption('leader');
      await submit(s, s.getByRole('button', { name: 'Phân công' }));
      assert.equal(pathOf(s), `/missions/${id}`);
      assert.ok((await s.locator('section[aria-labelledby="accounts"]').textContent()).includes(LEADER.email));
      noProblems(staff);

      // --- The team leader -------------------------------------------------------------------------------------
      phase('the leader signs in and opens the mission');
      const l = leader.page;
      await login(leader, LEADER);
      await follow(l, l.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Cuộc giám sát' }));
      await follow(l, l.getByRole('link', { name: new RegExp(m.team) }));
      assert.equal(pathOf(l), `/missions/${id}`);
      assert.equal(await l.getByRole('link', { name: 'Sửa thành phần đoàn' }).count(), 0, 'the team is the committee\'s to edit');
      noProblems(leader);

      phase('the leader records the working sessions, one with a photo');
      const jpeg = await makeJpeg(leader.context);
      for (const [target, date, photo] of [['0', '2023-10-02', true], ['1', '2023-10-04', false]]) {
        await follow(l, l.getByRole('link', { name: 'Ghi buổi làm việc' }));
        assert.equal(await heading(l), 'Thêm buổi làm việc');
        await l.getByLabel('Đơn vị').selectOption(target);
        await l.getByLabel('Ngày làm việc').fill(date);
        await l.getByLabel('Hình thức').selectOption('direct');
        await l.getByLabel('Biên bản, ghi chép').fill('Làm việc với UBND phường về việc trả lời kiến nghị cử tri');
        if (photo) {
          await l.getByLabel('Thêm ảnh').setInputFiles({ name: 'IMG_0001.JPG', mimeType: 'image/jpeg', buffer: jpeg });
          await l.getByLabel('Chú thích ảnh mới').fill('Đoàn làm việc tại phường Phúc Tân');
          await check(l, 'session-form');
          await shoot(l, viewport, '06-session-form');
        }
        await submit(l, l.getByRole('button', { name: 'Lưu' }));
        assert.equal(pathOf(l), `/missions/${id}`);
      }
      const photo = l.locator('ul.targets figure img').first();
      await photo.scrollIntoViewIfNeeded();
      assert.equal(await photo.getAttribute('alt'), 'Đoàn làm việc tại phường Phúc Tân');
      assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth === 320), 'the photo is served and decodes');
      await fits(l, 'mission-with-photo');
      noProblems(leader);

      phase('the leader starts the fieldwork');
      await transition(l, 'in_progress', 'Bắt đầu giám sát');
      assert.equal(await stateOf(l), 'Đang giám sát');

      phase('the leader records the findings');
      const finding = async (kind, text, targets = []) => {
        await follow(l, l.getByRole('link', { name: 'Thêm kết quả' }));
        await l.getByLabel('Loại').selectOption(kind);
        for (const target of targets) await l.locator(`input[name="targets"][value="${target}"]`).check();
        await l.getByLabel('Nội dung').fill(text);
        await submit(l, l.getByRole('button', { name: 'Lưu' }));
        assert.equal(pathOf(l), `/missions/${id}`);
      };
      await finding('strength', 'UBND các phường đã trả lời đầy đủ kiến nghị cử tri');
      await finding('shortcoming', 'một số kiến nghị trả lời chậm', ['1']);
      await l.locator('input[name="none"][value="cause"]').check();
      await submit(l, l.getByRole('button', { name: 'Lưu ghi nhận' }));
      assert.equal(pathOf(l), `/missions/${id}`);
      await l.getByText('Một số kiến nghị trả lời chậm (Hàng Mã)').waitFor();
      await l.getByText('Ghi nhận: không có.').waitFor();
      noProblems(leader);

      phase('the leader records a recommendation');
      await follow(l, l.getByRole('link', { name: 'Thêm kiến nghị, đề nghị' }));
      await l.getByLabel('Đề nghị, kết luận của bên giám sát (gửi xuống)').check();
      await l.getByLabel('Bên đề nghị').fill('Thường trực HĐND quận');
      await l.getByLabel('Nơi nhận').fill('UBND phường Hàng Mã\nUBND quận');
      await l.getByLabel('Nội dung', { exact: true }).fill('trả lời kiến nghị cử tri đúng hạn');
      await l.getByLabel('Hạn thực hiện').fill('2023-12-31');
      await check(l, 'recommendation-form');
      await submit(l, l.getByRole('button', { name: 'Lưu' }));
      assert.equal(pathOf(l), `/missions/${id}`);
      noProblems(leader);

      phase('the leader ends the fieldwork; concluding is the committee\'s act');
      await transition(l, 'drafting', 'Kết thúc làm việc, dự thảo báo cáo');
      assert.equal(await stateOf(l), 'Đang dự thảo báo cáo');
      assert.equal(await l.locator('form:has(input[name="to"][value="concluded"])').count(), 0, 'no conclude button for the leader');
      await l.getByText('chờ người có thẩm quyền thực hiện').first().waitFor();
      await shoot(l, viewport, '07-mission-drafting-leader');
      noProblems(leader);

      // --- Committee staff again -------------------------------------------------------------------------------
      phase('staff conclude');
      await s.goto(missionUrl);
      await transition(s, 'concluded', 'Ban hành kết luận');
      assert.equal(await stateOf(s), 'Đã kết luận');
      await s.locator('ul.targets figure img').first().scrollIntoViewIfNeeded();
      await check(s, 'mission');
      await shoot(s, viewport, '08-mission-concluded');
      noProblems(staff);

      phase('staff find the mission by search, without diacritics');
      await follow(s, s.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tìm kiếm' }));
      await s.getByLabel('Từ khóa').fill('tra loi cham');
      await submit(s, s.getByRole('button', { name: 'Tìm' }));
      assert.match(pathOf(s), /^\/search\?q=/);
      const found = await s.locator('ol.results a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(found.some((href) => new RegExp(`^/missions/${id}(#|$)`).test(href)), `the new mission's finding is found: ${found}`);
      await s.locator('ol.results mark').first().waitFor();
      await check(s, 'search');
      await shoot(s, viewport, '09-search');
      noProblems(staff);

      // --- The report writer, the leader's approval, the portal ----------------------------------------------------
      phase('the writer drafts the news article from the data and asks for approval');
      const w = writer.page;
      await w.goto(`${BASE}/login`);
      await login(writer, WRITER);
      await w.goto(missionUrl);
      await follow(w, w.getByRole('link', { name: 'Bài viết tin tức' }));
      assert.equal(pathOf(w), `/missions/${id}/report`);
      await submit(w, w.getByRole('button', { name: 'Soạn lại từ dữ liệu' }));
      await w.getByRole('heading', { name: 'Thay đổi từ dữ liệu' }).waitFor();
      const title = `${m.team} giám sát việc trả lời kiến nghị cử tri`;
      await w.getByLabel('Tiêu đề').fill(title);
      await submit(w, w.getByRole('button', { name: 'Lưu bản nháp' }));
      assert.equal(await w.getByLabel('Tiêu đề').inputValue(), title);
      await check(w, 'report-draft');
      await shoot(w, viewport, '10-report-draft');
      await follow(w, w.getByRole('link', { name: 'Số, ngày, người ký, nơi nhận, lề' }));
      assert.equal(pathOf(w), `/missions/${id}/formal/settings`);
      // A People's Council report: a Party number is refused next to its field, the input kept.
      await w.getByLabel('Số, ký hiệu').fill('12-BC/QU');
      await submit(w, w.getByRole('button', { name: 'Lưu thiết lập' }));
      await w.getByText('ghi số theo mẫu 15/BC-HĐND').waitFor();
      assert.equal(await w.getByLabel('Số, ký hiệu').inputValue(), '12-BC/QU');
      await check(w, 'formal-settings-refused');
      const refusal = writer.problems.splice(0);
      assert.ok(refusal.length > 0 && refusal.every((p) => /formal\/settings.*422|422.*formal\/settings/.test(p)), `only the refusal's 422: ${refusal}`);
      await w.getByLabel('Số, ký hiệu').fill('15/BC-HĐND');
      await submit(w, w.getByRole('button', { name: 'Lưu thiết lập' }));
      await w.getByText('Đã lưu.').waitFor();
      assert.equal(await w.getByLabel('Số, ký hiệu').inputValue(), '15/BC-HĐND');
      await check(w, 'formal-settings');
      await follow(w, w.getByRole('link', { name: 'Bài viết và báo cáo' }));
      await submit(w, w.getByRole('button', { name: 'Gửi duyệt' }));
      assert.equal((await w.locator('strong.state').innerText()).trim(), 'Chờ duyệt');
      noProblems(writer);

      phase('the mission\'s leader approves it');
      await l.goto(`${BASE}/missions/${id}/report`);
      await check(l, 'report-approval');
      await submit(l, l.getByRole('button', { name: 'Duyệt', exact: true }));
      assert.equal((await l.locator('strong.state').innerText()).trim(), 'Đã duyệt, chờ đăng');
      noProblems(leader);

      phase('the writer publishes it; a reader finds it on the portal');
      await w.reload();
      await submit(w, w.getByRole('button', { name: 'Đăng lên cổng thông tin' }));
      assert.equal((await w.locator('strong.state').innerText()).trim(), 'Đã đăng');
      await follow(w, w.getByRole('link', { name: 'Xem trên cổng thông tin' }));
      const articleUrl = w.url();
      assert.match(new URL(articleUrl).pathname, /^\/tin-tuc\/[a-z0-9-]+$/, 'a slug without diacritics');
      noProblems(writer);
      const r = reader.page;
      await r.goto(`${BASE}/tin-tuc`);
      await follow(r, r.getByRole('link', { name: title }));
      assert.equal(r.url(), articleUrl);
      assert.equal(await heading(r), title);
      assert.match(await r.locator('p.meta').innerText(), /^\d{2}\/\d{2}\/\d{4} \| \d{2}:\d{2} \| Lượt xem: \d+$/);
      await check(r, 'portal-article');
      await shoot(r, viewport, '11-portal-article');
      noProblems(reader);

      phase('staff sign out');
      await submit(s, s.getByRole('button', { name: 'Đăng xuất' }));
      assert.match(pathOf(s), /^\/login/);
      await s.goto(missionUrl);
      assert.match(pathOf(s), /^\/login/, 'the session is gone');
      noProblems(staff, leader);
    } catch (error) {
      for (const who of [staff, leader, writer, reader]) {
        await who.page.screenshot({ path: path.join(ARTEFACTS, `${viewport.name}-FAILED-${who.label.replace(/ /g, '-')}.png`), fullPage: true }).catch(() => {});
      }
      error.message = `${viewport.name}, step «${step}»: ${error.message}`;
      throw error;
    } finally {
      await staff.context.close();
      await leader.context.close();
      await writer.context.close();
      await reader.context.close();
      const others = axeFindings.flatMap((f) => f.violations.filter((v) => !BLOCKING.has(v.impact)).map((v) => ({ ...v, page: f.page, viewport: f.viewport })));
      const pages = axeFindings.map((f) => `${f.page} (${f.passes.length} rules passed, ${f.violations.length} violated)`).join(', ');
      t.diagnostic(`axe on ${viewport.name}: ${pages}`);
      if (others.length) t.diagnostic(`axe, moderate and minor (not failing):\n${describeViolations(others)}`);
    }
    assert.deepEqual(blocking.map((v) => `${v.page}: ${v.impact} ${v.id}`), [], `axe-core found serious or critical violations:\n${describeViolations(blocking)}`);
  });
}
