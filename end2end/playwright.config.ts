import { defineConfig, devices } from '@playwright/test';

// The suite runs against the release build in ../target (scripts/build.sh),
// started here on its own port with a fresh database, in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A second shop, without demo accounts: its customers exist only at its
// Stripe (its embedded emulator), as a merchant's do (tests/customers.spec.ts).
export const noDemoPort = Number(process.env.E2E_NO_DEMO_PORT ?? 3101);
export const noDemoEmulatorPort = Number(process.env.E2E_NO_DEMO_EMULATOR_PORT ?? 12114);
// The Stripe emulator on its own, for the Payment Element tests (tests/emulator/).
export const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 12112);
// `E2E_STRIPE=live-test` runs the shop's suite against real Stripe test mode
// (README, "Against real Stripe"): the shop gets STRIPE_SECRET_KEY,
// STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET from the environment, and
// `stripe listen --forward-to 127.0.0.1:3100/webhooks/stripe` delivers the
// events. The stand-in's own tests (tests/emulator/) and the tests that need
// an emulator control are skipped, each saying why.
const liveStripe = process.env.E2E_STRIPE === 'live-test';
if (liveStripe) {
  for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET']) {
    if (!process.env[name]?.startsWith(name === 'STRIPE_WEBHOOK_SECRET' ? 'whsec_' : name === 'STRIPE_SECRET_KEY' ? 'sk_test_' : 'pk_test_')) {
      throw new Error(`E2E_STRIPE=live-test needs ${name} (a test-mode key)`);
    }
  }
  console.log('E2E_STRIPE=live-test: against real Stripe test mode; tests/emulator/ and the tests needing emulator controls are skipped.');
}

export default defineConfig({
  testDir: './tests',
  testIgnore: liveStripe ? ['emulator/**'] : [],
  // One server and one database: tests share the demo customers, so they run
  // one at a time and each starts from a state it sets up itself.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: 'test-results/results.json' }]]
    : [['list'], ['json', { outputFile: 'test-results/results.json' }], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          // This machine has no network but loopback: keep Chromium from
          // reaching for Google's services.
          args: [
            '--no-sandbox',
            '--headless',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: 'bash ./start-server.sh',
      url: `${baseURL}/readyz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: { E2E_PORT: String(port), E2E_STRIPE: process.env.E2E_STRIPE ?? 'emulator' },
    },
    ...(liveStripe
      ? []
      : [
          {
            command: 'bash ./start-server.sh',
            url: `http://127.0.0.1:${noDemoPort}/readyz`,
            timeout: 60_000,
            reuseExistingServer: false,
            stdout: 'pipe' as const,
            stderr: 'pipe' as const,
            env: {
              E2E_PORT: String(noDemoPort),
              E2E_DB_DIR: 'target/e2e-no-demo',
              E2E_SHOP_EMULATOR_PORT: String(noDemoEmulatorPort),
              SHOP_DEMO: 'false',
            },
          },
          {
            command: 'bash ./start-emulator.sh',
            url: `http://127.0.0.1:${emulatorPort}/`,
            timeout: 300_000,
            reuseExistingServer: false,
            stdout: 'pipe' as const,
            stderr: 'pipe' as const,
            env: { E2E_EMULATOR_PORT: String(emulatorPort) },
          },
        ]),
  ],
});
