/**
 * The stand-in against the official @stripe/stripe-js types: this file takes
 * window.Stripe as a StripeConstructor and calls every method the emulator
 * implements. `tsc --noEmit` checks the calls; the test runs them in Chromium.
 */
import type {
  PaymentIntentResult, Stripe, StripeConstructor, StripeElements, StripePaymentElement, StripePaymentElementChangeEvent,
} from '@stripe/stripe-js';
import { test, expect } from '../../support/fixtures';
import { emulatorPort } from '../../playwright.config';

type DemoConfig = { publishableKey: string; clientSecret: string; customerSessionClientSecret: string };

test('window.Stripe satisfies StripeConstructor, and every method works', async ({ page, problems }) => {
  // Confirming an intent that is already processing answers 400, on purpose.
  problems.expect(/HTTP 400: POST .*\/confirm/);
  problems.expect(/console error: Failed to load resource: .* 400/);
  await page.goto(`http://127.0.0.1:${emulatorPort}/demo?persona=camille`);
  await expect(page.locator('body[data-element-ready="true"]')).toBeAttached();
  const config = await page.evaluate(() => (window as unknown as { __demo: { config: DemoConfig } }).__demo.config);

  const report = await page.evaluate(async (config: DemoConfig) => {
    const StripeJs = (window as unknown as { Stripe: StripeConstructor }).Stripe;
    const stripe: Stripe = StripeJs(config.publishableKey, { locale: 'en', apiVersion: '2026-10-28.endive' });
    const elements: StripeElements = stripe.elements({
      clientSecret: config.clientSecret,
      customerSessionClientSecret: config.customerSessionClientSecret,
      appearance: { theme: 'night', variables: { colorPrimary: '#0a7d5a', borderRadius: '8px', fontFamily: 'Georgia, serif' } },
      locale: 'en',
      loader: 'auto',
    });
    const element: StripePaymentElement = elements.create('payment', {
      layout: { type: 'accordion', defaultCollapsed: false },
      defaultValues: { billingDetails: { name: 'Camille Martin', email: 'camille@example.fr' } },
      fields: { billingDetails: 'auto' },
      terms: { card: 'auto', sepaDebit: 'auto' },
      wallets: { link: 'auto' },
      paymentMethodOrder: ['card', 'sepa_debit'],
      readOnly: false,
    });
    const log: string[] = [];
    let oneElementPerGroup = false;
    try {
      elements.create('payment');
    } catch {
      oneElementPerGroup = true;
    }
    let confirmWithoutMount = '';
    try {
      await stripe.confirmPayment({ elements, redirect: 'if_required' });
    } catch (e) {
      confirmWithoutMount = (e as Error).name;
    }
    const onChange = (e: StripePaymentElementChangeEvent) => log.push(`change:${e.value.type}:${e.complete}`);
    element.on('change', onChange);
    element.on('loaderstart', () => log.push('loaderstart'));
    element.on('focus', () => log.push('focus'));
    element.on('blur', () => log.push('blur'));
    element.on('escape', () => log.push('escape'));
    element.on('loaderror', () => log.push('loaderror'));
    element.on('savedpaymentmethodremove', () => log.push('remove'));
    const ready = new Promise<void>((resolve) => element.once('ready', () => resolve()));
    const host = document.createElement('div');
    document.body.appendChild(host);
    element.mount(host);
    await ready;
    element.update({ readOnly: false });
    element.focus();
    element.blur();
    element.collapse();
    element.clear();
    const sameElement = elements.getElement('payment') === element;
    await elements.update({ locale: 'fr', appearance: { theme: 'flat' } });
    let clientSecretFixed = false;
    try {
      await elements.update({ clientSecret: 'pi_other_secret_other' } as unknown as Parameters<StripeElements['update']>[0]);
    } catch {
      clientSecretFixed = true;
    }
    const updates = await elements.fetchUpdates();
    const submitted = await elements.submit();
    const retrieved: PaymentIntentResult = await stripe.retrievePaymentIntent(config.clientSecret);
    let returnUrlRequired = '';
    try {
      await stripe.confirmPayment({ elements, confirmParams: {} as { return_url: string } });
    } catch (e) {
      returnUrlRequired = (e as Error).message;
    }
    const confirmed = await stripe.confirmPayment({ elements, confirmParams: { return_url: location.href }, redirect: 'if_required' });
    const again = await stripe.confirmPayment({
      clientSecret: config.clientSecret,
      confirmParams: { return_url: location.href },
      redirect: 'if_required',
    });
    const next = await stripe.handleNextAction({ clientSecret: config.clientSecret });
    element.off('change', onChange);
    element.unmount();
    const unmounted = host.querySelector('iframe') === null;
    element.destroy();
    return {
      log,
      oneElementPerGroup,
      confirmWithoutMount,
      sameElement,
      clientSecretFixed,
      updates,
      submitted,
      retrievedStatus: retrieved.paymentIntent?.status,
      returnUrlRequired,
      confirmedStatus: confirmed.paymentIntent?.status,
      againError: again.error?.code,
      nextStatus: 'paymentIntent' in next ? next.paymentIntent?.status : undefined,
      unmounted,
      gone: elements.getElement('payment'),
    };
  }, config);

  expect(report.oneElementPerGroup).toBe(true);
  expect(report.confirmWithoutMount).toBe('IntegrationError');
  expect(report.log).toContain('loaderstart');
  expect(report.log.some((l) => l.startsWith('change:sepa_debit:true'))).toBe(true);
  expect(report.sameElement).toBe(true);
  expect(report.clientSecretFixed).toBe(true);
  expect(report.updates).toEqual({});
  expect(report.submitted).toEqual({ selectedPaymentMethod: 'sepa_debit' });
  expect(report.retrievedStatus).toBe('requires_payment_method');
  expect(report.returnUrlRequired).toContain('return_url');
  expect(report.confirmedStatus).toBe('processing');
  expect(report.againError).toBe('payment_intent_unexpected_state');
  expect(report.nextStatus).toBe('processing');
  expect(report.unmounted).toBe(true);
  expect(report.gone).toBeNull();
});
