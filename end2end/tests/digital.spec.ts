import { test, expect, needsEmulator } from '../support/fixtures';
import { checkout, checkoutOrder, expectOrder, payAndReturn, settlePayment } from '../support/checkout';
import { customers } from '../support/shop';
import { chooseNewMethod, fillSepaDebit } from '../support/stripe';

// Digital goods, as Stripe allows: an order of downloads only is fulfilled
// while its bank debit is still processing, and the access is withdrawn if
// the debit fails. An order with anything to ship waits for the money.

/** SEPA test IBANs that stay processing for the emulator's long delay, then succeed / fail. */
const SLOW_IBAN = { succeeds: 'DE08370400440532013003', fails: 'DE78370400440532013004' };

test('downloads only: open while the debit is processing, withdrawn when it fails', async ({ page, request }) => {
  needsEmulator('forced settlement of a debit');
  await checkout(page, customers.aoife, ['brewing-guide']);
  const order = await checkoutOrder(page);
  await chooseNewMethod(page, 'sepa_debit');
  await fillSepaDebit(page, { iban: SLOW_IBAN.fails });
  const intent = await payAndReturn(page);
  await expectOrder(page, 'processing');

  // The confirmation is the receipt: the downloads are on it, open already.
  await expect(page.getByTestId('what-next')).toContainText('Your downloads are open now');
  const link = page.getByTestId('download');
  await expect(link).toHaveAttribute('href', `/orders/${order}/downloads/brewing-guide`);
  const file = await page.request.get(`/orders/${order}/downloads/brewing-guide`);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-disposition']).toContain('attachment');
  expect(await file.text()).toContain('BREWING GUIDE');

  // The bank refuses the debit: the page (following the order) says the download is gone.
  await settlePayment(request, intent, 'failed');
  await expect(page.getByTestId('downloads-revoked')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('order-status')).toHaveText('Payment failed');
  await expect(link).toHaveCount(0);
  expect((await page.request.get(`/orders/${order}/downloads/brewing-guide`)).status()).toBe(410);
});

test('downloads with something to ship: they wait until the payment succeeds', async ({ page, request, browser }) => {
  needsEmulator('forced settlement of a debit');
  await checkout(page, customers.aoife, ['mug', 'brewing-guide']);
  const order = await checkoutOrder(page);
  await chooseNewMethod(page, 'sepa_debit');
  await fillSepaDebit(page, { iban: SLOW_IBAN.succeeds });
  const intent = await payAndReturn(page);
  await expectOrder(page, 'processing');
  await expect(page.getByTestId('download')).toHaveCount(0);
  await expect(page.getByTestId('downloads-pending')).toBeVisible();
  await page.goto(`/orders/${order}`);
  await expect(page.getByTestId('downloads-pending')).toBeVisible();
  expect((await page.request.get(`/orders/${order}/downloads/brewing-guide`)).status()).toBe(404);

  await settlePayment(request, intent, 'succeeded');
  await expect(page.getByTestId('download')).toBeVisible({ timeout: 15_000 });
  expect((await page.request.get(`/orders/${order}/downloads/brewing-guide`)).status()).toBe(200);

  // Nobody else downloads it: signed out, or another customer.
  const stranger = await browser.newContext();
  expect((await stranger.request.get(`/orders/${order}/downloads/brewing-guide`)).status()).toBe(401);
  await stranger.close();
});
