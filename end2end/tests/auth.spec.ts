import { test, expect } from '../support/fixtures';
import { customers, open, signIn } from '../support/shop';

test('a customer signs in with e-mail and password, then signs out', async ({ page }) => {
  await signIn(page, customers.jordan);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'shop_session');
  expect(cookie, 'session cookie').toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe('Lax');
  expect(cookie!.value.length).toBeGreaterThanOrEqual(43);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.locator('.account-name')).toHaveCount(0);
  expect((await page.context().cookies()).find((c) => c.name === 'shop_session')).toBeUndefined();
  await open(page, '/cart');
  await expect(page.getByText('Sign in to see your cart.')).toBeVisible();
});

test('a wrong password is refused, and says so', async ({ page }) => {
  await open(page, '/signin');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill(customers.jordan.email);
  await form.getByLabel('Password').fill('not-the-password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');
  await expect(page.locator('.account-name')).toHaveCount(0);
  expect((await page.context().cookies()).find((c) => c.name === 'shop_session')).toBeUndefined();
});

test('an unknown e-mail gets the same answer as a wrong password', async ({ page }) => {
  await open(page, '/signin');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill('nobody@example.com');
  await form.getByLabel('Password').fill(customers.jordan.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong e-mail or password.');
});

test('demo mode lists the demo customers with their passwords', async ({ page }) => {
  await open(page, '/signin');
  const demo = page.locator('.demo-accounts');
  for (const c of Object.values(customers)) {
    const row = demo.getByRole('listitem').filter({ hasText: c.name });
    await expect(row).toContainText(c.email);
    await expect(row).toContainText(c.password);
  }
  await expect(demo.getByRole('listitem').filter({ hasText: 'Aoife Byrne' })).toContainText(
    'no saved payment method yet',
  );
  // One click signs in as a demo customer.
  await demo.getByRole('button', { name: 'Sign in as Jordan' }).click();
  await expect(page.locator('.account-name')).toContainText(customers.jordan.name);
});

test('signing in from the checkout comes back to the checkout', async ({ page }) => {
  await open(page, '/checkout');
  await expect(page.getByText('Sign in to check out.')).toBeVisible();
  await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
  await expect(page).toHaveURL(/\/signin\?next=\/checkout$/);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill(customers.aoife.email);
  await form.getByLabel('Password').fill(customers.aoife.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByRole('heading', { name: 'Checkout', level: 1 })).toBeVisible();
});

test('a crafted "next" address cannot send a customer to another site', async ({ page }) => {
  await open(page, '/signin?next=//evil.example/phish');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('E-mail').fill(customers.aoife.email);
  await form.getByLabel('Password').fill(customers.aoife.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.account-name')).toContainText(customers.aoife.name);
  expect(new URL(page.url()).host).toBe('127.0.0.1:' + (process.env.E2E_PORT ?? '3100'));
});
