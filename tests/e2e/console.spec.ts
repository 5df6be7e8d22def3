// The Contact Center API console: lists with filter/attributes/search, details, activity, explorer.
import { execFileSync } from 'node:child_process';
import { test, expect, signIn, resetFaults, overviewLoaded, sandbox } from './fixtures';

test.beforeEach(async ({ request, page }) => {
  await resetFaults(request);
  await signIn(page);
  await overviewLoaded(page);
});

test('the filter builder writes RSQL, and the API answers with the matching users only', async ({ page }) => {
  await page.goto('/config/users?pageSize=10');
  const firstEmail = await page.getByTestId('row').first().locator('td').nth(2).innerText();
  await page.getByLabel('Field').selectOption('email');
  await page.getByLabel('Operator').selectOption('==');
  await page.getByLabel('Value').fill(firstEmail);
  await page.getByRole('button', { name: 'Add condition' }).click();
  await expect(page.getByTestId('raw-filter')).toHaveValue(new RegExp(`^email==`));
  const request = page.waitForRequest((r) => r.url().includes('/v2/user?') && r.url().includes('filter='));
  await page.getByRole('button', { name: 'Apply' }).click();
  const sent = new URL((await request).url());
  expect(sent.searchParams.get('filter')).toContain(firstEmail);
  await expect(page.getByTestId('row')).toHaveCount(1);
  await expect(page.getByTestId('total')).toHaveText('1 user in 1 page');
  // The query is in the address: a reload shows the same result.
  await page.reload();
  await expect(page.getByTestId('row')).toHaveCount(1);
  await expect(page.getByTestId('raw-filter')).toHaveValue(new RegExp(`^email==`));
});

test('a raw filter with a quoted value and =in= works, and a bad one gets a clear 400', async ({ page }) => {
  await page.goto('/config/teams');
  await page.getByTestId('raw-filter').fill('active=in=(true,false)');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('row').first()).toBeVisible();
  await page.getByTestId('raw-filter').fill('name===broken');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('api-error')).toHaveAttribute('data-status', '400');
});

test('attribute projection asks the API for just those fields', async ({ page }) => {
  await page.goto('/config/users?pageSize=10');
  await page.getByRole('group', { name: 'Attributes' }).getByLabel('email').check();
  const request = page.waitForRequest((r) => r.url().includes('/v2/user?') && r.url().includes('attributes='));
  await page.getByRole('button', { name: 'Apply' }).click();
  expect(new URL((await request).url()).searchParams.get('attributes')).toBe('email');
  await expect(page.getByRole('columnheader', { name: 'email' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'firstName' })).toHaveCount(0);
});

test('free-text search narrows the list', async ({ page }) => {
  await page.goto('/config/sites');
  const total = await page.getByTestId('total').innerText();
  const name = await page.getByTestId('row').first().locator('td').first().innerText();
  await page.getByLabel('Search').fill(name);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('total')).not.toHaveText(total);
  await expect(page.getByTestId('row').first()).toContainText(name);
});

test('a user’s detail view opens from the list and survives a reload', async ({ page }) => {
  await page.goto('/config/users?pageSize=10');
  const link = page.getByTestId('row').first().getByRole('link');
  const name = await link.innerText();
  await link.click();
  await expect(page.getByTestId('detail-title')).toContainText(name);
  await expect(page.getByTestId('json-tree')).toContainText('email');
  await page.reload();
  await expect(page.getByTestId('detail-title')).toContainText(name);
});

test('every configuration list shows data', async ({ page }) => {
  for (const slug of ['teams', 'sites', 'queues', 'entry-points', 'desktop-profiles', 'skill-profiles', 'aux-codes', 'address-books']) {
    await page.goto(`/config/${slug}`);
    await expect(page.getByTestId('row').first(), slug).toBeVisible();
  }
});

