import { test, expect, needsEmulator } from '../support/fixtures';
import { checkout, expectOrder, pay, payWith, stripeEvents, stripeRequests, openCheckout } from '../support/checkout';
import { addToCart, customers, open, signIn } from '../support/shop';
import {
  chooseIdealBank, chooseNewMethod, failBankPayment, failThreeDSecure, fillCard, fillSepaDebit, paymentFrame,
  removeSaved, saveForFutureUse, savedMethods, selectSaved, testCards, testIbans, waitForPaymentElement,
} from '../support/stripe';

test('a saved card pays in one click; the order is paid and the cart empties', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  // A $15.50 mug, and $6.99 to deliver it to his saved address in New York.
  await expect(page.getByTestId('checkout-total')).toHaveText('$22.49');
  await expect(page.getByTestId('pay')).toHaveText('Pay $22.49');
  await selectSaved(page, /Visa •••• 4242/);
  await page.screenshot({ path: test.info().outputPath('checkout.png') });
  await pay(page);
  await expectOrder(page, 'paid');
  await expect(page.getByRole('heading', { name: 'Thank you! Your order is confirmed.' })).toBeVisible();
  // The client secret leaves the address bar.
  await expect(page).toHaveURL(/\/checkout\/complete\?order=\d+$/);
  await expect(page.getByTestId('cart-count')).toHaveCount(0);
  await open(page, '/orders');
  await expect(page.locator('tr[data-status="paid"]').first()).toContainText('1 × Stoneware mug');
});

test('a declined card shows why; another method pays the same order', async ({ page, problems }) => {
  problems.expect(/HTTP 402: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 402/);
  await checkout(page, customers.aoife, ['beans']);
  const orderId = await page.locator('.order-summary').getAttribute('data-order');
  await payWith.declinedThenCard(page);
  await expectOrder(page, 'paid');
  await expect(page.locator('.order-number')).toHaveText(`Order #${orderId}`);
});

test('3-D Secure: completing the challenge pays', async ({ page }) => {
  await checkout(page, customers.aoife, ['mug']);
  await payWith.threeDSecureCard(page);
  await expectOrder(page, 'paid');
});

test('iDEAL: authorised at the bank, the return page shows the order paid', async ({ page }) => {
  needsEmulator("the stand-in's iDEAL bank select");
  await checkout(page, customers.aoife, ['grinder']);
  await payWith.ideal(page);
  await expectOrder(page, 'paid');
  await expect(page).toHaveURL(/\/checkout\/complete\?order=\d+$/);
});

test('a saved SEPA account: processing, then paid without reloading, told to screen readers', async ({ page }) => {
  await checkout(page, customers.camille, ['pour-over-kit']);
  await selectSaved(page, /SEPA •••• 3000|Prélèvement SEPA •••• 3000/);
  await pay(page);
  await expectOrder(page, 'processing');
  // The verdict has the focus, and the result is a polite live region that
  // stays in place while its content changes.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  const result = page.getByTestId('order-result');
  await expect(result).toHaveAttribute('aria-live', 'polite');
  await result.evaluate((el) => ((el as HTMLElement & { __same?: boolean }).__same = true));
  await expectOrder(page, 'paid');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Merci ! Votre commande est confirmée.');
  expect(await result.evaluate((el) => (el as HTMLElement & { __same?: boolean }).__same)).toBe(true);
  await expect(result).not.toHaveAttribute('data-follow');
});

test('after a decline, the focus moves to the reason', async ({ page, problems }) => {
  problems.expect(/HTTP 402: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 402/);
  await checkout(page, customers.aoife, ['beans']);
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: testCards.declined });
  await pay(page);
  await expect(page.getByTestId('payment-error')).toHaveText('Your card was declined. Try another card or another payment method.');
  await expect(page.getByTestId('payment-error')).toBeFocused();
});

test('back from the bank with the session ended: sign in, and the same result is shown', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  const secret = (await page.locator('#payment-form').getAttribute('data-secret'))!;
  const intent = secret.split('_secret_')[0];
  await payWith.savedCard(page);
  await expectOrder(page, 'paid');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true }).first()).toBeVisible();
  const back = `/checkout/complete?payment_intent=${intent}&payment_intent_client_secret=${secret}&redirect_status=succeeded`;
  await open(page, back);
  await expect(page.getByTestId('complete-sign-in')).toContainText('Sign in to see how your payment went');
  await page.getByTestId('complete-sign-in').getByRole('link', { name: 'Sign in' }).click();
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill(customers.jordan.email);
  await form.getByLabel('Password').fill(customers.jordan.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expectOrder(page, 'paid');
  await expect(page).toHaveURL(/\/checkout\/complete\?order=\d+$/);
});

