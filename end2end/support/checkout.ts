import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { emulatorControl } from './fixtures';
import { addToCart, emptyCart, open, signIn, type Customer } from './shop';
import {
  authorizeBankPayment, chooseIdealBank, chooseNewMethod, chooseSofortCountry, completeThreeDSecure, fillBancontact,
  addressFrame, fillAddress, fillCard, selectSaved, signInToLink, testCards, waitForPaymentElement, type AddressFields,
} from './stripe';

/** The shop's embedded emulator (end2end/start-server.sh). */
export const SHOP_STRIPE = `http://127.0.0.1:${process.env.E2E_SHOP_EMULATOR_PORT ?? 12113}`;
/**
 * Its secret key: the shop makes one per data directory and keeps it beside
 * the emulator's state (the documented sk_test_emulator is refused there).
 */
const SECRET = {
  get Authorization() {
    const key = fs.readFileSync(path.resolve(__dirname, '../../target/e2e/stripe-emulator.key'), 'utf8').trim();
    return `Bearer ${key}`;
  },
};

/** A street address in each country the tests ship to. */
export const addresses: Record<string, AddressFields> = {
  IE: { line1: '7 Grafton Street', city: 'Dublin', postal: 'D02 X285' },
  FR: { line1: '5 rue de Rivoli', city: 'Paris', postal: '75001' },
  DE: { line1: 'Unter den Linden 1', city: 'Berlin', postal: '10117' },
  US: { line1: '1 Market St', city: 'San Francisco', state: 'CA', postal: '94105' },
};

/** Whether the open checkout asks for an address before the payment. */
export async function inAddressStep(page: Page) {
  return (await page.locator('.address-step[data-first="true"]').count()) > 0;
}

/**
 * In the address step (something to ship, no address yet), types an
 * address in the customer's own country (the one the element starts on,
 * unless `address.country` says otherwise), optionally ticks "save", and
 * continues: the page comes back with the Payment Element.
 */
export async function giveAddress(page: Page, address?: AddressFields, { save = false } = {}) {
  const frame = addressFrame(page);
  const country = address?.country ?? (await frame.locator('#Field-countryInput').inputValue());
  await fillAddress(page, address ?? addresses[country]);
  if (save) await page.getByTestId('save-address').check();
  await expect(page.getByTestId('pay')).toBeEnabled();
  await page.getByTestId('pay').click();
  await waitForPaymentElement(page);
}

/**
 * Opens the checkout ready to pay: an order to ship without an address
 * gets one first (see `giveAddress`).
 */
export async function openCheckout(page: Page, url = '/checkout') {
  await open(page, url);
  if (await inAddressStep(page)) await giveAddress(page);
  await waitForPaymentElement(page);
}

/** Signs in, fills the cart with `products` and opens the checkout, ready to pay. */
export async function checkout(page: Page, customer: Customer, products: string[]) {
  await signIn(page, customer);
  await emptyCart(page);
  await open(page, '/');
  for (const product of products) await addToCart(page, product);
  await openCheckout(page);
}

/** The id of the order the open checkout pays. */
export async function checkoutOrder(page: Page): Promise<string> {
  const id = await page.locator('.order-summary').getAttribute('data-order');
  expect(id).toMatch(/^\d+$/);
  return id!;
}

export async function pay(page: Page) {
  await expect(page.getByTestId('pay')).toBeEnabled();
  await page.getByTestId('pay').click();
}

/**
 * Paying at an open checkout, one way per method, up to the moment the
 * shopper is back on the shop (the return page then takes over).
 */
