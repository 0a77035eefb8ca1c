import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '../support/fixtures';
import { checkout, checkoutOrder, expectOrder, pay } from '../support/checkout';
import { customers, open } from '../support/shop';
import { selectSaved } from '../support/stripe';
import type { Page } from '@playwright/test';

// axe-core over every page, on a desktop and on a phone, in both languages:
// no violation of WCAG 2.1 A and AA, in the shop's pages and in the
// stand-in's Payment Element frame (axe reads frames too).

async function noViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe-core on ${what}`).toEqual([]);
}

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  for (const customer of [customers.jordan, customers.camille]) {
    test.describe(`${viewport.width}×${viewport.height}, ${customer.locale}`, () => {
      test.use({ viewport });

      test('every page passes axe-core', async ({ page, problems }) => {
        problems.expect(/HTTP 404: GET .*\/no-such-page/);
        problems.expect(/console error: Failed to load resource: .* 404/);
        await open(page, '/signin');
        // The check sees what it must: an image without a text alternative, planted.
        await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img id="planted" src="/favicon.svg">'));
        const planted = await new AxeBuilder({ page }).withTags(['wcag2a']).analyze();
        expect(planted.violations.map((v) => v.id)).toContain('image-alt');
        await page.evaluate(() => document.getElementById('planted')!.remove());
        await noViolations(page, '/signin (signed out)');
        // Sign-in by code: the page where it is typed, the new-account page
        // without a proof (its notice), the development mailbox.
        const form = page.getByTestId('code-request-form');
        await form.locator('input[name="email"]').fill(`axe.${viewport.width}.${customer.locale}.${Date.now()}@example.com`);
        await form.locator('button[type="submit"]').click();
        await expect(page.getByTestId('code-form')).toBeVisible();
        await noViolations(page, '/signin/code');
        for (const path of ['/signin/welcome', '/dev/mailbox']) {
          await open(page, path);
          await noViolations(page, path);
        }
        await checkout(page, customer, ['mug']);
        await noViolations(page, '/checkout');
        const order = await checkoutOrder(page);
        for (const path of ['/', '/cart', '/messages', '/account', '/no-such-page']) {
          await open(page, path);
          await noViolations(page, path);
        }
        await open(page, '/checkout');
        await selectSaved(page, /Visa •••• 4242/);
        await pay(page);
        await expectOrder(page, 'paid');
        await noViolations(page, '/checkout/complete');
        for (const path of ['/orders', `/orders/${order}`]) {
          await open(page, path);
          await noViolations(page, path);
        }
      });
    });
  }
}