test('a US customer pays with the saved bank account', async ({ page }) => {
  await checkout(page, customers.jordan, ['beans']);
  await payWith.savedUsBankAccount(page);
  await expectOrder(page, 'processing');
  await expectOrder(page, 'paid');
});

test('the cart changed after opening the checkout: the new amount is charged', async ({ page, request }) => {
  needsEmulator('its event list, read with the secret key');
  await checkout(page, customers.aoife, ['mug']);
  // A €14.50 mug, and €7.90 to deliver it to Ireland.
  await expect(page.getByTestId('checkout-total')).toHaveText('€22.40');
  const orderId = await page.locator('.order-summary').getAttribute('data-order');
  await open(page, '/');
  await addToCart(page, 'beans');
  await openCheckout(page);
  await expect(page.getByTestId('checkout-total')).toHaveText('€35.30');
  await expect(page.locator('.order-summary')).toHaveAttribute('data-order', orderId!);
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: testCards.success });
  await pay(page);
  await expectOrder(page, 'paid');
  const paid = await stripeEvents(request, 'payment_intent.succeeded');
  expect(paid[0].data.object.amount).toBe(3530);
  expect(paid[0].data.object.metadata.order_id).toBe(orderId);
});

test('a double click on Pay charges once', async ({ page, request }) => {
  needsEmulator('its event list, read with the secret key');
  const before = (await stripeEvents(request, 'charge.succeeded')).length;
  await checkout(page, customers.jordan, ['grinder']);
  await selectSaved(page, /Visa •••• 4242/);
  await expect(page.getByTestId('pay')).toBeEnabled();
  await page.getByTestId('pay').dblclick();
  await expectOrder(page, 'paid');
  expect((await stripeEvents(request, 'charge.succeeded')).length).toBe(before + 1);
});

test('a new card saved with the checkbox is offered at the next checkout', async ({ page }) => {
  await checkout(page, customers.aoife, ['mug']);
  const before = await savedMethods(page).count();
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: '5555555555554444' });
  await saveForFutureUse(page);
  await pay(page);
  await expectOrder(page, 'paid');
  await open(page, '/');
  await addToCart(page, 'beans');
  await openCheckout(page);
  await expect(savedMethods(page)).toHaveCount(before + 1);
  await expect(paymentFrame(page).getByRole('radio', { name: /Mastercard •••• 4444/ })).toBeVisible();
});

test('a tampered return address finds nothing and changes nothing', async ({ page, browser }) => {
  // Jordan opens a checkout: his intent and its secret are in his page.
  const other = await browser.newContext();
  const jordan = await other.newPage();
  await checkout(jordan, customers.jordan, ['mug']);
  const secret = (await jordan.content()).match(/pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/)![0];
  const intent = secret.split('_secret_')[0];
  await other.close();

  await signIn(page, customers.camille);
  for (const query of [
    `payment_intent=${intent}&payment_intent_client_secret=${secret}&redirect_status=succeeded`,
    `payment_intent=pi_unknown&payment_intent_client_secret=pi_unknown_secret_x&redirect_status=succeeded`,
  ]) {
    await open(page, `/checkout/complete?${query}`);
    await expect(page.getByTestId('payment-not-found')).toBeVisible();
  }
  // Jordan's own intent with a wrong secret is not found either.
  await signIn(page, customers.jordan);
  await open(page, `/checkout/complete?payment_intent=${intent}&payment_intent_client_secret=${intent}_secret_forged&redirect_status=succeeded`);
  await expect(page.getByTestId('payment-not-found')).toBeVisible();
  await open(page, '/orders');
  await expect(page.locator('tr[data-status="awaiting_payment"]')).toHaveCount(1);
});

