#!/usr/bin/env node
/**
 * search.mjs — the site's search, used as a reader would, in headless Chromium.
 *
 * Usage: node search.mjs <SITE_DIR> [--base /archive/]
 *
 * Serves the built site under the base path (as GitHub Pages serves a project site), opens
 * <base>search/, and searches as a reader types:
 *   - "missing" finds the report's section on children looked after who go missing
 *     (#cla-missing-narrative) and the two items of the minutes that discuss missing children
 *     (2022-11-17 #item-7, the undated CSC performance item #csc-performance);
 *   - "Janet Simon" finds the action she owns (#action-uasc-transfers);
 *   - "asylum" finds the glossary's entry for UASC (glossary/#uasc);
 * each result's link stays under the base path and, followed, lands on an element of that id
 * whose text has what was searched for. Without JavaScript the page says search needs it
 * and links to the lists of reports, minutes and indicators.
 *
 * The last line printed is `search: N passed, M failed`; the exit code is 1 when anything
 * failed.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const SITE = path.resolve(args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--base') ?? '');
const baseArg = args.includes('--base') ? args[args.indexOf('--base') + 1] : '/';
const BASE = `/${baseArg.split('/').filter(Boolean).join('/')}/`.replace(/^\/\/$/, '/');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.pagefind': 'application/octet-stream', '.ico': 'image/x-icon' };

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const pathname = decodeURIComponent(url.pathname);
  if (!pathname.startsWith(BASE)) { res.writeHead(404).end(); return; }
  let file = path.join(SITE, pathname.slice(BASE.length));
  if (!file.startsWith(SITE)) { res.writeHead(404).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

/** Searches for `query` on the search page; gives the status line and every result link. */
async function search(page, query) {
  await page.goto(`${origin}${BASE}search/`);
  await page.getByLabel('Search reports, minutes, actions and indicators').fill(query);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => /result/.test(document.getElementById('search-status').textContent));
  const status = await page.locator('#search-status').textContent();
  const links = await page.$$eval('#search-results a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
  return { status, links };
}

/** Follows `href`; whether the element its fragment names is there and its text has `words`. */
async function landsOn(page, href, words) {
  await page.goto(`${origin}${href}`);
  const id = decodeURIComponent(new URL(href, origin).hash.slice(1));
  const text = await page.evaluate((id) => document.getElementById(id)?.textContent ?? null, id);
  return text !== null && text.toLowerCase().includes(words.toLowerCase());
}

try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  const missing = await search(page, 'missing');
  check(/^\d+ results? for “missing”/.test(missing.status), `"missing": the count is announced (${missing.status})`);
  check(missing.links.every((l) => l.href.startsWith(BASE)), `"missing": every result link is under ${BASE}`);
  const section = missing.links.find((l) => l.href === `${BASE}reports/2022-23/q2/#cla-missing-narrative`);
  check(section && /CLA who go missing/.test(section.text), '"missing": finds the report section "4.4 CLA who go missing" at its heading');
  const items = missing.links.filter((l) => l.href.startsWith(`${BASE}minutes/`) && l.href.includes('#'));
  // The two items of the minutes that discuss children missing from care.
  for (const expected of ['minutes/children-osc/2022-11-17/#item-7', 'minutes/children-osc/undated-csc-performance/#csc-performance']) {
    check(items.some((l) => l.href === `${BASE}${expected}`), `"missing": finds the minutes item ${expected} (found ${items.map((l) => l.href).join(', ')})`);
  }
  if (section) check(await landsOn(page, section.href, 'missing'), `"missing": ${section.href} lands on the section`);
  // Pagefind matches the word's stem ("missed" too): each item found lands on a place that has it.
  for (const item of items) check(await landsOn(page, item.href, 'miss'), `"missing": ${item.href} lands on a place with the word`);

  const janet = await search(page, 'Janet Simon');
  const action = janet.links.find((l) => l.href === `${BASE}minutes/children-osc/undated-portfolio-holder-report/#action-uasc-transfers`);
  check(Boolean(action), `"Janet Simon": finds the action she owns (${janet.links.map((l) => l.href).join(', ')})`);
  if (action) check(await landsOn(page, action.href, 'Janet Simon'), `"Janet Simon": ${action.href} lands on the action`);

  const asylum = await search(page, 'asylum');
  const entry = asylum.links.find((l) => l.href === `${BASE}glossary/#uasc`);
  check(Boolean(entry), `"asylum": finds the glossary's entry for UASC (${asylum.links.map((l) => l.href).join(', ')})`);
  if (entry) check(await landsOn(page, entry.href, 'UASC'), `"asylum": ${entry.href} lands on the entry`);

  await page.goto(`${origin}${BASE}search/?q=adoption`);
  await page.waitForFunction(() => /result/.test(document.getElementById('search-status').textContent));
  check((await page.locator('#search-results li').count()) > 0, 'a search given in the address (?q=adoption) is run on load');
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${origin}${BASE}search/`);
  check(await plain.getByText('Search needs JavaScript').isVisible(), 'without JavaScript: the page says search needs it');
  check(!(await plain.locator('#search-form').isVisible()), 'without JavaScript: no search form that cannot work');
  const lists = await plain.$$eval('#search-needs-script a', (as) => as.map((a) => a.getAttribute('href')));
  check(['reports/', 'minutes/', 'indicators/'].every((p) => lists.includes(`${BASE}${p}`)), `without JavaScript: links to the lists (${lists.join(', ')})`);
} catch (error) {
  check(false, `the search could not be run: ${error}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`search: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
