// The deployed page itself: it loads, starts the wasm, and carries the security headers.
import { test, expect } from './fixtures';

test('the app loads and renders without console errors', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('wxcc-console');
  // The heading is in the static first paint too: the app has started when it has replaced it.
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.locator('#app').getByRole('button', { name: 'Sign in with Webex' })).toBeEnabled();
});

test('the page is served with a strict CSP and no-referrer', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
});

test('scripts and wasm are loaded with subresource integrity', async ({ page }) => {
  await page.goto('/');
  // The JS glue through its modulepreload link; the wasm through the bootstrap's fetch, since
  // Chrome ignores `integrity` on a preload link (first-paint.spec.ts checks the hash itself).
  await expect(page.locator('link[rel="modulepreload"]')).toHaveAttribute('integrity', /^sha384-/);
  const bootstrap = await page.locator('script[type="module"]').textContent();
  expect(bootstrap).toMatch(/fetch\('[^']+_bg\.wasm', \{ integrity: 'sha384-[^']+' \}\)/);
});

test('the CSP is enforced: an injected inline script does not run', async ({ page, consoleErrors }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Refused by Trusted Types (its text is not a TrustedScript) before the inline-script check; the
  // browser says so in the console (without a securitypolicyviolation event).
  const reported = page.waitForEvent(
    'console',
    (m) => m.type() === 'error' && /TrustedScript.*will not be executed|Content Security Policy/.test(m.text()),
  );
  const ran = await page.evaluate(() => {
    const w = window as unknown as { injected?: boolean };
    w.injected = false;
    const s = document.createElement('script');
    // A text node, not `textContent`: setting the text is itself refused under Trusted Types
    // (trusted-types.spec.ts), and this test is about the script element reaching the page.
    s.append(document.createTextNode('window.injected = true'));
    // An inline script runs while it is inserted, so `injected` tells at once.
    document.head.appendChild(s);
    return w.injected;
  });
  expect(ran).toBe(false);
  await reported;
  // The browser's report of the blocked script is this test's expected outcome, not a failure.
  consoleErrors.splice(0, consoleErrors.length);
});

test('in-app links navigate without reloading, mark the current page, and follow back/forward', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('wxcc-console');
  // The static first paint's links are plain page loads: wait for the app to have replaced it.
  await expect(page.locator('#first-paint')).toHaveCount(0);
  // A marker on window survives only if the links navigate inside the app (no document reload).
  await page.evaluate(() => ((window as unknown as { marker?: number }).marker = 42));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page).toHaveURL(/\/token$/);
  await expect(nav.getByRole('link', { name: 'Token', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Grant flow', exact: true })).not.toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'Grant flow', exact: true }).click();
  await expect(page).toHaveURL(/\/flow$/);
  await expect(nav.getByRole('link', { name: 'Grant flow', exact: true })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page).toHaveURL(/\/token$/);
  await expect(nav.getByRole('link', { name: 'Token', exact: true })).toHaveAttribute('aria-current', 'page');
  await page.goForward();
  await expect(page).toHaveURL(/\/flow$/);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