test('3-D Secure failed: the reason is shown and the order can still be paid', async ({ page }) => {
  await checkout(page, customers.aoife, ['mug']);
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: testCards.threeDSecure });
  await pay(page);
  await failThreeDSecure(page);
  await expect(page.getByTestId('payment-error')).toHaveText(
    'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
  );
  await fillCard(page, { number: testCards.success });
  await pay(page);
  await expectOrder(page, 'paid');
});

test('iDEAL failed at the bank: the return page offers a retry of the same order', async ({ page }) => {
  needsEmulator("the stand-in's iDEAL bank select");
  await checkout(page, customers.aoife, ['beans']);
  const orderId = await page.locator('.order-summary').getAttribute('data-order');
  await chooseNewMethod(page, 'ideal');
  await chooseIdealBank(page, 'Rabobank');
  await pay(page);
  await failBankPayment(page);
  await expectOrder(page, 'payment_failed');
  await expect(page.getByTestId('result-body')).toContainText('not authorised at the bank');
  await page.getByRole('link', { name: 'Try again' }).click();
  await waitForPaymentElement(page);
  await expect(page.locator('.order-summary')).toHaveAttribute('data-order', orderId!);
  await expect(page.getByTestId('previous-failure')).toContainText('not authorised at the bank');
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: testCards.success });
  await pay(page);
  await expectOrder(page, 'paid');
});

test('Bancontact pays after the bank', async ({ page }) => {
  await checkout(page, customers.aoife, ['mug']);
  await payWith.bancontact(page);
  await expectOrder(page, 'paid');
});

test('Sofort is processing after the bank, then paid', async ({ page }) => {
  await checkout(page, customers.aoife, ['mug']);
  await payWith.sofort(page);
  await expectOrder(page, 'processing');
  await expectOrder(page, 'paid');
});

test('Link pays once the code is entered', async ({ page }) => {
  needsEmulator("the stand-in's inline Link sign-in");
  await checkout(page, customers.jordan, ['mug']);
  await payWith.link(page);
  await expectOrder(page, 'paid');
});

test('a saved method removed at the checkout is gone for good', async ({ page }) => {
  await checkout(page, customers.camille, ['mug']);
  const before = await savedMethods(page).count();
  const sepa = savedMethods(page).filter({ hasText: /3000/ });
  await expect(sepa).toHaveCount(1);
  const label = (await sepa.locator('label span').first().innerText()).trim();
  const frame = page.locator('iframe[title="Secure payment input frame"]');
  const height = async () => (await frame.boundingBox())!.height;
  // Measured once the frame has stopped growing (it resizes as its rows render).
  let tall = 0;
  await expect.poll(async () => {
    const [first, second] = [await height(), await (async () => { await page.waitForTimeout(250); return height(); })()];
    tall = second;
    return first === second;
  }).toBe(true);
  await removeSaved(page, label);
  await expect(savedMethods(page)).toHaveCount(before - 1);
  // The frame gives back the removed row's space: no blank above Pay.
  await expect.poll(height).toBeLessThan(tall - 20);
  await page.reload();
  await waitForPaymentElement(page);
  await expect(savedMethods(page)).toHaveCount(before - 1);
  await expect(savedMethods(page).filter({ hasText: /3000/ })).toHaveCount(0);
});

test('navigating away and back mounts one Payment Element, never two', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  for (let i = 0; i < 2; i++) {
    await page.getByRole('navigation').getByRole('link', { name: 'Catalog' }).click();
    await expect(page.locator('.product-card').first()).toBeVisible();
    await expect(page.locator('iframe[title="Secure payment input frame"]')).toHaveCount(0);
    await page.getByRole('navigation').getByRole('link', { name: 'Checkout' }).click();
    await waitForPaymentElement(page);
    await expect(page.locator('iframe[title="Secure payment input frame"]')).toHaveCount(1);
  }
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expectOrder(page, 'paid');
});

