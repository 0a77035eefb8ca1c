/**
 * Playwright helpers for Stripe's Payment Element.
 *
 * They use only what Stripe's real element offers to tests: the frame by its
 * title ("Secure payment input frame"), fields by Stripe's ids
 * (`#Field-numberInput`, `#Field-ibanInput`…), method tabs by `#<type>-tab`
 * (or Stripe's "more methods" menu when the tab does not fit), saved methods
 * and buttons by role and name, and Stripe's test pages by their ids and
 * test ids. The emulator's stand-in honours the same (emulator/README.md,
 * "Testing your own app offline"), so these helpers, and tests written
 * with them, run against either.
 *
 *   await waitForPaymentElement(page);
 *   await chooseNewMethod(page, 'card');
 *   await fillCard(page, { number: testCards.threeDSecure });
 *   await page.getByRole('button', { name: /Pay/ }).click();
 *   await completeThreeDSecure(page);
 */
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';

export const testCards = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  threeDSecure: '4000002760003184',
  threeDSecureThenDeclined: '4000008260003178',
} as const;

export const testIbans = {
  success: 'DE89370400440532013000',
  failure: 'DE62370400440532013001',
} as const;

export const testBankAccounts = {
  routing: '110000000',
  success: '000123456789',
  closed: '000111111113',
} as const;

type MethodType = 'card' | 'sepa_debit' | 'us_bank_account' | 'acss_debit' | 'bacs_debit' | 'au_becs_debit' | 'nz_bank_account'
  | 'link' | 'ideal' | 'bancontact' | 'sofort';

export function paymentFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Secure payment input frame"]');
}

export function addressFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Secure address input frame"]');
}

export type AddressFields = { name?: string; line1: string; city: string; postal: string; country?: string; state?: string };

/**
 * The Address Element's saved address cards (`contacts`): an order that has
 * its address shows it compact, with "Edit" and "+ Add new address".
 */
export function addressContacts(page: Page): Locator {
  return addressFrame(page).getByTestId('address-contact');
}

/**
 * Types an address into the Address Element, by Stripe's field ids; when
 * the element shows a saved address card, "Edit" opens its form first.
 */
export async function fillAddress(page: Page, address: AddressFields) {
  const frame = addressFrame(page);
  const edit = frame.getByTestId('address-contact-edit');
  await expect(frame.locator('#Field-addressLine1Input').or(edit)).toBeVisible();
  if (await edit.isVisible()) await edit.click();
  if (address.country) await frame.locator('#Field-countryInput').selectOption(address.country);
  if (address.name !== undefined) await frame.locator('#Field-nameInput').fill(address.name);
  await frame.locator('#Field-addressLine1Input').fill(address.line1);
  await frame.locator('#Field-localityInput').fill(address.city);
  if (address.state) await frame.locator('#Field-administrativeAreaInput').fill(address.state);
  await frame.locator('#Field-postalCodeInput').fill(address.postal);
}

/** Waits until the Payment Element shows its methods. */
export async function waitForPaymentElement(page: Page) {
  const frame = paymentFrame(page);
  await expect(frame.getByRole('tab').or(frame.getByRole('radio')).first()).toBeVisible();
}

/**
 * Picks "New payment method" (when saved ones are shown), then the method:
 * its tab, or Stripe's menu of the methods that did not fit as tabs.
 */
export async function chooseNewMethod(page: Page, type: MethodType) {
  const frame = paymentFrame(page);
  const fresh = frame.getByRole('radio', { name: /New payment method|Nouveau moyen de paiement/ });
  if (await fresh.count()) await fresh.check();
  const tab = frame.locator(`#${type}-tab`);
  await expect(tab.or(frame.locator('.p-AdditionalPaymentMethods-menu')).first()).toBeVisible();
  if (await tab.count()) await tab.click();
  else await frame.locator('.p-AdditionalPaymentMethods-menu').selectOption(type);
  await expect(frame.locator(`#${type}-tab`)).toHaveAttribute('aria-selected', 'true');
}

/** Selects a saved method by how it is shown, e.g. /Visa •••• 4242/. */
export async function selectSaved(page: Page, name: RegExp | string) {
  await paymentFrame(page).getByRole('radio', { name }).check();
}

