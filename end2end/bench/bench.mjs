// The shop's first-load benchmark (run by scripts/bench.sh, which starts the
// servers). Prints one Markdown report and writes it to docs/benchmarks.md.
//
//   node bench/bench.mjs --shop http://127.0.0.1:3200 [--baseline http://127.0.0.1:3201] [--runs 12]
//
// 1. Bytes per page (/, /cart, /checkout, the return page), from a cold
//    cache: every response of the shop's own origin, raw, gzip -9, brotli
//    (quality 11) and what actually crossed the wire (Chromium's
//    encodedDataLength: headers included). Stripe.js and its frames are not
//    counted, as for the Next.js figures the issue compares with.
// 2. Navigation → Payment Element ready (its `ready` event, which the
//    Stripe.js stand-in fires once the saved methods are shown), for
//    /checkout and for a plain HTML page that mounts the same element with
//    the same two client secrets; runs alternate, each in a fresh browser
//    context (cold cache); unthrottled and with 4× CPU throttling.
// 3. Server-side rendering requests per second for / and /checkout.
//
// Timings depend on the machine: compare figures from one run only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const SHOP = args.shop ?? 'http://127.0.0.1:3200';
const BASELINE = args.baseline;
const RUNS = Number(args.runs ?? 12);
const LOAD_SECS = Number(args['load-secs'] ?? 5);
const OUT = args.out ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/benchmarks.md');
const CUSTOMER = { email: 'jordan@example.com', password: 'jordan-demo' };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Marks `bench-ready` when any Payment Element fires `ready`, whoever mounts
// it: the same probe for the shop (any build) and the plain page.
const READY_PROBE = `(() => {
  let wrapped;
  Object.defineProperty(window, 'Stripe', {
    configurable: true,
    get() { return wrapped; },
    set(real) {
      wrapped = function (...a) {
        const stripe = real(...a);
        const elements = stripe.elements.bind(stripe);
        stripe.elements = (...e) => {
          const group = elements(...e);
          const create = group.create.bind(group);
          group.create = (...c) => {
            const element = create(...c);
            element.on('ready', () => performance.mark('bench-ready'));
            return element;
          };
          return group;
        };
        return stripe;
      };
    },
  });
})();`;

/** A signed-in browser context for `base`, with one mug in the cart. */
async function session(base) {
  const context = await browser.newContext({ baseURL: base });
  const api = context.request;
  const signIn = await api.post('/api/sign_in', { form: { ...CUSTOMER, next: '/' }, headers: { Accept: 'text/html' } });
  if (!signIn.ok()) throw new Error(`sign-in at ${base}: ${signIn.status()}`);
  const cart = await (await api.post('/api/cart', { headers: { Accept: 'application/json' } })).json();
  for (const line of cart?.lines ?? []) {
    await api.post('/api/cart/quantity', { form: { product_id: line.product_id, quantity: '0' }, headers: { Accept: 'application/json' } });
  }
  await api.post('/api/cart/add', { form: { product_id: 'mug' }, headers: { Accept: 'application/json' } });
  const cookies = await context.cookies();
  const html = await (await api.get('/checkout')).text();
  await context.close();
  const order = html.match(/data-order="(\d+)"/)?.[1];
  const secret = html.match(/pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/)?.[0];
  const customerSession = html.match(/cuss_secret_[A-Za-z0-9]+/)?.[0];
  const key = html.match(/pk_test_[A-Za-z0-9_]+/)?.[0];
  const js = html.match(/(http:\/\/127\.0\.0\.1:\d+\/v3\/)/)?.[1];
  if (!order || !secret || !customerSession || !key || !js) throw new Error(`no checkout at ${base}`);
  return { base, cookies, order, secret, customerSession, key, js, html };
}

async function freshPage(s) {
  const context = await browser.newContext({ baseURL: s.base });
  await context.addCookies(s.cookies);
  const page = await context.newPage();
  return { context, page };
}

