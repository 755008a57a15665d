#!/usr/bin/env node
/**
 * check-site.mjs — browser-based quality checks for a *built* scrutiny site.
 *
 * Usage: node check-site.mjs <SITE_DIR> [--base /archive/]
 *
 * The site is served from a throwaway HTTP server on 127.0.0.1, mounted under
 * the base path exactly as GitHub Pages serves a project site (directory
 * index.html, slash redirects, 404.html with status 404), so that links which
 * only work when the site sits at `/` are caught.
 *
 * Checks, one result per page per category:
 *   axe       axe-core WCAG 2.x A/AA rules in headless Chromium (any violation fails)
 *   console   console errors, page errors and failed same-origin requests while loading
 *   reflow    at a 320 CSS px viewport (400% zoom of 1280px, WCAG 1.4.10) the page
 *             must not scroll horizontally
 *   links     every same-origin URL (a, link, img, script, source, form, a refresh, ...) stays
 *             under the base path, resolves to a file, and any #fragment names an
 *             element id on the target page
 *   script    no script but the theme's (and the plugins' templates') runs or is present: a call of alert, confirm,
 *             prompt or print, or `window.__hostile` set, while the page loads and its
 *             elements are focused and hovered; an `on*` attribute; a `<script>` the
 *             theme's templates do not write; a javascript:, vbscript: or data:text/html
 *             address
 *   keyboard  on a sample of each kind of page (the first KEYBOARD_SAMPLE pages of each first
 *             path segment and depth), with the keyboard alone: the first Tab reaches the
 *             skip link, shown on screen; Tab reaches every visible link, button, field,
 *             summary and scrollable region in turn, with no trap; each wears a visible
 *             focus indicator (an outline or a box shadow) when it has focus
 *   vnu       Nu HTML Checker (errors only), run once over all files
 *
 * The last line printed is always `browser: N passed, M failed`; the exit code is 1
 * when anything failed (or the run could not start), else 0.
 *
 * Environment: CHROMIUM_PATH overrides /usr/bin/chromium; JAVA overrides `java`;
 * VERBOSE=1 also lists passing checks and the time taken per page.
 *
 * Cross-origin requests made by a page are blocked (the network is closed) and
 * only noted; cross-origin links are counted, never fetched.
 */
import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import vnuJar from 'vnu-jar';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = String(vnuJar); // the package exports the jar path as a String object

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const DESKTOP = { width: 1280, height: 800 };
const REFLOW = { width: 320, height: 640 }; // 1280px at 400% zoom
const NAV_TIMEOUT_MS = 30_000;
const QUIET_MS = 150; // no request in flight for this long = page settled
const SETTLE_MAX_MS = 3000;
const MAX_SNIPPET = 160;
const KEYBOARD_SAMPLE = 2; // pages of each kind checked with the keyboard
const KEYBOARD_MAX_TABS = 600; // a page with more tab stops is checked up to this many
const KEYBOARD_TIMEOUT_MS = 60_000; // a page's keyboard check that takes longer fails

// The `<script …>` tags the theme's templates write, and the plugins' own templates (which a
// theme may replace: the search page's), as written for the base path under test (a tag's
// `{{ base }}` is the base path): the only scripts a page may hold. Content cannot add one:
// a tag must be exactly a template's.
const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEMPLATE_DIRS = [path.join(REPO_DIR, 'themes'),
  ...fs.readdirSync(path.join(REPO_DIR, 'crates')).map((c) => path.join(REPO_DIR, 'crates', c, 'templates'))];
const TEMPLATE_SCRIPTS = (() => {
  const tags = new Set();
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else for (const m of fs.readFileSync(full, 'utf8').matchAll(/<script\b[^>]*>/gi)) tags.add(m[0]);
    }
  };
  TEMPLATE_DIRS.forEach(walk);
  return [...tags];
})();
const themeScripts = (base) => TEMPLATE_SCRIPTS.map((tag) => tag.replace(/\{\{\s*base\s*\}\}/g, base));