export function savedMethods(page: Page) {
  return paymentFrame(page).locator('[data-payment-method]');
}

/** Removes a saved method as a shopper does: "Remove", then confirms. */
export async function removeSaved(page: Page, name: string) {
  await paymentFrame(page).getByRole('button', { name: new RegExp(`^(Remove|Supprimer) ${name}`) }).click();
  await paymentFrame(page).getByRole('button', { name: /^(Yes, remove|Oui, supprimer)$/ }).click();
}

export async function fillCard(
  page: Page,
  card: { number: string; expiry?: string; cvc?: string; country?: string; postalCode?: string },
) {
  const frame = paymentFrame(page);
  await frame.locator('#Field-numberInput').fill(card.number);
  await frame.locator('#Field-expiryInput').fill(card.expiry ?? '12 / 34');
  await frame.locator('#Field-cvcInput').fill(card.cvc ?? (card.number.startsWith('3') ? '1234' : '123'));
  if (card.country) await frame.locator('#Field-countryInput').selectOption(card.country);
  // Asked for in some countries only (US, GB, CA…).
  const postalCode = frame.locator('#Field-postalCodeInput');
  if (await postalCode.count()) await postalCode.fill(card.postalCode ?? '10001');
}

export async function fillSepaDebit(page: Page, sepa: { iban: string; name?: string; email?: string }) {
  const frame = paymentFrame(page);
  await frame.locator('#Field-nameInput').fill(sepa.name ?? 'Jenny Rosen');
  await frame.locator('#Field-emailInput').fill(sepa.email ?? 'jenny@example.com');
  await frame.locator('#Field-ibanInput').fill(sepa.iban);
}

/**
 * The stand-in's manual entry of a US bank account. Real Stripe opens
 * Financial Connections here (a different flow: see the emulator README).
 */
export async function fillUsBankAccount(page: Page, bank: { account: string; routing?: string; name?: string }) {
  const frame = paymentFrame(page);
  await frame.locator('#Field-nameInput').fill(bank.name ?? 'Jordan Smith');
  await frame.locator('#Field-routingNumberInput').fill(bank.routing ?? testBankAccounts.routing);
  await frame.locator('#Field-accountNumberInput').fill(bank.account);
}

/** Link (the stand-in's inline form): e-mail, then the one-time code (any 6 digits but 000001–000003). */
export async function signInToLink(page: Page, email: string, code = '123456') {
  const frame = paymentFrame(page);
  await frame.locator('#Field-emailInput').fill(email);
  await frame.getByRole('button', { name: /Continue with Link|Continuer avec Link/ }).click();
  await frame.locator('#Field-linkOtpInput').fill(code);
}

export async function chooseIdealBank(page: Page, bank: string) {
  await paymentFrame(page).locator('#Field-bankInput').selectOption({ label: bank });
}

export async function fillBancontact(page: Page, name: string) {
  await paymentFrame(page).locator('#Field-nameInput').fill(name);
}

export async function chooseSofortCountry(page: Page, country: string) {
  await paymentFrame(page).locator('#Field-countryInput').selectOption(country);
}

/** Ticks "Save payment details for future purchases". */
export async function saveForFutureUse(page: Page) {
  await paymentFrame(page).getByLabel(/Save payment details|Enregistrer mes informations/).check();
}

function challengeFrame(page: Page) {
  return page.frameLocator('iframe[title="3D Secure challenge"]');
}

/** Completes the 3-D Secure challenge that opens over the page (Stripe's test page ids). */
export async function completeThreeDSecure(page: Page) {
  await challengeFrame(page).locator('#test-source-authorize-3ds').click();
}

export async function failThreeDSecure(page: Page) {
  await challengeFrame(page).locator('#test-source-fail-3ds').click();
}

/** On Stripe's test page of a bank redirect (iDEAL, Bancontact, Sofort). */
export async function authorizeBankPayment(page: Page) {
  await page.getByTestId('authorize-test-payment-button').click();
}

export async function failBankPayment(page: Page) {
  await page.getByTestId('fail-test-payment-button').click();
}
