// The webhook path under load (run by scripts/bench-webhooks.sh, which starts
// the server): signed events posted at several concurrencies. Prints
// events/s and latency percentiles.
//   --kind ignored  events of a type the shop ignores: each costs the
//                   signature check and one durable commit recording its id;
//   --kind paying   `payment_intent.succeeded` for orders seeded by
//                   bench/seed_orders.py (pi_bench_0…): each pays an order
//                   (status, history, fulfilment, confirmation message).
//
//   node bench/webhooks.mjs --shop http://127.0.0.1:3300 --secret whsec_… [--events 3000] [--kind ignored]
import crypto from 'node:crypto';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const SHOP = new URL(args.shop ?? 'http://127.0.0.1:3300');
const SECRET = args.secret;
const EVENTS = Number(args.events ?? 3000);
const KIND = args.kind ?? 'ignored';
if (!SECRET) throw new Error('--secret whsec_… is required');

function signed(body) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: SHOP.hostname, port: SHOP.port, path: '/webhooks/stripe', method: 'POST', agent,
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signed(body), 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let seq = 0;
function event() {
  const n = seq;
  seq += 1;
  const envelope = { id: `evt_bench_${process.pid}_${n}`, object: 'event', api_version: '2026-10-28.endive',
    livemode: false, created: Math.floor(Date.now() / 1000) };
  if (KIND === 'paying') {
    return JSON.stringify({ ...envelope, type: 'payment_intent.succeeded',
      data: { object: { id: `pi_bench_${n}`, object: 'payment_intent', status: 'succeeded', amount: 1800, currency: 'usd' } } });
  }
  return JSON.stringify({ ...envelope, type: 'customer.updated', data: { object: { id: 'cus_bench' } } });
}

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
console.log('| concurrency | events/s | p50 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|');
for (const concurrency of [1, 8, 32]) {
  const latencies = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < EVENTS) {
      next += 1;
      latencies.push(await post(event()));
    }
  }));
  const secs = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`| ${concurrency} | ${(latencies.length / secs).toFixed(0)} | ${pct(latencies, 0.5).toFixed(2)} | ${pct(latencies, 0.99).toFixed(2)} | ${latencies.at(-1).toFixed(1)} |`);
}
agent.destroy();
