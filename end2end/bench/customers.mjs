// Creates customers at a Stripe (the emulator, or a test-mode account) by
// API calls, as a merchant's would be: `count` customers named
// customer<n>@<domain>, `concurrency` requests at a time. Prints the time.
//
//   node end2end/bench/customers.mjs http://127.0.0.1:12111 sk_test_… 2500 50 [domain]
const [base, key, count = '2500', concurrency = '50', domain = 'example.com'] = process.argv.slice(2);
if (!base || !key) {
  console.error('usage: customers.mjs <api base> <secret key> [count] [concurrency] [domain]');
  process.exit(2);
}
const total = Number(count);
const started = performance.now();
let next = 0;
async function worker() {
  while (next < total) {
    const n = next++;
    const body = new URLSearchParams({ email: `customer${n}@${domain}`, name: `Customer ${n}` });
    const res = await fetch(`${base}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Idempotency-Key': `bench-customer-${domain}-${n}` },
      body,
    });
    if (!res.ok) throw new Error(`customer ${n}: HTTP ${res.status} ${await res.text()}`);
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(`created ${total} customers in ${((performance.now() - started) / 1000).toFixed(2)} s`);
