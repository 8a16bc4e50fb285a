// The trace explorer in a real browser: Debian's chromium, driven by playwright-core. A kernel
// counterexample is opened from its --html page on disk and in the live explorer; the tests step
// through it by keyboard, check the swimlane's columns and the highlighted changes, walk three
// enabled actions by hand, reload a shared address, and take the README's screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUi } from '../src/explorer/bundle.ts';
import { cli, ROOT, scratch } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
/** The suite's time cap: each test gets this long, each browser action a quarter of it (about 20 s in all on 2 cores). */
const CAP_MS = 40_000;
const SPEC = 'specs/kernel/pg-fscache.ts';
const TRACE = 'counterexamples/pg-fscache.V0-wait_F2.WokenBitClear.itf.json';
const LANES = ['reader rd', 'completion cw', 'truncate truncate1', 'newuser nu'];
/** `INTERLEAVE_SCREENSHOTS=1` also copies the screenshots into the repository, for the README. */
const SHOTS = join(ROOT, 'test', 'screenshots');

vi.setConfig({ testTimeout: CAP_MS });

let browser: Browser;
let dir: string;
const servers: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}, and it is missing: apt-get update && apt-get install -y chromium (.ci/run does this)`);
  }
  // The page as the sources are now, not as the last install bundled it.
  await buildUi();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  dir = scratch();
}, 180_000);

afterAll(async () => {
  for (const s of servers) if (s.exitCode === null) s.kill('SIGINT');
  await browser?.close();
});

async function open(url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme });
  page.setDefaultTimeout(CAP_MS / 4);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('table.swimlane tbody tr.step');
  expect(errors).toEqual([]);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  const file = join(dir, name);
  await page.screenshot({ path: file });
  if (process.env.INTERLEAVE_SCREENSHOTS === '1') {
    mkdirSync(SHOTS, { recursive: true });
    copyFileSync(file, join(SHOTS, name));
  }
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();
const heading = (page: Page) => page.locator('.state h2').innerText();

/** Starts `interleave explore` and resolves with the address it prints. */
function explore(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'interleave.js'), 'explore', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`explore exited (${code}) before serving: ${err}`)));
  });
}

/** Stops a server with Ctrl-C, as a user would, and gives its exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('the --html report, opened from disk', () => {
  it('steps through the pg-fscache race by keyboard, one column per actor, changes highlighted', async () => {
    const out = join(dir, 'pg-fscache.html');
    const r = cli(['trace', TRACE, '--html', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Wrote ${out}: the 18-state trace as one HTML page (open it in a browser; it needs no server).\n`);

    const page = await open(pathToFileURL(out).href);
    const requests: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    expect(await page.locator('h1').innerText()).toBe('pg-fscache [V0-wait/F2]');
    expect(await page.locator('.top .what').innerText()).toBe("invariant 'WokenBitClear' is violated");
    expect(await texts(page, 'table.swimlane thead th')).toEqual(['#', ...LANES]);
    expect(await page.locator('table.swimlane tbody tr.step').count()).toBe(18);
    await expect.poll(() => heading(page)).toBe('State 1 of 18');

    for (let i = 0; i < 5; i++) await page.keyboard.press('j');
    await expect.poll(() => heading(page)).toBe('State 6 of 18truncate truncate1');
    const row = page.locator('#step-5');
    expect(await row.getAttribute('aria-selected')).toBe('true');
    // The step sits in truncate1's column (the third lane, after the step number).
    const cells = row.locator('td');
    expect(await cells.nth(2).locator('.name').innerText()).toBe('folio_try_get');
    expect(await cells.nth(0).innerText()).toBe('');
    expect(await cells.nth(2).locator('.change').allInnerTexts()).toEqual(['ref: 1 → 2', 'truncateRef[truncate1]: false → true']);
    expect(await cells.nth(2).locator('.goto').innerText()).toBe('→ xas_reload');
    // The state beside it highlights the same changes, and the thread's own program counter.
    expect(await page.locator('.state .leaf.changed').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-path')))).toEqual([
      'ref',
      'truncateRef[truncate1]',
      'trPc[truncate1]',
    ]);
    expect(await page.locator('.state .leaf[data-path="ref"]').innerText()).toBe('ref = 2was 1');

    await page.keyboard.press('ArrowUp');
    await expect.poll(() => heading(page)).toBe('State 5 of 18truncate truncate1');
    await page.keyboard.press('End');
    await expect.poll(() => heading(page)).toBe('State 18 of 18newuser nu');
    expect(await page.locator('#step-17 .change').allInnerTexts()).toEqual(['wokenWithBitSet: false → true']);
    await page.keyboard.press('Home');
    await expect.poll(() => heading(page)).toBe('State 1 of 18');

    // The address keeps the step: reloading comes back to it.
    await page.keyboard.press('G');
    await page.keyboard.press('k');
    await page.waitForURL(/#s=17$/);
    await page.reload();
    await page.waitForSelector('table.swimlane tbody tr.step');
    await expect.poll(() => heading(page)).toBe('State 17 of 18completion cw');
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });

  it('hides and pins variables, and folds nested values', async () => {
    const out = join(dir, 'pg-fscache-layout.html');
    expect(cli(['trace', TRACE, '--html', out]).code).toBe(0);
    const page = await open(pathToFileURL(out).href);
    const vars = () => page.locator('.state li.var').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-var')));
    expect((await vars()).slice(0, 3)).toEqual(['ref', 'gen', 'frameFree']);
    await page.locator('li.var[data-var="gen"] button', { hasText: 'hide' }).click();
    await expect.poll(vars).not.toContain('gen');
    expect(await page.locator('.hidden-vars').innerText()).toBe('Hidden: gen');
    await page.locator('li.var[data-var="trPc"] button', { hasText: 'pin' }).click();
    await expect.poll(async () => (await vars())[0]).toBe('trPc');
    // A map folds to one line; a change inside a folded value is still shown.
    for (let i = 0; i < 4; i++) await page.keyboard.press('j');
    await expect.poll(() => heading(page)).toBe('State 5 of 18truncate truncate1');
    const trPc = page.locator('li.var[data-var="trPc"] > .node > button.fold');
    expect(await trPc.getAttribute('aria-expanded')).toBe('true');
    await trPc.click();
    await expect.poll(() => trPc.getAttribute('aria-expanded')).toBe('false');
    expect(await trPc.innerText()).toBe('▸ trPc 3 entries · 1 changed');
    expect(await page.locator('li.var[data-var="trPc"] .folded-changes').innerText()).toBe("[truncate1] = 'folio_try_get'");
    // Pins and hidden variables are remembered for the spec.
    await page.reload();
    await page.waitForSelector('table.swimlane tbody tr.step');
    expect((await vars())[0]).toBe('trPc');
    expect(await vars()).not.toContain('gen');
    await page.close();
  });

  it('marks the cycle of a lasso, and shows the trace expressions the trace carries', async () => {
    const lasso = join(dir, 'lasso.html');
    const doc = JSON.parse(readFileSync(join(ROOT, TRACE), 'utf8'));
    doc.loop = 13;
    doc.states.forEach((st: any, i: number) => (st['#meta'].expressions = { holders: st.ref, step: i + 1 }));
    const file = join(dir, 'lasso.itf.json');
    writeFileSync(file, JSON.stringify(doc));
    expect(cli(['trace', file, '--html', lasso]).code).toBe(0);
    const page = await open(pathToFileURL(lasso).href);
    expect(await page.locator('tr.in-cycle').count()).toBe(5);
    expect(await page.locator('tr.cycle-start th.num').innerText()).toBe('14↻');
    // The boundary is below the cycle's first state: the step into that state is not in the cycle.
    const border = (side: string) => page.locator('tr.cycle-start').evaluate((e, p) => getComputedStyle(e).getPropertyValue(`border-${p}-style`), side);
    expect([await border('top'), await border('bottom')]).toEqual(['solid', 'dashed']);
    expect(await page.locator('tr.cycle-back').innerText()).toBe('↻\tback to state 14: the cycle repeats forever');
    expect(await page.locator('.top .meta').innerText()).toContain('a lasso: the last state loops back to state 14');
    await page.keyboard.press('End');
    await expect.poll(() => texts(page, '.exprs .expr')).toEqual(['holders\n1', 'step\n18']);
    await page.close();
  });
});

