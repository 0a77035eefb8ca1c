import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { checkout } from '../support/checkout';
import { customers, open, signIn } from '../support/shop';

// What a shopper downloads, checked deterministically: sizes and headers,
// never timings (scripts/bench.sh measures those).

/** The most /checkout may download of our own code (wasm + JS + CSS), gzip -9. */
const CHECKOUT_BUDGET_GZIP = 100_000;
const SITE = path.resolve(__dirname, '../../target/site');

/** Every response from the shop's own /pkg/, as the page loads. */
function pkgResponses(page: Page) {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/pkg/')) seen.push({ url: url.pathname, headers: await res.allHeaders() });
  });
  return seen;
}

test('/checkout downloads at most its budget of wasm, JS and CSS (gzip -9)', async ({ page }) => {
  const seen = pkgResponses(page);
  await checkout(page, customers.jordan, ['mug']);
  const files = [...new Set(seen.map((r) => r.url))];
  expect(files.map((f) => path.extname(f)).sort()).toEqual(['.css', '.js', '.wasm']);
  let total = 0;
  for (const file of files) {
    const gzip = gzipSync(fs.readFileSync(path.join(SITE, file)), { level: 9 }).length;
    console.log(`${file}: ${gzip} B gzip -9`);
    total += gzip;
  }
  console.log(`/checkout: ${total} B gzip -9 (budget ${CHECKOUT_BUDGET_GZIP})`);
  expect(total).toBeLessThanOrEqual(CHECKOUT_BUDGET_GZIP);
});

test('built files are sent compressed and kept for a year; a repeat visit downloads none again', async ({ page }) => {
  const seen = pkgResponses(page);
  await checkout(page, customers.jordan, ['mug']);
  expect(seen.length).toBeGreaterThanOrEqual(3);
  for (const { url, headers } of seen) {
    expect(headers['content-encoding'], url).toBe('br');
    expect(headers['vary'], url).toMatch(/accept-encoding/i);
    expect(headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    expect(url).toMatch(/^\/pkg\/shop\.[0-9a-f]{16}\.(css|js|wasm)$/);
  }

  // The same page again: every built file comes from the browser's cache.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  let downloaded = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    if (new URL(urls.get(e.requestId) ?? 'http://x/').pathname.startsWith('/pkg/')) downloaded += e.encodedDataLength;
  });
  await open(page, '/checkout');
  expect(downloaded).toBe(0);
});

test('pages and server-function answers are compressed and never stored', async ({ page }) => {
  await signIn(page, customers.jordan);
  for (const url of ['/', '/cart', '/checkout', '/orders']) {
    const res = await page.request.get(url, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(res.status(), url).toBe(200);
    expect(res.headers()['content-encoding'], url).toBe('br');
    expect(res.headers()['cache-control'], url).toBe('no-store');
  }
  const res = await page.request.post('/api/cart', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(res.headers()['cache-control']).toBe('no-store');
});

test('/checkout asks for Stripe.js in the HTML head, before any script of ours runs', async ({ page }) => {
  await signIn(page, customers.jordan);
  const html = await (await page.request.get('/checkout')).text();
  const head = html.slice(0, html.indexOf('</head>'));
  const stripeJs = head.match(/<script id="stripe-js"[^>]*>/)?.[0] ?? '';
  expect(stripeJs).toMatch(/ src="http:\/\/127\.0\.0\.1:\d+\/v3\/"/);
  expect(stripeJs).toMatch(/ async/);
  // The islands' bundle is preloaded beside it.
  const preload = head.match(/<link [^>]*rel="preload"[^>]*>/)?.[0] ?? '';
  expect(preload).toMatch(/ href="\/pkg\/shop\.[0-9a-f]{16}\.wasm"/);
  expect(preload).toMatch(/ as="fetch"/);
});

test('pages without an island load no WebAssembly', async ({ page, problems }) => {
  problems.expect(/HTTP 404: GET .*\/no-such-page/);
  problems.expect(/console error: Failed to load resource: .* 404/);
  const seen = pkgResponses(page);
  await open(page, '/signin');
  await open(page, '/no-such-page');
  expect(seen.map((r) => r.url).filter((u) => !u.endsWith('.css'))).toEqual([]);
  await expect(page.locator('leptos-island')).toHaveCount(0);
});
