import { type Browser, type Page } from '@playwright/test';
import { test, expect, needsEmulator } from '../support/fixtures';
import {
  addresses, checkout, checkoutOrder, expectOrder, giveAddress, inAddressStep, openCheckout, pay, payAndReturn, stripeObject,
} from '../support/checkout';
import { addToCart, customers, emptyCart, open, signIn } from '../support/shop';
import {
  addressContacts, addressFrame, chooseNewMethod, fillAddress, fillCard, paymentFrame, selectSaved, waitForPaymentElement,
} from '../support/stripe';
import { SHOP, signInByCode, stripe } from '../support/no-demo';

// The address step of orders with something to ship: the Address Element
// prefilled from the customer's saved address at Stripe, delivery priced by
// the server before Pay (shop/catalog.toml), the two-tab rule, "save for
// next time", and the same without JavaScript.

/** The summary's delivery and total, as shown. */
async function expectSummary(page: Page, delivery: string, total: string) {
  await expect(page.getByTestId('checkout-delivery')).toHaveText(delivery);
  await expect(page.getByTestId('checkout-total')).toHaveText(total);
}

test('Jordan\'s saved address is prefilled and priced: one click pays, and the order, the intent and the confirmation carry it', async ({ page, request }) => {
  await checkout(page, customers.jordan, ['mug']);
  // Shown compact, as Stripe's saved address card: Pay stays near.
  await expect(addressContacts(page)).toHaveCount(1);
  await expect(addressContacts(page)).toContainText('Jordan Smith');
  await expect(addressContacts(page)).toContainText('350 Fifth Avenue, New York, NY 10118, United States');
  await expect(page.getByTestId('checkout-subtotal')).toHaveText('$15.50');
  await expectSummary(page, '$6.99', '$22.49');
  await expect(page.getByTestId('pay')).toHaveText('Pay $22.49');
  await selectSaved(page, /Visa •••• 4242/);
  // The pictures of the address step in docs/ (E2E_UPDATE_DOCS=1 refreshes them): desktop, then a phone.
  const picture = (name: string) => (process.env.E2E_UPDATE_DOCS ? `../docs/${name}` : test.info().outputPath(name));
  await page.screenshot({ path: picture('checkout-delivery.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(async () => (await page.locator('iframe[title="Secure payment input frame"]').boundingBox())!.width).toBeLessThan(380);
  // Scrolled to, so that Chromium paints the frame (it skips cross-origin frames below the fold).
  await page.getByTestId('pay').scrollIntoViewIfNeeded();
  await expect(paymentFrame(page).getByRole('radio', { name: /Visa •••• 4242/ })).toBeInViewport();
  await page.screenshot({ path: picture('checkout-delivery-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  const intent = await payAndReturn(page);
  await expectOrder(page, 'paid');
  await expect(page.getByTestId('order-result').getByTestId('shipping-address')).toContainText('350 Fifth Avenue');
  const charged = await stripeObject(request, `/v1/payment_intents/${intent}`);
  expect(charged.amount).toBe(2249);
  expect(charged.shipping).toMatchObject({
    name: 'Jordan Smith',
    address: { line1: '350 Fifth Avenue', city: 'New York', state: 'NY', postal_code: '10118', country: 'US' },
  });
  const order = await page.getByTestId('order-result').locator('.order-number').innerText();
  const id = order.match(/\d+/)![0];
  await open(page, `/orders/${id}`);
  await expect(page.getByTestId('order-delivery')).toHaveText('$6.99');
  await expect(page.getByTestId('shipping-address')).toContainText('New York, NY 10118');
  await expect(page.getByTestId('shipping-address')).toContainText('United States');
  await open(page, '/messages');
  const confirmation = page.locator(`li.message[data-order="${id}"][data-kind="order_confirmed"] .message-body`);
  await expect(confirmation).toContainText('Delivery: $6.99');
  await expect(confirmation).toContainText('350 Fifth Avenue');
});

test('another country reprices before Pay; a country the shop does not deliver to is refused', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  await expectSummary(page, '$6.99', '$22.49');
  // Only the countries of the rates are offered (in the saved address's form).
  await addressFrame(page).getByTestId('address-contact-edit').click();
  const countries = addressFrame(page).locator('#Field-countryInput option');
  await expect(countries).toContainText(['France', 'Ireland', 'United States']);
  await expect(countries.filter({ hasText: 'Switzerland' })).toHaveCount(0);
  await fillAddress(page, { ...addresses.FR, country: 'FR' });
  await expectSummary(page, '$5.50', '$21.00');
  await expect(page.getByTestId('pay')).toHaveText('Pay $21.00');
  // A request naming another country (as a crafted one would) is refused and changes nothing.
  const order = await checkoutOrder(page);
  const refused = await page.request.post('/api/checkout/address', {
    headers: { Accept: 'application/json' },
    form: { order_id: order, name: 'Jordan Smith', line1: 'Bahnhofstrasse 1', city: 'Zürich', postal_code: '8001', country: 'CH' },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toBe('NotDelivered');
  await page.reload();
  await waitForPaymentElement(page);
  await expectSummary(page, '$5.50', '$21.00');
  // Back home, and paid, so the next tests start from no open order.
  await fillAddress(page, { line1: '350 Fifth Avenue', city: 'New York', state: 'NY', postal: '10118', country: 'US' });
  await expectSummary(page, '$6.99', '$22.49');
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expectOrder(page, 'paid');
});

test('a second tab that changes the address cannot make the first charge a total it did not show', async ({ page, context, request }) => {
  await checkout(page, customers.jordan, ['mug']);
  await expectSummary(page, '$6.99', '$22.49');
  // Tab B ships to France.
  const other = await context.newPage();
  await openCheckout(other);
  await fillAddress(other, { ...addresses.FR, country: 'FR' });
  await expectSummary(other, '$5.50', '$21.00');
  await other.close();
  // Tab A still shows $22.49: Pay shows the new total instead of paying.
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expect(page.getByTestId('payment-error')).toHaveText(
    'Your order changed in another window: the new total is $21.00. Check it, then press Pay again.',
  );
  await expectSummary(page, '$5.50', '$21.00');
  // Its element still says New York: Pay prices that first, and says so.
  await pay(page);
  await expect(page.getByTestId('payment-error')).toHaveText(
    'Your delivery details changed: the total is now $22.49. Please check it and pay again.',
  );
  await expectSummary(page, '$6.99', '$22.49');
  // Now what it shows is what is charged.
  const intent = await payAndReturn(page);
  await expectOrder(page, 'paid');
  const charged = await stripeObject(request, `/v1/payment_intents/${intent}`);
  expect(charged.amount).toBe(2249);
  expect(charged.shipping.address.country).toBe('US');
});

test('downloads only: no address step and no delivery', async ({ page }) => {
  await checkout(page, customers.aoife, ['brewing-guide']);
  await expect(page.getByTestId('address-element')).toHaveCount(0);
  await expect(page.getByTestId('checkout-delivery')).toHaveCount(0);
  await expect(page.getByTestId('checkout-total')).toHaveText('€6.00');
});

test.describe('customers of a shop without demo accounts', () => {
  test.beforeEach(() => needsEmulator('a shop whose Stripe customers the test creates'));

  async function buyMug(page: Page) {
    await open(page, `${SHOP}/`);
    await addToCart(page, 'mug');
    await open(page, `${SHOP}/checkout`);
  }

  async function payWithNewCard(page: Page) {
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: '4242424242424242' });
    await pay(page);
    await expectOrder(page, 'paid');
  }

  async function newCustomer(browser: Browser, page: Page, extra: Record<string, string> = {}) {
    const email = `ship.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.de`;
    await stripe('/v1/customers', { email, name: 'Lena Weber', 'address[country]': 'DE', ...extra });
    await signInByCode(page, browser, email);
    return email;
  }

  test('a new address is asked for first, and prefilled next time only when saved', async ({ page, browser }) => {
    await newCustomer(browser, page);
    await buyMug(page);
    expect(await inAddressStep(page)).toBe(true);
    // No Payment Element before the address: nothing can be paid without its delivery.
    await expect(page.getByTestId('checkout-delivery')).toHaveText('Needs an address');
    await expect(page.getByTestId('pay')).toHaveText('Continue to payment');
    await expect(addressFrame(page).locator('#Field-countryInput')).toHaveValue('DE');
    await expect(addressFrame(page).locator('#Field-nameInput')).toHaveValue('Lena Weber');
    await giveAddress(page);
    await expectSummary(page, '€7.90', '€22.40');
    await payWithNewCard(page);
    // Not saved: asked again.
    await buyMug(page);
    expect(await inAddressStep(page)).toBe(true);
    await giveAddress(page, { ...addresses.DE, line1: 'Friedrichstraße 43' }, { save: true });
    await payWithNewCard(page);
    // Saved: prefilled and priced at once.
    await buyMug(page);
    expect(await inAddressStep(page)).toBe(false);
    await waitForPaymentElement(page);
    await expect(addressContacts(page)).toContainText('Friedrichstraße 43');
    await expectSummary(page, '€7.90', '€22.40');
  });

  test('a saved address in a country the shop does not deliver to is told at the field', async ({ page, browser }) => {
    await newCustomer(browser, page, {
      'shipping[name]': 'Lena Weber', 'shipping[address][line1]': 'Bahnhofstrasse 1', 'shipping[address][city]': 'Zürich',
      'shipping[address][postal_code]': '8001', 'shipping[address][country]': 'CH',
    });
    await buyMug(page);
    expect(await inAddressStep(page)).toBe(true);
    await expect(page.getByTestId('address-error')).toHaveText(/saved address is in a country we do not deliver to/);
    await giveAddress(page);
    await expect(page.getByTestId('checkout-delivery')).toHaveText('€7.90');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  const noJs = { javaScript: false };

  test.beforeEach(({ problems }) => {
    problems.expect(/request failed: GET .*\/pkg\/shop\.[0-9a-f]+\.js \(csp\)/);
  });

  test('a plain address form prices delivery, refuses what it cannot ship, and the order is then paid with the address', async ({ page, browser }) => {
    await signIn(page, customers.aoife, noJs);
    await emptyCart(page, noJs);
    await open(page, '/', noJs);
    await addToCart(page, 'mug', noJs);
    await open(page, '/checkout', noJs);
    const form = page.getByTestId('plain-address-form');
    await expect(page.getByTestId('checkout-delivery')).toHaveText('Needs an address');
    await expect(form.getByLabel('Country')).toHaveValue('IE');
    // A country outside the list (a crafted post): back with the reason, nothing changed.
    const order = await checkoutOrder(page);
    const crafted = await page.request.post('/api/checkout/address', {
      headers: { Accept: 'text/html', Referer: page.url() },
      form: { order_id: order, name: 'Aoife Byrne', line1: 'Bahnhofstrasse 1', city: 'Zürich', postal_code: '8001', country: 'CH' },
      maxRedirects: 0,
    });
    expect(crafted.status()).toBe(302);
    await page.goto(crafted.headers()['location']);
    await expect(page.getByTestId('plain-address-error')).toHaveText(/do not deliver to this country/);
    await expect(page.getByTestId('checkout-delivery')).toHaveText('Needs an address');
    await form.getByLabel('Address line 1').fill('7 Grafton Street');
    await form.getByLabel('City').fill('Dublin');
    await form.getByLabel('Postal code').fill('D02 X285');
    await form.getByRole('button', { name: 'Continue to payment' }).click();
    await expect(page).toHaveURL(/\/checkout\??$/);
    await expect(page.getByTestId('checkout-delivery')).toHaveText('€7.90');
    await expect(page.getByTestId('checkout-total')).toHaveText('€22.40');
    await expect(form.getByLabel('Address line 1')).toHaveValue('7 Grafton Street');
    await expect(page.getByTestId('needs-javascript')).toBeVisible();
    // The same order, paid where JavaScript runs: the address is the one given.
    // (A context made here takes the file's options: JavaScript is turned back on.)
    const withJs = await browser.newContext({ javaScriptEnabled: true, storageState: await page.context().storageState() });
    const payPage = await withJs.newPage();
    await openCheckout(payPage);
    await expect(addressContacts(payPage)).toContainText('7 Grafton Street');
    await expect(payPage.getByTestId('checkout-total')).toHaveText('€22.40');
    await chooseNewMethod(payPage, 'card');
    await fillCard(payPage, { number: '4242424242424242' });
    await pay(payPage);
    await expectOrder(payPage, 'paid');
    await withJs.close();
    await open(page, `/orders/${order}`, noJs);
    await expect(page.getByTestId('shipping-address')).toContainText('7 Grafton Street');
    await expect(page.getByTestId('order-total')).toHaveText('€22.40');
  });
});
