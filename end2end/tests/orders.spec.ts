import { test, expect, needsEmulator } from '../support/fixtures';
import { checkout, checkoutOrder, expectOrder, payAndReturn, payWith, stripeRequests } from '../support/checkout';
import { customers, open, signIn } from '../support/shop';
import { chooseNewMethod, fillSepaDebit, testIbans } from '../support/stripe';

test('an order tells its whole story: date, method, every attempt, and a receipt to print', async ({ page, problems }) => {
  problems.expect(/HTTP 402: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 402/);
  await checkout(page, customers.aoife, ['beans']);
  const id = await checkoutOrder(page);
  await payWith.declinedThenCard(page);
  await expectOrder(page, 'paid');

  await open(page, '/orders');
  const row = page.locator(`tr[data-order="${id}"]`);
  await expect(row).toContainText('Visa •••• 4242');
  await row.getByRole('link', { name: `Order #${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${id}$`));

  const detail = page.getByTestId('order-detail');
  await expect(detail.getByRole('heading', { level: 1 })).toHaveText(`Order #${id}`);
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
  await expect(page.getByTestId('order-method')).toHaveText('Visa •••• 4242');
  // The date: UTC from the server, the shopper's own time zone once the page's script runs.
  const date = page.getByTestId('order-date').locator('time');
  await expect(date).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
  await expect(date).not.toContainText('UTC');
  // Every step, the failed attempt with its reason, in order.
  const steps = page.getByTestId('order-history').locator('li');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Order placed');
  await expect(steps.nth(1)).toContainText('Payment failed: Your card was declined.');
  await expect(steps.nth(2)).toContainText('Paid');
  await expect(page.getByRole('button', { name: 'Print receipt' })).toBeVisible();

  // The receipt as printed: the shop's header and links are left out.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print receipt' })).toBeHidden();
  await expect(page.getByTestId('order-total')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // In French, the same story in French.
  await page.getByRole('button', { name: 'FR' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  await expect(steps.nth(1)).toContainText('Paiement échoué : Votre carte a été refusée.');
  // The language is the customer's setting: give Aoife hers back.
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
});

test("another customer's order, or none, is not found", async ({ page, browser }) => {
  await checkout(page, customers.jordan, ['mug']);
  const id = await checkoutOrder(page);
  await open(page, `/orders/${id}`);
  await expect(page.getByTestId('order-status')).toHaveText('Awaiting payment');

  const other = await browser.newPage();
  await signIn(other, customers.aoife);
  const answer = await other.goto(`/orders/${id}`);
  expect(answer?.status()).toBe(404);
  await expect(other.getByTestId('order-not-found')).toBeVisible();
  expect(await other.content()).not.toContain('Stoneware mug');
  expect((await other.goto('/orders/not-a-number'))?.status()).toBe(404);
  await other.close();
});

test('a processing payment is followed to paid through the order\'s events: no polling, and the shop asks Stripe nothing', async ({ page, request }) => {
  needsEmulator('its request log');
  await checkout(page, customers.aoife, ['pour-over-kit']);
  const order = await checkoutOrder(page);
  await chooseNewMethod(page, 'sepa_debit');
  await fillSepaDebit(page, { iban: testIbans.success });
  const stream = page.waitForRequest((r) => r.url().endsWith(`/orders/${order}/events`) && r.resourceType() === 'eventsource');
  const intent = await payAndReturn(page);
  await expectOrder(page, 'processing');
  await stream;
  const { last_seq: since } = await stripeRequests(request);
  let refreshes = 0;
  page.on('request', (r) => { if (r.url().includes('/checkout/complete?order=')) refreshes += 1; });
  await expectOrder(page, 'paid');
  // One change, one fetch of the page: nothing asked in between.
  expect(refreshes).toBe(1);
  // What the shop asked Stripe about this payment while the page followed it.
  const asked = (await stripeRequests(request, since)).data.filter(
    (r) => r.key === 'secret' && r.path.startsWith(`/v1/payment_intents/${intent}`),
  );
  expect(asked).toEqual([]);
});

test('the order\'s events reconnect when the connection drops', async ({ page, problems }) => {
  problems.expect(/request failed: GET .*\/orders\/\d+\/events/);
  problems.expect(/console error: Failed to load resource: net::ERR_CONNECTION_RESET/);
  let dropped = 0;
  await page.route('**/orders/*/events', async (route) => {
    if (dropped++ < 2) await route.abort('connectionreset');
    else await route.continue();
  });
  await checkout(page, customers.aoife, ['mug']);
  await chooseNewMethod(page, 'sepa_debit');
  await fillSepaDebit(page, { iban: testIbans.success });
  await payAndReturn(page);
  await expectOrder(page, 'processing');
  await expectOrder(page, 'paid');
  expect(dropped).toBeGreaterThanOrEqual(3);
});
