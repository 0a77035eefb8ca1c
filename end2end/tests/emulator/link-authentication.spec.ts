/**
 * The Link Authentication Element, which Stripe's quickstarts mount above
 * the Payment Element: created beside it in one group, it asks for the
 * e-mail in a frame of its own and reports Stripe's `change` events.
 */
import type { Stripe, StripeElements, StripeLinkAuthenticationElementChangeEvent } from '@stripe/stripe-js';
import { test, expect } from '../../support/fixtures';
import { emulatorPort } from '../../playwright.config';

type Demo = { stripe: Stripe; config: { clientSecret: string; customerSessionClientSecret: string } };
type Watched = { changes: { complete: boolean; email: string }[]; ready: string[] };

test('linkAuthentication mounts beside the Payment Element and reports the e-mail', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${emulatorPort}/demo?persona=camille`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
  await page.evaluate(async () => {
    const { stripe, config } = (window as unknown as { __demo: Demo }).__demo;
    const elements: StripeElements = stripe.elements({
      clientSecret: config.clientSecret,
      customerSessionClientSecret: config.customerSessionClientSecret,
    });
    const watched: Watched = { changes: [], ready: [] };
    (window as unknown as { __watched: Watched }).__watched = watched;
    const link = elements.create('linkAuthentication', { defaultValues: { email: 'camille@example.fr' } });
    const payment = elements.create('payment', { layout: 'tabs' });
    link.on('change', (e: StripeLinkAuthenticationElementChangeEvent) =>
      watched.changes.push({ complete: e.complete, email: e.value.email }));
    link.on('ready', () => watched.ready.push('linkAuthentication'));
    payment.on('ready', () => watched.ready.push('payment'));
    for (const [element, id] of [[link, 'link-host'], [payment, 'payment-host']] as const) {
      const host = document.createElement('div');
      host.id = id;
      document.body.appendChild(host);
      element.mount(host);
    }
    if (elements.getElement('linkAuthentication') !== link) throw new Error('getElement');
  });
  const watched = () => page.evaluate(() => (window as unknown as { __watched: Watched }).__watched);
  await expect.poll(async () => (await watched()).ready.sort()).toEqual(['linkAuthentication', 'payment']);
  const email = page.frameLocator('#link-host iframe[title="Secure email input frame"]').getByLabel('Email');
  await expect(email).toHaveValue('camille@example.fr');
  await email.fill('not-an-address');
  await email.fill('dana@example.com');
  await expect.poll(async () => (await watched()).changes.at(-1)).toEqual({ complete: true, email: 'dana@example.com' });
  expect((await watched()).changes).toContainEqual({ complete: false, email: 'not-an-address' });
});
