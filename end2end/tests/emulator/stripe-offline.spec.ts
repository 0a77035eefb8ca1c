/**
 * The offline-Stripe fixture (end2end/stripe-offline/) as another app would
 * use it: a page that loads the real `https://js.stripe.com/v3/` URL, and a
 * "server" (this test) that makes its intent and CustomerSession through the
 * emulator's API. Nothing in the page knows about the emulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeTests } from '@playwright/test';
import { test as offline, expect } from 'stripe-offline';
import { test as checked } from '../../support/fixtures';
import { emulatorPort } from '../../playwright.config';

const test = mergeTests(offline, checked);
test.use({ stripeEmulatorUrl: `http://127.0.0.1:${emulatorPort}` });

const CHECKOUT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script src="https://js.stripe.com/v3/"></script></head><body>
<form id="pay"><div id="payment-element"></div><button type="submit">Pay</button></form><p id="result"></p>
<script>
  const q = new URLSearchParams(location.search);
  const stripe = Stripe(q.get('pk'));
  const elements = stripe.elements({ clientSecret: q.get('pi'), customerSessionClientSecret: q.get('cuss') });
  const element = elements.create('payment', { layout: 'tabs' });
  element.on('ready', () => { document.body.dataset.ready = 'true'; });
  element.mount('#payment-element');
  document.getElementById('pay').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { error, paymentIntent } = await stripe.confirmPayment({
      elements, confirmParams: { return_url: location.origin + '/done' }, redirect: 'if_required' });
    document.getElementById('result').textContent = error ? 'error:' + (error.decline_code || error.code) : paymentIntent.status;
  });
</script></body></html>`;

// The app under test: a server of its own on the loopback interface, as an
// app under test is (Chromium keeps a public page from loading local pages).
let app: Server;
let APP = '';
test.beforeAll(async () => {
  app = createServer((req, res) => {
    if (req.url?.startsWith('/checkout')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CHECKOUT_HTML);
    } else {
      res.writeHead(204).end();
    }
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  APP = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

test('an app loading js.stripe.com pays offline: saved card, a named decline, 3-D Secure', async ({ page, stripe, problems }) => {
  problems.expect(/HTTP 402: POST https:\/\/js\.stripe\.com\/v1\/payment_intents\/.*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 402/);

  // The app's server: a customer with a saved card, then an intent and a session per visit.
  const customer = (await stripe.api('POST', '/v1/customers', { email: 'offline@example.com', name: 'Dana Offline' })).id;
  const card = (await stripe.api('POST', '/v1/payment_methods/pm_card_visa/attach', { customer })).id;
  await stripe.api('POST', `/v1/payment_methods/${card}`, { allow_redisplay: 'always' });
  const visit = async () => {
    const pi = await stripe.api('POST', '/v1/payment_intents', {
      amount: '1500', currency: 'eur', customer, 'automatic_payment_methods[enabled]': 'true',
    });
    const cuss = await stripe.api('POST', '/v1/customer_sessions', {
      customer,
      'components[payment_element][enabled]': 'true',
      'components[payment_element][features][payment_method_redisplay]': 'enabled',
    });
    const query = new URLSearchParams({ pk: stripe.publishableKey, pi: pi.client_secret, cuss: cuss.client_secret });
    await page.goto(`${APP}/checkout?${query}`);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    await page.getByRole('button', { name: 'Pay' }).click();
  };

  await visit();
  await expect(page.locator('#result')).toHaveText('succeeded');

  await stripe.nextPayment('decline:insufficient_funds', { customer });
  await visit();
  await expect(page.locator('#result')).toHaveText('error:insufficient_funds');

  // The challenge comes from the emulator's own address, not js.stripe.com.
  await stripe.nextPayment('require_3ds', { customer });
  await visit();
  await page.frameLocator('iframe[title="3D Secure challenge"]').locator('#test-source-authorize-3ds').click();
  await expect(page.locator('#result')).toHaveText('succeeded');
});