test('a failure is explained in French everywhere a French shopper looks', async ({ page }) => {
  await checkout(page, customers.camille, ['mug']);
  const order = (await page.locator('.order-summary').getAttribute('data-order'))!;
  await chooseNewMethod(page, 'ideal');
  await chooseIdealBank(page, 'ING');
  await pay(page);
  await failBankPayment(page);
  await expectOrder(page, 'payment_failed');
  const reason = 'pas été autorisé par la banque';
  await expect(page.getByTestId('result-body')).toContainText(reason);
  await open(page, '/orders');
  await expect(page.locator(`tr[data-order="${order}"] .status-reason`)).toContainText(reason);
  await open(page, '/messages');
  const notice = page.locator(`li.message[data-order="${order}"][data-kind="payment_failed"]`);
  await expect(notice.locator('.message-body')).toContainText(reason, { timeout: 15_000 });
  await openCheckout(page);
  await expect(page.getByTestId('previous-failure')).toContainText(reason);
  await expect(page.locator('main')).not.toContainText('not authorised');
  // Paid after all, so the next tests start from no open order.
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expectOrder(page, 'paid');
});

test("the card form starts on the customer's own country", async ({ page }) => {
  for (const [customer, country] of [[customers.aoife, 'IE'], [customers.jordan, 'US']] as const) {
    await checkout(page, customer, ['mug']);
    await chooseNewMethod(page, 'card');
    await expect(paymentFrame(page).getByLabel(/^(Country|Pays)$/)).toHaveValue(country);
  }
});

test('two tabs: a checkout opened in another tab never makes this one charge an amount it did not show', async ({ page, request }) => {
  needsEmulator('its event list, read with the secret key');
  await checkout(page, customers.jordan, ['mug']);
  await expect(page.getByTestId('pay')).toHaveText('Pay $22.49');
  await selectSaved(page, /Visa •••• 4242/);
  // Meanwhile, in another tab: one more item, and its checkout opened.
  const other = await page.context().newPage();
  await open(other, '/');
  await addToCart(other, 'beans');
  await open(other, '/checkout');
  await expect(other.getByTestId('checkout-total')).toHaveText('$36.39');
  await other.close();
  // Back in the first tab, Pay does not charge: the page says why and shows the new total.
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('payment-error')).toHaveText(
    'Your order changed in another window: the new total is $36.39. Check it, then press Pay again.',
  );
  await expect(page.getByTestId('checkout-total')).toHaveText('$36.39');
  await expect(page.getByTestId('pay')).toHaveText('Pay $36.39');
  await expect(page.getByTestId('order-result')).toHaveCount(0);
  // Pressed again, knowingly: the new total is charged.
  await pay(page);
  await expectOrder(page, 'paid');
  const paid = await stripeEvents(request, 'payment_intent.succeeded');
  expect(paid[0].data.object.amount).toBe(3639);
});

test('two tabs: an order paid in the other tab is said to be paid, not charged again', async ({ page }) => {
  await checkout(page, customers.jordan, ['grinder']);
  await selectSaved(page, /Visa •••• 4242/);
  const other = await page.context().newPage();
  await open(other, '/checkout');
  await waitForPaymentElement(other);
  await selectSaved(other, /Visa •••• 4242/);
  await pay(other);
  await expectOrder(other, 'paid');
  await other.close();
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('paid-elsewhere')).toContainText('This order was paid in another window.');
  await expect(page.getByTestId('paid-elsewhere').getByRole('link', { name: 'See your orders' })).toHaveAttribute('href', '/orders');
  await expect(page.getByTestId('pay')).toBeDisabled();
});

test('a card saved again replaces its older copy: never two look-alike rows', async ({ page }) => {
  await checkout(page, customers.jordan, ['beans']);
  const visa = () => savedMethods(page).filter({ hasText: /Visa •••• 4242/ });
  await expect(visa()).toHaveCount(1);
  // The same card as the saved one: number and expiry (the demo card expires in December, three years on).
  const expiry = `12 / ${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`;
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: testCards.success, expiry });
  await saveForFutureUse(page);
  await pay(page);
  await expectOrder(page, 'paid');
  await expect(async () => {
    await open(page, '/');
    await addToCart(page, 'mug');
    await openCheckout(page);
    await expect(visa()).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
});

test('Pay on an unchanged checkout asks the server one small question: no page, no new CustomerSession', async ({ page, request }) => {
  needsEmulator('its request log');
  await checkout(page, customers.jordan, ['mug']);
  const { last_seq: since } = await stripeRequests(request);
  let pages = 0;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/checkout') pages += 1; });
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expectOrder(page, 'paid');
  expect(pages).toBe(0);
  const sessions = (await stripeRequests(request, since)).data.filter((r) => r.path === '/v1/customer_sessions');
  expect(sessions).toEqual([]);
});
