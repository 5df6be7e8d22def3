// Keeping the session alive and calling the APIs: refresh (proactive, reactive, single flight),
// rate limits, server errors, scopes and roles.
import { test, expect, signIn, faults, resetFaults, overviewLoaded, forgetKeptAnswers, changeConfig } from './fixtures';

test.beforeEach(async ({ request }) => resetFaults(request));

test('concurrent 401s cause exactly one refresh, then every call succeeds', async ({ page, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  // Every API answer waits 1.5 s, so the first 401 comes back only once the browser has sent all it
  // can at once: six calls to the API host (Chromium's limit of connections per host) and the
  // identity's profile call.
  await faults(request, { expire_access_tokens: true, latency_ms: 1500 });
  const refreshes: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/proxy/refresh')) refreshes.push(r.url());
  });
  const unauthorized: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 401 && !r.url().includes('/proxy/')) unauthorized.push(r.url());
  });
  // Reloading the overview starts ten API calls (nine counts and the profile) with the now-expired
  // token, once the counts it keeps are forgotten.
  await forgetKeptAnswers(page);
  await page.reload();
  await overviewLoaded(page);
  expect(unauthorized.length, 'the calls that met the expired token together').toBeGreaterThanOrEqual(7);
  expect(unauthorized.length).toBeLessThanOrEqual(10);
  expect(refreshes).toHaveLength(1);
});

test('short-lived tokens are refreshed before they expire', async ({ page, request }) => {
  await faults(request, { access_token_lifetime_secs: 8 });
  await signIn(page);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  const before = await page.getByTestId('access-token').innerText();
  // The margin is a fifth of the lifetime: the refresh happens about 6.4 s after sign-in.
  const refreshed = await page.waitForResponse((r) => r.url().endsWith('/proxy/refresh'), { timeout: 20_000 });
  expect(refreshed.status()).toBe(200);
  await expect(page.getByTestId('refresh-count')).toHaveText('1');
  await expect(page.getByTestId('access-token')).not.toHaveText(before);
});

test('a refresh answered with the same token (Webex’s stable window) does not spin: the next waits for expiry', async ({ page, request }) => {
  await faults(request, { access_token_lifetime_secs: 8, stable_refresh_secs: 86_400 });
  await signIn(page);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  const refreshes: { at: number; body: Promise<any> }[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/proxy/refresh')) refreshes.push({ at: Date.now(), body: r.json() });
  });
  // The proactive refresh gets the same token back, with what is left of its lifetime.
  await expect.poll(() => refreshes.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  const first = await refreshes[0].body;
  await expect(page.getByTestId('refresh-note')).toContainText('same access token');
  // The next refresh comes only once that token has expired (a spin would refresh every second).
  await expect.poll(() => refreshes.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  expect(refreshes[1].at - refreshes[0].at).toBeGreaterThanOrEqual(first.expires_in * 1000 - 500);
  expect((await refreshes[1].body).access_token).not.toBe(first.access_token);
  await expect(page.getByTestId('refresh-note')).toHaveText('');
});

test('scopes Webex does not report are shown as such, and the API decides', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page.getByTestId('scopes-not-reported')).toBeVisible();
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
});

test('429 with Retry-After: the countdown shows, then the call is retried and succeeds', async ({ page, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  await faults(request, { force_429: 1 });
  await page.goto('/config/users');
  await expect(page.getByTestId('rate-limited')).toBeVisible();
  await expect(page.getByTestId('row').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('rate-limited')).toBeHidden();
});

test('a 429 with the spec’s JSON body is waited out the same way', async ({ page, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  await faults(request, { force_429: 1, json_429: true });
  await page.goto('/config/users');
  await expect(page.getByTestId('rate-limited')).toBeVisible();
  await expect(page.getByTestId('row').first()).toBeVisible({ timeout: 15_000 });
});

test('a 5xx shows its status and trackingId, and Retry recovers', async ({ page, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  await faults(request, { force_5xx: 1 });
  await page.goto('/config/users');
  const error = page.getByTestId('api-error');
  await expect(error).toHaveAttribute('data-status', '503');
  await expect(error.getByTestId('tracking-id')).toHaveText(/\S+/);
  await error.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
});

test('a view whose scope was not granted is shown locked with the scope it needs', async ({ page }) => {
  await changeConfig(page, (config) => {
    config.scopes = ['spark:people_read'];
  });
  await signIn(page);
  await expect(page.getByTestId('tile-Users').getByTestId('scope-locked')).toContainText('cjp:config_read');
  await page.goto('/config/users');
  await expect(page.getByTestId('scope-locked')).toContainText('cjp:config_read');
});

test('a 403 for a user without the admin role explains itself', async ({ page }) => {
  await signIn(page, 'agent');
  const error = page.getByTestId('tile-Users').getByTestId('api-error');
  await expect(error).toHaveAttribute('data-status', '403');
  await expect(error).toContainText('administrator role');
});

test('users are paged, with the page in the address so a reload keeps it', async ({ page }) => {
  await signIn(page);
  await page.goto('/config/users?page=1&pageSize=10');
  await expect(page.getByTestId('row')).toHaveCount(10);
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2');
  const first = await page.getByTestId('row').first().innerText();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 3');
  await expect(page.getByTestId('row').first()).not.toHaveText(first);
  await page.reload();
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 3');
  await expect(page.getByTestId('total')).toHaveText(/^\d+ users in \d+ pages$/);
});

test('a broken config.json shows which fields are wrong instead of a blank page', async ({ page }) => {
  await page.route('**/config.json', (route) => route.fulfill({ json: { scopes: 'x', region: 'mars' } }));
  await page.goto('/');
  const problem = page.getByTestId('config-problem');
  await expect(problem).toBeVisible();
  await expect(problem.locator('[data-field="client_id"]')).toBeVisible();
  await expect(problem.locator('[data-field="region"]')).toBeVisible();
});

test('a token without the orgId tail: the org comes from /v1/people/me and the inspector says so', async ({ page, request }) => {
  await faults(request, { opaque_tokens: true });
  await signIn(page);
  // The tiles wait for the organization, then load.
  await overviewLoaded(page);
  const orgId = await page.getByTestId('org-id').innerText();
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page.getByTestId('inspector-org-id')).toHaveText(orgId);
  await expect(page.getByTestId('ci-cluster')).toHaveText('—');
  await expect(page.locator('dd', { has: page.getByTestId('inspector-org-id') })).toContainText('/v1/people/me');
});