/** Runs in the page before any of its own script: records what script from content would do. */
function installScriptProbe() {
  window.__scriptProbe = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { window.__scriptProbe.push(`${name}(${args.map(String).join(', ')})`); };
  }
}

/** Runs in the page once loaded: focuses and hovers every element, then reports what ran and
 * every handler attribute, foreign script and code-running address in the DOM. */
async function collectScriptProblems(themeScripts) {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    if (typeof el.focus === 'function') el.focus({ preventScroll: true });
  }
  // Leave the page at rest for the checks after this one: a link left focused wears the theme's
  // focus style (no underline, the text's colour), which axe would take for a link told apart
  // from its sentence by nothing (link-in-text-block).
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  await new Promise((r) => setTimeout(r, 50));
  for (const call of window.__scriptProbe || []) found.push(`script from content ran: ${call}`);
  if (window.__hostile !== undefined) found.push(`script from content ran: window.__hostile = ${window.__hostile}`);
  const runsCode = (v) => /^(javascript|vbscript):|^data:(text\/html|image\/svg)/i.test(v.replace(/[\s\u0000-\u001f]/g, ''));
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`<${el.localName} ${attr.name}="${attr.value.slice(0, 80)}">`);
      if (/^(href|src|action|formaction|poster|data|xlink:href|srcdoc)$/i.test(attr.name)
        && (attr.name === 'srcdoc' || runsCode(attr.value))) {
        found.push(`<${el.localName} ${attr.name}="${attr.value.slice(0, 80)}">`);
      }
    }
  }
  for (const script of document.querySelectorAll('script')) {
    if (script.hasAttribute('data-check-site')) continue;
    const tag = script.outerHTML.match(/^<script\b[^>]*>/i)[0];
    if (!themeScripts.includes(tag)) found.push(`a <script> the theme does not write: ${tag.slice(0, 120)}`);
  }
  return found;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.zip': 'application/zip',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

// ---------------------------------------------------------------------------
// Arguments

function usage(msg) {
  if (msg) console.error(`error: ${msg}`);
  console.error('usage: node check-site.mjs <SITE_DIR> [--base /archive/]');
  if (msg) console.log('browser: 0 passed, 1 failed');
  process.exit(msg ? 1 : 0);
}

function parseArgs(argv) {
  let siteDir = null;
  let base = '/';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--base') base = argv[++i] ?? usage('--base needs a value');
    else if (a.startsWith('--base=')) base = a.slice('--base='.length);
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (siteDir === null) siteDir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!siteDir) usage('SITE_DIR is required');
  // Normalise the base path to "/x/y/" form.
  base = '/' + base.split('/').filter(Boolean).join('/') + '/';
  base = base.replace(/\/+$/, '/');
  siteDir = path.resolve(siteDir);
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) {
    usage(`${siteDir} is not a directory`);
  }
  return { siteDir, base };
}

const { siteDir: SITE, base: BASE } = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------
// URL path -> file resolution, shared by the HTTP server and the link checker
// so that "the link works" means exactly "the server would serve it".

/**
 * Resolve a URL pathname (still percent-encoded) against the mounted site.
 * Returns {kind: 'file', file} | {kind: 'redirect', location} |
 *         {kind: 'missing', reason}.
 */
function resolveUrlPath(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'missing', reason: 'malformed percent-encoding' };
  }
  if (decoded + '/' === BASE) return { kind: 'redirect', location: BASE };
  if (!decoded.startsWith(BASE)) return { kind: 'missing', reason: `outside base path ${BASE}` };
  const rel = decoded.slice(BASE.length);
  const file = path.join(SITE, rel);
  if (file !== SITE && !file.startsWith(SITE + path.sep)) {
    return { kind: 'missing', reason: 'escapes the site directory' };
  }
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    return { kind: 'missing', reason: 'no such file' };
  }
  if (st.isDirectory()) {
    if (!decoded.endsWith('/')) return { kind: 'redirect', location: pathname + '/' };
    const index = path.join(file, 'index.html');
    return fs.existsSync(index)
      ? { kind: 'file', file: index }
      : { kind: 'missing', reason: 'directory without index.html' };
  }
  if (decoded.endsWith('/')) return { kind: 'missing', reason: 'file requested as a directory' };
  return { kind: 'file', file };
}

