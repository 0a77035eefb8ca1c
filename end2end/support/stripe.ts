/**
 * Playwright helpers for Stripe's Payment Element.
 *
 * They find things the way a person does: the frame by its title ("Secure
 * payment input frame"), fields by their labels, tabs and buttons by their
 * names. Those are the same for the emulator's Stripe.js stand-in and for
 * real Stripe.js in test mode, so a test written with these helpers reads
 * the same against either.
 *
 *   await waitForPaymentElement(page);
 *   await chooseNewMethod(page, 'card');
 *   await fillCard(page, { number: testCards.threeDSecure });
 *   await page.getByRole('button', { name: /Pay/ }).click();
 *   await completeThreeDSecure(page);
 */
import { expect, type FrameLocator, type Page } from '@playwright/test';

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

/** Tab names of each payment method type, in English and French. */
const TYPE_NAMES: Record<string, RegExp> = {
  card: /^(Card|Carte)$/,
  sepa_debit: /^(SEPA Debit|Prélèvement SEPA)$/,
  us_bank_account: /^(US bank account|Compte bancaire américain)$/,
  link: /^Link$/,
  ideal: /^iDEAL$/,
  bancontact: /^Bancontact$/,
  sofort: /^Sofort$/,
};

export function paymentFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Secure payment input frame"]');
}

/** Waits until the Payment Element shows its methods. */
export async function waitForPaymentElement(page: Page) {
  const frame = paymentFrame(page);
  await expect(frame.getByRole('tab').or(frame.getByRole('radio')).first()).toBeVisible();
}

/** Picks "New payment method" (when saved ones are shown) and the type's tab. */
export async function chooseNewMethod(page: Page, type: keyof typeof TYPE_NAMES) {
  const frame = paymentFrame(page);
  const fresh = frame.getByRole('radio', { name: /New payment method|Nouveau moyen de paiement/ });
  if (await fresh.count()) await fresh.check();
  await frame.getByRole('tab', { name: TYPE_NAMES[type] }).click();
}

/** Selects a saved method by how it is shown, e.g. /Visa •••• 4242/. */
export async function selectSaved(page: Page, name: RegExp | string) {
  await paymentFrame(page).getByRole('radio', { name }).check();
}

export function savedMethods(page: Page) {
  return paymentFrame(page).locator('[data-payment-method]');
}

export async function removeSaved(page: Page, name: string) {
  await paymentFrame(page).getByRole('button', { name: new RegExp(`^(Remove|Supprimer) ${name}`) }).click();
}

export async function fillCard(
  page: Page,
  card: { number: string; expiry?: string; cvc?: string; postalCode?: string },
) {
  const frame = paymentFrame(page);
  await frame.getByLabel(/^(Card number|Numéro de carte)$/).fill(card.number);
  await frame.getByLabel(/^(Expiration date|Date d'expiration)$/).fill(card.expiry ?? '12 / 34');
  await frame.getByLabel(/^(Security code|Code de sécurité)$/).fill(card.cvc ?? (card.number.startsWith('3') ? '1234' : '123'));
  const zip = frame.getByLabel(/^(ZIP code|Code postal)$/);
  if (await zip.count()) await zip.fill(card.postalCode ?? '10001');
}

export async function fillSepaDebit(page: Page, sepa: { iban: string; name?: string; email?: string }) {
  const frame = paymentFrame(page);
  await frame.getByLabel(/^(Full name|Nom complet)$/).fill(sepa.name ?? 'Jenny Rosen');
  await frame.getByLabel(/^(Email|E-mail)$/).fill(sepa.email ?? 'jenny@example.com');
  await frame.getByLabel('IBAN').fill(sepa.iban);
}

export async function fillUsBankAccount(page: Page, bank: { account: string; routing?: string; name?: string }) {
  const frame = paymentFrame(page);
  await frame.getByLabel(/^(Full name|Nom complet)$/).fill(bank.name ?? 'Jordan Smith');
  await frame.getByLabel(/^(Routing number|Numéro de routage)$/).fill(bank.routing ?? testBankAccounts.routing);
  await frame.getByLabel(/^(Account number|Numéro de compte)$/).fill(bank.account);
}

/** Link: e-mail, then the one-time code (any 6 digits but 000001–000003 in test mode). */
export async function signInToLink(page: Page, email: string, code = '123456') {
  const frame = paymentFrame(page);
  await frame.getByLabel(/^(Email|E-mail)$/).fill(email);
  await frame.getByRole('button', { name: /Continue with Link|Continuer avec Link/ }).click();
  await frame.getByLabel(/^(Verification code|Code de vérification)$/).fill(code);
}

export async function chooseIdealBank(page: Page, bank: string) {
  await paymentFrame(page).getByLabel(/^(iDEAL bank|Banque iDEAL)$/).selectOption({ label: bank });
}

export async function fillBancontact(page: Page, name: string) {
  await paymentFrame(page).getByLabel(/^(Full name|Nom complet)$/).fill(name);
}

export async function chooseSofortCountry(page: Page, country: string) {
  await paymentFrame(page).getByLabel(/^(Country|Pays)$/).selectOption(country);
}

/** Ticks "Save payment details for future purchases". */
export async function saveForFutureUse(page: Page) {
  await paymentFrame(page).getByLabel(/Save payment details|Enregistrer mes informations/).check();
}

function challengeFrame(page: Page) {
  return page.frameLocator('iframe[title="3D Secure challenge"]');
}

/** Completes the 3-D Secure challenge that opens over the page. */
export async function completeThreeDSecure(page: Page) {
  await challengeFrame(page).getByRole('button', { name: /Complete authentication|Valider l’authentification/ }).click();
}

export async function failThreeDSecure(page: Page) {
  await challengeFrame(page).getByRole('button', { name: /Fail authentication|Faire échouer l’authentification/ }).click();
}

/** On the bank's page after a redirect (iDEAL, Bancontact, Sofort). */
export async function authorizeBankPayment(page: Page) {
  await page.getByRole('button', { name: /Authorize test payment|Autoriser le paiement de test/ }).click();
}

export async function failBankPayment(page: Page) {
  await page.getByRole('button', { name: /Fail test payment|Faire échouer le paiement de test/ }).click();
}
