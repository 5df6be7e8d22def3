// One API budget for every tab of the origin (issue 25): identical GETs from two tabs are one
// request, a list or count visited again within 30 s costs nothing and Refresh asks again, one 429
// pauses every tab with one countdown, and three tabs under a low configured limit keep to it.
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, signIn, faults, resetFaults, overviewLoaded, sandbox, apiSession, listAll, changeConfig } from './fixtures';

test.beforeEach(async ({ request }) => resetFaults(request));

type Seen = { at: number; url: string };

/** Every Contact Center API request any tab of `context` makes from now on. */
function apiRequests(context: BrowserContext): Seen[] {
  const seen: Seen[] = [];
  context.on('request', (r) => {
    if (r.url().startsWith(sandbox.api) && r.method() !== 'OPTIONS') seen.push({ at: Date.now(), url: r.url() });
  });
  return seen;
}

/** The requests for a list page (the overview's one-item count pages left out). */
const listCalls = (seen: Seen[], api: string) =>
  seen.filter((s) => s.url.includes(`/${api}?`) && new URL(s.url).searchParams.get('pageSize') !== '1');
const countCalls = (seen: Seen[]) => seen.filter((s) => new URL(s.url).searchParams.get('pageSize') === '1');

/** Another tab of the same browser, failing the test on any error it logs. */
async function openTab(context: BrowserContext, path = '/'): Promise<Page> {
  const tab = await context.newPage();
  tab.on('pageerror', (error) => {
    throw new Error(`uncaught in another tab: ${error.message}`);
  });
  await tab.goto(path);
  return tab;
}

/** config.json with these fields added, for every tab of `context`. */
const withConfig = (context: BrowserContext, fields: Record<string, unknown>) =>
  changeConfig(context, (config) => Object.assign(config, fields));

test('two tabs opening the same list at once make one request', async ({ page, context }) => {
  await signIn(page);
  await overviewLoaded(page);
  const second = await openTab(context);
  await overviewLoaded(second);
  const seen = apiRequests(context);
  await Promise.all([page.goto('/config/users'), second.goto('/config/users')]);
  for (const tab of [page, second]) await expect(tab.getByTestId('row').first()).toBeVisible();
  expect(listCalls(seen, 'v2/user')).toHaveLength(1);
});

test('a list visited again within 30 s and the overview make no request; Refresh and Refresh counts ask again', async ({ page, context }) => {
  await signIn(page);
  await overviewLoaded(page);
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
  const seen = apiRequests(context);
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
  expect(listCalls(seen, 'v2/user'), 'the list came from the kept answer').toEqual([]);
  const refreshed = page.waitForResponse((r) => r.url().startsWith(sandbox.api) && r.url().includes('/v2/user?'));
  await page.getByTestId('refresh').click();
  expect((await refreshed).status()).toBe(200);
  expect(listCalls(seen, 'v2/user')).toHaveLength(1);
  // Back on the overview: every count comes from the kept answers, and "Refresh counts" asks again.
  await page.locator('a.brand').click();
  await overviewLoaded(page);
  expect(countCalls(seen)).toEqual([]);
  await page.getByTestId('refresh-counts').click();
  await expect.poll(() => countCalls(seen).length).toBe(9);
  await overviewLoaded(page);
});

