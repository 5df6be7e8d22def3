// The grant end to end in a real browser: sandbox consent page, token proxy, session.
import { test, expect, sandbox, signIn, startSignIn, faults, resetFaults, overviewLoaded } from './fixtures';

test.beforeEach(async ({ request }) => resetFaults(request));

test('the full grant: authorize with PKCE S256, consent, exchange, first API call', async ({ page }) => {
  const params = await startSignIn(page);
  expect(params.get('response_type')).toBe('code');
  expect(params.get('code_challenge_method')).toBe('S256');
  expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(params.get('client_id')).toBe('wxcc-demo-client');

  const exchange = page.waitForResponse((r) => r.url().endsWith('/proxy/token'));
  await page.getByRole('button', { name: 'Accept' }).click();
  const tokenResponse = await exchange;
  expect(tokenResponse.status()).toBe(200);
  const body = await tokenResponse.json();
  expect(body.access_token).toMatch(/_P0A1_[0-9a-f-]{36}$/);
  expect(body).not.toHaveProperty('refresh_token');

  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);
  // No code or state left in the address bar or the history entry.
  expect(page.url()).not.toContain('code=');
  expect(page.url()).not.toContain('state=');
  expect(new URL(page.url()).pathname).toBe('/');
  // The overview's tiles show real counts from the Contact Center API.
  await expect(page.getByTestId('tile-Users').locator('.count')).toHaveText(/^[1-9]\d*$/);

  // The token never reaches the console, and nothing but masked values is in the grant-flow view.
  await page.getByRole('link', { name: 'Grant flow', exact: true }).click();
  await expect(page.getByTestId('flow-step')).toHaveCount(5);
  await expect(page.locator('[data-testid="flow-step"][data-status="done"]')).toHaveCount(5);
  const flowText = await page.locator('main').innerText();
  expect(flowText).not.toContain(body.access_token);
  expect(flowText).toContain('held by the proxy');
});

test('the token inspector shows orgId, ciCluster, expiry and scopes, masked until revealed', async ({ page }) => {
  await signIn(page);
  const orgId = await page.getByTestId('org-id').innerText();
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page.getByTestId('inspector-org-id')).toHaveText(orgId);
  await expect(page.getByTestId('ci-cluster')).toHaveText('P0A1');
  // Webex's token lasts 14 days, but no longer than the session: the proxy caps it at the
  // session's end (12 hours by default).
  await expect(page.getByTestId('access-expiry')).toHaveText(/^12h 00m$|^11h 59m$/);
  const masked = await page.getByTestId('access-token').innerText();
  expect(masked).toMatch(/…/);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByTestId('access-token')).toHaveText(new RegExp(`_P0A1_${orgId}$`));
  await expect(page.locator('[data-testid="scope-row"][data-scope="cjp:config_read"]')).toHaveAttribute(
    'data-status',
    'granted',
  );
});

test('declining consent shows the access-denied screen with "Sign in again"', async ({ page }) => {
  await startSignIn(page);
  await page.getByRole('button', { name: 'Decline' }).click();
  const failure = page.getByTestId('sign-in-failed');
  await expect(failure).toHaveAttribute('data-code', 'access-denied');
  await expect(failure.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  expect(page.url()).not.toContain('error=');
});

test('a callback with a state that is not this tab’s is refused', async ({ page }) => {
  await startSignIn(page);
  await page.goto('/callback?code=abc&state=forged-state-value');
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'state-mismatch');
  expect(page.url()).not.toContain('forged');
});

test('a callback without state is refused', async ({ page }) => {
  await startSignIn(page);
  await page.goto('/callback?code=abc');
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'missing-state');
});

test('a callback with the right state but no code says so', async ({ page }) => {
  const params = await startSignIn(page);
  await page.goto(`/callback?state=${params.get('state')}`);
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'missing-code');
});

test('a bookmarked callback URL in a fresh tab has no sign-in to finish', async ({ page }) => {
  await page.goto('/callback?code=old-code&state=old-state');
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'no-pending-sign-in');
  await page.getByRole('button', { name: 'Sign in again' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
});

test('a code Webex does not accept ends on the invalid-grant screen', async ({ page }) => {
  const params = await startSignIn(page);
  await page.goto(`/callback?code=not-a-real-code&state=${params.get('state')}`);
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'invalid-grant');
});

test('replaying the callback URL after signing in is refused, and the session carries on', async ({ page }) => {
  await startSignIn(page);
  const callback = page.waitForRequest((r) => r.url().includes('/callback?code='));
  await page.getByRole('button', { name: 'Accept' }).click();
  const callbackUrl = (await callback).url();
  await expect(page.getByTestId('org-id')).toBeVisible();
  await page.goto(callbackUrl);
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'no-pending-sign-in');
  await page.getByRole('button', { name: 'Continue with your current session' }).click();
  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);
});

test('the back button after signing in does not sign in twice', async ({ page }) => {
  await signIn(page);
  await page.goBack();
  // Back lands on the sandbox's consent page (its transaction is used up) or the app; either way
  // the app never accepts the old callback again.
  if (page.url().startsWith(sandbox.identity)) {
    await page.goForward();
  }
  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain('code=');
});

test('an unreachable token proxy gets its own screen', async ({ page }) => {
  await startSignIn(page);
  await page.route('**/proxy/token', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'proxy-unreachable');
  // (The browser's own "net::ERR_CONNECTION_REFUSED" line is this test's premise; the fixture lets it through.)
});

test('a proxy that answers but whose identity service failed is told apart from an unreachable one', async ({ page }) => {
  await startSignIn(page);
  await page.route('**/proxy/token', (route) =>
    route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ error: 'upstream_unavailable', error_description: 'Webex failed' }) }),
  );
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'identity-unavailable');
  await expect(page.getByTestId('sign-in-failed')).toContainText('The token proxy answered');
});

test('a misconfigured proxy says the operator must fix it', async ({ page }) => {
  await startSignIn(page);
  await page.route('**/proxy/token', (route) =>
    route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ error: 'proxy_misconfigured', error_description: 'client refused' }) }),
  );
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('sign-in-failed')).toHaveAttribute('data-code', 'proxy-misconfigured');
  await expect(page.getByTestId('sign-in-failed')).toContainText('operator');
});

test('sign-out clears the tab and the proxy cookie', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('notice')).toHaveText('You are signed out.');
  const stored = await page.evaluate(() => Object.keys(sessionStorage));
  expect(stored.filter((k) => k.startsWith('wxcc.'))).toEqual([]);
  await page.reload();
  // Enabled: the app's own button, not the static first paint's.
  await expect(page.getByRole('button', { name: 'Sign in with Webex' })).toBeEnabled();
});

test('a new tab restores the session silently through the proxy cookie', async ({ page, context }) => {
  await signIn(page);
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('org-id')).toHaveText(await page.getByTestId('org-id').innerText());
  await second.close();
});

test('a corrupted stored session is discarded with a notice', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in with Webex' })).toBeEnabled();
  await page.evaluate(() => sessionStorage.setItem('wxcc.session', '{"version":1,"access_token":'));
  await context.clearCookies();
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('could not be read');
});

test('an expired refresh token ends the session with a clear message', async ({ page, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  await faults(request, { expire_access_tokens: true, expire_refresh_tokens: true });
  await page.goto('/config/users');
  await expect(page.getByTestId('notice')).toContainText('Your session has ended');
});
