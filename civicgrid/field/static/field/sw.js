/* The field app's service worker: Workbox strategies keep the shell and its assets for offline starts.
   The app's data (bundle, outbox, photos waiting to be sent) lives in IndexedDB, never in these caches.
   Every library comes from this site: /static/vendor/workbox/ (no CDN). */
importScripts("/static/vendor/workbox/workbox-sw.js");
workbox.setConfig({modulePathPrefix: "/static/vendor/workbox/", debug: false});

// Modules are loaded on first use; touch them all now, while importScripts is still allowed (install time).
const {registerRoute} = workbox.routing;
const {NetworkFirst, CacheFirst, StaleWhileRevalidate} = workbox.strategies;
const {ExpirationPlugin} = workbox.expiration;
const {CacheableResponsePlugin} = workbox.cacheableResponse;
const {clientsClaim} = workbox.core;

const PREFIX = "civicgrid-field-";

self.skipWaiting();
clientsClaim();

// A redirect (to the login page, when the web session has ended) must never be kept as the shell.
const notRedirected = {cacheWillUpdate: async ({response}) => (response && !response.redirected ? response : null)};

// The shell page: the network when it answers within a few seconds, else the copy from the last visit.
registerRoute(({url, request}) => url.origin === self.location.origin && url.pathname === "/field/" &&
                                  request.method === "GET",
  new NetworkFirst({
    cacheName: PREFIX + "shell", networkTimeoutSeconds: 4, matchOptions: {ignoreVary: true},
    plugins: [new CacheableResponsePlugin({statuses: [200]}), notRedirected],
  }));

// Static files: kept per version of the shell's assets (ASSETS_VERSION, prepended by the server), so a changed
// file is fetched again even where names are not hashed; the older versions are deleted when this worker starts.
const STATIC_CACHE = PREFIX + "static-" + ASSETS_VERSION;
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith(PREFIX + "static") && name !== STATIC_CACHE)
    .map((name) => caches.delete(name)))));
});
registerRoute(({url}) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new CacheFirst({
    cacheName: STATIC_CACHE,
    plugins: [new CacheableResponsePlugin({statuses: [200]}), new ExpirationPlugin({maxEntries: 80})],
  }));

// Thumbnails of the user's open cases (fetched by the app after each sync, with the device key; the pictures then
// ask without it, hence ignoreVary).
registerRoute(({url}) => url.origin === self.location.origin && /^\/photos\/[0-9a-f-]+\/thumb\/$/.test(url.pathname),
  new CacheFirst({
    cacheName: PREFIX + "photos", matchOptions: {ignoreVary: true},
    plugins: [new CacheableResponsePlugin({statuses: [200]}), notRedirected,
              new ExpirationPlugin({maxEntries: 400, maxAgeSeconds: 14 * 24 * 3600})],
  }));

registerRoute(({url}) => url.origin === self.location.origin && url.pathname === "/manifest.webmanifest",
  new StaleWhileRevalidate({cacheName: PREFIX + "shell"}));
