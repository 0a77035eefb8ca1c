import { expect, type Page } from '@playwright/test';

/** The demo customers the server seeds (shop/src/server/seed.rs). */
export const customers = {
  camille: { name: 'Camille Martin', email: 'camille@example.fr', password: 'camille-demo', locale: 'fr' },
  jordan: { name: 'Jordan Smith', email: 'jordan@example.com', password: 'jordan-demo', locale: 'en' },
  aoife: { name: 'Aoife Byrne', email: 'aoife@example.ie', password: 'aoife-demo', locale: 'en' },
} as const;
export type Customer = (typeof customers)[keyof typeof customers];

/**
 * Waits until every island of the page is hydrated (`IslandScripts` in
 * app/src/islands/mod.rs sets the attribute). A page without islands is
 * plain HTML and loads no WebAssembly: nothing to wait for.
 */
export async function hydrated(page: Page) {
  if ((await page.locator('leptos-island').count()) === 0) return;
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

/** Goes to `path`, and waits for hydration when JavaScript is on. */
export async function open(page: Page, path: string, { javaScript = true } = {}) {
  await page.goto(path);
  if (javaScript) await hydrated(page);
}

/** Signs in through the real form. */
export async function signIn(page: Page, customer: Customer, { javaScript = true } = {}) {
  await open(page, '/signin', { javaScript });
  const form = page.getByTestId('sign-in-form');
  await form.locator('input[name="email"]').fill(customer.email);
  await form.locator('input[name="password"]').fill(customer.password);
  await form.locator('button[type="submit"]').click();
  await expect(page.locator('.account-name')).toContainText(customer.name);
  if (javaScript) await hydrated(page);
}

/** Removes every line of the signed-in customer's cart, through the cart page. */
export async function emptyCart(page: Page, { javaScript = true } = {}) {
  await open(page, '/cart', { javaScript });
  const remove = page.locator('.cart-table tbody tr form.inline-form button');
  while ((await remove.count()) > 0) {
    const before = await remove.count();
    await remove.first().click();
    await expect(remove).toHaveCount(before - 1);
  }
  await expect(page.getByTestId('empty-cart')).toBeVisible();
}

/** Clicks "Add to cart" on a product card and waits for the badge to count it. */
export async function addToCart(page: Page, productId: string, { javaScript = true } = {}) {
  const badge = page.getByTestId('cart-count');
  const before = (await badge.count()) ? Number(await badge.innerText()) : 0;
  await page.locator(`[data-product="${productId}"] button[type="submit"]`).click();
  await expect(badge).toHaveText(String(before + 1));
}