describe('interleave explore', () => {
  it('walks three enabled actions by hand, and a shared address reopens the same state', async () => {
    const { url, child } = await explore([SPEC, '--variant', 'V0-wait/F2']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#p=0&s=1$/);
    const page = await open(url);
    expect(await page.locator('table.swimlane tbody tr.step').count()).toBe(1);
    const enabled = () => texts(page, '.actions ol.enabled .label');
    expect(await enabled()).toEqual([
      'reader.folio_set_private_2(self=rd)',
      'truncate.xas_load(self=truncate1)',
      'truncate.xas_load(self=truncate2)',
    ]);
    // A blocked action says which guard blocks it.
    await page.locator('details.blocked summary').click();
    expect(await page.locator('details.blocked li[data-action="completion.folio_clear_private_2(self=cw)"] .reason').innerText()).toMatch(/^waits for /);

    const walkTo = async (label: string, states: number) => {
      await page.locator(`.actions button.take[data-action="${label}"]`).click();
      await page.waitForFunction((n) => document.querySelectorAll('table.swimlane tbody tr.step').length === n, states);
      await page.waitForSelector(`.state h2:has-text("State ${states} of ${states}")`);
    };
    await walkTo('reader.folio_set_private_2(self=rd)', 2);
    await walkTo('completion.folio_clear_private_2(self=cw)', 3);
    // The third by keyboard: the number of the action in the list.
    await expect.poll(async () => (await enabled())[0]).toBe('reader.folio_unlock(self=rd)');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.querySelectorAll('table.swimlane tbody tr.step').length === 4);
    expect(await texts(page, 'table.swimlane thead th')).toEqual(['#', 'reader rd', 'completion cw']);
    expect(await page.locator('#step-2 td').nth(1).locator('.change').allInnerTexts()).toEqual(['bit: true → false']);
    await page.waitForURL(/#p=0\.\d+\.\d+\.\d+&s=4$/);
    const shared = page.url();

    const again = await open(shared);
    await again.waitForSelector('.state h2:has-text("State 4 of 4")');
    expect(await again.locator('table.swimlane tbody tr.step td .name').allInnerTexts()).toEqual([
      'initial state',
      'folio_set_private_2',
      'folio_clear_private_2',
      'folio_unlock',
    ]);
    // Back one step and take another action: the path forks there.
    await again.keyboard.press('Backspace');
    await again.waitForFunction(() => document.querySelectorAll('table.swimlane tbody tr.step').length === 3);
    await again.close();
    await page.close();
    expect(await stop(child)).toBe(0);
  });

  it('opens a saved kernel counterexample and takes the screenshots for the README', async () => {
    const { url, child } = await explore([SPEC, TRACE]);
    expect(url).toMatch(/#p=0(\.\d+){17}&s=18$/);
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open(url, scheme);
      await page.waitForSelector('.state h2:has-text("State 18 of 18")');
      expect(await page.locator('table.swimlane tbody tr.step').count()).toBe(18);
      expect(await page.locator('.state .violates').innerText()).toBe('violates WokenBitClear');
      for (let i = 0; i < 4; i++) await page.keyboard.press('k');
      await page.waitForSelector('.state h2:has-text("State 14 of 18")');
      await page.waitForSelector('.actions h2');
      await shot(page, `explorer-${scheme}.png`);
      await page.close();
    }
    expect(await stop(child)).toBe(0);
  });

  it('refuses a trace that does not follow from the spec, naming the state (exit 1)', () => {
    const doc = JSON.parse(readFileSync(join(ROOT, TRACE), 'utf8'));
    doc.states[3].ref = 3;
    const file = join(dir, 'bad.itf.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = cli(['explore', SPEC, file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `interleave: ${file}: state 4 (completion.folio_clear_private_2(self=cw)) does not follow from state 3 in pg-fscache [V0-wait/F2]; \`interleave trace --replay\` says why\n`,
    );
  });
});
