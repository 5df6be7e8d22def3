// The Activity page on Webex's GraphQL Search API, as an administrator reads it: windows picked
// from presets or typed in the browser's time zone, one view at a time, charts with their values
// as tables, raw task records paged by cursor with the total, CSV of every page (and Cancel), and
// the errors a search can meet. It never calls the deprecated statistics endpoints.
import { readFileSync } from 'node:fs';
import { test, expect, signIn, resetFaults, overviewLoaded, faults, sandbox } from './fixtures';
import type { Page, Locator } from '@playwright/test';

const LOCALE = 'de-DE';
const TIME_ZONE = 'Asia/Kolkata';
test.use({ locale: LOCALE, timezoneId: TIME_ZONE });

test.beforeEach(async ({ request, page }) => {
  await resetFaults(request);
  await faults(request, { search_task_legs: true, search_variables: 'accept', search_query_error_status: 400 });
  await signIn(page);
  await overviewLoaded(page);
});

test.afterEach(async ({ request }) => {
  await faults(request, { latency_ms: 0, search_task_legs: true, search_variables: 'accept', search_query_error_status: 400 });
});

/** Every API call the page makes from now on. */
function recordCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.api)) calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return calls;
}

async function openActivity(page: Page) {
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Activity');
}

async function showView(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Activity views' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Activity views' }).getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
}

