/**
 * The stand-in's Payment Element with the bank debits of Canada, the UK,
 * Australia and New Zealand: each shown saved for a customer paying in its
 * currency, paid (processing, then succeeded); and a new Bacs Direct Debit
 * entered with its bank's numbers, the holder's address and the mandate.
 */
import type { Page } from '@playwright/test';
import { test, expect } from '../../support/fixtures';
import { chooseNewMethod, paymentFrame, selectSaved } from '../../support/stripe';
import { expectOutcome, expectSettled, openDemo as demo, pay } from '../../support/demo';

/** Pays, then waits for the debit to settle (the emulator settles it soon). */
async function payAndSettle(page: Page) {
  await pay(page);
  await expectOutcome(page, 'processing');
  await expectSettled(page, 'succeeded');
}

for (const { persona, currency, shown } of [
  { persona: 'priya', currency: 'CA$', shown: /STRIPE TEST BANK •••• 6789/ },
  { persona: 'oliver', currency: '£', shown: /Bacs Direct Debit •••• 2345/ },
  { persona: 'mia', currency: 'A$', shown: /BSB 000-000 •••• 3456/ },
  { persona: 'aroha', currency: 'NZ$', shown: /STRIPE TEST BANK •••• 2345/ },
]) {
  test(`${persona}'s saved debit is shown and pays in ${currency}`, async ({ page }) => {
    await demo(page, `persona=${persona}&locale=en`);
    await expect(page.locator('#pay')).toContainText(currency);
    await selectSaved(page, shown);
    await payAndSettle(page);
  });
}

test('a new Bacs Direct Debit: sort code, account, address and the mandate', async ({ page }) => {
  await demo(page, 'persona=new&currency=gbp&locale=en');
  await chooseNewMethod(page, 'bacs_debit');
  const frame = paymentFrame(page);
  await expect(frame.getByText(/Direct Debit Guarantee/)).toBeVisible();
  await frame.getByLabel('Full name').fill('Nova Newman');
  await frame.getByLabel('Email').fill('nova@example.co.uk');
  await frame.getByLabel('Sort code').fill('10-88-00');
  await frame.getByLabel('Account number').fill('0001234');
  await frame.getByLabel('Address').click();
  await expect(frame.getByRole('alert')).toHaveText('Your account number is incomplete.');
  await frame.getByLabel('Account number').fill('00012345');
  await frame.getByLabel('Address').fill('1 High Street');
  await frame.getByLabel('City').fill('London');
  await frame.getByLabel('Postal code').fill('EC1A 1AA');
  await payAndSettle(page);
});