export const payWith = {
  savedCard: async (page: Page) => {
    await selectSaved(page, /Visa •••• 4242/);
    await pay(page);
  },
  threeDSecureCard: async (page: Page) => {
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.threeDSecure });
    await pay(page);
    await completeThreeDSecure(page);
  },
  /** A declined card first (HTTP 402 from confirm, shown by the form), then one that pays. */
  declinedThenCard: async (page: Page) => {
    await chooseNewMethod(page, 'card');
    await fillCard(page, { number: testCards.declined });
    await pay(page);
    await expect(page.getByTestId('payment-error')).toHaveText('Your card was declined. Try another card or another payment method.');
    await fillCard(page, { number: testCards.success });
    await pay(page);
  },
  savedUsBankAccount: async (page: Page) => {
    await selectSaved(page, /STRIPE TEST BANK •••• 6789/);
    await pay(page);
  },
  ideal: async (page: Page) => {
    await chooseNewMethod(page, 'ideal');
    await chooseIdealBank(page, 'ING');
    await pay(page);
    await authorizeBankPayment(page);
  },
  bancontact: async (page: Page) => {
    await chooseNewMethod(page, 'bancontact');
    await fillBancontact(page, 'Aoife Byrne');
    await pay(page);
    await authorizeBankPayment(page);
  },
  sofort: async (page: Page) => {
    await chooseNewMethod(page, 'sofort');
    await chooseSofortCountry(page, 'DE');
    await pay(page);
    await authorizeBankPayment(page);
  },
  link: async (page: Page) => {
    await chooseNewMethod(page, 'link');
    await signInToLink(page, 'jordan@example.com');
    await pay(page);
  },
};

/** The return page shows the order in `status` (it follows a processing payment live). */
export async function expectOrder(page: Page, status: string) {
  await expect(page.getByTestId('order-result')).toHaveAttribute('data-status', status, { timeout: 15_000 });
}

export async function stripeEvents(request: APIRequestContext, type: string): Promise<any[]> {
  emulatorControl('stripeEvents');
  const res = await request.get(`${SHOP_STRIPE}/v1/events?type=${type}&limit=100`, { headers: SECRET });
  expect(res.ok()).toBe(true);
  return (await res.json()).data;
}

/**
 * Sets the emulator's webhook chaos (all off when `settings` is empty).
 * Plain fetch, so `beforeAll`/`afterAll` can call it.
 */
export async function webhookChaos(settings: { duplicate?: boolean; shuffle?: boolean; fail_first?: boolean; delay_ms?: number }) {
  emulatorControl('webhookChaos');
  const body = new URLSearchParams(Object.entries(settings).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${SHOP_STRIPE}/_emulator/webhooks/chaos`, { method: 'POST', headers: SECRET, body });
  expect(res.ok).toBe(true);
}

/** Waits until the emulator has delivered every webhook (retries included). */
export async function settleWebhooks() {
  emulatorControl('settleWebhooks');
  await expect
    .poll(
      async () => {
        const res = await fetch(`${SHOP_STRIPE}/_emulator/webhooks/deliver`, { method: 'POST', headers: SECRET });
        return (await res.json()).pending;
      },
      { timeout: 30_000 },
    )
    .toBe(0);
}

/** The messages page's entries about one order, of one kind. */
export function messagesAbout(page: Page, order: string, kind: 'order_confirmed' | 'payment_pending' | 'payment_failed') {
  return page.locator(`li.message[data-order="${order}"][data-kind="${kind}"]`);
}

export type StripeRequest = { seq: number; method: string; path: string; key: 'secret' | 'publishable' | 'none'; status: number };

/** The API requests the shop's Stripe (the emulator) answered after `after` (its request log). */
export async function stripeRequests(request: APIRequestContext, after = 0): Promise<{ data: StripeRequest[]; last_seq: number }> {
  emulatorControl('stripeRequests');
  const res = await request.get(`${SHOP_STRIPE}/_emulator/requests?after=${after}`, { headers: SECRET });
  expect(res.ok()).toBe(true);
  return res.json();
}

/** Settles a processing bank debit now, as the bank eventually would (the emulator's control). */
export async function settlePayment(request: APIRequestContext, intent: string, outcome: 'succeeded' | 'failed') {
  emulatorControl('settlePayment');
  const res = await request.post(`${SHOP_STRIPE}/_emulator/payment_intents/${intent}/settle`, { headers: SECRET, form: { outcome } });
  expect(res.ok()).toBe(true);
}

/** Presses Pay and returns the PaymentIntent id the shopper comes back with. */
export async function payAndReturn(page: Page): Promise<string> {
  const returned = page.waitForRequest(/\/checkout\/complete\?payment_intent=/);
  await pay(page);
  const intent = new URL((await returned).url()).searchParams.get('payment_intent');
  expect(intent).toMatch(/^pi_/);
  return intent!;
}

/** An object at the shop's Stripe, read with the secret key (`/v1/payment_intents/pi_…`). */
export async function stripeObject(request: APIRequestContext, pathname: string) {
  const res = await request.get(`${SHOP_STRIPE}${pathname}`, { headers: SECRET });
  expect(res.ok()).toBe(true);
  return res.json();
}
