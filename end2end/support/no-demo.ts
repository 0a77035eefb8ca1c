import fs from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { noDemoEmulatorPort, noDemoPort } from '../playwright.config';

// A shop without demo accounts (SHOP_DEMO=false): its customers exist only
// at its Stripe, made there by API calls as a merchant's are, and get in by
// e-mailed code. Codes arrive in its development mailbox (no SMTP here).
export const SHOP = `http://127.0.0.1:${noDemoPort}`;
export const STRIPE = `http://127.0.0.1:${noDemoEmulatorPort}`;

export function secretKey() {
  return fs.readFileSync(path.resolve(__dirname, '../../target/e2e-no-demo/stripe-emulator.key'), 'utf8').trim();
}

export async function stripe(pathname: string, form: Record<string, string>) {
  const res = await fetch(`${STRIPE}${pathname}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secretKey()}` },
    body: new URLSearchParams(form),
  });
  expect(res.ok, `${pathname}: ${res.status}`).toBe(true);
  return res.json();
}

/** Reads an object from the shop's Stripe with the secret key. */
export async function stripeGet(pathname: string) {
  const res = await fetch(`${STRIPE}${pathname}`, { headers: { Authorization: `Bearer ${secretKey()}` } });
  expect(res.ok, `${pathname}: ${res.status}`).toBe(true);
  return res.json();
}

/** A merchant's customer at Stripe with a saved card and a SEPA Direct Debit mandate. */
export async function customerWithSavedMethods(email: string, name: string) {
  const customer = await stripe('/v1/customers', {
    email, name, 'preferred_locales[0]': 'fr-FR', 'address[country]': 'FR',
  });
  for (const test of ['pm_card_visa', 'pm_success_de']) {
    const method = await stripe(`/v1/payment_methods/${test}/attach`, { customer: customer.id });
    await stripe(`/v1/payment_methods/${method.id}`, {
      allow_redisplay: 'always', 'billing_details[name]': name, 'billing_details[email]': email,
    });
  }
  return customer.id as string;
}

/** A bank debit of another country, as the emulator's test accounts make it. */
export type Debit = {
  kind: 'acss_debit' | 'bacs_debit' | 'au_becs_debit' | 'nz_bank_account';
  country: string;
  bank: Record<string, string>;
};

/** A merchant's customer at Stripe in `debit.country`, its bank debit saved (English). */
export async function customerWithSavedDebit(email: string, name: string, debit: Debit) {
  const customer = await stripe('/v1/customers', {
    email, name, 'preferred_locales[0]': 'en', 'address[country]': debit.country,
  });
  const form: Record<string, string> = {
    type: debit.kind,
    'billing_details[name]': name,
    'billing_details[email]': email,
    'billing_details[address][line1]': '1 High Street',
    'billing_details[address][city]': 'London',
    'billing_details[address][postal_code]': 'EC1A 1AA',
    'billing_details[address][country]': debit.country,
  };
  for (const [key, value] of Object.entries(debit.bank)) form[`${debit.kind}[${key}]`] = value;
  const method = await stripe('/v1/payment_methods', form);
  await stripe(`/v1/payment_methods/${method.id}/attach`, { customer: customer.id });
  await stripe(`/v1/payment_methods/${method.id}`, { allow_redisplay: 'always' });
  return customer.id as string;
}

/** Asks for a code for `email` on the sign-in page. */
export async function askForCode(page: Page, email: string) {
  await page.goto(`${SHOP}/signin`);
  const form = page.getByTestId('code-request-form');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId('code-email')).toHaveText(email.toLowerCase());
}

/**
 * The last sign-in code e-mailed to `email`, from the development mailbox,
 * read in its own tab (the outbox delivers within a second: the mailbox is
 * read again until the `count`th code to that address is there).
 */
export async function lastMail(browser: Browser, email: string, count = 1) {
  const context = await browser.newContext();
  const mailbox = await context.newPage();
  const mails = mailbox.locator(`li.message[data-kind="sign_in_code"][data-to="${email.toLowerCase()}"]`);
  await expect(async () => {
    await mailbox.goto(`${SHOP}/dev/mailbox`);
    await expect(mails).toHaveCount(count, { timeout: 200 });
  }).toPass({ timeout: 10_000 });
  const mail = mails.first();
  const body = await mail.locator('.message-body').innerText();
  const link = await mail.getByTestId('mail-link').getAttribute('href');
  await context.close();
  return { code: body.match(/\b\d{6}\b/)![0], link: link! };
}

export async function typeCode(page: Page, code: string) {
  const form = page.getByTestId('code-form');
  await form.locator('input[name="code"]').fill(code);
  await form.locator('button[type="submit"]').click();
}

/** Signs `email` in by code in `page` (the account must exist at this shop or its Stripe). */
export async function signInByCode(page: Page, browser: Browser, email: string) {
  await askForCode(page, email);
  await typeCode(page, (await lastMail(browser, email)).code);
  await expect(page.locator('.account-name')).toBeVisible();
}