/** Bytes of each own-origin response of one cold page load. */
async function pageWeight(s, url) {
  const { context, page } = await freshPage(s);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const wire = new Map();
  cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
  const ids = new Map();
  cdp.on('Network.responseReceived', (e) => ids.set(e.response.url, e.requestId));
  const bodies = [];
  page.on('response', async (res) => {
    if (new URL(res.url()).origin !== new URL(s.base).origin) return;
    // An order's status stream never ends, and is not a file of the page.
    if ((res.headers()['content-type'] ?? '').startsWith('text/event-stream')) return;
    bodies.push(res.body().then((body) => ({ url: res.url(), body })).catch(() => null));
  });
  await page.goto(url, { waitUntil: 'load' });
  if (await page.locator('leptos-island').count()) {
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' }).catch(() => {});
  }
  // Not 'networkidle': a page following an order keeps its status stream
  // (server-sent events) open, so the network is never idle. Every file of
  // the page has been asked for once the islands have hydrated.
  await page.waitForTimeout(300);
  const sum = { raw: 0, gzip: 0, brotli: 0, wire: 0, files: 0, wasm: 0 };
  for (const item of await Promise.all(bodies)) {
    if (!item) continue;
    sum.files += 1;
    sum.raw += item.body.length;
    sum.gzip += gzipSync(item.body, { level: 9 }).length;
    sum.brotli += brotliCompressSync(item.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    sum.wire += wire.get(ids.get(item.url)) ?? 0;
    if (item.url.endsWith('.wasm')) sum.wasm += 1;
  }
  await context.close();
  return sum;
}

function plainPage(s) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Plain</title>
<script src="${s.js}"></script></head><body><div id="payment-element"></div><script>
const stripe = Stripe(${JSON.stringify(s.key)}, { locale: 'en' });
// The options the shop's island passes (app/src/stripe_js.rs), so both mount the same element.
const elements = stripe.elements({ clientSecret: ${JSON.stringify(s.secret)},
  customerSessionClientSecret: ${JSON.stringify(s.customerSession)}, locale: 'en',
  appearance: { theme: 'stripe', variables: { colorPrimary: '#8a4b20', borderRadius: '8px', fontFamily: 'system-ui, sans-serif' } } });
elements.create('payment', { layout: 'tabs',
  defaultValues: { billingDetails: { name: 'Jordan Smith', email: 'jordan@example.com', address: { country: 'US' } } } })
  .mount('#payment-element');
</script></body></html>`;
}

/**
 * The control for the plain page: the shop's own /checkout HTML (header,
 * summary, stylesheet, logo) with the islands' wasm taken out and the same
 * element mounted by an inline script, as a page with no framework would.
 * It tells the cost of the page's own content from the cost of the Rust code.
 */
function sameContentPage(s) {
  const mount = `<script>const f = document.getElementById('payment-form').dataset;
const stripe = Stripe(f.key, { locale: f.locale });
const elements = stripe.elements({ clientSecret: f.secret, customerSessionClientSecret: f.session, locale: f.locale,
  appearance: { theme: 'stripe', variables: { colorPrimary: '#8a4b20', borderRadius: '8px', fontFamily: 'system-ui, sans-serif' } } });
elements.create('payment', { layout: 'tabs',
  defaultValues: { billingDetails: { name: f.billingName, email: f.billingEmail, address: { country: f.billingCountry } } } })
  .mount('[data-testid=payment-element]');</script>`;
  return s.html
    .replace('<head>', `<head><base href="${s.base}/">`)
    .replace(/<link[^>]*rel="modulepreload"[^>]*>/, '')
    .replace(/<link[^>]*type="application\/wasm"[^>]*>/, '')
    .replace(/<script[^>]*type="module"[^>]*>.*?<\/script>/s, '')
    .replace(/<script id="stripe-js" async=""/, '<script id="stripe-js"')
    .replace('</main>', `</main>${mount}`);
}

/**
 * Serves the plain page (and, at /same-content, its control) from a loopback address, as the shop is served
 * (Chromium lets only such pages reach the emulator on loopback).
 */
async function servePlainPage(s) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.url === '/same-content' ? sameContentPage(s) : plainPage(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, sameContent: { url: `${url}same-content` }, close: () => server.close() };
}

/** Milliseconds from navigation start to the element's `ready`, one cold run. */
async function timeToReady(s, { plain, throttle = 1, network = null } = {}) {
  const { context, page } = await freshPage(s);
  await page.addInitScript(READY_PROBE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
  }
  await page.goto(plain ? plain.url : '/checkout');
  const ms = await page.waitForFunction(() => performance.getEntriesByName('bench-ready')[0]?.startTime, null, { timeout: 30_000 });
  const value = await ms.jsonValue();
  await context.close();
  return value;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, p90: at(0.9) };
}

/** Requests per second for `url`, 8 at a time for LOAD_SECS seconds, keep-alive, as a browser asks (brotli accepted). */
async function requestsPerSecond(s, url) {
  const cookie = s.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const deadline = Date.now() + LOAD_SECS * 1000;
  let done = 0;
  let failed = 0;
  const one = () => new Promise((resolve) => {
    const req = http.get(new URL(url, s.base), { agent, headers: { Cookie: cookie, 'Accept-Encoding': 'br, gzip', Accept: 'text/html' } }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode === 200) done += 1; else failed += 1; resolve(); });
    });
    req.on('error', () => { failed += 1; resolve(); });
  });
  const started = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (Date.now() < deadline) await one(); }));
  agent.destroy();
  return { rps: done / ((Date.now() - started) / 1000), failed };
}

const targets = [{ name: 'this build', s: await session(SHOP) }];
if (BASELINE) targets.push({ name: 'baseline', s: await session(BASELINE) });

const kb = (n) => n.toLocaleString('en-US');
const lines = [];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
lines.push(`## First load, ${new Date().toISOString().slice(0, 10)}`, '', `Machine: ${machine}; Chromium ${browser.version()}; ${RUNS} runs per series.`, '');

lines.push('### Bytes the browser downloads from the shop (cold cache)', '');
lines.push('| build | page | files | wasm | raw | gzip -9 | brotli | on the wire |', '|---|---|---|---|---|---|---|---|');
for (const { name, s } of targets) {
  for (const [label, url] of [['/', '/'], ['/cart', '/cart'], ['/checkout', '/checkout'], ['return page', `/checkout/complete?order=${s.order}`]]) {
    const w = await pageWeight(s, url);
    lines.push(`| ${name} | ${label} | ${w.files} | ${w.wasm ? 'yes' : 'no'} | ${kb(w.raw)} | ${kb(w.gzip)} | ${kb(w.brotli)} | ${kb(w.wire)} |`);
  }
}
lines.push('', 'Bytes are summed over the HTML, CSS, JS and wasm of the shop\'s own origin; "on the wire" includes response headers.', '');

lines.push('### Navigation → Payment Element ready with the saved methods (ms)', '');
lines.push('| CPU (and network) | page | median | p90 | ÷ plain page (median) | ÷ same page, no wasm |', '|---|---|---|---|---|---|');
const SAME_CONTENT = 'same page, no wasm (inline script)';
const plainServer = await servePlainPage(targets[0].s);
/** A phone on a fair mobile network: 4× slower CPU, 9 Mbit/s down, 40 ms round trips. */
const PHONE = { throttle: 4, network: { latency: 40, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 } };
for (const setting of [{ throttle: 1 }, { throttle: 4 }, PHONE]) {
  const { throttle } = setting;
  const series = new Map(targets.map((t) => [t.name, []]));
  series.set('plain HTML page', []);
  series.set(SAME_CONTENT, []);
  for (let i = 0; i < RUNS; i += 1) {
    for (const { name, s } of targets) series.get(name).push(await timeToReady(s, setting));
    series.get('plain HTML page').push(await timeToReady(targets[0].s, { ...setting, plain: plainServer }));
    series.get(SAME_CONTENT).push(await timeToReady(targets[0].s, { ...setting, plain: plainServer.sameContent }));
  }
  const plainMedian = stats(series.get('plain HTML page')).median;
  const sameMedian = stats(series.get(SAME_CONTENT)).median;
  for (const [name, values] of series) {
    const { median, p90 } = stats(values);
    const cpu = setting.network ? '4× slower + 9 Mbit/s, 40 ms' : throttle === 1 ? 'unthrottled' : `${throttle}× slower`;
    const label = targets.some((t) => t.name === name) ? `/checkout, ${name}` : name;
    lines.push(`| ${cpu} | ${label} | ${median.toFixed(0)} | ${p90.toFixed(0)} | ${(median / plainMedian).toFixed(2)} | ${(median / sameMedian).toFixed(2)} |`);
  }
}
plainServer.close();
lines.push('', 'Each run is a fresh browser context (cold cache); the series alternate run by run. The plain page loads the same Stripe.js and mounts the same element with the same PaymentIntent and CustomerSession client secrets. The same page, no wasm, is the shop\'s own /checkout HTML with the island replaced by an inline script that mounts that element: what a page with the same content costs without any Rust or framework code.', '');

lines.push('### Server-side rendering (requests/s, 8 concurrent, keep-alive, brotli accepted)', '');
lines.push('| build | / | /checkout |', '|---|---|---|');
for (const { name, s } of targets) {
  const home = await requestsPerSecond(s, '/');
  const checkout = await requestsPerSecond(s, '/checkout');
  lines.push(`| ${name} | ${home.rps.toFixed(0)}${home.failed ? ` (${home.failed} failed)` : ''} | ${checkout.rps.toFixed(0)}${checkout.failed ? ` (${checkout.failed} failed)` : ''} |`);
}
lines.push('', 'The load generator runs on the same machine as the server, the embedded Stripe emulator, and each other.', '');

await browser.close();
const report = lines.join('\n');
console.log(report);
const header = `# Benchmarks

Written by \`scripts/bench.sh\`; the newest run first. Timings depend on the
machine and its load: compare figures of one run only, never across runs.

To compare with an earlier commit, build it in a worktree and run both side
by side:

\`\`\`sh
git worktree add ../baseline <commit> && (cd ../baseline && ./scripts/build.sh)
mkdir -p target/baseline && cp -r ../baseline/target/site target/baseline/site
cp ../baseline/target/release/server target/baseline/server
BENCH_BASELINE=target/baseline ./scripts/bench.sh
\`\`\`

`;
const previous = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8').replace(/^# Benchmarks\n[\s\S]*?(?=## )/, '') : '';
fs.writeFileSync(OUT, header + report + '\n\n' + previous);
console.log(`\nwritten to ${OUT}`);
