// Reading offline, the page's side (coursebook/offline.py writes it into every page of the
// book). Nothing happens while the page loads: once it has loaded, the page registers the
// book's service worker and asks it to save the book for reading offline, telling it
// whether the reader saves data (then only what the reader opens is kept). Opened from
// file://, the book needs no worker and registers none.
// The state shows on <html data-cp-offline="...">: "unavailable", then "ready" (the whole
// book saved), "opened-only" (Save-Data: what was opened), "incomplete" (the connection
// dropped: the next page tries again), "no-room" (the browser's storage is full) or
// "stale" (the site changed while saving).
(() => {
  const root = document.documentElement;
  if (!navigator.serviceWorker || !/^https?:$/.test(location.protocol)) {
    root.dataset.cpOffline = "unavailable";
    return;
  }
  const scope = new URL(root.dataset.content_root || "./", location.href).href;
  const installed = (worker) => new Promise((resolve) => {
    if (!worker || worker.state !== "installing") return resolve();
    worker.addEventListener("statechange", () => worker.state !== "installing" && resolve());
  });
  // The newest worker saves its version of the book; for a reader who saves data, only
  // the files this page loaded (from the browser's cache: no data spent).
  async function askToSave(registration) {
    await installed(registration.installing);
    const opened = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
    (registration.waiting || registration.active)?.postMessage(
      { type: "cp-offline-save", saveData: !!navigator.connection?.saveData, opened });
  }
  // Chromium does not pass a link's download (<a download>) to the worker: fetch it
  // through the worker, so that it is kept once opened and found offline; should that
  // fail, the browser downloads it as usual (and says why it cannot).
  function download(event) {
    const link = event.target.closest?.("a[download]");
    if (!link || link.dataset.cpNative || !navigator.serviceWorker.controller || !link.href.startsWith(scope)
        || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const save = (href, name) => {   // a copy of the link, which this handler lets through
      const copy = link.cloneNode();
      copy.dataset.cpNative = "1";
      if (href) Object.assign(copy, { href, download: name });
      copy.click();
    };
    fetch(link.href).then((response) => (response.ok ? response.blob() : Promise.reject(response.status))).then((blob) => {
      const href = URL.createObjectURL(blob);
      save(href, link.getAttribute("download") || decodeURIComponent(link.pathname.split("/").pop()));
      setTimeout(() => URL.revokeObjectURL(href), 60000);   // once the browser has the file
    }, () => save());
  }
  async function start() {
    navigator.serviceWorker.addEventListener("message", ({ data }) => {
      if (data?.type !== "cp-offline") return;
      root.dataset.cpOfflineVersion = data.version;
      root.dataset.cpOffline = data.state;
    });
    const registration = await navigator.serviceWorker.register(new URL("cp-offline.js", scope), { scope });
    if (!registration) return;   // a browser that refuses workers without saying so
    document.addEventListener("click", download);
    registration.addEventListener("updatefound", () => askToSave(registration));
    await askToSave(registration);
  }
  const begin = () => start().catch((error) => {
    root.dataset.cpOffline = "unavailable";
    console.warn("This book cannot be saved for reading offline:", error);
  });
  if (document.readyState === "complete") begin();
  else addEventListener("load", begin);
})();
