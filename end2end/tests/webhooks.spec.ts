import { test, expect, liveStripe } from '../support/fixtures';
import {
  checkout, checkoutOrder, expectOrder, messagesAbout, pay, payWith, settleWebhooks, webhookChaos,
} from '../support/checkout';
import type { Page } from '@playwright/test';
import { customers, open, type Customer } from '../support/shop';
import {
  chooseIdealBank, chooseNewMethod, failBankPayment, fillCard, fillSepaDebit, testCards, testIbans,
  waitForPaymentElement,
} from '../support/stripe';

// Stripe delivers events at least once, in any order, and not always at the
// first attempt. Here the shop's emulator makes that as bad as it gets: every
// event twice, shuffled, and each first attempt answered as a failure. The
// checkout flows must still end with the order paid once and one
// confirmation message (the messages page shows what the outbox delivered).
test.describe('with webhook chaos: duplicated, shuffled, first attempts failing', () => {
  test.skip(liveStripe, "needs the Stripe emulator (webhook chaos); skipped against real Stripe test mode");
  test.beforeAll(() => { if (!liveStripe) return webhookChaos({ duplicate: true, shuffle: true, fail_first: true }); });
  test.afterAll(() => { if (!liveStripe) return webhookChaos({}); });

  /** After every delivery and retry has landed, exactly one confirmation (ends on /messages). */
  async function expectConfirmedOnce(page: Page, order: string) {
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'order_confirmed')).toHaveCount(1, { timeout: 15_000 });
    await settleWebhooks();
    await open(page, '/orders');
    await expect(page.locator(`tr[data-order="${order}"]`)).toHaveAttribute('data-status', 'paid');
    await open(page, '/messages');
    await expect(messagesAbout(page, order, 'order_confirmed')).toHaveCount(1);
  }

  test('a saved card', async ({ page }) => {
    await checkout(page, customers.jordan, ['mug']);
    const order = await checkoutOrder(page);
    await payWith.savedCard(page);
    await expectOrder(page, 'paid');
    await page.getByRole('link', { name: 'Your messages about this order' }).click();
    await expect(messagesAbout(page, order, 'order_confirmed')).toHaveCount(1, { timeout: 15_000 });
    await expectConfirmedOnce(page, order);
    const message = messagesAbout(page, order, 'order_confirmed');
    await expect(message.locator('.message-subject')).toHaveText(`Order #${order} confirmed`);
    await expect(message.locator('.message-body')).toContainText('1 × Stoneware mug');
    await expect(message.getByRole('link', { name: 'Open the order' })).toHaveAttribute('href', `/orders/${order}`);
  });

  // Every other way to pay at the checkout, each ending paid once.
  const flows: {
    name: string; customer: Customer; pay: (page: Page) => Promise<void>; processing?: boolean; declined?: boolean;
  }[] = [
    { name: 'a new card with 3-D Secure', customer: customers.aoife, pay: payWith.threeDSecureCard },
    { name: 'a declined card, then another card', customer: customers.aoife, pay: payWith.declinedThenCard, declined: true },
    { name: 'a saved US bank account', customer: customers.jordan, pay: payWith.savedUsBankAccount, processing: true },
    { name: 'iDEAL', customer: customers.aoife, pay: payWith.ideal },
    { name: 'Bancontact', customer: customers.aoife, pay: payWith.bancontact },
    { name: 'Sofort', customer: customers.aoife, pay: payWith.sofort, processing: true },
    { name: 'Link', customer: customers.jordan, pay: payWith.link },
  ];

  for (const flow of flows) {
    test(flow.name, async ({ page, problems }) => {
      if (flow.declined) {
        problems.expect(/HTTP 402: POST .*\/confirm/);
        problems.expect(/console error: Failed to load resource: .* 402/);
      }
      await checkout(page, flow.customer, ['mug']);
      const order = await checkoutOrder(page);
      await flow.pay(page);
      if (flow.processing) await expectOrder(page, 'processing');
      await expectOrder(page, 'paid');
      await expectConfirmedOnce(page, order);
      await expect(messagesAbout(page, order, 'payment_pending')).toHaveCount(flow.processing ? 1 : 0);
    });
  }

  test('a SEPA debit: one "payment pending" message, then one confirmation, in French', async ({ page }) => {
    await checkout(page, customers.camille, ['beans']);
    const order = await checkoutOrder(page);
    await chooseNewMethod(page, 'sepa_debit');
    await fillSepaDebit(page, { iban: testIbans.success });
    await pay(page);
    await expectOrder(page, 'processing');
    await expectOrder(page, 'paid');
    await expectConfirmedOnce(page, order);
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
    await expect(messagesAbout(page, order, 'payment_failed')).toHaveCount(1);
  });
});

test('the messages page asks a signed-out visitor to sign in', async ({ page }) => {
  await open(page, '/messages');
  await expect(page.getByText('Sign in to see your messages.')).toBeVisible();
});
