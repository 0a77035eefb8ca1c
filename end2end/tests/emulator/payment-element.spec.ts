import { test, expect } from '../../support/fixtures';
import {
  authorizeBankPayment, chooseIdealBank, chooseNewMethod, chooseSofortCountry, completeThreeDSecure, failBankPayment,
  failThreeDSecure, fillBancontact, fillCard, fillSepaDebit, fillUsBankAccount, paymentFrame, removeSaved, saveForFutureUse,
  savedMethods, selectSaved, signInToLink, testBankAccounts, testCards, testIbans, waitForPaymentElement,
} from '../../support/stripe';
import { EMULATOR, expectOutcome, expectSettled, openDemo as demo, pay } from '../../support/demo';

test.describe('saved payment methods', () => {
  test('the newest saved method is selected and pays (SEPA: processing)', async ({ page }) => {
    await demo(page, 'persona=camille');
    await expect(savedMethods(page)).toHaveCount(2);
    await expect(savedMethods(page).first()).toContainText('SEPA Debit •••• 3000');
    await expect(paymentFrame(page).getByRole('radio', { name: /SEPA Debit •••• 3000/ })).toBeChecked();
    await pay(page);
    await expectOutcome(page, 'processing');
  });

  test('a saved card pays with one click', async ({ page }) => {
    await demo(page, 'persona=camille');
    await selectSaved(page, /Visa •••• 4242/);
    await pay(page);
    await expectOutcome(page, 'succeeded');
  });

  test('a saved US bank account pays, then processes', async ({ page }) => {
    await demo(page, 'persona=jordan');
    await selectSaved(page, /STRIPE TEST BANK •••• 6789/);
    await pay(page);
    await expectOutcome(page, 'processing');
  });

  test('the change event reports the selected saved method', async ({ page }) => {
    await demo(page, 'persona=jordan');
    await selectSaved(page, /Visa •••• 4242/);
    const last = await page.evaluate(() => {
      const log = (window as unknown as { __demo: { log: { type: string; event: any }[] } }).__demo.log;
      return log.filter((e) => e.type === 'change').pop()!.event;
    });
    expect(last.complete).toBe(true);
    expect(last.value.type).toBe('card');
    expect(last.value.payment_method.id).toMatch(/^pm_/);
  });

  test('a saved method can be removed, and stays removed', async ({ page }) => {
    await demo(page, 'persona=camille');
    const customer = await page.locator('body').getAttribute('data-customer');
    await removeSaved(page, 'Visa •••• 4242');
    await expect(savedMethods(page)).toHaveCount(1);
    const removed = await page.evaluate(() =>
      (window as unknown as { __demo: { log: { type: string; event: any }[] } }).__demo.log.find((e) => e.type === 'savedpaymentmethodremove')?.event,
    );
    expect(removed.success).toBe(true);
    expect(removed.payment_method.type).toBe('card');
    await demo(page, `persona=camille&customer=${customer}`);
    await expect(savedMethods(page)).toHaveCount(1);
    await expect(savedMethods(page)).toContainText('SEPA Debit');
  });

  test('redisplay limit and allow_redisplay filters decide what is shown', async ({ page }) => {
    await demo(page, 'persona=camille&limit=1');
    await expect(savedMethods(page)).toHaveCount(1);
    await expect(savedMethods(page)).toContainText('SEPA Debit');
    await demo(page, 'persona=camille&filters=limited');
    await expect(savedMethods(page)).toHaveCount(0);
    await expect(paymentFrame(page).getByRole('tab', { name: 'Card' })).toBeVisible();
  });
});

