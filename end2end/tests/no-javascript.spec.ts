import { test, expect } from '../support/fixtures';
import { addToCart, customers, emptyCart, open, signIn } from '../support/shop';

// Before the wasm has loaded (or with JavaScript off), every form is a plain
// HTML form post to the same server function, answered with a redirect.
test.use({ javaScriptEnabled: false });
const noJs = { javaScript: false };

test.beforeEach(({ problems }) => {
  // With scripts off, Chromium refuses the module preload of the islands' script.
  problems.expect(/request failed: GET .*\/pkg\/shop\.[0-9a-f]+\.js \(csp\)/);
});

test('the whole flow works with JavaScript disabled', async ({ page }) => {
  await signIn(page, customers.jordan, noJs);
  await emptyCart(page, noJs);
  await open(page, '/', noJs);
  await addToCart(page, 'mug', noJs);
  await addToCart(page, 'mug', noJs);
  await addToCart(page, 'pour-over-kit', noJs);

  await open(page, '/cart', noJs);
  await expect(page.getByTestId('cart-total')).toHaveText('$67.00');
  const mug = page.locator('tr[data-product="mug"]');
  await mug.getByLabel('Quantity – Stoneware mug').fill('4');
  await mug.getByRole('button', { name: 'Update' }).click();
  // Leptos redirects back to the Referer, stripped of its query (hence a bare "?").
  await expect(page).toHaveURL(/\/cart\??$/);
  await expect(mug.getByTestId('line-total')).toHaveText('$62.00');
  await expect(page.getByTestId('cart-total')).toHaveText('$98.00');

  await page.getByRole('link', { name: 'Proceed to checkout' }).click();
  await expect(page.getByTestId('checkout-total')).toHaveText('$98.00');
  // No element to pay with: the page says why, and no loading line lingers.
  await expect(page.getByTestId('needs-javascript')).toContainText('Paying needs JavaScript');
  await expect(page.getByTestId('payment-loading')).toBeHidden();
  await expect(page.getByTestId('pay')).toBeHidden();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
});

test('a wrong password is refused with JavaScript disabled too', async ({ page }) => {
  await open(page, '/signin', noJs);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill(customers.jordan.email);
  await form.getByLabel('Password').fill('wrong');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');
});
