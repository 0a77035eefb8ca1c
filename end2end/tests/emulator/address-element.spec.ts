import { test, expect } from '../../support/fixtures';
import type { Page } from '@playwright/test';
import { addressFrame, fillAddress, waitForPaymentElement, selectSaved } from '../../support/stripe';
import { emulatorPort } from '../../playwright.config';

// The stand-in's Address Element (`elements.create('address', {mode})`) on
// the emulator's demo page: Stripe's field ids, getValue(), change events,
// elements.submit(), and the shipping address passed with confirmPayment.
const EMULATOR = `http://127.0.0.1:${emulatorPort}`;

async function demo(page: Page, query: string) {
  await page.goto(`${EMULATOR}/demo?address=shipping&${query}`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
  await expect(page.locator('body[data-address-ready="true"]')).toBeAttached();
  await waitForPaymentElement(page);
}

test('the Address Element has Stripe\'s fields, narrows the countries and asks for a state where one is needed', async ({ page }) => {
  await demo(page, 'persona=jordan&countries=US,FR');
  const frame = addressFrame(page);
  await expect(frame.locator('#Field-countryInput option')).toHaveText(['United States', 'France']);
  await expect(frame.locator('#Field-nameInput')).toHaveAttribute('autocomplete', 'shipping name');
  await expect(frame.locator('#Field-addressLine1Input')).toHaveAttribute('autocomplete', 'shipping address-line1');
  await expect(frame.getByLabel('ZIP')).toBeVisible();
  await expect(frame.locator('#Field-administrativeAreaInput')).toBeVisible();
  await frame.locator('#Field-countryInput').selectOption('FR');
  await expect(frame.locator('#Field-administrativeAreaInput')).toHaveCount(0);
  await expect(frame.getByLabel('Postal code')).toBeVisible();
  // Incomplete: getValue() says so, and the element shows what is missing.
  const incomplete = await page.evaluate(() => (window as any).__demo.address.getValue());
  expect(incomplete.complete).toBe(false);
  await expect(frame.getByRole('alert').first()).toHaveText('Your full name is incomplete.');
  const submitted = await page.evaluate(() => (window as any).__demo.elements.submit());
  expect(submitted.error.type).toBe('validation_error');
});

test('a shipping address goes with confirmPayment as the intent\'s shipping, and change events follow typing', async ({ page }) => {
  await demo(page, 'persona=jordan');
  await fillAddress(page, { name: 'Jordan Smith', line1: '1 Market St', city: 'San Francisco', state: 'CA', postal: '94105', country: 'US' });
  const changes = await page.evaluate(() => (window as any).__demo.log.filter((e: any) => e.type === 'address-change'));
  const last = changes[changes.length - 1].event;
  expect(last).toMatchObject({ elementType: 'address', elementMode: 'shipping', complete: true, isNewAddress: true, empty: false });
  expect(last.value.address).toMatchObject({ line1: '1 Market St', city: 'San Francisco', state: 'CA', postal_code: '94105', country: 'US' });
  const value = await page.evaluate(() => (window as any).__demo.address.getValue());
  expect(value).toMatchObject({ complete: true, value: { name: 'Jordan Smith' } });
  await selectSaved(page, /Visa •••• 4242/);
  await page.locator('#pay').click();
  await expect(page.locator('#message')).toHaveAttribute('data-status', 'succeeded');
  const shipping = await page.evaluate(async () => {
    const demo = (window as any).__demo;
    const { paymentIntent } = await demo.stripe.retrievePaymentIntent(demo.config.clientSecret);
    return paymentIntent.shipping;
  });
  expect(shipping).toMatchObject({ name: 'Jordan Smith', address: { line1: '1 Market St', city: 'San Francisco', state: 'CA', postal_code: '94105', country: 'US' } });
});

test('paying without a complete shipping address is refused by the element, in French on a French page', async ({ page }) => {
  await demo(page, 'persona=camille&locale=fr');
  await selectSaved(page, /Visa •••• 4242/);
  await page.locator('#pay').click();
  await expect(page.locator('#message')).toHaveText('Votre adresse est incomplète.');
  await expect(addressFrame(page).getByRole('alert').first()).toHaveText('Votre nom complet est incomplet.');
});

test('with contacts the element starts compact: the first saved address selected, another picked, edited, or a new one added', async ({ page }) => {
  await demo(page, 'persona=jordan');
  // The demo's element, made again with two saved addresses.
  await page.evaluate(() => {
    const demo = (window as any).__demo;
    demo.address.destroy();
    demo.address = demo.elements.create('address', {
      mode: 'shipping',
      contacts: [
        { name: 'Jordan Smith', address: { line1: '350 Fifth Avenue', city: 'New York', state: 'NY', postal_code: '10118', country: 'US' } },
        { name: 'Jordan at work', address: { line1: '1 Market St', city: 'San Francisco', state: 'CA', postal_code: '94105', country: 'US' } },
      ],
    });
    demo.address.on('change', (event: any) => demo.log.push({ type: 'address-change', event }));
    demo.address.mount('#address-element');
  });
  const frame = addressFrame(page);
  const cards = frame.getByTestId('address-contact');
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('350 Fifth Avenue, New York, NY 10118, United States');
  await expect(cards.first().getByRole('radio')).toBeChecked();
  await expect(frame.locator('#Field-nameInput')).toHaveCount(0);
  const value = () => page.evaluate(() => (window as any).__demo.address.getValue());
  expect(await value()).toMatchObject({ complete: true, isNewAddress: false, value: { name: 'Jordan Smith', address: { line1: '350 Fifth Avenue' } } });
  // Another contact: selected, and a change event says so.
  await cards.nth(1).getByText('Jordan at work').click();
  await expect(cards.nth(1).getByRole('radio')).toBeChecked();
  expect(await value()).toMatchObject({ value: { name: 'Jordan at work', address: { city: 'San Francisco' } } });
  const changes = await page.evaluate(() => (window as any).__demo.log.filter((e: any) => e.type === 'address-change'));
  expect(changes[changes.length - 1].event).toMatchObject({ complete: true, isNewAddress: false, value: { name: 'Jordan at work' } });
  // "Edit" opens its form, filled in; "Use a saved address" goes back.
  await frame.getByTestId('address-contact-edit').click();
  await expect(frame.locator('#Field-addressLine1Input')).toHaveValue('1 Market St');
  await frame.getByTestId('address-use-saved').click();
  await expect(cards).toHaveCount(2);
  // "+ Add new address": an empty form, and what is typed is a new address.
  await frame.getByTestId('address-add-new').click();
  await expect(frame.locator('#Field-nameInput')).toHaveValue('');
  await fillAddress(page, { name: 'Jordan Smith', line1: '7 Pier Road', city: 'Boston', state: 'MA', postal: '02110' });
  expect(await value()).toMatchObject({ complete: true, isNewAddress: true, value: { address: { line1: '7 Pier Road', state: 'MA' } } });
});