test.describe('new payment methods', () => {
  test('a new card pays; saved with the checkbox, it is offered on the next visit', async ({ page }) => {
    await demo(page, 'persona=new');
    const customer = await page.locator('body').getAttribute('data-customer');
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.success });
    await saveForFutureUse(page);
    await pay(page);
    await expectOutcome(page, 'succeeded');
    await demo(page, `persona=new&customer=${customer}`);
    await expect(savedMethods(page)).toHaveCount(1);
    await expect(savedMethods(page)).toContainText('Visa •••• 4242');
  });

  test('without the checkbox, a new card is not offered again', async ({ page }) => {
    await demo(page, 'persona=new');
    const customer = await page.locator('body').getAttribute('data-customer');
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.success });
    await pay(page);
    await expectOutcome(page, 'succeeded');
    await demo(page, `persona=new&customer=${customer}`);
    await expect(savedMethods(page)).toHaveCount(0);
  });

  test('a declined card shows the reason and can be retried', async ({ page, problems }) => {
    problems.expect(/HTTP 402: POST .*\/confirm/);
    problems.expect(/console error: Failed to load resource: .* 402/);
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.insufficientFunds });
    await pay(page);
    await expect(page.locator('#message')).toHaveText('Your card has insufficient funds.');
    await fillCard(page, { number: testCards.success });
    await pay(page);
    await expectOutcome(page, 'succeeded');
  });

  test('the form validates as the customer types', async ({ page }) => {
    await demo(page, 'persona=new');
    const frame = paymentFrame(page);
    await chooseNewMethod(page, 'card');
    await expect(page.locator('#pay')).toBeDisabled();
    await frame.getByLabel('Card number').fill('4242424242424241');
    await frame.getByLabel('Expiration date').click();
    await expect(frame.getByRole('alert')).toHaveText('Your card number is invalid.');
    await frame.getByLabel('Card number').fill('5555555555554444');
    await expect(frame.getByText('Mastercard')).toBeVisible();
    await frame.getByLabel('Expiration date').fill('0120');
    await frame.getByLabel('Security code').click();
    await expect(frame.getByRole('alert')).toHaveText("Your card's expiration year is in the past.");
    await expect(page.locator('#pay')).toBeDisabled();
  });

  test('3-D Secure: completing the challenge pays', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    await completeThreeDSecure(page);
    await expectOutcome(page, 'succeeded');
    await expect(page).toHaveURL(/\/demo\?/);
  });

  test('3-D Secure: failing the challenge is reported', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    await failThreeDSecure(page);
    await expect(page.locator('#message')).toHaveText(/unable to authenticate your payment method/);
  });

  test('SEPA Debit shows its mandate and processes', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'sepa_debit');
    await expect(paymentFrame(page).getByText(/you authorise the merchant and Stripe/)).toBeVisible();
    await fillSepaDebit(page, { iban: testIbans.success });
    await pay(page);
    await expectOutcome(page, 'processing');
  });

  test('a failing IBAN processes, then fails', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'sepa_debit');
    await fillSepaDebit(page, { iban: testIbans.failure });
    await pay(page);
    await expectOutcome(page, 'processing');
    await expectSettled(page, 'requires_payment_method');
  });

  test('a closed US bank account processes, then fails', async ({ page }) => {
    await demo(page, 'persona=jordan');
    await chooseNewMethod(page, 'us_bank_account');
    await fillUsBankAccount(page, { account: testBankAccounts.closed });
    await pay(page);
    await expectOutcome(page, 'processing');
    await expectSettled(page, 'requires_payment_method');
  });

  test('a US bank account, with its mandate, processes', async ({ page }) => {
    await demo(page, 'persona=jordan');
    await chooseNewMethod(page, 'us_bank_account');
    await expect(paymentFrame(page).getByText(/you authorise the merchant to debit/)).toBeVisible();
    await fillUsBankAccount(page, { account: testBankAccounts.success });
    await pay(page);
    await expectOutcome(page, 'processing');
  });

  test('Link: a wrong code is refused, a good one pays', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'link');
    await signInToLink(page, 'link@example.com', '000001');
    await expect(paymentFrame(page).getByRole('alert')).toHaveText('The code you entered is incorrect.');
    await paymentFrame(page).getByLabel('Verification code').fill('424242');
    await expect(paymentFrame(page).getByText('Signed in to Link as link@example.com')).toBeVisible();
    await pay(page);
    await expectOutcome(page, 'succeeded');
  });

  test('iDEAL: authorised at the bank, back on the return page with the parameters', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'ideal');
    await chooseIdealBank(page, 'ING');
    await pay(page);
    await expect(page.getByRole('heading', { name: 'iDEAL test payment' })).toBeVisible();
    await authorizeBankPayment(page);
    await expect(page).toHaveURL(/\/demo\/complete\?payment_intent=pi_\w+&payment_intent_client_secret=pi_\w+_secret_\w+&redirect_status=succeeded$/);
    await expect(page.locator('#result')).toHaveAttribute('data-status', 'succeeded');
  });

  test('iDEAL: failing at the bank comes back failed', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'ideal');
    await chooseIdealBank(page, 'Rabobank');
    await pay(page);
    await failBankPayment(page);
    await expect(page).toHaveURL(/redirect_status=failed$/);
    await expect(page.locator('#result')).toHaveAttribute('data-status', 'requires_payment_method');
  });

  test('Bancontact pays after the bank', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'bancontact');
    await fillBancontact(page, 'Camille Martin');
    await pay(page);
    await authorizeBankPayment(page);
    await expect(page.locator('#result')).toHaveAttribute('data-status', 'succeeded');
  });

  test('Sofort is processing after the bank', async ({ page }) => {
    await demo(page, 'persona=new');
    await chooseNewMethod(page, 'sofort');
    await chooseSofortCountry(page, 'DE');
    await pay(page);
    await authorizeBankPayment(page);
    await expect(page.locator('#result')).toHaveAttribute('data-status', 'processing');
  });

  test('iDEAL saved with the checkbox comes back as a SEPA Debit method', async ({ page }) => {
    await demo(page, 'persona=new');
    const customer = await page.locator('body').getAttribute('data-customer');
    await chooseNewMethod(page, 'ideal');
    await chooseIdealBank(page, 'ING');
    await saveForFutureUse(page);
    await pay(page);
    await authorizeBankPayment(page);
    await expect(page.locator('#result')).toHaveAttribute('data-status', 'succeeded');
    await demo(page, `persona=new&customer=${customer}`);
    await expect(savedMethods(page)).toHaveCount(1);
    await expect(savedMethods(page)).toContainText('SEPA Debit •••• 5264');
  });
});

test('French: the element and its errors speak French', async ({ page }) => {
  await demo(page, 'persona=new&locale=fr');
  const frame = paymentFrame(page);
  await chooseNewMethod(page, 'card');
  await expect(frame.getByLabel('Numéro de carte')).toBeVisible();
  await frame.getByLabel('Numéro de carte').fill('4242');
  await frame.getByLabel("Date d'expiration").click();
  await expect(frame.getByRole('alert')).toHaveText('Votre numéro de carte est incomplet.');
  await expect(page.locator('#pay')).toHaveText(/^Payer/);
});

test('a bad client secret fires loaderror', async ({ page, problems }) => {
  problems.expect(/HTTP 404: GET .*\/v1\/elements\/sessions/);
  problems.expect(/console error: Failed to load resource: .* 404/);
  await page.goto(`${EMULATOR}/demo?persona=new&bad_secret=1`);
  await expect(page.locator('#message')).toHaveText(/does not match any associated PaymentIntent/);
  const event = await page.evaluate(() =>
    (window as unknown as { __demo: { log: { type: string; event: any }[] } }).__demo.log.find((e) => e.type === 'loaderror')?.event,
  );
  expect(event.error.type).toBe('invalid_request_error');
});