function startServer() {
  const notFoundPage = path.join(SITE, '404.html');
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'method not allowed\n');
    }
    const url = new URL(req.url, 'http://localhost');
    const r = resolveUrlPath(url.pathname);
    if (r.kind === 'redirect') {
      return send(301, { location: r.location + url.search, 'content-type': 'text/plain' }, 'moved\n');
    }
    if (r.kind === 'file') {
      const type = CONTENT_TYPES[path.extname(r.file).toLowerCase()] || 'application/octet-stream';
      return send(200, { 'content-type': type, 'cache-control': 'no-store' }, fs.readFileSync(r.file));
    }
    if (fs.existsSync(notFoundPage)) {
      return send(404, { 'content-type': CONTENT_TYPES['.html'] }, fs.readFileSync(notFoundPage));
    }
    return send(404, { 'content-type': 'text/plain' }, 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------
// Helpers

async function findHtmlFiles(dir) {
  const out = [];
  for (const ent of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await findHtmlFiles(p)));
    else if (ent.isFile() && ent.name.endsWith('.html')) out.push(p);
  }
  return out;
}

const toPosix = (p) => p.split(path.sep).join('/');
const short = (s, n = MAX_SNIPPET) => {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
};

/** URL path at which a page is loaded: index.html as its directory, others as-is. */
function pageUrlPath(relPosix) {
  const encoded = relPosix.split('/').map(encodeURIComponent).join('/');
  if (relPosix === 'index.html') return BASE;
  if (relPosix.endsWith('/index.html')) return BASE + encoded.slice(0, -'index.html'.length);
  return BASE + encoded;
}

/** Collected results: one entry per (page, category). */
const results = [];
function record(category, page, failures, note = '') {
  results.push({ category, page, failures, note });
}

// ---------------------------------------------------------------------------
// Nu HTML Checker, run once in the background while the browser pass runs.

function runVnu(files) {
  const java = process.env.JAVA || 'java';
  const chunks = [];
  for (let i = 0; i < files.length; i += 400) chunks.push(files.slice(i, i + 400));
  const runChunk = (chunk) =>
    new Promise((resolve) => {
      const child = spawn(java, ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--errors-only', ...chunk], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', (e) => resolve({ fatal: `could not run ${java}: ${e.message}` }));
      child.on('close', (code) => {
        // vnu prints one JSON document ({"messages": [...]}) on stderr.
        const start = out.indexOf('{');
        try {
          resolve({ messages: JSON.parse(out.slice(start)).messages || [] });
        } catch {
          resolve({ fatal: `vnu exited ${code} without JSON output: ${short(out, 400)}` });
        }
      });
    });
  return (async () => {
    const messages = [];
    for (const chunk of chunks) {
      const r = await runChunk(chunk);
      if (r.fatal) return { fatal: r.fatal };
      messages.push(...r.messages);
    }
    return { messages };
  })();
}

// ---------------------------------------------------------------------------
// In-page functions (serialised into the browser by Playwright).

