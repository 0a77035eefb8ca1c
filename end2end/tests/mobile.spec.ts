import { test, expect } from '../support/fixtures';
import { checkout, expectOrder, pay } from '../support/checkout';
import { customers, open, signIn } from '../support/shop';
import { selectSaved } from '../support/stripe';
import type { Page } from '@playwright/test';

// Every page fits a phone, in both languages: no sideways scrolling, and the
// Pay button is reached by an ordinary click.

async function fits(page: Page, path: string) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll, `${path} is ${scroll} px wide on a ${inner} px screen`).toBeLessThanOrEqual(inner);
}

for (const viewport of [{ width: 360, height: 740 }, { width: 390, height: 844 }]) {
  for (const customer of [customers.jordan, customers.camille]) {
    test.describe(`${viewport.width}×${viewport.height}, ${customer.locale}`, () => {
      test.use({ viewport });

      test('every page fits the screen, and Pay is clickable', async ({ page, problems }) => {
        problems.expect(/HTTP 404: GET .*\/no-such-page/);
        problems.expect(/console error: Failed to load resource: .* 404/);
        await open(page, '/signin');
        await fits(page, '/signin (signed out)');
        await checkout(page, customer, ['mug', 'pour-over-kit']);
        await fits(page, '/checkout');
        for (const path of ['/', '/cart', '/orders', '/messages', '/signin', '/no-such-page']) {
          await open(page, path);
          await fits(page, path);
        }
        // Cart lines say what each price is.
        await open(page, '/cart');
        const line = page.locator('tr[data-product="mug"]');
        await expect(line.locator('td[data-label]').first()).toBeVisible();
        await open(page, '/checkout');
        // (Another test removes Camille's saved SEPA account: the card is there for both.)
        await selectSaved(page, /Visa •••• 4242/);
        await pay(page);
        await expectOrder(page, 'paid');
        await fits(page, '/checkout/complete');
      });
    });
  }
}
