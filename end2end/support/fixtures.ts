import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every test fails on a console error, an uncaught exception, a failed
 * request or an HTTP error response, unless the test declares that exact
 * problem with `problems.expect(pattern)` first.
 */
export class ProblemLog {
  private readonly seen: string[] = [];
  private readonly expected: RegExp[] = [];

  constructor(page: Page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.seen.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => this.seen.push(`uncaught exception: ${err.message}`));
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? 'unknown';
      // A navigation cancels the requests of the page it leaves (a preload
      // the form post overtook, say). That is the browser, not the shop.
      if (failure === 'net::ERR_ABORTED') return;
      this.seen.push(`request failed: ${req.method()} ${req.url()} (${failure})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) this.seen.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
    });
  }

  /** Declares a problem this test provokes on purpose. */
  expect(pattern: RegExp) {
    this.expected.push(pattern);
  }

  unexpected(): string[] {
    return this.seen.filter((line) => !this.expected.some((p) => p.test(line)));
  }
}

export const test = base.extend<{ problems: ProblemLog }>({
  problems: [
    async ({ page }, use) => {
      const log = new ProblemLog(page);
      await use(log);
      expect(log.unexpected(), 'console errors, failed requests or HTTP errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * `E2E_STRIPE=live-test`: the suite runs against real Stripe test mode
 * (see README, "Against real Stripe"). What needs the emulator's controls
 * (webhook chaos, forced settlement, its request log) cannot run there.
 */
export const liveStripe = process.env.E2E_STRIPE === 'live-test';

/** Skips the calling test against real Stripe, saying which emulator control it needs. */
export function needsEmulator(control: string) {
  test.skip(liveStripe, `needs the Stripe emulator (${control}); skipped against real Stripe test mode`);
}

/** Refuses an emulator control in live-test mode (a test that forgot `needsEmulator`). */
export function emulatorControl(name: string) {
  if (liveStripe) throw new Error(`${name} is an emulator control: mark the test with needsEmulator()`);
}
