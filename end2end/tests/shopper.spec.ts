import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, needsEmulator } from '../support/fixtures';
import {
  addresses, checkout, checkoutOrder, expectOrder, pay, payAndReturn, settleWebhooks, webhookChaos,
} from '../support/checkout';
import { customers, open, signIn } from '../support/shop';
import {
  addressContacts, chooseNewMethod, failThreeDSecure, fillAddress, fillCard, fillSepaDebit, paymentFrame, selectSaved, testCards,
} from '../support/stripe';

// The shopper's side: the confirmation is the receipt, every refusal is in
// the page's language, messages sit under their order, a phone shows Pay
// without scrolling, the card form behaves as Stripe's, and a dark page
// gets a dark payment form.

/** Every refusal a card can get at the emulator (its test numbers), and what the shop says. */
const refusals: { card: string; en: string; fr: string }[] = [
  { card: '4000000000000002', en: 'Your card was declined. Try another card or another payment method.', fr: 'Votre carte a été refusée. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4000000000009995', en: 'Your card has insufficient funds. Try another card or another payment method.', fr: 'Le solde de votre carte est insuffisant. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4000000000009987', en: 'Your card was declined. Try another card or another payment method.', fr: 'Votre carte a été refusée. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4000000000009979', en: 'Your card was declined. Try another card or another payment method.', fr: 'Votre carte a été refusée. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4000000000006975', en: "Your card's limit has been reached. Try another card or another payment method.", fr: 'Le plafond de votre carte est atteint. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4100000000000019', en: 'Your card was declined. Try another card or another payment method.', fr: 'Votre carte a été refusée. Essayez une autre carte ou un autre moyen de paiement.' },
  { card: '4000000000000069', en: "Your card has expired. Check the card's details and try again, or use another card.", fr: 'Votre carte a expiré. Vérifiez les informations de la carte et réessayez, ou utilisez-en une autre.' },
  { card: '4000000000000127', en: "Your card's security code is incorrect. Check the card's details and try again, or use another card.", fr: 'Le code de sécurité de votre carte est incorrect. Vérifiez les informations de la carte et réessayez, ou utilisez-en une autre.' },
  { card: '4000000000000119', en: 'An error occurred while processing your card. Please try again in a moment.', fr: 'Une erreur est survenue lors du traitement de votre carte. Réessayez dans un instant.' },
];
const THREE_DS_FAILED = {
  en: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
  fr: 'Nous n’avons pas pu authentifier votre moyen de paiement. Choisissez-en un autre et réessayez.',
};
/** Words that give English away on a French page. */
const ENGLISH = /\b(your|the|card|payment|please|declined|try)\b/i;

/** The order id of the open confirmation. */
async function confirmedOrder(page: Page) {
  const text = await page.getByTestId('order-result').locator('.order-number').innerText();
  return text.match(/\d+/)![0];
}

test.describe('the confirmation is the receipt', () => {
  test('parcels, in English: what happens next, how it was paid, where it goes, and the ways on', async ({ page }) => {
    await checkout(page, customers.jordan, ['mug']);
    await selectSaved(page, /Visa •••• 4242/);
    await payAndReturn(page);
    await expectOrder(page, 'paid');
    const result = page.getByTestId('order-result');
    const id = await confirmedOrder(page);
    await expect(result.getByTestId('what-next')).toHaveText(/We are preparing your order and will send it to the address below/);
    await expect(result.getByTestId('shipping-address')).toContainText('New York');
    await expect(result.getByTestId('order-total')).toHaveText('$22.49');
    await expect(result.getByTestId('order-delivery')).toHaveText('$6.99');
    // How it was paid: named once Stripe has said (the page is reloaded until then).
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('order-method')).toContainText('4242', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const links = page.getByTestId('result-links');
    await expect(links.getByRole('link', { name: 'View the receipt' })).toHaveAttribute('href', `/orders/${id}`);
    await expect(links.getByRole('link', { name: 'All your orders' })).toHaveAttribute('href', '/orders');
    await expect(links.getByRole('link', { name: 'Continue shopping' })).toHaveAttribute('href', '/');
    await expect(links.getByRole('link', { name: 'Your messages about this order' })).toHaveAttribute('href', `/messages#order-${id}-messages`);
    // The verdict has the focus for screen readers, without a box drawn around it.
    const heading = result.getByRole('heading', { level: 1 });
    await expect(heading).toBeFocused();
    expect(await heading.evaluate((h) => getComputedStyle(h).outlineStyle)).toBe('none');
    // The picture in docs/ (E2E_UPDATE_DOCS=1 refreshes it).
    await page.screenshot({
      path: process.env.E2E_UPDATE_DOCS ? '../docs/confirmation.png' : test.info().outputPath('confirmation.png'),
      fullPage: true,
    });

    // Its messages: under the order, dated in the shopper's time zone, linking to it.
    await open(page, '/messages');
    const group = page.locator(`.message-group[data-order="${id}"]`);
    await expect(group.getByRole('heading', { level: 2 })).toHaveText(`Order #${id}`);
    await expect(group.getByRole('link', { name: `Order #${id}` })).toHaveAttribute('href', `/orders/${id}`);
    const confirmation = group.locator('li.message[data-kind="order_confirmed"]');
    await expect(confirmation).toBeVisible({ timeout: 15_000 });
    const date = confirmation.getByTestId('message-date').locator('time');
    await expect(date).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    await expect(date).not.toHaveText(/UTC/);
    await expect(confirmation.getByRole('link', { name: 'Open the order' })).toHaveAttribute('href', `/orders/${id}`);
    // The order list writes its dates in the same time zone.
    await open(page, '/orders');
    await expect(page.locator(`tr[data-order="${id}"] time`)).not.toHaveText(/UTC/);
  });

  test('downloads only, in French: open on the confirmation, and no word of shipping', async ({ page }) => {
    await checkout(page, customers.camille, ['brewing-guide']);
    await selectSaved(page, /Visa •••• 4242/);
    await payAndReturn(page);
    await expectOrder(page, 'paid');
    const id = await confirmedOrder(page);
    await expect(page.getByTestId('what-next')).toContainText('Vos téléchargements sont ouverts');
    await expect(page.getByTestId('download')).toHaveAttribute('href', `/orders/${id}/downloads/brewing-guide`);
    await expect(page.getByTestId('result-links').getByRole('link', { name: 'Voir le reçu' })).toHaveAttribute('href', `/orders/${id}`);
    await expect(page.getByTestId('order-result')).not.toContainText(/expédi|livraison/i);

    await open(page, '/messages');
    const body = page.locator(`li.message[data-order="${id}"][data-kind="order_confirmed"] .message-body`);
    await expect(body).toContainText('Vos téléchargements sont ouverts', { timeout: 15_000 });
    await expect(body).not.toContainText(/expédi/);
  });
});

