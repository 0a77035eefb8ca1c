import { test, expect, ProblemLog } from '../support/fixtures';
import { addToCart, customers, emptyCart, open, signIn } from '../support/shop';
import type { Page } from '@playwright/test';

/** Fails the test if the document is replaced (a full page load) after this call. */
async function watchForPageLoads(page: Page) {
  await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
  return async () => {
    const same = await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);
    expect(same, 'the page was not reloaded').toBe(true);
  };
}

test.beforeEach(async ({ page }) => {
  await signIn(page, customers.aoife);
  await emptyCart(page);
});

test('adding items counts them in the header without a page load', async ({ page }) => {
  await open(page, '/');
  const samePage = await watchForPageLoads(page);
  await addToCart(page, 'mug');
  await addToCart(page, 'beans');
  await addToCart(page, 'mug');
  await expect(page.getByTestId('cart-count')).toHaveText('3');
  await expect(page.getByRole('status').or(page.locator('.status'))).toContainText('Added to your cart.');
  await samePage();
});

test('changing a quantity updates the totals in place, priced by the server', async ({ page }) => {
  await open(page, '/');
  await addToCart(page, 'mug');
  await addToCart(page, 'beans');
  await open(page, '/cart');
  // Aoife pays in euros and reads English.
  await expect(page.getByTestId('cart-total')).toHaveText('€27.40');
  const samePage = await watchForPageLoads(page);

  const mug = page.locator('tr[data-product="mug"]');
  await mug.getByLabel('Quantity – Stoneware mug').fill('3');
  await mug.getByRole('button', { name: 'Update' }).click();
  await expect(mug.getByTestId('line-total')).toHaveText('€43.50');
  await expect(page.getByTestId('cart-total')).toHaveText('€56.40');
  await expect(page.getByTestId('cart-count')).toHaveText('4');

  await page.getByRole('button', { name: 'Remove – Single-origin beans, 250 g' }).click();
  await expect(page.locator('tr[data-product="beans"]')).toHaveCount(0);
  await expect(page.getByTestId('cart-total')).toHaveText('€43.50');
  await samePage();

  // The server kept it: a fresh load shows the same cart.
  await page.reload();
  await expect(page.getByTestId('cart-total')).toHaveText('€43.50');
});

test('the checkout shows the order summary of the server-side cart', async ({ page }) => {
  await open(page, '/');
  await addToCart(page, 'grinder');
  await addToCart(page, 'mug');
  await addToCart(page, 'mug');
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByRole('heading', { name: 'Order summary' })).toBeVisible();
  const lines = page.locator('.summary-lines li');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText('2 × Stoneware mug');
  await expect(lines.nth(0)).toContainText('€29.00');
  await expect(lines.nth(1)).toContainText('1 × Hand grinder');
  await expect(page.getByTestId('checkout-total')).toHaveText('€88.00');
});

test('an empty cart says so at the checkout', async ({ page }) => {
  await open(page, '/checkout');
  await expect(page.getByTestId('empty-cart')).toContainText('Your cart is empty.');
  await page.getByRole('link', { name: 'Browse the catalog' }).click();
  await expect(page.locator('.product-card')).toHaveCount(5);
});

test('an out-of-range quantity is refused with a message and changes nothing', async ({ page, problems }) => {
  problems.expect(/HTTP 500: POST .*\/api\/cart\/quantity/);
  problems.expect(/console error: Failed to load resource: .* 500/);
  await open(page, '/');
  await addToCart(page, 'mug');
  await open(page, '/cart');
  const input = page.getByLabel('Quantity – Stoneware mug');
  // Get past the browser's own validation, as a crafted request would.
  await input.evaluate((el) => el.removeAttribute('max'));
  await input.fill('150');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose a quantity between 0 and 99.');
  await expect(page.getByTestId('cart-total')).toHaveText('€14.50');
  await page.reload();
  await expect(page.getByLabel('Quantity – Stoneware mug')).toHaveValue('1');
});

test("one customer's cart is never another's", async ({ page, browser }) => {
  await open(page, '/');
  await addToCart(page, 'grinder');

  const other = await browser.newContext();
  const jordan = await other.newPage();
  const problems = new ProblemLog(jordan);
  await signIn(jordan, customers.jordan);
  await emptyCart(jordan);
  await open(jordan, '/');
  await addToCart(jordan, 'beans');
  await open(jordan, '/cart');
  await expect(jordan.locator('tr[data-product="grinder"]')).toHaveCount(0);
  // Jordan pays in dollars.
  await expect(jordan.getByTestId('cart-total')).toHaveText('$13.90');
  expect(problems.unexpected()).toEqual([]);
  await other.close();

  await open(page, '/cart');
  await expect(page.locator('tr[data-product="beans"]')).toHaveCount(0);
  await expect(page.getByTestId('cart-total')).toHaveText('€59.00');
});
