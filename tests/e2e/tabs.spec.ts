// One sign-in per browser session, shared by every tab of the origin: adoption, one refresh for
// all tabs, sign-out everywhere, browser restarts, deep links and a quiet first visit.
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, signIn, faults, resetFaults, overviewLoaded, sandbox } from './fixtures';

test.beforeEach(async ({ request }) => resetFaults(request));

// The app's button: the page's static first paint has a (disabled) one before the app has decided.
const signedOut = (page: Page) => page.locator('#app').getByRole('button', { name: 'Sign in with Webex' });
const sessionIn = (page: Page) => page.evaluate(() => sessionStorage.getItem('wxcc.session'));
const refreshCookie = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) => c.name.includes('wxcc_rt'));

/** Another tab of the same browser, failing the test on any error it logs. */
async function openTab(context: BrowserContext, path = '/'): Promise<Page> {
  const tab = await context.newPage();
  tab.on('pageerror', (error) => {
    throw new Error(`uncaught in a second tab: ${error.message}`);
  });
  await tab.goto(path);
  return tab;
}

/** Every request to the token proxy from any tab of `context`. */
function proxyCalls(context: BrowserContext): string[] {
  const calls: string[] = [];
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/proxy/')) calls.push(new URL(r.url()).pathname);
  });
  return calls;
}

test('a new tab adopts the open tab’s session without calling the proxy', async ({ page, context }) => {
  await signIn(page);
  await overviewLoaded(page);
  const calls = proxyCalls(context);
  const second = await openTab(context);
  await expect(second.getByTestId('org-id')).toHaveText(await page.getByTestId('org-id').innerText());
  await overviewLoaded(second);
  expect(calls).toEqual([]);
});

test('three tabs whose access tokens expired make exactly one refresh', async ({ page, context, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  const tabs = [page, await openTab(context), await openTab(context)];
  for (const tab of tabs) await overviewLoaded(tab);
  await faults(request, { expire_access_tokens: true });
  const calls = proxyCalls(context);
  // All three reload at once: every call not answered from the kept counts meets the expired token.
  await Promise.all(tabs.map((tab) => tab.reload()));
  for (const tab of tabs) await overviewLoaded(tab);
  expect(calls.filter((c) => c === '/proxy/refresh')).toHaveLength(1);
  const tokens = await Promise.all(tabs.map(async (tab) => JSON.parse((await sessionIn(tab))!).access_token));
  expect(new Set(tokens).size, 'every tab holds the one refreshed token').toBe(1);
});

test('sign-out in one tab signs out every tab within a second', async ({ page, context }) => {
  await signIn(page);
  await overviewLoaded(page);
  const others = [await openTab(context, '/token'), await openTab(context, '/config/users')];
  for (const tab of others) await expect(tab.getByTestId('access-token').or(tab.getByTestId('row').first())).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  for (const tab of others) {
    await expect(signedOut(tab)).toBeVisible({ timeout: 1_000 });
    await expect(tab.getByTestId('notice')).toContainText('signed out in another tab');
    expect(await sessionIn(tab)).toBeNull();
  }
  await expect(signedOut(page)).toBeVisible();
  expect(await refreshCookie(context)).toEqual([]);
});

test('a dead session costs exactly one refresh call, in every tab', async ({ page, context, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  const second = await openTab(context);
  await overviewLoaded(second);
  await faults(request, { expire_access_tokens: true, expire_refresh_tokens: true });
  const calls = proxyCalls(context);
  await Promise.all([page.reload(), second.reload()]);
  for (const tab of [page, second]) await expect(tab.getByTestId('notice')).toContainText(/session has ended|Sign in again/);
  expect(calls.filter((c) => c === '/proxy/refresh')).toHaveLength(1);
});

test('a browser restart ends the sign-in: only persistent cookies survive, and there are none', async ({ page, context, browser }) => {
  await signIn(page);
  await overviewLoaded(page);
  const cookie = await refreshCookie(context);
  expect(cookie).toHaveLength(1);
  expect(cookie[0].expires, 'the sealed refresh cookie is a session cookie').toBe(-1);
  const restarted = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    storageState: { cookies: (await context.cookies()).filter((c) => c.expires !== -1), origins: [] },
  });
  const tab = await restarted.newPage();
  await tab.goto('/');
  await expect(signedOut(tab)).toBeVisible();
  await restarted.close();
});

test('“Keep me signed in on this device” survives a browser restart', async ({ page, context, browser }) => {
  await page.goto('/');
  await page.getByTestId('remember').check();
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  await page.locator('input[name="user"][value="admin"]').check();
  await page.getByRole('button', { name: 'Accept' }).click();
  await overviewLoaded(page);
  const [cookie] = await refreshCookie(context);
  expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page.getByTestId('session-kind')).toContainText('kept on this device');
  const restarted = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    storageState: { cookies: (await context.cookies()).filter((c) => c.expires !== -1), origins: [] },
  });
  const tab = await restarted.newPage();
  await tab.goto('/');
  await overviewLoaded(tab);
  await restarted.close();
});

test('sign-out during a slow refresh ends signed out, with no cookie left', async ({ page, context, request }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await faults(request, { token_latency_ms: 1_500 });
  const refreshing = page.waitForRequest((r) => r.url().endsWith('/proxy/refresh'));
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await refreshing;
  const loggedOut = page.waitForResponse((r) => r.url().endsWith('/proxy/logout'));
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(signedOut(page)).toBeVisible();
  // The logout went out after the refresh had answered, so no refreshed cookie survives it.
  const refreshAnswered = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/proxy/refresh')).map((e) => (e as PerformanceResourceTiming).responseEnd));
  const logout = await loggedOut;
  expect(logout.status()).toBe(204);
  const logoutStarted = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/proxy/logout')).map((e) => e.startTime));
  expect(Math.min(...logoutStarted)).toBeGreaterThanOrEqual(Math.max(...refreshAnswered));
  expect(await refreshCookie(context)).toEqual([]);
  await page.reload();
  await expect(signedOut(page)).toBeVisible();
  expect(await sessionIn(page)).toBeNull();
});

test('a sign-out the proxy never receives is shown with a retry, never swallowed', async ({ page, context }) => {
  await signIn(page);
  await overviewLoaded(page);
  await page.route('**/proxy/logout', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByTestId('sign-out-failed')).toContainText('could not reach the token proxy');
  await page.unroute('**/proxy/logout');
  await page.getByRole('button', { name: 'Retry sign-out' }).click();
  await expect(page.getByTestId('sign-out-failed')).toHaveCount(0);
  expect(await refreshCookie(context)).toEqual([]);
});

test('a deep link opened while signed out is where sign-in lands', async ({ page }) => {
  await page.goto('/config/users?page=1&pageSize=10');
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  await page.locator('input[name="user"][value="admin"]').check();
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
  const landed = new URL(page.url());
  expect(landed.pathname + landed.search).toBe('/config/users?page=1&pageSize=10');
});

test('a first visit and a visit after sign-out make no failing request and log no error', async ({ page, context }) => {
  const problems: string[] = [];
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto('/');
  await expect(signedOut(page)).toBeVisible();
  expect(problems).toEqual([]);
  await signIn(page);
  await overviewLoaded(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(signedOut(page)).toBeVisible();
  await page.reload();
  await expect(signedOut(page)).toBeVisible();
  expect(problems).toEqual([]);
});
