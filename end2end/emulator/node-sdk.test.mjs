// Stripe's official Node SDK (stripe 23) against the emulator binary,
// configured only with host, port and protocol: the scenario a checkout
// server runs. Uses Node's built-in test runner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import Stripe from 'stripe';

const BIN = process.env.STRIPE_EMULATOR_BIN ?? new URL('../../target/debug/stripe-emulator', import.meta.url).pathname;
const PORT = Number(process.env.STRIPE_EMULATOR_PORT ?? 12199);
const SECRET_KEY = 'sk_test_nodesdk';

let emulator;
let stripe;

before(async () => {
  emulator = spawn(BIN, ['--addr', `127.0.0.1:${PORT}`, '--secret-key', SECRET_KEY], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Ready once it has printed its keys; keep draining its output afterwards.
  await new Promise((resolve, reject) => {
    let output = '';
    emulator.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('publishable key')) resolve();
    });
    emulator.once('exit', (code) => reject(new Error(`stripe-emulator exited with ${code}`)));
  });
  stripe = new Stripe(SECRET_KEY, { host: '127.0.0.1', port: PORT, protocol: 'http', maxNetworkRetries: 0 });
});

after(() => emulator?.kill());

test('a checkout for an existing customer, through the official SDK', async () => {
  const customer = await stripe.customers.create({ email: 'jenny@example.com', name: 'Jenny Rosen' });
  assert.match(customer.id, /^cus_/);

  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  assert.equal(card.customer, customer.id);
  assert.equal(card.card.brand, 'visa');
  assert.equal(card.card.last4, '4242');

  const intent = await stripe.paymentIntents.create({
    amount: 2000,
    currency: 'eur',
    customer: customer.id,
    automatic_payment_methods: { enabled: true },
    metadata: { order_id: '42' },
  });
  assert.equal(intent.status, 'requires_payment_method');
  assert.ok(intent.payment_method_types.includes('card'));
  assert.ok(intent.client_secret.startsWith(`${intent.id}_secret_`));

  const session = await stripe.customerSessions.create({
    customer: customer.id,
    components: {
      payment_element: {
        enabled: true,
        features: { payment_method_redisplay: 'enabled', payment_method_save: 'enabled', payment_method_remove: 'enabled' },
      },
    },
  });
  assert.match(session.client_secret, /^cuss_secret_/);
  assert.equal(session.components.payment_element.features.payment_method_redisplay, 'enabled');

  // A decline: 402, with the intent back in requires_payment_method.
  await assert.rejects(
    stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa_chargeDeclined', return_url: 'https://shop.test/done' }),
    (err) => {
      assert.equal(err.type, 'StripeCardError');
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, 'card_declined');
      assert.equal(err.decline_code, 'generic_decline');
      assert.equal(err.raw.payment_intent.id, intent.id);
      assert.equal(err.raw.payment_intent.status, 'requires_payment_method');
      return true;
    },
  );

  const paid = await stripe.paymentIntents.confirm(intent.id, { payment_method: card.id, return_url: 'https://shop.test/done' });
  assert.equal(paid.status, 'succeeded');
  assert.equal(paid.amount_received, 2000);

  const saved = await stripe.customers.listPaymentMethods(customer.id, { type: 'card' });
  assert.deepEqual(saved.data.map((pm) => pm.id), [card.id]);
  const all = await stripe.paymentMethods.list({ customer: customer.id });
  assert.equal(all.data.length, 1);
});

test('an idempotent replay returns the first response', async () => {
  const first = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'node-sdk-once' });
  const again = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'node-sdk-once' });
  assert.equal(again.id, first.id);
  assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
  await assert.rejects(
    stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'node-sdk-once' }),
    (err) => err.type === 'StripeIdempotencyError',
  );
});

test('a delivered webhook passes stripe.webhooks.constructEvent', async () => {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), signature: req.headers['stripe-signature'] });
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const endpoint = await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${server.address().port}/webhooks/stripe`,
      enabled_events: ['payment_intent.succeeded'],
    });
    assert.match(endpoint.secret, /^whsec_/);
    const intent = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    assert.equal(intent.status, 'succeeded');
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 1);
    const event = stripe.webhooks.constructEvent(received[0].body, received[0].signature, endpoint.secret);
    assert.equal(event.type, 'payment_intent.succeeded');
    assert.equal(event.data.object.id, intent.id);
    assert.throws(() => stripe.webhooks.constructEvent(received[0].body, received[0].signature, 'whsec_wrong'));
  } finally {
    server.close();
  }
});
