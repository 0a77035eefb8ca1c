import { test, expect } from '../support/fixtures';
import { open } from '../support/shop';

const productNames = ['Pour-over kit', 'Stoneware mug', 'Single-origin beans, 250 g', 'Hand grinder', 'Brewing guide (download)'];

test('the catalog is in the HTML the server sends, before any script runs', async ({ request }) => {
  const response = await request.get('/', { headers: { 'Accept-Language': 'en-US' } });
  expect(response.status()).toBe(200);
  const html = await response.text();
  for (const name of productNames) expect(html).toContain(name);
  expect(html).toContain('$36.00');
  // Rendered in place, not streamed into <template>s that need a script to show.
  expect(html).not.toContain('<template');
  expect(html).toContain('<html lang="en">');
});

test('the page hydrates without a console error and shows every product', async ({ page }) => {
  await open(page, '/');
  const cards = page.locator('.product-card');
  await expect(cards).toHaveCount(productNames.length);
  for (const name of productNames) {
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  }
  // Visitors are asked to sign in before buying.
  await expect(cards.first().getByRole('link', { name: 'Sign in to buy' })).toBeVisible();
});

test('an unknown address answers 404 with a way back', async ({ page, problems }) => {
  problems.expect(/HTTP 404: GET .*\/no-such-page/);
  problems.expect(/console error: Failed to load resource: .* 404/);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the catalog' }).click();
  await expect(page.locator('.product-card')).toHaveCount(productNames.length);
});
