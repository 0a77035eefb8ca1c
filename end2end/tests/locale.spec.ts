import { test, expect } from '../support/fixtures';
import { customers, open, signIn } from '../support/shop';

test('a French customer reads French and pays in euros; switching language keeps the currency', async ({ page }) => {
  await signIn(page, customers.camille);
  await open(page, '/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Catalogue' })).toBeVisible();
  await expect(page.locator('[data-product="pour-over-kit"] .price')).toHaveText(/^34,00\s€$/);
  try {
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Catalog' })).toBeVisible();
    await expect(page.locator('[data-product="pour-over-kit"] .price')).toHaveText('€34.00');
    await expect(page.getByRole('button', { name: 'EN', exact: true })).toHaveAttribute('aria-pressed', 'true');
    // Remembered on the account, not just the page.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  } finally {
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  }
  await expect(page.getByRole('heading', { name: 'Rustic Roast' })).toBeVisible();
  await expect(page.getByText('Du café en petits lots, torréfié à la commande.')).toBeVisible();
});

test.describe('a visitor whose browser prefers French', () => {
  test.use({ locale: 'fr-FR' });

  test('reads French and sees euros', async ({ page }) => {
    await open(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('link', { name: 'Se connecter', exact: true })).toBeVisible();
    await expect(page.locator('[data-product="mug"] .price')).toHaveText(/^14,50\s€$/);
  });

  test('is told about a wrong password in French', async ({ page }) => {
    await open(page, '/signin');
    const form = page.getByTestId('sign-in-form');
    await form.getByLabel('Adresse e-mail').fill(customers.camille.email);
    await form.getByLabel('Mot de passe').fill('faux');
    await form.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  });

  test('can switch to English, and the choice is kept', async ({ page }) => {
    await open(page, '/');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});
