/**
 * Customers of the merchant in Canada, the UK, Australia and New Zealand:
 * each signs in by code, is priced in their own currency, and pays the
 * brewing guide (a download) with the bank debit they saved at Stripe. The
 * order is processing, then paid when the debit settles, as a SEPA or ACH
 * payment is, and its page says how it was paid.
 */
import { test, expect, needsEmulator } from '../support/fixtures';
import { checkoutOrder, expectOrder, openCheckout, pay } from '../support/checkout';
import { addToCart, hydrated, open } from '../support/shop';
import { selectSaved } from '../support/stripe';
import { SHOP, customerWithSavedDebit, signInByCode, type Debit } from '../support/no-demo';

test.beforeEach(() => needsEmulator('a shop whose Stripe customers the test creates'));

const DEBITS: { debit: Debit; price: string; shown: RegExp; method: string }[] = [
  {
    debit: { kind: 'acss_debit', country: 'CA', bank: { institution_number: '000', transit_number: '11000', account_number: '000123456789' } },
    price: 'CA$9.00',
    shown: /STRIPE TEST BANK •••• 6789/,
    method: 'Canadian pre-authorized debit · STRIPE TEST BANK •••• 6789',
  },
  {
    debit: { kind: 'bacs_debit', country: 'GB', bank: { sort_code: '108800', account_number: '00012345' } },
    price: '£5.00',
    shown: /Bacs Direct Debit •••• 2345/,
    method: 'Bacs Direct Debit •••• 2345',
  },
  {
    debit: { kind: 'au_becs_debit', country: 'AU', bank: { bsb_number: '000000', account_number: '000123456' } },
    price: 'A$10.00',
    shown: /BSB 000-000 •••• 3456/,
    method: 'BECS Direct Debit •••• 3456',
  },
  {
    debit: { kind: 'nz_bank_account', country: 'NZ', bank: { bank_code: '11', branch_code: '1111', account_number: '0012345', suffix: '000' } },
    price: 'NZ$11.00',
    shown: /STRIPE TEST BANK •••• 2345/,
    method: 'New Zealand bank account · STRIPE TEST BANK •••• 2345',
  },
];

for (const { debit, price, shown, method } of DEBITS) {
  test(`a customer in ${debit.country} pays in ${price.replace(/[\d.]/g, '')} with a saved ${debit.kind}`, async ({ page, browser }) => {
    const email = `${debit.kind}.${Date.now()}@example.com`;
    await customerWithSavedDebit(email, 'Robin Example', debit);
    await signInByCode(page, browser, email);
    await hydrated(page);
    await addToCart(page, 'brewing-guide');
    await openCheckout(page, `${SHOP}/checkout`);
    await expect(page.getByTestId('checkout-total')).toHaveText(price);
    const order = await checkoutOrder(page);
    await selectSaved(page, shown);
    await pay(page);
    await expectOrder(page, 'processing');
    await expectOrder(page, 'paid');
    await open(page, `${SHOP}/orders/${order}`);
    await expect(page.getByTestId('order-method')).toHaveText(method);
    await expect(page.getByTestId('order-total')).toHaveText(price);
  });
}