for (const customer of [customers.aoife, customers.camille]) {
  const lang = customer.locale as 'en' | 'fr';
  test(`every refusal a card can get reads in the page's language (${lang})`, async ({ page, problems }) => {
    problems.expect(/HTTP 402: POST .*\/confirm/);
    problems.expect(/console error: Failed to load resource: .* 402/);
    await checkout(page, customer, ['beans']);
    await chooseNewMethod(page, 'card');
    const error = page.getByTestId('payment-error');
    // 3-D Secure refused: the merchant on the bank's page is the shop.
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    const challenge = page.frameLocator('iframe[title="3D Secure challenge"]');
    await expect(challenge.getByTestId('merchant-name')).toHaveText('Rustic Roast');
    await failThreeDSecure(page);
    await expect(error).toHaveText(THREE_DS_FAILED[lang]);
    if (lang === 'fr') expect(await error.innerText()).not.toMatch(ENGLISH);
    for (const refusal of refusals) {
      await fillCard(page, { number: refusal.card });
      await pay(page);
      await expect(error, refusal.card).toHaveText(refusal[lang]);
      if (lang === 'fr') expect(await error.innerText(), refusal.card).not.toMatch(ENGLISH);
    }
    if (lang === 'fr') expect(await error.innerText()).not.toMatch(ENGLISH);
  });
}

test('a late "payment failed" event does not undo a retry that is processing, and sends no failure notice', async ({ page }) => {
  needsEmulator('webhook delay');
  // Every event reaches the shop 4 s late: the failure of the first attempt
  // lands after the second attempt (a SEPA debit) is already processing.
  await webhookChaos({ delay_ms: 4_000 });
  try {
    await checkout(page, customers.aoife, ['beans']);
    const order = await checkoutOrder(page);
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    await failThreeDSecure(page);
    await expect(page.getByTestId('payment-error')).toBeVisible();
    await chooseNewMethod(page, 'sepa_debit');
    await fillSepaDebit(page, { iban: 'DE08370400440532013003' });
    await payAndReturn(page);
    await expectOrder(page, 'processing');
    await settleWebhooks();
    // The outbox has had time to send anything due (failure notices wait 1 s here).
    await page.waitForTimeout(3_000);
    await open(page, `/orders/${order}`);
    await expect(page.getByTestId('order-status')).toHaveText('Payment pending');
    await open(page, '/messages');
    const group = page.locator(`.message-group[data-order="${order}"]`);
    await expect(group.locator('li.message[data-kind="payment_pending"]')).toHaveCount(1);
    await expect(group.locator('li.message[data-kind="payment_failed"]')).toHaveCount(0);
  } finally {
    await webhookChaos({});
  }
});