/** Every chart of `scope` is an image with a title and a description, with its values as a table. */
async function expectReadableCharts(scope: Locator, count: number) {
  const charts = scope.getByTestId('chart');
  await expect(charts).toHaveCount(count);
  for (const chart of await charts.all()) {
    const svg = chart.locator('svg');
    await expect(svg).toHaveAttribute('role', 'img');
    const title = await svg.locator('title').first().textContent();
    expect(title).toBeTruthy();
    await expect(svg).toHaveAccessibleName(title!);
    expect(await svg.locator('desc').textContent()).toBeTruthy();
    await chart.getByText('Values as a table').click();
    await expect(chart.locator('table tbody tr').first()).toBeVisible();
    const cells = await chart.locator('table').innerText();
    expect(cells, 'no raw JSON in a value table').not.toMatch(/[{[]"/);
    expect(cells, 'no raw epoch milliseconds').not.toMatch(/\b\d{13}\b/);
  }
  return charts;
}

function countOf(text: string): number {
  return Number(text.split(' ')[0].replace(/,/g, ''));
}

test('presets set the window in the address, and the overview charts it from aggregations', async ({ page }) => {
  await openActivity(page);
  const calls = recordCalls(page);
  for (const [label, slug] of [['Last hour', 'last-hour'], ['Today', 'today'], ['Yesterday', 'yesterday'], ['Last 7 days', 'last-7-days'], ['Last 30 days', 'last-30-days']]) {
    await page.getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByRole('button', { name: label, exact: true })).toHaveAttribute('aria-pressed', 'true');
    expect(new URL(page.url()).searchParams.get('window')).toBe(slug);
    await expect(page.getByTestId('chart-per-interval').getByTestId('chart')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Yesterday', exact: true }).click();
  await expectReadableCharts(page.locator('[data-testid="chart-by-channel"], [data-testid="chart-per-interval"]'), 2);
  // Chromium's ICU names the zone by its older IANA link, Asia/Calcutta: either name is the zone.
  await expect(page.getByTestId('window')).toContainText(/Asia\/(Kolkata|Calcutta)/);
  // Reloading keeps the view and the window.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Yesterday', exact: true })).toHaveAttribute('aria-pressed', 'true');
  expect(calls.filter((c) => c.includes('/statistics')), 'the deprecated statistics endpoints').toEqual([]);
  expect(calls.filter((c) => c.startsWith('POST ') && c.endsWith('/search')).length).toBeGreaterThan(0);
});

test('a window longer than 24 hours is charted per day, every day shown', async ({ page }) => {
  await openActivity(page);
  await page.getByRole('button', { name: 'Last 7 days', exact: true }).click();
  const chart = page.getByTestId('chart-per-interval').getByTestId('chart');
  await expect(chart.locator('svg title').first()).toHaveText('Contacts per day');
  await chart.getByText('Values as a table').click();
  // A partial first and last day, and the six between.
  await expect(chart.locator('table tbody tr')).toHaveCount(8);
  const offered = (await chart.locator('table tbody tr td:nth-child(2)').allInnerTexts()).map(countOf);
  expect(offered.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});

test('a custom window is typed in the browser’s time zone, lands in the address, and one over 365 days is refused before any call', async ({ page }) => {
  await openActivity(page);
  await page.getByRole('button', { name: 'Yesterday', exact: true }).click();
  const yesterday = new URL(page.url());
  await page.getByRole('button', { name: 'Today', exact: true }).click();
  // Yesterday's window, typed.
  const from = await page.getByLabel('From', { exact: true }).inputValue();
  const day = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: TIME_ZONE });
  await page.getByLabel('From', { exact: true }).fill(`${day}T09:00`);
  await page.getByLabel('To', { exact: true }).fill(`${day}T17:30`);
  await page.getByRole('button', { name: 'Show' }).click();
  const url = new URL(page.url());
  expect(url.searchParams.get('window')).toBe('custom');
  const expectedFrom = new Date(`${day}T09:00:00+05:30`).getTime();
  expect(Number(url.searchParams.get('from'))).toBe(expectedFrom);
  expect(Number(url.searchParams.get('to')) - expectedFrom).toBe(8.5 * 3_600_000);
  await expect(page.getByTestId('chart-per-interval').locator('svg title').first()).toHaveText('Contacts per 30 minutes');
  expect(from).toMatch(/T00:00$/);
  expect(yesterday.searchParams.get('window')).toBe('yesterday');
  // Over a year: refused with a focused message, and nothing is asked.
  const calls = recordCalls(page);
  await page.getByLabel('From', { exact: true }).fill('2024-01-01T00:00');
  await page.getByLabel('To', { exact: true }).fill(`${day}T00:00`);
  await page.getByRole('button', { name: 'Show' }).click();
  const problem = page.getByTestId('window-problem');
  await expect(problem).toContainText('365 days');
  await expect(problem).toBeFocused();
  expect(calls).toEqual([]);
});

test('views are chosen one at a time by keyboard, each with its charts and value tables', async ({ page }) => {
  await openActivity(page);
  await page.getByRole('button', { name: 'Yesterday', exact: true }).click();
  const tabs = page.getByRole('navigation', { name: 'Activity views' });
  await tabs.getByRole('link', { name: 'Queues', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(tabs.getByRole('link', { name: 'Queues', exact: true })).toHaveAttribute('aria-current', 'page');
  expect(new URL(page.url()).searchParams.get('view')).toBe('queues');
  const queues = page.getByTestId('chart-queues');
  await expectReadableCharts(queues, 3);
  await expect(queues.getByTestId('chart').filter({ hasText: 'Time in queue' }).locator('table')).toContainText(/\d+ (s|min)/);
  await expect(page.getByTestId('chart-by-channel')).toHaveCount(0);
  await showView(page, 'Agents');
  const agents = page.getByTestId('chart-agents');
  await expectReadableCharts(agents, 2);
  // Agents by name, not id.
  const names = await agents.getByTestId('chart').first().locator('tbody th').allInnerTexts();
  expect(names.filter((n) => /^[0-9a-f-]{36}$/.test(n))).toEqual([]);
  await showView(page, 'Overview');
  await expectReadableCharts(page.locator('[data-testid="chart-by-channel"], [data-testid="chart-per-interval"]'), 2);
});

test('queue figures fall back to taskDetails, and say so, when the org lacks Early Access', async ({ page, request }) => {
  await faults(request, { search_task_legs: false });
  await page.goto('/activity?view=queues&window=yesterday');
  await expect(page.getByTestId('early-access')).toContainText('Early Access');
  await expectReadableCharts(page.getByTestId('chart-queues'), 3);
});

test('task records page by cursor with the total, and the channel counts add up to it', async ({ page }) => {
  await page.goto('/activity?view=overview&window=yesterday');
  const byChannel = page.getByTestId('chart-by-channel').getByTestId('chart');
  await byChannel.getByText('Values as a table').click();
  const channelCounts = (await byChannel.locator('table tbody td').allInnerTexts()).map(countOf);
  await showView(page, 'Task records');
  const tasks = page.getByTestId('activity-tasks');
  await expect(tasks.getByTestId('count')).toHaveText(/records$/);
  const total = countOf(await tasks.getByTestId('count').innerText());
  expect(channelCounts.reduce((a, b) => a + b, 0)).toBe(total);
  expect(total).toBeGreaterThan(250);
  const pages = Math.ceil(total / 250);
  await expect(tasks.getByTestId('page')).toHaveText(`Page 1 of ${pages}`);
  await expect(tasks.getByTestId('row')).toHaveCount(250);
  // Times read in the browser's locale and zone; agents and queues by name.
  const time = tasks.locator('tbody time').first();
  const ms = Number(await time.getAttribute('title'));
  await expect(time).toHaveText(new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(ms)));
  const cells = await tasks.locator('tbody td').allInnerTexts();
  expect(cells.filter((c) => /^[0-9a-f-]{36}$/.test(c) || /^\d{13}$/.test(c))).toEqual([]);
  for (let p = 2; p <= pages; p++) {
    await tasks.getByRole('button', { name: 'Next' }).click();
    await expect(tasks.getByTestId('page')).toHaveText(`Page ${p} of ${pages}`);
  }
  await expect(tasks.getByTestId('row')).toHaveCount(total - 250 * (pages - 1));
  await expect(tasks.getByRole('button', { name: 'Next' })).toBeDisabled();
  await tasks.getByRole('button', { name: 'Previous' }).click();
  await expect(tasks.getByTestId('page')).toHaveText(`Page ${pages - 1} of ${pages}`);
  await expect(tasks.getByTestId('row')).toHaveCount(250);
});

test('CSV of a multi-page result: every page fetched, a header naming the fields, then every record', async ({ page }) => {
  await page.goto('/activity?view=tasks&window=yesterday');
  const tasks = page.getByTestId('activity-tasks');
  await expect(tasks.getByTestId('count')).toHaveText(/records$/);
  const total = countOf(await tasks.getByTestId('count').innerText());
  expect(total).toBeGreaterThan(250);
  const calls = recordCalls(page);
  const download = page.waitForEvent('download');
  await tasks.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('tasks.csv');
  const lines = readFileSync((await file.path())!, 'utf8').trimEnd().split('\r\n');
  const header = lines[0].split(',');
  for (const field of ['id', 'createdTime', 'channelType', 'lastQueue.name', 'lastAgent.name']) expect(header).toContain(field);
  expect(lines).toHaveLength(total + 1);
  expect(lines[1].split(',')[header.indexOf('createdTime')]).toMatch(/^\d{13}$/);
  expect(calls.filter((c) => c.startsWith('POST ') && c.endsWith('/search')).length).toBe(Math.ceil(total / 250));
  await expect(tasks.getByTestId('export-status')).toContainText(`Exported ${total} records`);
});

test('a CSV export shows its progress and can be cancelled', async ({ page, request }) => {
  await page.goto('/activity?view=tasks&window=last-30-days');
  const tasks = page.getByTestId('activity-tasks');
  await expect(tasks.getByTestId('count')).toHaveText(/records$/);
  // Each page answers slowly, so the export is still running when Cancel is pressed.
  await faults(request, { latency_ms: 300 });
  let downloaded = false;
  page.on('download', () => { downloaded = true; });
  await tasks.getByTestId('export-csv').click();
  await expect(tasks.getByTestId('export-progress')).toBeVisible();
  await tasks.getByTestId('export-cancel').click();
  await expect(tasks.getByTestId('export-status')).toContainText('cancelled');
  await expect(tasks.getByTestId('export-progress')).toBeHidden();
  await expect(tasks.getByTestId('export-csv')).toBeVisible();
  expect(downloaded).toBe(false);
});

test('a 400 shows the API’s message about the query', async ({ page, request }) => {
  await faults(request, { search_variables: 'persisted_only' });
  await page.goto('/activity?view=agents&window=yesterday');
  const error = page.getByTestId('api-error');
  await expect(error).toHaveAttribute('data-status', '400');
  await expect(error).toContainText('persisted');
});

test('a 403 names the scope and the role the Search API needs', async ({ page }) => {
  // Signed in again, as an agent (no Administrator or Supervisor role).
  await page.evaluate(() => { sessionStorage.clear(); localStorage.clear(); });
  await page.context().clearCookies();
  await signIn(page, 'agent');
  await page.goto('/activity?view=overview&window=yesterday');
  const error = page.getByTestId('api-error').first();
  await expect(error).toHaveAttribute('data-status', '403');
  await expect(page.getByTestId('needs-scope').first()).toContainText('cjp:config_read');
  await expect(page.getByTestId('needs-scope').first()).toContainText('Supervisor');
});

test('a 429 waits for Retry-After with the countdown, then the chart appears', async ({ page, request }) => {
  await page.goto('/activity?view=agents&window=yesterday');
  await expect(page.getByTestId('chart-agents').getByTestId('chart').first()).toBeVisible();
  await faults(request, { force_429: 1 });
  await page.getByRole('button', { name: 'Last 7 days', exact: true }).click();
  await expect(page.getByTestId('rate-limited')).toBeVisible();
  await expect(page.getByTestId('chart-agents').getByTestId('chart').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('rate-limited')).toBeHidden();
});

test('a configuration list exports every record of its current filter', async ({ page }) => {
  await page.goto('/config/users?pageSize=10');
  const total = Number((await page.getByTestId('total').innerText()).split(' ')[0]);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const lines = readFileSync((await (await download).path())!, 'utf8').trimEnd().split('\r\n');
  expect(lines).toHaveLength(total + 1);
  await expect(page.getByTestId('export-status')).toContainText(`Exported ${total} records`);
});

test('the explorer’s GraphQL tab sends an example query and copies it as cURL without the token', async ({ page }) => {
  await page.goto('/explorer?tab=graphql');
  await page.getByTestId('graphql-example').selectOption('by-channel');
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/search'));
  await page.getByRole('button', { name: 'Send' }).click();
  expect((await answered).status()).toBe(200);
  await expect(page.getByTestId('status')).toHaveText('HTTP 200');
  await expect(page.getByTestId('json-tree')).toContainText('channelType');
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('wxcc.session')!).access_token as string);
  const curl = await page.getByTestId('curl').innerText();
  expect(curl).toContain('--request POST');
  expect(curl).toContain('$WXCC_ACCESS_TOKEN');
  expect(curl).not.toContain(token);
  expect(curl).toContain('taskDetails');
  // The statistics endpoints are still there on the REST tab, marked deprecated.
  await page.goto('/explorer?endpoint=queue-statistics');
  await expect(page.getByTestId('deprecated')).toContainText('2027-03-31');
});
