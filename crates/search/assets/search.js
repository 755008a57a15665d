// The search page's script (the site's own, written with the search page; no content's
// script): searches with Pagefind's JavaScript API and lists the results as links, each with
// its excerpt, a place on its page for each part that matched, and the count announced.
//
// It lives at <base>search/search.js, so the base path of the site is the folder above it,
// and the index is at <base>pagefind/.
const base = new URL('..', import.meta.url).pathname;

const form = document.getElementById('search-form');
const input = document.getElementById('search-query');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');

/** Text of Pagefind's excerpt, with its <mark> highlights, built as nodes: nothing of it is
 * parsed as markup but the marks themselves. */
function excerptNodes(excerpt) {
  const nodes = [];
  const decode = (text) => new DOMParser().parseFromString(text, 'text/html').documentElement.textContent;
  excerpt.split(/(<mark>[^<]*<\/mark>)/).forEach((part) => {
    const marked = part.match(/^<mark>([^<]*)<\/mark>$/);
    if (marked) {
      const mark = document.createElement('mark');
      mark.textContent = decode(marked[1]);
      nodes.push(mark);
    } else if (part) {
      nodes.push(document.createTextNode(decode(part)));
    }
  });
  return nodes;
}

/** Where a part of a page that matched leads: its heading's id, or, for a heading that opens
 * a section or an article with an id of its own (a meeting's item, a tracked action), that id. */
function landing(url, anchors) {
  const target = new URL(url, window.location.href);
  const id = decodeURIComponent(target.hash.slice(1));
  const anchor = anchors.find((a) => a.id === id);
  if (anchor && /^h\d$/i.test(anchor.element)) {
    const section = anchors.find((a) => a.location === anchor.location && /^(section|article)$/i.test(a.element));
    if (section) target.hash = section.id;
  }
  return target.pathname + target.hash;
}

/** One link with its excerpt, as a list item. */
function entry(title, href, excerpt, className) {
  const item = document.createElement('li');
  item.className = className;
  const link = document.createElement('a');
  link.href = href;
  link.textContent = title;
  const heading = document.createElement('p');
  heading.className = 'search-result-title';
  heading.append(link);
  const text = document.createElement('p');
  text.className = 'search-result-excerpt';
  text.append(...excerptNodes(excerpt));
  item.append(heading, text);
  return item;
}

/** A result: the page, then each part of it that matched, at its place on the page. */
function resultItem(data) {
  const page = entry(data.meta.title || data.url, data.url, data.excerpt, 'search-result');
  const parts = (data.sub_results || []).filter((sub) => sub.url !== data.url);
  if (parts.length) {
    const sublist = document.createElement('ul');
    sublist.className = 'search-sub-results';
    for (const sub of parts) {
      sublist.append(entry(sub.title, landing(sub.url, data.anchors || []), sub.excerpt, 'search-sub-result'));
    }
    page.append(sublist);
  }
  return page;
}

let pagefind = null;
let latest = 0;

async function run(query) {
  const asked = ++latest;
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = '';
    return;
  }
  status.textContent = 'Searching…';
  try {
    if (!pagefind) {
      pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.options({ baseUrl: base });
    }
    const search = await pagefind.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (asked !== latest) return;
    list.replaceChildren(...results.map(resultItem));
    const count = search.results.length;
    const shown = count > results.length ? `, the first ${results.length} shown` : '';
    status.textContent = count === 0
      ? `No results for “${query}”.`
      : `${count} result${count === 1 ? '' : 's'} for “${query}”${shown}.`;
  } catch (error) {
    status.textContent = 'Search could not be loaded. Try the lists of reports, minutes and indicators instead.';
  }
}

document.getElementById('search-needs-script').hidden = true;
form.hidden = false;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = input.value;
  const url = new URL(window.location.href);
  url.searchParams.set('q', query);
  window.history.replaceState(null, '', url);
  run(query);
});
const asked = new URL(window.location.href).searchParams.get('q');
if (asked) {
  input.value = asked;
  run(asked);
}