for (const viewport of [{ width: 360, height: 740 }, { width: 390, height: 844 }]) {
  test.describe(`phone ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('the catalog shows the first "Add to cart", and the checkout its total and Pay, without scrolling', async ({ page }) => {
      await signIn(page, customers.jordan);
      await open(page, '/');
      const add = page.locator('[data-product] button[type="submit"]').first();
      const addBox = (await add.boundingBox())!;
      console.log(`${viewport.width}×${viewport.height}: first "Add to cart" ends at ${Math.round(addBox.y + addBox.height)} px`);
      expect(addBox.y + addBox.height).toBeLessThanOrEqual(viewport.height);

      // Downloads: the summary bar, the saved methods and Pay fit the screen.
      await checkout(page, customers.jordan, ['brewing-guide']);
      await expect(page.getByTestId('pay')).toBeEnabled();
      const guidePay = (await page.getByTestId('pay').boundingBox())!;
      console.log(`${viewport.width}×${viewport.height}: Pay (downloads) ends at ${Math.round(guidePay.y + guidePay.height)} px`);
      expect(guidePay.y + guidePay.height).toBeLessThanOrEqual(viewport.height);

      // A parcel adds the Address Element above the payment: the saved
      // address shows as a compact card, "save" only once it is edited.
      await checkout(page, customers.jordan, ['mug']);
      await expect(page.getByTestId('pay')).toBeEnabled();
      const summary = page.getByTestId('summary-fold');
      await expect(summary).not.toHaveAttribute('open', '');
      await expect(summary.locator('summary')).toContainText('$22.49');
      await expect(addressContacts(page)).toHaveCount(1);
      await expect(page.getByTestId('save-address')).toBeHidden();
      const box = (await page.getByTestId('pay').boundingBox())!;
      console.log(`${viewport.width}×${viewport.height}: Pay (parcel, address shown) ends at ${Math.round(box.y + box.height)} px`);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      // The summary bar with the total is in view at once.
      const bar = (await summary.locator('summary').boundingBox())!;
      expect(bar.y + bar.height).toBeLessThanOrEqual(viewport.height);
      // The summary opens on demand.
      await summary.locator('summary').click();
      await expect(page.getByTestId('checkout-delivery')).toHaveText('$6.99');
      // Another address: offered to be saved, and priced.
      await fillAddress(page, { ...addresses.US, line1: '1 Main Street' });
      await expect(page.getByTestId('save-address')).toBeVisible();
      await expect(page.getByTestId('checkout-total')).toHaveText('$22.49');
    });
  });
}

test('on a wide screen the summary is open, its bar hidden', async ({ page }) => {
  await checkout(page, customers.jordan, ['mug']);
  await expect(page.getByTestId('summary-fold')).toHaveAttribute('open', '');
  await expect(page.getByTestId('summary-fold').locator('summary')).toBeHidden();
  await expect(page.getByTestId('checkout-total')).toBeVisible();
});

test('the card form groups the number as typed, shows the brand in the field, and asks before removing a saved method', async ({ page }) => {
  needsEmulator("the stand-in's card field");
  await checkout(page, customers.aoife, ['beans']);
  await chooseNewMethod(page, 'card');
  const frame = paymentFrame(page);
  const number = frame.locator('#Field-numberInput');
  await number.pressSequentially('4242424242424242');
  await expect(number).toHaveValue('4242 4242 4242 4242');
  await expect(frame.locator('#brand')).toHaveText('Visa');
  const [field, brand] = [(await number.boundingBox())!, (await frame.locator('#brand').boundingBox())!];
  expect(brand.x).toBeGreaterThan(field.x);
  expect(brand.x + brand.width).toBeLessThanOrEqual(field.x + field.width);
  expect(brand.y).toBeGreaterThanOrEqual(field.y);
  expect(brand.y + brand.height).toBeLessThanOrEqual(field.y + field.height);
  await number.fill('378282246310005');
  await expect(number).toHaveValue('3782 822463 10005');
  await expect(frame.locator('#brand')).toHaveText('American Express');

  // Jordan's saved card: "Remove" asks first; "Cancel" keeps it.
  await checkout(page, customers.jordan, ['mug']);
  const card = frame.locator('[data-payment-method]').filter({ hasText: 'Visa •••• 4242' });
  await expect(frame.getByRole('radio', { name: /Visa •••• 4242/ })).toBeChecked();
  await frame.getByRole('button', { name: /^Remove Visa •••• 4242/ }).click();
  const ask = frame.getByTestId('remove-confirm');
  await expect(ask).toContainText('Remove this payment method? Visa •••• 4242');
  await expect(card).toHaveCount(1);
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(card).toHaveCount(1);
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('pages and the payment form follow prefers-color-scheme, and axe finds nothing', async ({ page }) => {
    await open(page, '/');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(27, 22, 19)');
    const text = await page.evaluate(() => getComputedStyle(document.documentElement).color);
    expect(text).toBe('rgb(243, 236, 230)');
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    expect((await new AxeBuilder({ page }).withTags(tags).analyze()).violations).toEqual([]);

    await checkout(page, customers.jordan, ['mug']);
    const frame = paymentFrame(page);
    await expect(frame.locator('body')).toHaveClass(/theme-night/);
    const field = await frame.locator('.saved-item').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(field).toBe('rgb(38, 32, 25)');
    expect((await new AxeBuilder({ page }).withTags(tags).exclude('iframe').analyze()).violations).toEqual([]);
  });
});
