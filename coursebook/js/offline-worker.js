// The book's service worker: keeps the book readable offline (coursebook/offline.py).
// `BOOK` is written above this code when the book is built: {version, files: {path:
// [sha256 prefix, size]}, prefill: [path, ...]}, the files the book's pages use or offer.
//
// One version, never a mix:
// - a cache holds one version of the book (its name ends in BOOK.version), and only bytes
//   whose hash is the one BOOK lists: whatever the network gives that is not this version
//   (a newer book on the server) is passed on to the page but never kept;
// - online, every request goes to the network (a page is checked with the server every
//   time), so a reader gets the book that is on the server; offline, every request is
//   answered from the cache, so the book that was saved, whole; a page answered from
//   the cache gets its files from the cache too, even if the connection comes back (while
//   this worker runs: a browser stops an idle worker, and forgets that page with it);
// - a new version's worker fills its own cache (carrying over the files that did not
//   change) while the old one still serves, and takes over only once it is full; then the
//   old caches are deleted.

const SCOPE = self.registration.scope;          // the book's root, ending in "/"
const PREFIX = `cp-offline ${SCOPE} `;          // one book's caches (an origin can host several books)
const CACHE = PREFIX + BOOK.version;
const PARALLEL = 4;                             // files fetched at a time while saving the book
const fromCache = new Set();                    // the pages (client ids) this worker answered from its cache
let readerSavesData = false;                    // a request said "Save-Data: on"

let activated;
const activation = new Promise((resolve) => { activated = resolve; });

// Nothing to do on install: the saving waits for a page to finish loading and ask for it.
self.addEventListener("activate", (event) => event.waitUntil(
  dropOlderCaches().then(() => self.clients.claim()).then(activated)));
self.addEventListener("fetch", onFetch);
self.addEventListener("message", onMessage);

function bookPath(url) {
  if (!url.startsWith(SCOPE)) return null;
  let path;
  try {
    path = decodeURIComponent(new URL(url).pathname.slice(new URL(SCOPE).pathname.length));
  } catch {
    return null;
  }
  if (path === "" || path.endsWith("/")) path += "index.html";
  return Object.hasOwn(BOOK.files, path) ? path : null;
}

const keyOf = (path) => new URL(path, SCOPE).href;

async function hashOf(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Keep `response` as `path` only if it is this version's file.
async function keep(cache, path, response) {
  if (response.status !== 200 || response.redirected || response.type !== "basic") return false;
  const [hash] = BOOK.files[path];
  if (!(await hashOf(response)).startsWith(hash)) return false;
  await cache.put(keyOf(path), response);
  return true;
}

function onFetch(event) {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const path = bookPath(request.url);
  if (!path) return;                            // not a file of this book: the browser as usual
  if (request.headers.get("save-data") === "on") readerSavesData = true;
  event.respondWith(answer(event, path));
}

async function answer(event, path) {
  const cache = await caches.open(CACHE);
  if (fromCache.has(event.clientId)) {          // the page came from the cache: so do its files
    return (await cache.match(keyOf(path))) || fetch(event.request);
  }
  try {
    // A page is asked of the server every time (an unchanged one costs a "not modified"):
    // a new version shows at the next visit, whatever the host's caching says.  Its files
    // follow it: Sphinx names each script and style sheet with its content's checksum.
    const response = await (event.request.mode === "navigate"
      ? fetch(event.request.url, { cache: "no-cache" }) : fetch(event.request));
    event.waitUntil(keep(cache, path, response.clone()));
    return response;
  } catch (offline) {
    const cached = await cache.match(keyOf(path));
    if (!cached) throw offline;
    if (event.request.mode === "navigate") fromCache.add(event.resultingClientId);
    return cached;
  }
}

// ------------------------------------------------------------------ saving the book

let saving = Promise.resolve();

function onMessage(event) {
  if (event.data?.type !== "cp-offline-save") return;
  const done = saving.then(() => save(event.data)).then(async (report) => {
    if (report.state === "ready" || report.state === "opened-only") await takeOver();
    event.source?.postMessage({ type: "cp-offline", version: BOOK.version, ...report });
  });
  saving = done.catch(() => {});
  event.waitUntil(done);
}

async function save({ saveData, opened = [] }) {
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((request) => bookPath(request.url)).filter(Boolean));
  await carryOver(cache, have);
  const lean = saveData || readerSavesData || !!self.navigator.connection?.saveData;
  // Lean: only what the page loaded, taken from the browser's cache (no data spent; a copy
  // there that is not this version is left out).  Otherwise the whole book, each file
  // checked with the server (an unchanged one costs a "not modified").
  // A file is asked for by the address the page used (with its "?v=" checksum), which is
  // the one the browser's cache knows.
  const asOpened = new Map(opened.map((url) => [bookPath(url), url]));
  asOpened.delete(null);
  const wanted = lean
    ? [...asOpened].map(([path, url]) => [path, url, "force-cache"])
    : BOOK.prefill.map((path) => [path, asOpened.get(path) || keyOf(path), "no-cache"]);
  const missing = wanted.filter(([path]) => !have.has(path));
  let state = lean ? "opened-only" : "ready";
  const next = async () => {
    for (let item = missing.shift(); item && state !== "stale"; item = missing.shift()) {
      const [path, url, mode] = item;
      try {
        const response = await fetch(url, { cache: mode });
        if (await keep(cache, path, response)) have.add(path);
        else if (mode === "no-cache") state = "stale";   // the server has another version: its worker comes next
      } catch (error) {                         // no room left, or offline again: the next page load goes on
        state = error?.name === "QuotaExceededError" ? "no-room" : "incomplete";
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
  if (state === "stale") self.registration.update();
  const bytes = [...have].reduce((sum, path) => sum + BOOK.files[path][1], 0);
  return { state, files: have.size, bytes };
}

// Files of an older version's cache that this version has unchanged: no download.
async function carryOver(cache, have) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const older = await caches.open(name);
    for (const request of await older.keys()) {
      const path = bookPath(request.url);
      if (!path || have.has(path)) continue;
      const response = await older.match(request);
      if (response && (await keep(cache, path, response))) have.add(path);
    }
  }
}

async function takeOver() {
  if (!self.serviceWorker) return self.skipWaiting();
  if (self.serviceWorker.state === "activated") return;
  await self.skipWaiting();
  await activation;                             // the old caches are gone
}

async function dropOlderCaches() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
}