/** Collect every URL-bearing attribute (raw and resolved) and all fragment targets. */
function collectLinksInPage() {
  const SELECTORS = [
    ['a[href]', 'href'], ['area[href]', 'href'], ['link[href]', 'href'],
    ['img[src]', 'src'], ['img[srcset]', 'srcset'], ['source[src]', 'src'],
    ['source[srcset]', 'srcset'], ['script[src]', 'src'], ['iframe[src]', 'src'],
    ['form[action]', 'action'], ['video[src]', 'src'], ['video[poster]', 'poster'],
    ['audio[src]', 'src'], ['track[src]', 'src'], ['object[data]', 'data'],
    ['embed[src]', 'src'], ['use[href]', 'href'], ['image[href]', 'href'],
  ];
  const links = [];
  for (const [sel, attr] of SELECTORS) {
    for (const el of document.querySelectorAll(sel)) {
      const raw = el.getAttribute(attr);
      const values = attr === 'srcset'
        ? raw.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean)
        : [raw.trim()];
      for (const value of values) {
        let resolved = null;
        try { resolved = new URL(value, document.baseURI).href; } catch { /* reported below */ }
        links.push({ tag: el.localName, attr, raw: value, resolved, html: el.outerHTML.slice(0, 200) });
      }
    }
  }
  // A redirect page's refresh (`<meta http-equiv="refresh" content="0; url=…">`) is a link too.
  for (const el of document.querySelectorAll('meta[http-equiv]')) {
    if (el.getAttribute('http-equiv').toLowerCase() !== 'refresh') continue;
    const match = /^\s*\d+\s*[;,]\s*url\s*=\s*(.+?)\s*$/i.exec(el.getAttribute('content') || '');
    if (!match) continue;
    const value = match[1].replace(/^(['"])(.*)\1$/, '$2');
    let resolved = null;
    try { resolved = new URL(value, document.baseURI).href; } catch { /* reported below */ }
    links.push({ tag: 'meta', attr: 'content', raw: value, resolved, html: el.outerHTML.slice(0, 200) });
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  return { links, ids: [...ids, ...names] };
}

/** At the current viewport: horizontal overflow and the outermost elements causing it. */
function measureReflow() {
  const vw = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const over = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > vw + 1 || r.left < -1);
  };
  // Elements inside a horizontally scrolling/clipping container do not widen the page.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const offenders = [];
  if (scrollWidth > vw + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      if (!over(el) || clipped(el)) continue;
      if (el.parentElement && el.parentElement !== document.body && over(el.parentElement)) continue;
      const r = el.getBoundingClientRect();
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      offenders.push({ sel: `${el.localName}${id}${cls}`, width: Math.round(r.width), right: Math.round(r.right), html: el.outerHTML.slice(0, 200) });
    }
    offenders.sort((a, b) => b.right - a.right);
  }
  return { vw, scrollWidth, offenders: offenders.slice(0, 3) };
}

// ---------------------------------------------------------------------------
// Browser pass

/**
 * Load `url` in a fresh page and gather everything needed for the axe,
 * console, reflow and links checks. `expect404` marks a load of a deliberately
 * missing URL (the 404 page served at a deep path), whose main document is
 * supposed to come back 404.
 */
