/**
 * examples/node-checkout (Node, stripe-node, @stripe/stripe-js, and
 * @stripe/react-stripe-js on its React page) through the
 * offline-Stripe fixture: its page loads https://js.stripe.com as against
 * Stripe, its server's SDK points at the emulator (STRIPE_API_BASE), and a
 * verified webhook marks the order paid. Nothing of the example changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mergeTests } from '@playwright/test';
import { test as offline, expect, listeningUrl } from 'stripe-offline';
import { test as checked } from '../../support/fixtures';
import { emulatorPort } from '../../playwright.config';

const test = mergeTests(offline, checked);
test.use({ stripeEmulatorUrl: `http://127.0.0.1:${emulatorPort}` });

let example: ChildProcess;
let url = '';
test.beforeAll(async () => {
  example = spawn('node', ['../examples/node-checkout/server.mjs'], {
    env: { ...process.env, STRIPE_API_BASE: `http://127.0.0.1:${emulatorPort}`, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await listeningUrl(example);
});
test.afterAll(() => {
  example.kill();
});

// The plain page, and the same checkout through React and
// @stripe/react-stripe-js (whose <Elements> refuses a Stripe object that lacks
// the methods it checks for).
for (const [name, path] of [['plain', '/'], ['React', '/react']] as const) {
  test(`the Node example's ${name} page pays offline with its saved card, then says why a named decline failed`, async ({ page, stripe, problems }) => {
    problems.expect(/HTTP 402: POST https:\/\/js\.stripe\.com\/v1\/payment_intents\/.*\/confirm/);
    problems.expect(/console error: Failed to load resource: .* 402/);
    await page.goto(url + path);
    const pay = page.getByRole('button', { name: 'Pay €15.00' });
    await expect(page.locator('iframe[name^="__privateStripeFrame"]').first()).toBeAttached();
    await expect(pay).toBeEnabled();
    await pay.click();
    await expect(page.locator('#message')).toHaveText('Payment succeeded.');
    await expect(page.locator('#order')).toHaveText('Order paid.');

    await stripe.nextPayment('decline:insufficient_funds');
    await page.goto(url + path);
    await expect(pay).toBeEnabled();
    await pay.click();
    await expect(page.locator('#message')).toHaveText('Your card has insufficient funds.');
  });
}
