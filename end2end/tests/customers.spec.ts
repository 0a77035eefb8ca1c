import { test, expect, needsEmulator } from '../support/fixtures';
import { expectOrder, openCheckout, pay } from '../support/checkout';
import { addToCart, hydrated, open } from '../support/shop';
import {
  chooseNewMethod, fillCard, paymentFrame, saveForFutureUse, savedMethods, selectSaved,
} from '../support/stripe';
import { SHOP, askForCode, customerWithSavedMethods, lastMail, typeCode } from '../support/no-demo';

// A shop without demo accounts (SHOP_DEMO=false): see support/no-demo.ts.
test.beforeEach(() => needsEmulator('a shop whose Stripe customers the test creates'));

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
  await openCheckout(page, `${SHOP}/checkout`);
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
  await openCheckout(page, `${SHOP}/checkout`);
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
  await openCheckout(page, `${SHOP}/checkout`);
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
