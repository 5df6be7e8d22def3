// The Activity page as an administrator reads it: charts, whole results, readable times and
// names in the browser's own locale and time zone, CSV export, and windows the API accepts.
import { readFileSync } from 'node:fs';
import { test, expect, signIn, resetFaults, overviewLoaded, sandbox } from './fixtures';

const LOCALE = 'de-DE';
const TIME_ZONE = 'Asia/Kolkata';
test.use({ locale: LOCALE, timezoneId: TIME_ZONE });

test.beforeEach(async ({ request, page }) => {
  await resetFaults(request);
  await signIn(page);
  await overviewLoaded(page);
});

/** The last 23 hours, the longest preset: the most data the sandbox has for one window. */
async function openLongWindow(page: import('@playwright/test').Page) {
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await page.getByRole('button', { name: 'Last 23 hours' }).click();
  await expect(page.getByTestId('activity-tasks').getByTestId('row').first()).toBeVisible();
}

test('the activity page charts the window: images with a title, a description and their values as a table', async ({ page }) => {
  await openLongWindow(page);
  const charts = page.getByTestId('chart');
  await expect(charts).toHaveCount(4);
  for (const chart of await charts.all()) {
    const svg = chart.locator('svg');
    await expect(svg).toHaveAttribute('role', 'img');
    const title = await svg.locator('title').first().textContent();
    expect(title).toBeTruthy();
    await expect(svg).toHaveAccessibleName(title!);
    expect(await svg.locator('desc').textContent()).toBeTruthy();
    expect(await svg.locator('rect').count()).toBeGreaterThan(0);
    await chart.getByText('Values as a table').click();
    await expect(chart.locator('table tbody tr').first()).toBeVisible();
  }
  // The "tasks by channel" values add up to the number of tasks in the window.
  const total = Number((await page.getByTestId('activity-tasks').getByTestId('count').innerText()).split(' ')[0]);
  const byChannel = page.getByTestId('chart').filter({ hasText: 'Tasks by channel' });
  const counts = await byChannel.locator('table tbody td').allInnerTexts();
  expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(total);
});

test('times read in the browser’s locale and time zone, and known ids read as names', async ({ page }) => {
  await openLongWindow(page);
  const tasks = page.getByTestId('activity-tasks');
  const cells = await tasks.locator('tbody td').allInnerTexts();
  expect(cells.filter((c) => /^\d{13}$/.test(c)), 'raw epoch milliseconds').toEqual([]);
  // A time shows the browser's own format for its instant (kept in the title for machines).
  const time = tasks.locator('tbody time').first();
  const ms = Number(await time.getAttribute('title'));
  const expected = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(ms));
  await expect(time).toHaveText(expected);
  // Agents and queues are names that link to their records; the id stays in the title.
  const agent = tasks.getByTestId('row').first().locator('a[href*="/config/users/"]');
  const id = await agent.locator('..').getAttribute('title');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await agent.innerText()).not.toMatch(/^[0-9a-f-]{36}$/);
  const name = await agent.innerText();
  await agent.click();
  await expect(page.getByTestId('detail-title')).toContainText(name.split(' ')[0]);
  expect(new URL(page.url()).pathname).toBe(`/config/users/${id}`);
});

test('tasks page through every record of the window, with the total shown', async ({ page, request }) => {
  await openLongWindow(page);
  const tasks = page.getByTestId('activity-tasks');
  const total = Number((await tasks.getByTestId('count').innerText()).split(' ')[0]);
  // The sandbox's own count for the same window.
  const url = new URL(page.url());
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('wxcc.session')!).access_token as string);
  const direct = await request.get(
    `${sandbox.api}/v1/tasks?from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}&pageSize=1000`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect((await direct.json()).data.length).toBe(total);
  expect(total).toBeGreaterThan(25);
  const pages = Math.ceil(total / 25);
  await expect(tasks.getByTestId('page')).toHaveText(`Page 1 of ${pages}`);
  for (let p = 2; p <= pages; p++) {
    await tasks.getByRole('button', { name: 'Next' }).click();
    await expect(tasks.getByTestId('page')).toHaveText(`Page ${p} of ${pages}`);
  }
  await expect(tasks.getByTestId('row')).toHaveCount(total - 25 * (pages - 1));
  await expect(tasks.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('CSV export: a header naming the columns, then every record with the raw API values', async ({ page }) => {
  await openLongWindow(page);
  const tasks = page.getByTestId('activity-tasks');
  const total = Number((await tasks.getByTestId('count').innerText()).split(' ')[0]);
  const download = page.waitForEvent('download');
  await tasks.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('tasks.csv');
  const lines = readFileSync((await file.path())!, 'utf8').trimEnd().split('\r\n');
  const header = lines[0].split(',');
  expect(header).toContain('id');
  expect(header).toContain('attributes.createdTime');
  expect(header).toContain('attributes.owner.name');
  expect(lines).toHaveLength(total + 1);
  const created = header.indexOf('attributes.createdTime');
  expect(lines[1].split(',')[created]).toMatch(/^\d{13}$/);
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

test('a window of 24 hours or more is refused with a focused message, before any call', async ({ page }) => {
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await page.getByLabel('From', { exact: true }).fill('2026-11-20T10:00');
  await page.getByLabel('To', { exact: true }).fill('2026-11-22T10:00');
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.api)) calls.push(r.url());
  });
  await page.getByRole('button', { name: 'Show' }).click();
  const problem = page.getByTestId('window-problem');
  await expect(problem).toContainText('48 hours');
  await expect(problem).toBeFocused();
  expect(calls).toEqual([]);
});
