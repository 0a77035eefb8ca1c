import { test, expect } from '../support/fixtures';
import {
  checkout, checkoutOrder, expectOrder, messagesAbout, pay, settleWebhooks, webhookChaos,
} from '../support/checkout';
import { customers, open } from '../support/shop';
import {
  chooseIdealBank, chooseNewMethod, completeThreeDSecure, failBankPayment, fillCard, fillSepaDebit, selectSaved,
  testCards, testIbans, waitForPaymentElement,
} from '../support/stripe';

// Stripe delivers events at least once, in any order, and not always at the
// first attempt. Here the shop's emulator makes that as bad as it gets: every
// event twice, shuffled, and each first attempt answered as a failure. The
// checkout flows must still end with the order paid once and one
// confirmation message (the messages page shows what the outbox delivered).
test.describe('with webhook chaos: duplicated, shuffled, first attempts failing', () => {
  test.beforeAll(() => webhookChaos({ duplicate: true, shuffle: true, fail_first: true }));
  test.afterAll(() => webhookChaos({}));

  /** After every delivery and retry has landed, exactly one confirmation. */
  async function expectConfirmedOnce(page: import('@playwright/test').Page, order: string) {
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'order_confirmed')).toHaveCount(1, { timeout: 15_000 });
    await settleWebhooks();
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'order_confirmed')).toHaveCount(1);
    await open(page, '/orders');
    await expect(page.locator(`tr[data-order="${order}"]`)).toHaveAttribute('data-status', 'paid');
  }

  test('a saved card', async ({ page }) => {
    await checkout(page, customers.jordan, ['mug']);
    const order = await checkoutOrder(page);
    await selectSaved(page, /Visa •••• 4242/);
    await pay(page);
    await expectOrder(page, 'paid');
    await expectConfirmedOnce(page, order);
    const message = messagesAbout(page, order, 'order_confirmed');
    await open(page, '/messages');
    await expect(message.locator('.message-subject')).toHaveText(`Order #${order} confirmed`);
    await expect(message.locator('.message-body')).toContainText('1 × Stoneware mug');
    await expect(message.getByRole('link', { name: 'See your orders' })).toHaveAttribute('href', '/orders');
  });

  test('3-D Secure', async ({ page }) => {
    await checkout(page, customers.aoife, ['grinder']);
    const order = await checkoutOrder(page);
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    await completeThreeDSecure(page);
    await expectOrder(page, 'paid');
    await expectConfirmedOnce(page, order);
  });

  test('a SEPA debit: one "payment pending" message, then one confirmation, in French', async ({ page }) => {
    await checkout(page, customers.camille, ['beans']);
    const order = await checkoutOrder(page);
    await chooseNewMethod(page, 'sepa_debit');
    await fillSepaDebit(page, { iban: testIbans.success });
    await pay(page);
    await expectOrder(page, 'processing');
    await expectOrder(page, 'paid');
    await expectConfirmedOnce(page, order);
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'payment_pending')).toHaveCount(1);
    await expect(messagesAbout(page, order, 'payment_pending').locator('.message-subject'))
      .toHaveText(`Commande n° ${order} reçue, paiement en cours`);
    await expect(messagesAbout(page, order, 'order_confirmed').locator('.message-subject'))
      .toHaveText(`Commande n° ${order} confirmée`);
  });

  test('iDEAL failed, then the link in the failure message pays the same order', async ({ page }) => {
    await checkout(page, customers.aoife, ['mug']);
    const order = await checkoutOrder(page);
    await chooseNewMethod(page, 'ideal');
    await chooseIdealBank(page, 'Rabobank');
    await pay(page);
    await failBankPayment(page);
    await expectOrder(page, 'payment_failed');
    // The failure notice waits SHOP_FAILURE_NOTICE_DELAY_SECS (1 s in tests), then appears.
    await open(page, '/messages');
    const notice = messagesAbout(page, order, 'payment_failed');
    await expect(notice).toHaveCount(1, { timeout: 15_000 });
    await expect(notice.locator('.message-body')).toContainText('not authorised at the bank');
    await notice.getByRole('link', { name: 'Try again' }).click();
    await waitForPaymentElement(page);
    expect(await checkoutOrder(page)).toBe(order);
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.success });
    await pay(page);
    await expectOrder(page, 'paid');
    await expectConfirmedOnce(page, order);
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'payment_failed')).toHaveCount(1);
  });
});

test('the messages page asks a signed-out visitor to sign in', async ({ page }) => {
  await open(page, '/messages');
  await expect(page.getByText('Sign in to see your messages.')).toBeVisible();
});