test('a write makes the kept list it touched stale: the list visited again within 30 s asks the API and shows the change', async ({ page, context, request }) => {
  await faults(request, { reset_writes: true });
  await signIn(page);
  await overviewLoaded(page);
  const s = await apiSession(page);
  type User = { email: string; agentProfileId: string };
  const user = (await listAll<User>(request, s, 'v2/user'))[2];
  const profile = (await listAll<{ id: string; name: string }>(request, s, 'v2/agent-profile')).find((p) => p.id !== user.agentProfileId)!;
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
  const seen = apiRequests(context);
  // The write: one user moved to another desktop profile through the Provision page (PATCH user/bulk).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await page.getByTestId('csv-text').fill(`email,desktop profile\n${user.email},${profile.name}\n`);
  await page.getByTestId('preview-button').click();
  await page.getByRole('button', { name: 'Apply 1 change' }).click();
  await expect(page.locator('[data-testid="results"] tbody tr[data-result="done"]')).toHaveCount(1);
  const listed = page.waitForResponse((r) => r.url().includes('/v2/user?') && new URL(r.url()).searchParams.get('pageSize') !== '1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
  const answer = await listed;
  expect(answer.status()).toBe(200);
  expect(listCalls(seen, 'v2/user').length, 'the list asked the API again').toBeGreaterThanOrEqual(1);
  const written = (await answer.json()).data.find((u: User) => u.email === user.email);
  expect(written, "the user is on the list's first page").toBeDefined();
  expect(written.agentProfileId, 'the new answer carries the write').toBe(profile.id);
  await faults(request, { reset_writes: true });
});

test('one 429 pauses every tab with one countdown, and the other tab waits it out', async ({ page, context, request }) => {
  await signIn(page);
  await overviewLoaded(page);
  const second = await openTab(context, '/token');
  await expect(second.getByTestId('access-token')).toBeVisible();
  const seen = apiRequests(context);
  let limitedAt = 0;
  const answered: { tab: number; status: number; at: number }[] = [];
  context.on('response', (r) => {
    if (r.status() === 429 && !limitedAt) limitedAt = Date.now();
    if (r.request().method() === 'GET' && r.url().includes('/v2/user?') && new URL(r.url()).searchParams.get('pageSize') !== '1') {
      answered.push({ tab: r.frame().page() === page ? 1 : 2, status: r.status(), at: Date.now() });
    }
  });
  await faults(request, { force_429: 1 });
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  // The tab that met the 429 and the tab that made no call show the same one countdown.
  for (const tab of [page, second]) {
    await expect(tab.getByTestId('rate-limited')).toBeVisible();
    await expect(tab.getByTestId('rate-limited')).toHaveCount(1);
  }
  await second.getByRole('link', { name: 'Users', exact: true }).click();
  for (const tab of [page, second]) {
    await expect(tab.getByTestId('row').first()).toBeVisible({ timeout: 15_000 });
    await expect(tab.getByTestId('rate-limited')).toBeHidden();
  }
  // The forced 429's Retry-After is 2 s: nothing was sent, by either tab, until it had passed.
  expect(limitedAt).toBeGreaterThan(0);
  const during = seen.filter((s) => s.at > limitedAt && s.at < limitedAt + 1_800);
  expect(during, 'requests sent during the pause').toEqual([]);
  // One 429, and every other answer to the list a success sent after the pause.
  const report = answered.map((a) => ({ ...a, at: a.at - limitedAt }));
  console.log(`the list's answers, ms after the 429: ${JSON.stringify(report)}`);
  expect(report.filter((a) => a.status === 429), JSON.stringify(report)).toHaveLength(1);
  for (const a of report.filter((a) => a.status !== 429)) expect(a.status, JSON.stringify(report)).toBe(200);
});

// Runs against a sandbox that answers 429 past LOW_LIMIT calls a minute (its own stack: `cargo xtask
// test` starts it with `--rate-limit 12` for the @low-limit specs), with the app's budget set to the
// same limit. The tabs want more than a minute's worth, so some calls must wait a minute for tokens to
// come back, and still no call is refused.
const LOW_LIMIT = 12;

test('three tabs share a low limit the sandbox enforces: no 429, they say what they wait for, every view shows @low-limit', async ({ page, context }) => {
  test.setTimeout(180_000);
  await withConfig(context, { api_requests_per_minute: LOW_LIMIT, api_reserve_percent: 20 });
  const seen = apiRequests(context);
  const limited: string[] = [];
  context.on('response', (r) => {
    if (r.status() === 429) limited.push(r.url());
  });
  await signIn(page);
  await overviewLoaded(page);
  const tabs = [page, await openTab(context), await openTab(context)];
  for (const tab of tabs) await overviewLoaded(tab);
  // The overview's counts are shared: the other tabs took them from the kept answers.
  expect(countCalls(seen)).toHaveLength(9);
  // Three lists from the overview, back to the overview (its counts still kept), then three more:
  // fifteen calls in all, past the minute's twelve.
  for (const lists of [['users', 'queues', 'teams'], ['sites', 'entry points', 'skill profiles']]) {
    await Promise.all(
      tabs.map(async (tab, i) => {
        if (!(await tab.locator('.tile').first().isVisible())) await tab.locator('a.brand').click();
        await tab.getByRole('link', { name: `Open ${lists[i]}`, exact: true }).click();
      }),
    );
  }
  // The budget is spent: the calls queue, and the tabs say so instead of stalling silently.
  await expect
    .poll(async () => (await Promise.all(tabs.map((tab) => tab.getByTestId('api-budget').isVisible()))).some(Boolean), { timeout: 10_000 })
    .toBe(true);
  for (const tab of tabs) {
    const status = tab.getByTestId('api-budget');
    if (await status.isVisible()) await expect(status).toHaveText(/^Waiting for the API budget: \d+ requests? queued$/);
  }
  // A token spent comes back a minute and a second later: every view has its data after that.
  for (const tab of tabs) await expect(tab.getByTestId('row').first()).toBeVisible({ timeout: 100_000 });
  for (const tab of tabs) await expect(tab.getByTestId('api-budget')).toBeHidden();
  expect(limited, 'calls the sandbox refused').toEqual([]);
  expect(seen.length).toBe(15);
  // However the minute is cut, it holds at most the limit's calls (what the sandbox enforces).
  const times = seen.map((s) => s.at).sort((a, b) => a - b);
  for (const [i, start] of times.entries()) {
    const inMinute = times.slice(i).filter((t) => t < start + 60_000).length;
    expect(inMinute, `calls in the minute from request ${i}`).toBeLessThanOrEqual(LOW_LIMIT);
  }
});