async function inspectPage(context, origin, url, { expect404 = false, runAxe = true } = {}) {
  const page = await context.newPage();
  await page.addInitScript(installScriptProbe);
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(`${dialog.type()}(${dialog.message()})`); dialog.dismiss().catch(() => {}); });
  const problems = []; // console/network
  const external = new Set();
  const isSameOrigin = (u) => { try { return new URL(u).origin === origin; } catch { return false; } };
  const isExpectedMain = (u, status) => expect404 && status === 404 && u === url;

  // The network is closed: never let a cross-origin request leave the machine.
  await page.route((u) => !isSameOrigin(u.href) && !u.href.startsWith('data:'), (route) => {
    external.add(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location()?.url || '';
    // "Failed to load resource" duplicates the response/requestfailed events below,
    // and for blocked cross-origin requests is expected.
    if (/^Failed to load resource/.test(msg.text())) return;
    problems.push(`console error: ${short(msg.text())}${loc ? ` (${loc})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${short(err.message)}`));
  // In-flight request tracking, to wait for script-driven fetches after "load".
  let inflight = 0;
  let lastActivity = Date.now();
  const started = () => { inflight++; lastActivity = Date.now(); };
  const finished = () => { inflight--; lastActivity = Date.now(); };
  page.on('request', started);
  page.on('requestfinished', finished);
  page.on('requestfailed', finished);
  const httpErrors = new Set(); // URLs already reported with an error status
  page.on('response', (resp) => {
    const u = resp.url();
    if (isSameOrigin(u) && resp.status() >= 400 && !isExpectedMain(u, resp.status())) {
      httpErrors.add(u);
      problems.push(`HTTP ${resp.status()} for ${u} (${resp.request().resourceType()})`);
    }
  });
  // A redirect page (an alias) refreshes to its page at once: the page is kept where it is, so
  // that it is checked itself, and its refresh is checked as a link.
  let navigated = false;
  const heldNavigations = new Set();
  await page.route(() => true, (route) => {
    const req = route.request();
    if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return route.fallback();
    if (!navigated) { navigated = true; return route.fallback(); }
    heldNavigations.add(req.url());
    return route.abort('aborted');
  });
  page.on('requestfailed', (req) => {
    if (heldNavigations.has(req.url())) return;
    // A 404 stylesheet also surfaces as a failed request (net::ERR_ABORTED); report it once.
    if (isSameOrigin(req.url()) && !httpErrors.has(req.url())) {
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
    }
  });

  const out = { problems, external, loadError: null, axe: null, reflow: null, links: null, script: null };
  try {
    await page.setViewportSize(DESKTOP);
    const resp = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    if (!resp) problems.push('no response for the page itself');
    else if (!expect404 && resp.status() !== 200) problems.push(`page itself returned HTTP ${resp.status()}`);
    else if (expect404 && resp.status() !== 404) problems.push(`missing URL returned HTTP ${resp.status()}, expected 404`);
    // Give late script-driven fetches (charts loading CSV/JSON) a moment to finish:
    // wait until nothing has been in flight for QUIET_MS (cheaper than 'networkidle').
    const settleUntil = Date.now() + SETTLE_MAX_MS;
    do {
      await new Promise((r) => setTimeout(r, 50));
    } while ((inflight > 0 || Date.now() - lastActivity < QUIET_MS) && Date.now() < settleUntil);

    out.links = await page.evaluate(collectLinksInPage);
    out.script = [...dialogs.map((d) => `script from content opened a dialog: ${d}`),
      ...await page.evaluate(collectScriptProblems, themeScripts(BASE))];
    if (runAxe) {
      await page.addScriptTag({ content: AXE_SOURCE });
      out.axe = await page.evaluate(async (tags) => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html })),
        }));
      }, AXE_TAGS);
    }
    await page.setViewportSize(REFLOW);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    out.reflow = await page.evaluate(measureReflow);
  } catch (err) {
    out.loadError = short(err.message, 400);
  } finally {
    await page.close();
  }
  return out;
}

/** Runs in the page: marks every element a keyboard user must be able to reach (focusable by
 * Tab, and rendered: not hidden, not inside a closed <details>), in document order, and says
 * how many there are. */
function markTabStops() {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable="true"]';
  const stops = [...document.querySelectorAll(selector)].filter((el) =>
    el.tabIndex >= 0 && !el.disabled && el.checkVisibility({ visibilityProperty: true }));
  stops.forEach((el, i) => { el.dataset.scrutinyTabStop = String(i); });
  return stops.length;
}

/** Runs in the page: which tab stop has focus, and whether it shows it. */
function focusedStop() {
  const el = document.activeElement;
  if (!el || el === document.body) return { stop: null };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const rect = el.getBoundingClientRect();
  return {
    stop: el.dataset.scrutinyTabStop ?? null,
    skipLink: el.classList.contains('skip-link'),
    onScreen: rect.right > 0 && rect.bottom > 0 && rect.left < innerWidth && rect.top < innerHeight,
    indicated: outline || shadow,
    html: el.outerHTML.slice(0, 120),
  };
}

/** Goes through the page at `url` with the Tab key alone: the failures, if any. */
async function checkKeyboard(context, url) {
  const page = await context.newPage();
  const failures = [];
  try {
    await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    const count = await page.evaluate(markTabStops);
    const reached = new Set();
    const presses = Math.min(count + 1, KEYBOARD_MAX_TABS);
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusedStop);
      if (i === 0 && !(f.skipLink && f.onScreen)) failures.push(`the first Tab does not show the skip link: it focuses ${f.html ?? 'nothing'}`);
      if (f.stop === null) {
        if (i < count) failures.push(`Tab ${i + 1} of ${count} leaves the page's tab stops (focus on ${f.html ?? 'the page'})`);
        break;
      }
      if (!f.indicated && failures.length < 5) failures.push(`no visible focus indicator on ${f.html}`);
      if (reached.has(f.stop) && reached.size < count) {
        failures.push(`focus is trapped: Tab ${i + 1} returns to ${f.html} before reaching every tab stop`);
        break;
      }
      reached.add(f.stop);
    }
    const wanted = Math.min(count, KEYBOARD_MAX_TABS);
    if (reached.size < wanted) {
      const missed = await page.evaluate((seen) => [...document.querySelectorAll('[data-scrutiny-tab-stop]')]
        .filter((el) => !seen.includes(el.dataset.scrutinyTabStop)).slice(0, 3).map((el) => el.outerHTML.slice(0, 120)), [...reached]);
      failures.push(`Tab reaches ${reached.size} of ${wanted} tab stops; not reached: ${missed.join(' | ')}`);
    }
  } catch (err) {
    failures.push(`page could not be checked: ${short(err.message, 400)}`);
  } finally {
    await page.close();
  }
  return failures;
}

