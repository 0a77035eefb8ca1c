/**
 * Offline Stripe for any app's Playwright suite.
 *
 * The browser keeps loading the real URLs (`https://js.stripe.com/v3/`, and
 * whatever Stripe.js then asks of `js.stripe.com` or `api.stripe.com`); this
 * fixture routes them to a `stripe-emulator`, whose Stripe.js stand-in has a
 * working Payment Element, `confirmPayment`, 3-D Secure and bank pages. The
 * app's server points its Stripe SDK at the same emulator with the SDK's own
 * base-URL option (README.md here). So a checkout's end-to-end tests run
 * offline and unchanged.
 *
 * ```ts
 * import { test, expect } from './stripe-offline';
 * test('pays', async ({ page, stripe }) => {
 *   await stripe.nextPayment('decline:insufficient_funds');   // optional
 *   await page.goto('/checkout');  // its HTML loads https://js.stripe.com/v3/
 * });
 * ```
 *
 * The emulator: `test.use({ stripeEmulatorUrl })` or `STRIPE_EMULATOR_URL`
 * (one already running, with `STRIPE_EMULATOR_SECRET_KEY` if not
 * `sk_test_emulator`), else this starts `stripe-emulator`
 * (`STRIPE_EMULATOR_BIN`, default from PATH) once per worker on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test as base, type BrowserContext } from '@playwright/test';

export { expect } from '@playwright/test';

/** A running emulator: where, and its keys. */
export type StripeEmulator = { url: string; secretKey: string; publishableKey: string };

/** What a test gets: the emulator, its API with the secret key, and scenarios. */
export type OfflineStripe = StripeEmulator & {
  /** Calls the emulator's API as a server would (form-encoded, secret key). */
  api(method: 'GET' | 'POST' | 'DELETE', path: string, params?: Record<string, string>): Promise<any>;
  /**
   * What the next confirmation does, by name: `succeed`, `decline`,
   * `decline:<decline_code>`, `require_3ds`, `fail_3ds`,
   * `process_then_succeed`, `process_then_fail`; for one intent, payment
   * method or customer (else any), `count` times.
   */
  nextPayment(
    outcome: string,
    options?: { customer?: string; paymentIntent?: string; paymentMethod?: string; count?: number },
  ): Promise<void>;
};

const STRIPE_HOSTS = /^https:\/\/(js|api)\.stripe\.com\//;

/** Sends the browser's requests for Stripe's hosts to the emulator instead. */
export async function routeStripeToEmulator(context: BrowserContext, emulatorUrl: string): Promise<void> {
  await context.route(STRIPE_HOSTS, async (route) => {
    const from = new URL(route.request().url());
    const response = await route.fetch({ url: emulatorUrl + from.pathname + from.search });
    await route.fulfill({ response });
  });
}

/**
 * The URL a started server prints (`… listening on http://…`) on its stdout
 * (spawned with `stdio: [_, 'pipe', _]`); fails if it exits first.
 */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}) before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]);
    });
  });
}

/** Starts `stripe-emulator` on a free port; resolves once it prints its URL. */
async function startEmulator(): Promise<{ emulator: StripeEmulator; child: ChildProcess }> {
  const bin = process.env.STRIPE_EMULATOR_BIN ?? 'stripe-emulator';
  const child = spawn(bin, ['--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await listeningUrl(child);
  return { emulator: { url, secretKey: 'sk_test_emulator', publishableKey: 'pk_test_emulator' }, child };
}

function formEncode(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export const test = base.extend<
  { stripe: OfflineStripe },
  { stripeEmulator: StripeEmulator; stripeEmulatorUrl: string | undefined }
>({
  stripeEmulatorUrl: [undefined, { option: true, scope: 'worker' }],
  stripeEmulator: [
    async ({ stripeEmulatorUrl }, use) => {
      const running = stripeEmulatorUrl ?? process.env.STRIPE_EMULATOR_URL;
      if (running) {
        await use({
          url: running.replace(/\/$/, ''),
          secretKey: process.env.STRIPE_EMULATOR_SECRET_KEY ?? 'sk_test_emulator',
          publishableKey: process.env.STRIPE_EMULATOR_PUBLISHABLE_KEY ?? 'pk_test_emulator',
        });
        return;
      }
      const { emulator, child } = await startEmulator();
      await use(emulator);
      child.kill();
    },
    { scope: 'worker' },
  ],
  stripe: async ({ context, stripeEmulator: emulator }, use) => {
    await routeStripeToEmulator(context, emulator.url);
    const api: OfflineStripe['api'] = async (method, path, params = {}) => {
      const body = formEncode(params);
      const url = emulator.url + path + (method === 'GET' && body ? `?${body}` : '');
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${emulator.secretKey}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: method === 'GET' ? undefined : body,
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    await use({
      ...emulator,
      api,
      async nextPayment(outcome, options = {}) {
        const params: Record<string, string> = { outcome, count: String(options.count ?? 1) };
        if (options.customer) params.customer = options.customer;
        if (options.paymentIntent) params.payment_intent = options.paymentIntent;
        if (options.paymentMethod) params.payment_method = options.paymentMethod;
        await api('POST', '/_emulator/scenarios', params);
      },
    });
  },
});
