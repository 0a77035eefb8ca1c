import { test, expect } from '../../support/fixtures';
import type { FrameLocator, Page } from '@playwright/test';
import { emulatorPort } from '../../playwright.config';

// The selector styles public Playwright and Cypress suites use against
// Stripe's real Payment Element, each driven against the stand-in on the
// emulator's demo page, paying where a payment is the point. None of these
// tests uses the project's own helpers: they are written as for real Stripe.

const EMULATOR = `http://127.0.0.1:${emulatorPort}`;

async function demo(page: Page, query = 'persona=new') {
  await page.goto(`${EMULATOR}/demo?${query}`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
}

async function payAndExpect(page: Page, status: string) {
  await expect(page.locator('#pay')).toBeEnabled();
  await page.locator('#pay').click();
  await expect(page.locator('#message')).toHaveAttribute('data-status', status);
}

test('the frame by its private name, its wrapper or its title; fields by Stripe id', async ({ page }) => {
  await demo(page);
  const frames = page.locator('iframe[name^="__privateStripeFrame"]');
  await expect(frames).toHaveCount(1);
  expect(await frames.getAttribute('name')).toMatch(/^__privateStripeFrame\d+$/);
  await expect(frames).toHaveAttribute('allow', 'payment *');
  await expect(page.locator('div.__PrivateStripeElement iframe')).toHaveAttribute('title', 'Secure payment input frame');
  const frame = page.frameLocator('iframe[name^="__privateStripeFrame"]');
  await frame.locator('#card-tab').click();
  await frame.locator('#Field-numberInput').fill('4242424242424242');
  await frame.locator('#Field-expiryInput').fill('1235'); // digits only, as suites type it
  await expect(frame.locator('#Field-expiryInput')).toHaveValue('12 / 35');
  await frame.locator('#Field-cvcInput').fill('123');
  await frame.locator('#Field-countryInput').selectOption('US');
  await frame.locator('#Field-postalCodeInput').fill('90210');
  await payAndExpect(page, 'succeeded');
});

test('fields by name, placeholder and role; the country by its label', async ({ page }) => {
  await demo(page);
  const frame = page.frameLocator('#payment-element iframe');
  await frame.getByRole('tab', { name: 'Card' }).click();
  await frame.getByPlaceholder('1234 1234 1234 1234').fill('5555555555554444');
  await frame.getByPlaceholder('MM / YY').fill('12 / 34');
  await frame.getByPlaceholder('CVC').fill('123');
  await frame.locator('select[name="country"]').selectOption({ label: 'United Kingdom' });
  await frame.locator('[name="postalCode"]').fill('SW1A 1AA');
  // Grouped as typed, as Stripe's field shows it.
  await expect(frame.getByRole('textbox', { name: 'Card number' })).toHaveValue('5555 5555 5555 4444');
  await expect(frame.getByRole('textbox', { name: 'Expiration date' })).toHaveAttribute('name', 'expiry');
  await expect(frame.getByRole('textbox', { name: 'Security code' })).toHaveAttribute('name', 'cvc');
  await expect(frame.getByRole('combobox', { name: 'Country' })).toHaveValue('GB');
  await payAndExpect(page, 'succeeded');
});

test('the postal code is asked for where Stripe asks for it', async ({ page }) => {
  await demo(page);
  const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
  await frame.locator('#card-tab').click();
  for (const [country, asked] of [['US', true], ['CA', true], ['GB', true], ['FR', false], ['DE', false], ['IE', false]] as const) {
    await frame.locator('#Field-countryInput').selectOption(country);
    await expect(frame.locator('#Field-postalCodeInput'), country).toHaveCount(asked ? 1 : 0);
  }
});

test('method tabs by id and test id in a "Payment Methods" tablist; the rest in the additional methods menu', async ({ page }) => {
  await demo(page);
  const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
  const tablist = frame.getByRole('tablist', { name: 'Payment Methods' });
  await expect(tablist).toBeVisible();
  await expect(tablist.getByRole('tab').first()).toHaveAttribute('id', 'card-tab');
  await frame.getByTestId('sepa_debit').click();
  await expect(frame.locator('#sepa_debit-tab')).toHaveAttribute('aria-selected', 'true');
  await frame.locator('#Field-nameInput').fill('Jenny Rosen');
  await frame.locator('#Field-emailInput').fill('jenny@example.com');
  await frame.locator('#Field-ibanInput').fill('DE89370400440532013000');
  await payAndExpect(page, 'processing');

  // A phone-sized frame fits fewer tabs: the others are in Stripe's menu,
  // and a method chosen there gets its tab.
  await page.setViewportSize({ width: 360, height: 740 });
  await demo(page);
  const menu = frame.locator('.p-PaymentMethodSelector .p-AdditionalPaymentMethods-menu');
  await expect(menu).toBeVisible();
  await expect(menu.locator('option[value="bancontact"]')).toHaveCount(1);
  await menu.selectOption('bancontact');
  await expect(frame.locator('#bancontact-tab')).toHaveAttribute('aria-selected', 'true');
  await expect(frame.locator('#Field-nameInput')).toBeVisible();
});

/** Types a field, leaves it, and returns the message shown under it. */
async function messageFor(frame: FrameLocator, field: string, value: string) {
  await frame.locator(field).fill(value);
  await frame.locator(field).blur();
  return frame.locator(field).locator('xpath=..').getByRole('alert');
}

for (const [locale, texts] of [
  ['en', {
    number: 'Your card number is incomplete.', invalid: 'Your card number is invalid.',
    expiry: "Your card's expiration date is incomplete.", cvc: "Your card's security code is incomplete.",
    postal: 'Your postal code is incomplete.',
  }],
  ['fr', {
    number: 'Votre numéro de carte est incomplet.', invalid: "Votre numéro de carte n'est pas valide.",
    expiry: "La date d'expiration de votre carte est incomplète.", cvc: 'Le code de sécurité de votre carte est incomplet.',
    postal: 'Votre code postal est incomplet.',
  }],
] as const) {
  test(`inline validation messages in Stripe's words (${locale})`, async ({ page }) => {
    await demo(page, `persona=new&locale=${locale}`);
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await frame.locator('#card-tab').click();
    await frame.locator('#Field-countryInput').selectOption('US');
    await expect(await messageFor(frame, '#Field-numberInput', '4242')).toHaveText(texts.number);
    await expect(await messageFor(frame, '#Field-numberInput', '4242424242424241')).toHaveText(texts.invalid);
    await expect(await messageFor(frame, '#Field-expiryInput', '12')).toHaveText(texts.expiry);
    await expect(await messageFor(frame, '#Field-cvcInput', '1')).toHaveText(texts.cvc);
    await expect(await messageFor(frame, '#Field-postalCodeInput', '12')).toHaveText(texts.postal);
  });
}

test.describe('the default country follows the browser, as Stripe does', () => {
  test.use({ locale: 'en-IE' });
  test('an Irish browser starts on Ireland, with no postal code', async ({ page }) => {
    await demo(page);
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await frame.locator('#card-tab').click();
    await expect(frame.locator('#Field-countryInput')).toHaveValue('IE');
    await expect(frame.locator('#Field-postalCodeInput')).toHaveCount(0);
  });
});

test("Stripe's test pages: 3-D Secure and bank authorisation by their ids and test ids", async ({ page }) => {
  await demo(page);
  const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
  await frame.locator('#card-tab').click();
  await frame.locator('#Field-numberInput').fill('4000002760003184');
  await frame.locator('#Field-expiryInput').fill('1234');
  await frame.locator('#Field-cvcInput').fill('123');
  await frame.locator('#Field-countryInput').selectOption('FR');
  await page.locator('#pay').click();
  await page.frameLocator('iframe[name^="__privateStripeFrame"][title="3D Secure challenge"]').locator('#test-source-authorize-3ds').click();
  await expect(page.locator('#message')).toHaveAttribute('data-status', 'succeeded');

  await demo(page);
  await frame.getByTestId('ideal').or(frame.locator('.p-AdditionalPaymentMethods-menu')).first().waitFor();
  if (await frame.locator('#ideal-tab').count()) await frame.locator('#ideal-tab').click();
  else await frame.locator('.p-AdditionalPaymentMethods-menu').selectOption('ideal');
  await frame.locator('#Field-bankInput').selectOption({ label: 'ING' });
  await page.locator('#pay').click();
  await page.getByTestId('authorize-test-payment-button').click();
  await expect(page).toHaveURL(/redirect_status=succeeded/);
});