/** The pages checked with the keyboard: the first KEYBOARD_SAMPLE of each kind, a kind being
 * the first path segment and the depth (`minutes/3`: a meeting). */
function keyboardSample(rels) {
  const taken = new Map();
  return rels.filter((rel) => {
    const parts = rel.split('/');
    const kind = `${parts.length > 1 ? parts[0] : ''}/${parts.length}`;
    const n = taken.get(kind) ?? 0;
    taken.set(kind, n + 1);
    return n < KEYBOARD_SAMPLE;
  });
}

// ---------------------------------------------------------------------------
// Link checking (after the browser pass, so every page's ids are known).

const safeDecode = (s) => { try { return decodeURIComponent(s); } catch { return s; } };
const SKIP_SCHEMES = /^(mailto|tel|data|javascript|blob|about):/i;

function checkLinks(pageUrl, collected, idsByFile, origin) {
  const failures = [];
  let internal = 0;
  let externalCount = 0;
  for (const l of collected.links) {
    if (SKIP_SCHEMES.test(l.raw)) continue;
    if (l.resolved === null) {
      failures.push(`unparseable URL ${JSON.stringify(l.raw)} in <${l.tag} ${l.attr}>`);
      continue;
    }
    const u = new URL(l.resolved);
    // Same-document references ("#main") are checked against this page's own DOM:
    // this matters for 404.html, which is also loaded at a URL that is not a file.
    if (l.raw.startsWith('#') || u.href.split('#')[0] === pageUrl.split('#')[0]) {
      internal++;
      const frag = safeDecode(u.hash.replace(/^#/, ''));
      if (frag && frag.toLowerCase() !== 'top' && !collected.ids.includes(frag)) {
        failures.push(`broken in-page anchor ${JSON.stringify(l.raw)}: no element with id="${frag}"`);
      }
      continue;
    }
    if (u.origin !== origin) {
      if (u.protocol === 'http:' || u.protocol === 'https:') externalCount++;
      continue;
    }
    internal++;
    // Root-relative links that ignore the base path only work when deployed at "/".
    if (BASE !== '/' && l.raw.startsWith('/') && !l.raw.startsWith('//') && !l.raw.startsWith(BASE)
        && l.raw + '/' !== BASE) {
      failures.push(`root-relative link ${JSON.stringify(l.raw)} does not carry the base path ${BASE} (<${l.tag} ${l.attr}>)`);
      continue;
    }
    const r = resolveUrlPath(u.pathname);
    if (r.kind === 'missing') {
      failures.push(`broken ${l.tag}[${l.attr}] ${JSON.stringify(l.raw)} -> ${u.pathname}: ${r.reason}`);
      continue;
    }
    const target = r.kind === 'file' ? r.file : resolveUrlPath(r.location).file;
    const frag = u.hash.replace(/^#/, '');
    if (!frag || frag.toLowerCase() === 'top') continue; // "#" and "#top" scroll to the top
    if (!target || !target.endsWith('.html')) continue; // fragments into non-HTML are not checked
    const ids = idsByFile.get(target);
    if (!ids) continue; // page could not be inspected; already reported there
    const id = safeDecode(frag);
    if (!ids.has(id)) {
      const where = toPosix(path.relative(SITE, target));
      failures.push(`broken anchor ${JSON.stringify(l.raw)}: no element with id="${id}" in ${where}`);
    }
  }
  return { failures, note: `${internal} internal, ${externalCount} external (not fetched)` };
}

// ---------------------------------------------------------------------------
// Main

async function main() {
  const t0 = Date.now();
  const files = (await findHtmlFiles(SITE)).sort((a, b) => toPosix(a).localeCompare(toPosix(b)));
  const rels = files.map((f) => toPosix(path.relative(SITE, f)));
  console.log(`site: ${SITE}`);
  console.log(`base: ${BASE}`);
  console.log(`pages: ${files.length}`);
  if (files.length === 0) {
    console.log('error: no .html files found');
    console.log('browser: 0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }

  const vnuPromise = runVnu(files);
  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`server: ${origin}${BASE}`);

  let browser;
  const inspected = []; // {rel, file, url, data, deep?}
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', serviceWorkers: 'block' });
    const tBrowser = Date.now();
    for (let i = 0; i < files.length; i++) {
      const url = origin + pageUrlPath(rels[i]);
      const tPage = Date.now();
      const data = await inspectPage(context, origin, url);
      if (process.env.VERBOSE) console.log(`inspected ${url.slice(origin.length)} in ${Date.now() - tPage} ms`);
      inspected.push({ rel: rels[i], file: files[i], url, data });
      // GitHub Pages serves 404.html at *any* missing URL, however deep, so its
      // own links and assets must not be relative. Load it at a deep missing path too.
      // The search page is checked with results on it as well as empty.
      if (rels[i] === 'search/index.html') {
        const searched = `${origin}${BASE}search/?q=missing`;
        inspected.push({ rel: rels[i], file: files[i], url: searched, data: await inspectPage(context, origin, searched) });
      }
      if (rels[i] === '404.html') {
        const deepUrl = `${origin}${BASE}scrutiny-missing-page/deeper/`;
        const deep = await inspectPage(context, origin, deepUrl, { expect404: true, runAxe: false });
        inspected.push({ rel: rels[i], file: files[i], url: deepUrl, data: deep, deep: true });
      }
    }
    const tKeyboard = Date.now();
    // A redirect page (an alias) leaves at once for its page: it has nothing to tab through.
    const pages = rels.filter((rel) => !/<meta http-equiv="refresh"/.test(fs.readFileSync(path.join(SITE, rel), 'utf8')));
    for (const rel of keyboardSample(pages)) {
      const url = origin + pageUrlPath(rel);
      const timeout = new Promise((resolve) => setTimeout(() => resolve([`the keyboard check did not finish within ${KEYBOARD_TIMEOUT_MS / 1000} s`]), KEYBOARD_TIMEOUT_MS));
      record('keyboard', url.slice(origin.length), await Promise.race([checkKeyboard(context, url), timeout]));
    }
    console.log(`keyboard pass: ${((Date.now() - tKeyboard) / 1000).toFixed(1)}s`);
    const perPage = (Date.now() - tBrowser) / files.length;
    console.log(`browser pass: ${((Date.now() - tBrowser) / 1000).toFixed(1)}s (${Math.round(perPage)} ms/page)`);
  } catch (err) {
    console.log(`error: browser could not run: ${short(err.message, 600)}`);
    record('browser', '(launch)', [`${err.message.split('\n')[0]} — is ${CHROMIUM_PATH} installed? run tests/browser/setup.sh`]);
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.close();
  }

  // Per-page browser results.
  const idsByFile = new Map();
  for (const p of inspected) if (!p.deep && p.data.links) idsByFile.set(p.file, new Set(p.data.links.ids));
  const externalOrigins = new Set();
  for (const p of inspected) {
    const d = p.data;
    const label = p.deep ? `${p.url.slice(origin.length)} (404.html served at a missing URL)` : p.url.slice(origin.length);
    for (const e of d.external) externalOrigins.add(new URL(e).origin);
    if (d.loadError) {
      const cats = p.deep ? ['console', 'links', 'script'] : ['axe', 'console', 'reflow', 'links', 'script'];
      for (const c of cats) record(c, label, [`page could not be inspected: ${d.loadError}`]);
      continue;
    }
    if (!p.deep) {
      record('axe', label, d.axe.map((v) => {
        const nodes = v.nodes.slice(0, 3).map((n) => `      ${n.target}  ${short(n.html)}`).join('\n');
        const more = v.nodes.length > 3 ? `\n      … and ${v.nodes.length - 3} more` : '';
        return `${v.id} [${v.impact}] ${v.help}\n      ${v.helpUrl}\n${nodes}${more}`;
      }));
      const rf = d.reflow;
      record('reflow', label, rf.scrollWidth > rf.vw + 1
        ? [`horizontal scroll at ${rf.vw}px: scrollWidth ${rf.scrollWidth}px` +
           rf.offenders.map((o) => `\n      widest: ${o.sel} (${o.width}px wide, right edge ${o.right}px)  ${short(o.html)}`).join('')]
        : []);
    }
    record('console', label, d.problems, d.external.size ? `${d.external.size} cross-origin request(s) blocked` : '');
    record('script', label, d.script);
    const lk = checkLinks(p.url, d.links, idsByFile, origin);
    record('links', label, lk.failures, lk.note);
  }

  // Nu HTML Checker results.
  const vnu = await vnuPromise;
  if (vnu.fatal) {
    record('vnu', '(all files)', [vnu.fatal]);
  } else {
    const byFile = new Map(files.map((f) => [f, []]));
    for (const m of vnu.messages) {
      if (m.type !== 'error' && m.type !== 'non-document-error') continue;
      let file = null;
      try { file = m.url ? fileURLToPath(m.url) : null; } catch { /* ignore */ }
      const loc = `${m.lastLine ?? m.firstLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}`;
      const text = `${loc}: ${m.message}${m.extract ? `\n      ${short(m.extract)}` : ''}`;
      if (file && byFile.has(file)) byFile.get(file).push(text);
      else record('vnu', file || '(unknown file)', [text]);
    }
    for (const [f, msgs] of byFile) record('vnu', toPosix(path.relative(SITE, f)), msgs);
  }

  // Report.
  const categories = ['axe', 'console', 'reflow', 'links', 'script', 'keyboard', 'vnu', 'browser'];
  let passed = 0;
  let failed = 0;
  for (const cat of categories) {
    const rs = results.filter((r) => r.category === cat);
    if (!rs.length) continue;
    const bad = rs.filter((r) => r.failures.length);
    console.log(`\n== ${cat}: ${rs.length - bad.length} passed, ${bad.length} failed`);
    for (const r of rs) {
      if (r.failures.length) {
        console.log(`FAIL ${cat} ${r.page}`);
        for (const f of r.failures) console.log(`    - ${f}`);
      } else if (process.env.VERBOSE) {
        console.log(`ok   ${cat} ${r.page}${r.note ? `  (${r.note})` : ''}`);
      }
    }
    passed += rs.length - bad.length;
    failed += bad.length;
  }
  const linkNotes = results.filter((r) => r.category === 'links');
  const ext = linkNotes.reduce((n, r) => n + Number((r.note.match(/(\d+) external/) || [0, 0])[1]), 0);
  const int = linkNotes.reduce((n, r) => n + Number((r.note.match(/(\d+) internal/) || [0, 0])[1]), 0);
  console.log(`\nlinks: ${int} same-origin URLs checked, ${ext} external links counted (not fetched)`);
  if (externalOrigins.size) console.log(`note: blocked cross-origin requests to ${[...externalOrigins].join(', ')}`);
  console.log(`time: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.log(`error: ${err.stack || err}`);
  console.log('browser: 0 passed, 1 failed');
  process.exitCode = 1;
});