test('activity shows the overview charts and the task records for the chosen window', async ({ page }) => {
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page.getByTestId('chart-per-interval').getByTestId('chart')).toBeVisible();
  await page.getByRole('navigation', { name: 'Activity views' }).getByRole('link', { name: 'Task records' }).click();
  await expect(page.getByTestId('activity-tasks').getByTestId('count')).toHaveText(/records$/);
  await page.getByRole('button', { name: 'Last hour' }).click();
  expect(new URL(page.url()).searchParams.get('window')).toBe('last-hour');
  // A window typed into the form is read when it is submitted, lands in the address, and the form
  // shows the window from the address.
  await page.getByLabel('From', { exact: true }).fill('2026-11-25T10:00');
  await page.getByLabel('To', { exact: true }).fill('2026-11-25T12:30');
  await page.getByRole('button', { name: 'Show' }).click();
  const [from, to] = await page.evaluate(() => [Date.parse('2026-11-25T10:00'), Date.parse('2026-11-25T12:30')]);
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe(String(from));
  expect(new URL(page.url()).searchParams.get('to')).toBe(String(to));
  await page.goBack();
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBe(String(from));
  await expect(page.getByLabel('From', { exact: true })).not.toHaveValue('2026-11-25T10:00');
  await page.goForward();
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2026-11-25T10:00');
});

test('the explorer calls several endpoints and shows status, timing and trackingId', async ({ page }) => {
  await page.getByRole('link', { name: 'Explorer', exact: true }).click();
  const options = await page.getByTestId('endpoint').locator('option').count();
  expect(options).toBeGreaterThanOrEqual(25);
  for (const path of ['/organization/{orgid}/v2/team', '/organization/{orgid}/v2/site', '/v1/queues/statistics']) {
    const value = await page.getByTestId('endpoint').locator('option', { hasText: path }).first().getAttribute('value');
    await page.getByTestId('endpoint').selectOption(value!);
    // This endpoint's own answer: its trackingId is new, so the page cannot pass on the previous one.
    const pattern = new RegExp(`${path.replace('{orgid}', '[^/]+')}$`);
    const answered = page.waitForResponse((r) => r.request().method() === 'GET' && pattern.test(new URL(r.url()).pathname));
    await page.getByRole('button', { name: 'Send' }).click();
    const response = await answered;
    expect(response.status(), path).toBe(200);
    await expect(page.getByTestId('tracking-id')).toHaveText(response.headers()['trackingid']);
    await expect(page.getByTestId('status')).toHaveText('HTTP 200');
    await expect(page.getByTestId('json-tree')).toBeVisible();
  }
});

test('every catalogued endpoint answers with data in the explorer (ids taken from their lists)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/explorer');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  const values = await page.getByTestId('endpoint').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(values.length).toBeGreaterThanOrEqual(50);
  const empty: string[] = [];
  for (const value of values) {
    await page.getByTestId('endpoint').selectOption(value);
    await expect(page.getByTestId('filling')).toHaveCount(0);
    const answered = page.waitForResponse((r) => r.request().method() === 'GET'
      && (r.url().startsWith(sandbox.api) || r.url().startsWith(sandbox.identity))
      && new URL(r.url()).searchParams.get('pageSize') !== '1');
    await page.getByRole('button', { name: 'Send' }).click();
    const response = await answered;
    const text = await response.text();
    if (response.status() !== 200 || text.trim() === '' || text.trim() === '[]') empty.push(`${value}: ${response.status()} ${text.slice(0, 80)}`);
  }
  // The one known gap: the callbacks list only lists by agent or number, so the explorer has no
  // callback id to start from (the spec's sample id answers 404).
  expect(empty.map((e) => e.split(':')[0]), 'endpoints that did not answer with data').toEqual(['scheduled-callback-get']);
});

test('Copy as cURL redacts the token unless asked, and then reproduces the request', async ({ page }) => {
  await page.goto('/explorer');
  const answered = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().startsWith(sandbox.api));
  await page.getByRole('button', { name: 'Send' }).click();
  const body = await (await answered).json();
  await expect(page.getByTestId('status')).toHaveText('HTTP 200');
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('wxcc.session')!).access_token as string);
  const redacted = await page.getByTestId('curl').innerText();
  expect(redacted).toContain('$WXCC_ACCESS_TOKEN');
  expect(redacted).not.toContain(token);
  await page.getByLabel('Include the access token').check();
  const full = await page.getByTestId('curl').innerText();
  expect(full).toContain(token);
  // Both commands, run by a shell, get the answer the page got: the redacted one with the token in
  // the environment variable it names, the full one as it is.
  const run = (command: string, env: Record<string, string> = {}) =>
    JSON.parse(execFileSync('sh', ['-c', `${command} --silent --show-error --fail`], { env: { ...process.env, ...env }, encoding: 'utf8' }));
  expect(run(redacted, { WXCC_ACCESS_TOKEN: token })).toEqual(body);
  expect(run(full)).toEqual(body);
});

