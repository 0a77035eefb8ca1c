/**
 * What wrappers around Stripe.js check for (`@stripe/react-stripe-js`'s
 * `isStripe`: `elements`, `createToken`, `createPaymentMethod`,
 * `confirmCardPayment`), and those calls on the stand-in: working where the
 * emulator has the flow, Stripe's error shape where it does not.
 */
import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { test, expect } from '../../support/fixtures';
import { selectSaved } from '../../support/stripe';
import { emulatorPort } from '../../playwright.config';

type Demo = { stripe: Stripe; elements: StripeElements; config: { clientSecret: string } };

test('the Stripe object passes wrappers\' checks; createPaymentMethod and confirmCardPayment work, createToken fails as Stripe does', async ({ page, problems }) => {
  // Confirming the intent once it is paid answers 400, on purpose.
  problems.expect(/HTTP 400: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 400/);
  await page.goto(`http://127.0.0.1:${emulatorPort}/demo?persona=camille`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
  await selectSaved(page, /Visa •••• 4242/);

  const report = await page.evaluate(async () => {
    const { stripe, elements, config } = (window as unknown as { __demo: Demo }).__demo;
    const raw = stripe as unknown as Record<string, unknown>;
    const checked = ['elements', 'createToken', 'createPaymentMethod', 'confirmCardPayment']
      .filter((name) => typeof raw[name] === 'function');
    const created = await stripe.createPaymentMethod({ elements, params: { billing_details: { name: 'Camille Martin' } } });
    const token = await (raw.createToken as (element: unknown) => Promise<{ error?: { type: string; code?: string } }>)({});
    const cardElement = await stripe.confirmCardPayment(config.clientSecret, {
      payment_method: { card: {} } as unknown as string,
    });
    const paid = await stripe.confirmCardPayment(config.clientSecret, { payment_method: created.paymentMethod!.id });
    const again = await stripe.confirmCardPayment(config.clientSecret, { payment_method: created.paymentMethod!.id });
    return {
      checked,
      method: created.paymentMethod && { id: created.paymentMethod.id, type: created.paymentMethod.type, last4: created.paymentMethod.card?.last4 },
      token: token.error,
      cardElement: cardElement.error?.code,
      status: paid.paymentIntent?.status,
      again: again.error?.code,
    };
  });

  expect(report.checked).toEqual(['elements', 'createToken', 'createPaymentMethod', 'confirmCardPayment']);
  expect(report.method?.id).toMatch(/^pm_/);
  expect(report.method?.type).toBe('card');
  expect(report.method?.last4).toBe('4242');
  expect(report.token).toEqual(expect.objectContaining({ type: 'invalid_request_error', code: 'emulator_unsupported' }));
  expect(report.cardElement).toBe('emulator_unsupported');
  expect(report.status).toBe('succeeded');
  // Stripe's own answer to confirming a paid intent.
  expect(report.again).toBe('payment_intent_unexpected_state');
});
