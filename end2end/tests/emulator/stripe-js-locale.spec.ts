/**
 * Stripe.js gives `error.message` in the locale given to `Stripe()` or
 * `elements()`, `auto` being the browser's language: a French checkout's
 * decline and 3-D Secure failure read in French, an English one in English.
 * Each test names what its own customer's next payment does, so parallel
 * tests on the same emulator do not meet each other's scenarios.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from '../../support/fixtures';
import { completeThreeDSecure, paymentFrame, selectSaved } from '../../support/stripe';
import { EMULATOR, openDemo } from '../../support/demo';

/** Camille's demo checkout (a saved Visa), her next payment doing `outcome`. */
async function checkout(page: Page, request: APIRequestContext, query: string, outcome: string) {
  await openDemo(page, `persona=camille${query}`);
  const customer = await page.locator('body').getAttribute('data-customer');
  const scenario = await request.post(`${EMULATOR}/_emulator/scenarios`, {
    headers: { authorization: 'Bearer sk_test_emulator' },
    form: { outcome, customer: customer!, count: '1' },
  });
  expect(scenario.ok()).toBe(true);
  await selectSaved(page, /Visa •••• 4242/);
  await page.locator('#pay').click();
}

test.describe('in French', () => {
  test.beforeEach(({ problems }) => {
    // The declined confirmation answers 402, on purpose.
    problems.expect(/HTTP 402: POST .*\/confirm/);
    problems.expect(/console error: Failed to load resource: .* 402/);
  });

  test('a decline says why in French (locale: "fr")', async ({ page, request }) => {
    await checkout(page, request, '&locale=fr', 'decline:insufficient_funds');
    await expect(page.locator('#message')).toHaveText('Votre carte ne dispose pas de fonds suffisants.');
  });

  test('a failed 3-D Secure says so in French (locale: "fr")', async ({ page, request }) => {
    await checkout(page, request, '&locale=fr', 'fail_3ds');
    await completeThreeDSecure(page);
    await expect(page.locator('#message')).toHaveText(
      'Nous ne parvenons pas à authentifier votre moyen de paiement. Veuillez choisir un autre moyen de paiement et réessayer.',
    );
  });

  test.describe('with locale "auto" in a French browser', () => {
    test.use({ locale: 'fr-FR' });

    test('a generic decline reads in the browser\'s language', async ({ page, request }) => {
      await checkout(page, request, '', 'decline');
      await expect(page.locator('#message')).toHaveText('Votre carte a été refusée.');
      // The element's own labels follow the same locale.
      await expect(paymentFrame(page).locator('html')).toHaveAttribute('lang', 'fr');
    });
  });
});

test('in English the same decline keeps the API\'s English (locale: "en")', async ({ page, request, problems }) => {
  problems.expect(/HTTP 402: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 402/);
  await checkout(page, request, '&locale=en', 'decline:insufficient_funds');
  await expect(page.locator('#message')).toHaveText('Your card has insufficient funds.');
});
