// The session's absolute end binds the browser (issue 24): run by `cargo xtask test` against a
// stack of its own whose token proxy ends every session 20 s after sign-in
// (WXCC_PROXY_SESSION_LIFETIME_SECS=20), so the end comes while the test watches.
import type { BrowserContext, Page, Request } from '@playwright/test';
import { test, expect, signIn, overviewLoaded, resetFaults, sandbox } from './fixtures';

test.beforeEach(async ({ request }) => resetFaults(request));

const signedOut = (page: Page) => page.locator('#app').getByRole('button', { name: 'Sign in with Webex' });
const sessionIn = (page: Page) => page.evaluate(() => sessionStorage.getItem('wxcc.session'));

/** Another tab of the same browser, failing the test on any error it logs. */
async function openTab(context: BrowserContext, path: string): Promise<Page> {
  const tab = await context.newPage();
  tab.on('pageerror', (error) => {
    throw new Error(`uncaught in another tab: ${error.message}`);
  });
  await tab.goto(path);
  return tab;
}

test('@session-end a 20-second session ends in every tab, with no API call made with its token afterwards', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  // Every request any tab makes to the API origin, with when it was sent and its bearer token.
  const apiOrigin = new URL(sandbox.api).origin;
  const apiRequests: { request: Request; seenAt: number }[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).origin === apiOrigin) apiRequests.push({ request, seenAt: Date.now() });
  });

  await signIn(page);
  const record = JSON.parse((await sessionIn(page))!);
  const endsAt: number = record.session_expires_at_ms;
  const token: string = record.access_token;
  expect(endsAt - Date.now(), 'the proxy said the session ends within its 20 s').toBeLessThanOrEqual(20_000);
  const tabs = [page, await openTab(context, '/config/users'), await openTab(context, '/token')];
  await overviewLoaded(page);
  await expect(tabs[1].getByTestId('row').first()).toBeVisible();
  await expect(tabs[2].getByTestId('access-token')).toBeVisible();
  expect(Date.now(), 'the tabs were signed in before the end').toBeLessThan(endsAt);

  // Each tab ends the session on its own and says when, at most a few seconds after the end.
  for (const tab of tabs) {
    await expect(tab.getByTestId('notice')).toContainText(/Your session ended at .+ — sign in again/, {
      timeout: Math.max(endsAt - Date.now(), 0) + 5_000,
    });
    await expect(signedOut(tab)).toBeVisible();
    expect(await sessionIn(tab)).toBeNull();
  }
  // A tab opened after the end adopts nothing.
  const late = await openTab(context, '/config/users');
  await expect(signedOut(late)).toBeVisible();

  const authorizations = await Promise.all(
    apiRequests.map(async ({ request, seenAt }) => {
      // When the browser sent it (known once answered), else when Playwright saw it.
      const started = request.timing().startTime;
      const sentAt = started > 0 ? started : seenAt;
      return { url: request.url(), sentAt, authorization: await request.headerValue('authorization') };
    }),
  );
  const before = authorizations.filter((r) => r.sentAt < endsAt && r.authorization);
  expect(before.length, 'the tabs called the API while signed in').toBeGreaterThan(0);
  expect(before.some((r) => r.authorization === `Bearer ${token}`)).toBe(true);
  const after = authorizations.filter((r) => r.sentAt >= endsAt && r.authorization);
  expect(after, 'no API call carried a token after the session ended').toEqual([]);
});
