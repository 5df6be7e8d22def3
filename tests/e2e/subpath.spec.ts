// The app deployed below a sub-path (built with `trunk --public-url /console/`, served under
// /console/ by the local CDN): the grant, navigation and deep links all stay below it.
// Run by `cargo xtask test` against its own stack; the base URL ends with /console/.
import { test, expect, sandbox } from './fixtures';

test('@subpath sign-in, callback, navigation and deep links stay below the sub-path', async ({ page }) => {
  await page.goto('./');
  expect(new URL(page.url()).pathname).toBe('/console/');
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  expect(new URL(page.url()).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/callback$/);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);
  // Back at the app's start page (the router writes it without the trailing slash), callback gone.
  expect(new URL(page.url()).pathname).toMatch(/^\/console\/?$/);
  expect(page.url()).not.toContain('code=');

  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page).toHaveURL(/\/console\/config\/users$/);
  await expect(page.getByTestId('row').first()).toBeVisible();
  await page.getByRole('link', { name: 'Grant flow', exact: true }).click();
  await expect(page).toHaveURL(/\/console\/flow$/);
  await expect(page.locator('[data-testid="flow-step"][data-status="done"]')).toHaveCount(5);

  // A deep link opened directly (the host rewrites it to the app's index.html).
  await page.goto('config/teams?pageSize=10');
  await expect(page.getByTestId('row')).toHaveCount(10);
});
