import fs from 'node:fs';
import path from 'node:path';
import { test, expect, needsEmulator } from '../support/fixtures';
import { SHOP_STRIPE, checkout, checkoutOrder, expectOrder, payWith, openCheckout } from '../support/checkout';
import { customers, open } from '../support/shop';
import { waitForPaymentElement } from '../support/stripe';

function secretKey() {
  return fs.readFileSync(path.resolve(__dirname, '../../target/e2e/stripe-emulator.key'), 'utf8').trim();
}

test('an unpaid order is canceled from its page, and the checkout opens a new one', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  const id = await checkoutOrder(page);
  await open(page, `/orders/${id}`);
  await page.getByTestId('cancel-order').getByRole('button', { name: 'Cancel this order' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${id}\\?canceled=1$`));
  await expect(page.getByRole('status')).toContainText('The order is canceled: it can no longer be paid.');
  await expect(page.getByTestId('order-status')).toHaveText('Canceled');
  await expect(page.getByTestId('cancel-order')).toHaveCount(0);
  // The cart is still there: paying it is a new order.
  await openCheckout(page);
  expect(await checkoutOrder(page)).not.toBe(id);
});

test('a refund made at Stripe shows on the order page and reaches the customer', async ({ page }) => {
  needsEmulator('a refund made through the API of the shop\'s Stripe');
  await checkout(page, customers.jordan, ['grinder']);
  const id = await checkoutOrder(page);
  await payWith.savedCard(page);
  await expectOrder(page, 'paid');
  // The merchant refunds $14.00 of it (the Stripe dashboard would do the same).
  const headers = { Authorization: `Bearer ${secretKey()}` };
  const intents = await (await fetch(`${SHOP_STRIPE}/v1/payment_intents?limit=1`, { headers })).json();
  const refund = await fetch(`${SHOP_STRIPE}/v1/refunds`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ payment_intent: intents.data[0].id, amount: '1400' }),
  });
  expect(refund.ok).toBe(true);
  await expect(async () => {
    await open(page, `/orders/${id}`);
    await expect(page.getByTestId('order-refund-status')).toHaveText('Partly refunded', { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
  await expect(page.getByTestId('order-refunded')).toHaveText('$14.00');
  await expect(page.getByTestId('order-history').locator('li[data-status="refund"]')).toHaveText(/Refund of \$14\.00/);
  await open(page, '/messages');
  await expect(page.locator(`li.message[data-kind="refund_issued"][data-order="${id}"]`)).toContainText(
    'We have refunded $14.00 of your payment of $70.99',
  );
});
