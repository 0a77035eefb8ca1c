import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from '@playwright/test';
import { test, expect, needsEmulator } from '../support/fixtures';
import { expectOrder, pay } from '../support/checkout';
import { addToCart, hydrated, open } from '../support/shop';
import {
  chooseNewMethod, fillCard, paymentFrame, saveForFutureUse, savedMethods, selectSaved, waitForPaymentElement,
} from '../support/stripe';
import { noDemoEmulatorPort, noDemoPort } from '../playwright.config';

// A shop without demo accounts (SHOP_DEMO=false): its customers exist only
// at its Stripe, made there by API calls as a merchant's are, and get in by
// e-mailed code. Codes arrive in its development mailbox (no SMTP here).
const SHOP = `http://127.0.0.1:${noDemoPort}`;
const STRIPE = `http://127.0.0.1:${noDemoEmulatorPort}`;

test.beforeEach(() => needsEmulator('a shop whose Stripe customers the test creates'));

function secretKey() {
  return fs.readFileSync(path.resolve(__dirname, '../../target/e2e-no-demo/stripe-emulator.key'), 'utf8').trim();
}

async function stripe(pathname: string, form: Record<string, string>) {
  const res = await fetch(`${STRIPE}${pathname}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secretKey()}` },
    body: new URLSearchParams(form),
  });
  expect(res.ok, `${pathname}: ${res.status}`).toBe(true);
  return res.json();
}

/** A merchant's customer at Stripe with a saved card and a SEPA Direct Debit mandate. */
async function customerWithSavedMethods(email: string, name: string) {
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

/** Asks for a code for `email` on the sign-in page. */
async function askForCode(page: Page, email: string) {
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
async function lastMail(browser: Browser, email: string, count = 1) {
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

async function typeCode(page: Page, code: string) {
  const form = page.getByTestId('code-form');
  await form.locator('input[name="code"]').fill(code);
  await form.locator('button[type="submit"]').click();
}

test('a customer of the merchant at Stripe signs in by code and pays with a saved card in one click', async ({ page, browser }) => {
  const email = `claire.${Date.now()}@example.fr`;
  await customerWithSavedMethods(email, 'Claire Dubois');
  await page.goto(`${SHOP}/signin`);
  await expect(page.locator('.demo-accounts')).toHaveCount(0);
  await expect(page.getByTestId('mailbox-hint')).toBeVisible();
  await askForCode(page, email);
  await typeCode(page, (await lastMail(browser, email)).code);
  // In: the account is theirs at Stripe, in their language.
  await expect(page.locator('.account-name')).toHaveText(/Claire Dubois/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await hydrated(page);
  await addToCart(page, 'mug');
  await open(page, `${SHOP}/checkout`);
  await waitForPaymentElement(page);
  // Both methods they saved elsewhere, in the Payment Element.
  await expect(savedMethods(page)).toHaveCount(2);
  await expect(savedMethods(page).filter({ hasText: /Visa •••• 4242/ })).toHaveCount(1);
  await expect(savedMethods(page).filter({ hasText: /3000/ })).toHaveCount(1);
  await selectSaved(page, /Visa •••• 4242/);
  await pay(page);
  await expectOrder(page, 'paid');
  // The confirmation reaches them.
  await open(page, `${SHOP}/messages`);
  await expect(page.locator('li.message[data-kind="order_confirmed"]')).toHaveCount(1);
  await open(page, `${SHOP}/account`);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('saved-methods').locator('li')).toHaveCount(2);
});

test('a new e-mail signs up by link, saves a card, and finds it after signing in again by code', async ({ page, browser }) => {
  const email = `new.${Date.now()}@example.com`;
  await askForCode(page, email);
  // The e-mail's link, in the same browser: a button confirms (mail scanners follow links).
  await page.goto(`${SHOP}${(await lastMail(browser, email)).link}`);
  await expect(page.getByTestId('link-email')).toHaveText(email);
  await page.getByTestId('link-form').locator('button').click();
  // A new customer: name and country, once.
  await expect(page.getByTestId('welcome-email')).toHaveText(email);
  const welcome = page.getByTestId('welcome-form');
  await welcome.getByLabel('Name').fill('Robin New');
  await welcome.getByLabel('Country').selectOption('US');
  await welcome.locator('button[type="submit"]').click();
  await expect(page.locator('.account-name')).toHaveText(/Robin New/);
  await hydrated(page);
  await addToCart(page, 'beans');
  await open(page, `${SHOP}/checkout`);
  await waitForPaymentElement(page);
  await expect(savedMethods(page)).toHaveCount(0);
  await chooseNewMethod(page, 'card');
  await fillCard(page, { number: '4242424242424242' });
  await saveForFutureUse(page);
  await pay(page);
  await expectOrder(page, 'paid');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('.account-name')).toHaveCount(0);
  // Back by code: the card is there.
  await askForCode(page, email);
  await typeCode(page, (await lastMail(browser, email, 2)).code);
  await expect(page.locator('.account-name')).toHaveText(/Robin New/);
  await hydrated(page);
  await addToCart(page, 'mug');
  await open(page, `${SHOP}/checkout`);
  await waitForPaymentElement(page);
  await expect(paymentFrame(page).getByRole('radio', { name: /Visa •••• 4242/ })).toBeVisible();
});

test('a code or link is refused in another browser, and the account page signs out everywhere', async ({ page, browser }) => {
  const email = `two.browsers.${Date.now()}@example.com`;
  await customerWithSavedMethods(email, 'Alex Twice');
  await askForCode(page, email);
  const { code, link } = await lastMail(browser, email);
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await elsewhere.goto(`${SHOP}${link}`);
  await expect(elsewhere.getByTestId('sign-in-error')).toContainText('belongs to the browser where the code was asked for');
  await expect(elsewhere.getByText(email)).toHaveCount(0);
  await elsewhere.goto(`${SHOP}/signin/code`);
  await expect(elsewhere.getByTestId('no-code')).toBeVisible();
  await other.close();
  // A wrong code says how many tries are left; the right one signs in.
  await typeCode(page, code === '000000' ? '111111' : '000000');
  await expect(page.getByTestId('sign-in-error')).toContainText('4');
  await typeCode(page, code);
  await expect(page.locator('.account-name')).toHaveText(/Alex Twice/);
  await open(page, `${SHOP}/account`);
  await page.getByTestId('sign-out-everywhere').click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.locator('.account-name')).toHaveCount(0);
});
