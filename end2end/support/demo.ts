/**
 * The emulator's demo page (`/demo?persona=…`), which emulator specs pay
 * through: open it, pay, and read the outcome the page shows or the intent's
 * settled status through Stripe.js.
 */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { waitForPaymentElement } from './stripe';
import { emulatorPort } from '../playwright.config';

export const EMULATOR = `http://127.0.0.1:${emulatorPort}`;

/** Opens the demo page for a test customer and waits for the element. */
export async function openDemo(page: Page, query: string) {
  await page.goto(`${EMULATOR}/demo?${query}`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
  await waitForPaymentElement(page);
}

export async function pay(page: Page) {
  await expect(page.locator('#pay')).toBeEnabled();
  await page.locator('#pay').click();
}

/** The status confirmPayment answered, as the page shows it. */
export async function expectOutcome(page: Page, status: string) {
  await expect(page.locator('#message')).toHaveAttribute('data-status', status);
}

/** Polls the intent through Stripe.js until it settles to `status`. */
export async function expectSettled(page: Page, status: string) {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const demo = (window as unknown as { __demo: { stripe: any; config: { clientSecret: string } } }).__demo;
        const { paymentIntent } = await demo.stripe.retrievePaymentIntent(demo.config.clientSecret);
        return paymentIntent.status;
      }),
    )
    .toBe(status);
}
