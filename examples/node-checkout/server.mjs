// A checkout in another stack, written as an app would be against Stripe:
// stripe-node on the server, @stripe/stripe-js (which loads
// https://js.stripe.com) in the page, plain (/) or through React and
// @stripe/react-stripe-js (/react). One customer with a saved card; each
// visit makes a PaymentIntent and a CustomerSession, the page pays with
// confirmPayment({redirect: 'if_required'}), and a verified webhook marks the
// order paid.
//
//   STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY  (test keys; default: the emulator's)
//   STRIPE_API_BASE    http://127.0.0.1:12111 to use stripe-emulator (offline)
//   PORT               default 4242; 0 picks one (printed)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const secretKey = process.env.STRIPE_SECRET_KEY ?? 'sk_test_emulator';
const publishableKey = process.env.STRIPE_PUBLISHABLE_KEY ?? 'pk_test_emulator';
// The SDK's own base-URL option: the only difference between Stripe and the emulator.
const base = process.env.STRIPE_API_BASE ? new URL(process.env.STRIPE_API_BASE) : null;
const stripe = new Stripe(secretKey, base
  ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(':', '') }
  : {});

// What the pages load, served as the files are (no bundler): the plain page
// (/) and the same checkout written with React and @stripe/react-stripe-js
// (/react), which takes React and the wrapper from their UMD builds.
const FILES = Object.fromEntries(Object.entries({
  '/': ['./index.html', 'text/html; charset=utf-8'],
  '/app.mjs': ['./app.mjs', 'text/javascript'],
  '/react': ['./react.html', 'text/html; charset=utf-8'],
  '/react-app.mjs': ['./react-app.mjs', 'text/javascript'],
  '/order.mjs': ['./order.mjs', 'text/javascript'],
  '/vendor/stripe-js.mjs': ['./node_modules/@stripe/stripe-js/dist/index.mjs', 'text/javascript'],
  '/vendor/react.js': ['./node_modules/react/umd/react.production.min.js', 'text/javascript'],
  '/vendor/react-dom.js': ['./node_modules/react-dom/umd/react-dom.production.min.js', 'text/javascript'],
  '/vendor/react-stripe.js': ['./node_modules/@stripe/react-stripe-js/dist/react-stripe.umd.min.js', 'text/javascript'],
}).map(([path, [file, type]]) => [path, { text: readFileSync(here(file), 'utf8'), type }]));

/** Order status by PaymentIntent id, as the webhooks tell it. */
const orders = new Map();
let customer;
let webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;

async function setUp(origin) {
  customer = await stripe.customers.create({ email: 'dana@example.com', name: 'Dana Example' });
  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.paymentMethods.update(card.id, { allow_redisplay: 'always' });
  if (!webhookSecret) {
    const endpoint = await stripe.webhookEndpoints.create({
      url: `${origin}/webhook`,
      enabled_events: ['payment_intent.succeeded', 'payment_intent.payment_failed'],
    });
    webhookSecret = endpoint.secret;
  }
}

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function send(res, status, type, text) {
  res.writeHead(status, { 'content-type': type }).end(text);
}

const server = createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://x').pathname;
    const file = req.method === 'GET' && Object.hasOwn(FILES, path) && FILES[path];
    if (file) return send(res, 200, file.type, file.text);
    if (req.method === 'POST' && path === '/checkout') {
      const intent = await stripe.paymentIntents.create({
        amount: 1500, currency: 'eur', customer: customer.id, automatic_payment_methods: { enabled: true },
      });
      const session = await stripe.customerSessions.create({
        customer: customer.id,
        components: { payment_element: { enabled: true, features: { payment_method_redisplay: 'enabled' } } },
      });
      orders.set(intent.id, 'awaiting_payment');
      return send(res, 200, 'application/json', JSON.stringify({
        publishableKey, clientSecret: intent.client_secret, customerSessionClientSecret: session.client_secret,
      }));
    }
    if (req.method === 'POST' && path === '/webhook') {
      // Verified over the raw body, or refused.
      let event;
      try {
        event = stripe.webhooks.constructEvent(await body(req), req.headers['stripe-signature'], webhookSecret);
      } catch {
        return send(res, 400, 'text/plain', 'bad signature');
      }
      const intent = event.data.object;
      if (event.type === 'payment_intent.succeeded') orders.set(intent.id, 'paid');
      if (event.type === 'payment_intent.payment_failed' && orders.get(intent.id) !== 'paid') orders.set(intent.id, 'failed');
      return send(res, 200, 'application/json', '{"received":true}');
    }
    const order = /^\/orders\/(pi_\w+)$/.exec(path);
    if (req.method === 'GET' && order) {
      return send(res, 200, 'application/json', JSON.stringify({ status: orders.get(order[1]) ?? 'unknown' }));
    }
    send(res, 404, 'text/plain', 'not found');
  } catch (error) {
    console.error(error);
    send(res, 500, 'text/plain', 'server error');
  }
});

server.listen(Number(process.env.PORT ?? 4242), '127.0.0.1', async () => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  await setUp(origin);
  console.log(`checkout example listening on ${origin}`);
});
