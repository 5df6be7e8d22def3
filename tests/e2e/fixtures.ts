// Shared fixtures: every test fails on an uncaught exception, a CSP violation or any other console
// error in the page. The browser's own "Failed to load resource: … status of 4xx/5xx" and
// "… net::ERR_…" lines are not app errors (the error paths under test produce them on purpose, e.g.
// an unreachable proxy), so only they are let through.
import { test as base, expect, type Page, type APIRequestContext, type BrowserContext } from '@playwright/test';

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (/^Failed to load resource: (the server responded with a status of \d{3}|net::ERR_)/.test(text)) return;
        errors.push(text);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const sandbox = {
  identity: process.env.WXCC_SANDBOX_IDENTITY!,
  api: process.env.WXCC_SANDBOX_API!,
};

/** Sets the sandbox's fault knobs (the next N API answers 429/503, expire tokens…). */
export async function faults(request: APIRequestContext, knobs: Record<string, unknown>) {
  const response = await request.post(`${sandbox.identity}/_sandbox/faults`, { data: knobs });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Clears every knob a test may have set, so tests do not leak faults into each other. */
export async function resetFaults(request: APIRequestContext) {
  await faults(request, {
    force_429: 0, force_5xx: 0, latency_ms: 0, access_token_lifetime_secs: 1209599, opaque_tokens: false,
    json_429: false, report_scope: false, omit_refresh_token_expires_in: false, stable_refresh_secs: 0,
    token_latency_ms: 0, activity_cap_status: 400,
  });
}

/** From the app's start page through the sandbox's consent page and back, signed in. */
export async function signIn(page: Page, user = 'admin') {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  await page.locator(`input[name="user"][value="${user}"]`).check();
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);
}

/** Waits until the overview's calls have all answered, so a fault set next hits the next call. */
export async function overviewLoaded(page: Page) {
  const counts = page.locator('.tile .count');
  await expect(counts).toHaveCount(9);
  for (const count of await counts.all()) await expect(count).toHaveText(/^\d+$/);
  await expect(page.getByTestId('tile-profile').locator('.name')).not.toBeEmpty();
}

/** Forgets the list and count answers the tabs keep (issue 25's cache), so the next visit calls. */
export async function forgetKeptAnswers(page: Page) {
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('wxcc.api-cache ')) localStorage.removeItem(key);
  });
}

/** Starts a sign-in and stops on the sandbox's consent page; returns the authorize URL's params. */
export async function startSignIn(page: Page): Promise<URLSearchParams> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  return new URL(page.url()).searchParams;
}

/** The signed-in tab's access token and org, for reading and writing through the sandbox's API. */
export async function apiSession(page: Page) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('wxcc.session')!).access_token as string);
  const org = (await page.getByTestId('org-id').textContent())!.trim();
  return { token, org };
}

export type ApiSession = Awaited<ReturnType<typeof apiSession>>;

/** Every record of a Contact Center list (`v2/user`, …), read in one page straight from the sandbox. */
export async function listAll<T>(request: APIRequestContext, s: ApiSession, api: string): Promise<T[]> {
  const response = await request.get(`${sandbox.api}/organization/${s.org}/${api}?page=0&pageSize=1000`, {
    headers: { authorization: `Bearer ${s.token}` },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const body = await response.json();
  expect(body.meta.totalPages, `${api} fits one page`).toBe(1);
  return body.data as T[];
}

/** The deployed config.json as `change` leaves it, for `target` (one tab, or every tab of a context). */
export async function changeConfig(target: Page | BrowserContext, change: (config: Record<string, any>) => void) {
  await target.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = await response.json();
    change(config);
    await route.fulfill({ response, json: config });
  });
}

/** config.json without the scope `scope`, for `page`. */
export const withoutScope = (page: Page, scope: string) =>
  changeConfig(page, (config) => {
    config.scopes = config.scopes.filter((s: string) => s !== scope);
  });
