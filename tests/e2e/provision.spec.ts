// The Provision page (issue 26): a CSV of users' Contact Center settings previewed, applied through
// PATCH user/bulk and verified by reading the users back through the sandbox's API; bad rows with their
// lines; a partial bulk failure; cancel; undo, skipping a user changed since; the scope and role checks.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, sandbox, signIn, faults, resetFaults, apiSession, listAll as list, type ApiSession as Session, withoutScope } from './fixtures';

type User = {
  id: string;
  email: string;
  siteId: string;
  teamIds: string[];
  agentProfileId: string;
  contactCenterEnabled: boolean;
  version: number;
};
type Named = { id: string; name: string; siteId?: string };

const HEADER = 'email,teams,site,skill profile,desktop profile,multimedia profile,Contact Center enabled';

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
  // Writes persist for the sandbox's lifetime: every test starts from the seed.
  await faults(request, { reset_writes: true, bulk_item_failure_rate: 0, stale_version: 'refuse400', bulk_max_items: 100 });
});

/** Users other than the sign-in users (the first two), and the desktop profiles. */
async function directory(request: APIRequestContext, s: Session) {
  const users = (await list<User>(request, s, 'v2/user')).slice(2);
  const profiles = await list<Named>(request, s, 'v2/agent-profile');
  const profileName = (id: string) => profiles.find((p) => p.id === id)!.name;
  /** A desktop profile the user does not have. */
  const otherProfile = (user: User) => profiles.find((p) => p.id !== user.agentProfileId)!;
  return { users, profiles, profileName, otherProfile };
}

async function usersById(request: APIRequestContext, s: Session): Promise<Map<string, User>> {
  return new Map((await list<User>(request, s, 'v2/user')).map((u) => [u.id, u]));
}

/** Rows that move each user to another desktop profile: `email,,,,<profile>,,`. */
function profileRows(users: User[], profileFor: (u: User) => Named): string[] {
  return users.map((u) => `${u.email},,,,${profileFor(u).name},,`);
}

async function openProvision(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await expect(page.getByRole('heading', { name: 'Provision', level: 1 })).toBeVisible();
}

async function preview(page: Page, csv: string) {
  await page.getByTestId('csv-text').fill(csv);
  await page.getByTestId('preview-button').click();
  await expect(page.getByTestId('preview')).toBeVisible();
}

const results = (page: Page, result: string) => page.locator(`[data-testid="results"] tbody tr[data-result="${result}"]`);

test('a 20-row file is previewed, applied in one confirmation, and the users read back hold the new values', async ({ page, request }) => {
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.api) && ['PATCH', 'POST', 'PUT', 'DELETE'].includes(r.method())) writes.push(r.url());
  });
  await signIn(page);
  const s = await apiSession(page);
  const { users, profileName, otherProfile } = await directory(request, s);
  const chosen = users.slice(0, 20);
  // Two rows ask for what the users already have: marked unchanged and not written.
  const unchanged = chosen.slice(18);
  const changed = chosen.slice(0, 18);
  const rows = [
    ...profileRows(changed, otherProfile),
    ...unchanged.map((u) => `${u.email},,,,${profileName(u.agentProfileId)},,`),
  ];
  await openProvision(page);
  // Uploaded as a file with a BOM, as spreadsheets save it.
  await page.getByTestId('csv-file').setInputFiles({
    name: 'agents.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`),
  });
  await page.getByTestId('preview-button').click();
  await expect(page.getByTestId('preview-summary')).toContainText('18 users to change (18 settings)');
  await expect(page.getByTestId('preview-summary')).toContainText('2 users already as asked, skipped');
  await expect(page.getByTestId('changes').locator('tbody tr')).toHaveCount(18);
  const first = page.getByTestId('changes').locator(`tr[data-email="${changed[0].email}"]`);
  await expect(first).toContainText(
    `Desktop profile: ${profileName(changed[0].agentProfileId)} → ${otherProfile(changed[0]).name}`,
  );
  await expect(page.getByTestId('unchanged')).toContainText('2 unchanged, skipped');

  // Nothing is written by loading, navigating or previewing: only the confirmation writes.
  expect(writes, 'writes before the confirmation').toEqual([]);
  const before = await usersById(request, s);
  for (const u of chosen) expect(before.get(u.id)!.version, u.email).toBe(u.version);

  await page.getByRole('button', { name: 'Apply 18 changes' }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  expect(writes, 'one bulk request for 18 users').toHaveLength(1);
  await expect(results(page, 'done')).toHaveCount(18);
  await expect(results(page, 'unchanged')).toHaveCount(2);
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '18');

  const after = await usersById(request, s);
  for (const u of changed) expect(after.get(u.id)!.agentProfileId, u.email).toBe(otherProfile(u).id);
  for (const u of unchanged) expect(after.get(u.id)!.version, `${u.email} not written`).toBe(u.version);

  const download = page.waitForEvent('download');
  await page.getByTestId('download-summary').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('provisioning-results.csv');
  const lines = (await (await file.createReadStream()).toArray()).join('').trim().split(/\r?\n/);
  expect(lines[0]).toBe('email,result,reason');
  expect(lines.filter((l) => l.includes(',done,'))).toHaveLength(18);
  expect(lines.filter((l) => l.includes(',unchanged,'))).toHaveLength(2);
});

test('each kind of bad row is reported with its line, column and reason', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const sites = await list<Named>(request, s, 'v2/site');
  // Two teams of one name in two sites: for a user of a third site the name is ambiguous.
  const twins = await request.post(`${sandbox.api}/organization/${s.org}/team/bulk`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: {
      items: [0, 1].map((i) => ({
        itemIdentifier: i,
        requestAction: 'SAVE',
        item: {
          name: 'Twin Team', siteId: sites[i].id, teamType: 'AGENT', teamStatus: 'IN_SERVICE', active: true,
          rankQueuesForTeam: false, organizationId: s.org,
        },
      })),
    },
  });
  expect(twins.status(), await twins.text()).toBe(207);
  const thirdSiteUser = users.find((u) => u.siteId !== sites[0].id && u.siteId !== sites[1].id)!;
  const [good, a, b, c, d, e, f, g, h] = users.filter((u) => u.id !== thirdSiteUser.id);
  const csv = [
    HEADER,
    `${good.email},,,,${otherProfile(good).name},,`, // 2: fine
    'nobody@wxcc-sandbox.example.com,,,,,,', // 3
    `${a.email},No Such Team,,,,,`, // 4
    `${good.email},,,,,,true`, // 5: repeats line 2
    `${b.email},,,,,,maybe`, // 6
    ',,,,,,true', // 7
    'not-an-email,,,,,,', // 8
    `${c.email},,Atlantis,,,,`, // 9
    `${d.email},,,No Such Skills,,,`, // 10
    `${e.email},,,,No Such Desktop,,`, // 11
    `${f.email},,,,,No Such Multimedia,`, // 12
    `${g.email},,,,,,true,extra`, // 13
    `${thirdSiteUser.email},Twin Team,,,,,`, // 14
    `${h.email},=SUM(A1),,,,,`, // 15: a formula-like name is only a name, never evaluated
  ].join('\n');
  await openProvision(page);
  await preview(page, csv);
  const expected: [number, RegExp][] = [
    [3, /no user has the email "nobody@wxcc-sandbox\.example\.com"/],
    [4, /no team is named "No Such Team"/],
    [5, /is already on line 2; only that row is used/],
    [6, /"maybe" is not valid here/],
    [7, /the email is empty/],
    [8, /"not-an-email" is not valid here/],
    [9, /no site is named "Atlantis"/],
    [10, /no skill profile is named "No Such Skills"/],
    [11, /no desktop profile is named "No Such Desktop"/],
    [12, /no multimedia profile is named "No Such Multimedia"/],
    [13, /the row has 8 cells but the header 7 columns/],
    [14, /2 teams are named "Twin Team"/],
    [15, /no team is named "=SUM\(A1\)"/],
  ];
  const errors = page.getByTestId('row-errors');
  for (const [line, reason] of expected) {
    await expect(errors.locator(`tr[data-line="${line}"]`).first(), `line ${line}`).toContainText(reason);
  }
  await expect(errors.locator('tr[data-line="4"]')).toContainText('2 (teams)');
  await expect(errors.locator('tr[data-line="6"]')).toContainText('7 (Contact Center enabled)');
  await expect(errors.locator('tr[data-line="2"]')).toHaveCount(0);
  // The good row can still be applied alone.
  await expect(page.getByTestId('apply-button')).toHaveText('Apply 1 change');
});

test('a partial bulk failure reports each row, and the failed users are left as they were', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const chosen = users.slice(30, 50);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));
  // A quarter of the items answer a per-item 500 and are not saved: outcome unknown until read back.
  await faults(request, { bulk_item_failure_rate: 0.25 });
  await page.getByRole('button', { name: 'Apply 20 changes' }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expect(results(page, 'done')).toHaveCount(15);
  await expect(results(page, 'failed')).toHaveCount(5);
  await expect(results(page, 'failed').first()).toContainText('not written: reading the user back shows the old values');
  const after = await usersById(request, s);
  for (const row of await results(page, 'failed').all()) {
    const email = await row.getAttribute('data-email');
    const user = chosen.find((u) => u.email === email)!;
    expect(after.get(user.id)!.agentProfileId, `${email} kept its profile`).toBe(user.agentProfileId);
  }
  for (const row of await results(page, 'done').all()) {
    const email = await row.getAttribute('data-email');
    const user = chosen.find((u) => u.email === email)!;
    expect(after.get(user.id)!.agentProfileId, `${email} has the new profile`).toBe(otherProfile(user).id);
  }
});

test('cancel stops before the next batch; the batch in flight finishes and reports', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  // 120 users: batches of 50, 50 and 20.
  const chosen = users.slice(0, 120);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));

  // The second batch is held until Cancel has been pressed, so the cancel lands mid-run.
  let batches = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let secondSent!: () => void;
  const secondInFlight = new Promise<void>((resolve) => { secondSent = resolve; });
  await page.route('**/user/bulk', async (route) => {
    if (route.request().method() === 'PATCH' && ++batches === 2) {
      secondSent();
      await released;
    }
    await route.continue();
  });
  await page.getByRole('button', { name: 'Apply 120 changes' }).click();
  await secondInFlight;
  const cancel = page.getByTestId('cancel-button');
  // Reachable from the keyboard: it has the focus while the run goes.
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(cancel).toHaveText('Cancelling after this batch…');
  release();
  await expect(page.getByTestId('results')).toBeVisible();
  expect(batches, 'no batch after the cancel').toBe(2);
  await expect(results(page, 'done')).toHaveCount(100);
  await expect(results(page, 'not sent')).toHaveCount(20);
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '120');
  const after = await usersById(request, s);
  for (const u of chosen.slice(100)) expect(after.get(u.id)!.version, `${u.email} not written`).toBe(u.version);
  for (const u of chosen.slice(0, 100)) expect(after.get(u.id)!.agentProfileId, u.email).toBe(otherProfile(u).id);
});

test('undo restores the previous values through the same preview and confirmation', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const chosen = users.slice(60, 70);
  await openProvision(page);
  await preview(page, [HEADER, ...chosen.map((u) => `${u.email},,,,${otherProfile(u).name},,${!u.contactCenterEnabled}`)].join('\n'));
  await page.getByRole('button', { name: 'Apply 10 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(10);

  // The journal lasts the browser session and downloads as JSON with the previous values.
  const download = page.waitForEvent('download');
  await page.getByTestId('download-journal').click();
  const journal = JSON.parse((await (await (await download).createReadStream()).toArray()).join(''));
  expect(journal.kind).toBe('wxcc-console provisioning journal');
  expect(journal.entries).toHaveLength(10);
  expect(journal.entries[0].before.agentProfileId).toBe(chosen[0].agentProfileId);

  // A reload keeps it (sessionStorage), and the undo starts from the input step.
  await page.reload();
  await expect(page.getByTestId('last-run')).toBeVisible();
  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByTestId('changes').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('undo-skipped')).toHaveCount(0);
  await page.getByRole('button', { name: 'Apply 10 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(10);
  const after = await usersById(request, s);
  for (const u of chosen) {
    expect(after.get(u.id)!.agentProfileId, u.email).toBe(u.agentProfileId);
    expect(after.get(u.id)!.contactCenterEnabled, u.email).toBe(u.contactCenterEnabled);
  }
});

test('undo skips a user changed since the run, with the reason, and leaves that change in place', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, profiles, otherProfile } = await directory(request, s);
  const chosen = users.slice(80, 85);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));
  await page.getByRole('button', { name: 'Apply 5 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(5);

  // Someone else changes one of them (another admin, Control Hub) after the run.
  const moved = chosen[2];
  const now = (await usersById(request, s)).get(moved.id)!;
  const third = profiles.find((p) => p.id !== moved.agentProfileId && p.id !== otherProfile(moved).id)!;
  const patch = await request.patch(`${sandbox.api}/organization/${s.org}/user/${moved.id}`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { id: moved.id, version: now.version, agentProfileId: third.id },
  });
  expect(patch.ok(), await patch.text()).toBe(true);

  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('preview')).toBeVisible();
  const skipped = page.getByTestId('undo-skipped').locator(`tr[data-email="${moved.email}"]`);
  await expect(skipped).toContainText('changed since');
  await page.getByRole('button', { name: 'Apply 4 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(4);
  await expect(results(page, 'skipped')).toHaveCount(1);
  const after = await usersById(request, s);
  expect(after.get(moved.id)!.agentProfileId, 'the later change stays').toBe(third.id);
  for (const u of chosen.filter((u) => u.id !== moved.id)) {
    expect(after.get(u.id)!.agentProfileId, u.email).toBe(u.agentProfileId);
  }
});

test('without cjp:config_write the page is not in the navigation and names the scope it needs', async ({ page }) => {
  await withoutScope(page, 'cjp:config_write');
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Provision' })).toHaveCount(0);
  await page.goto('/provision');
  await expect(page.getByTestId('scope-locked')).toContainText('cjp:config_write');
  await expect(page.getByTestId('csv-text')).toHaveCount(0);
});

test('an agent (no administrator role) is told the API refused with 403, and nothing is written', async ({ page }) => {
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.api) && ['PATCH', 'POST', 'PUT'].includes(r.method())) writes.push(r.url());
  });
  await signIn(page, 'agent');
  await openProvision(page);
  await page.getByTestId('csv-text').fill(`${HEADER}\nsam.agent@wxcc-sandbox.example.com,,,,,,true`);
  await page.getByTestId('preview-button').click();
  const error = page.getByTestId('api-error');
  await expect(error).toHaveAttribute('data-status', '403');
  await expect(error.getByTestId('needs-scope')).toContainText('cjp:config_write');
  expect(writes).toEqual([]);
});

test('with the opt-in, a team that does not exist is created in the row site and the users join it', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users } = await directory(request, s);
  // Users of one site: the new team is created once, in that site.
  const chosen = users.filter((u) => u.siteId === users[0].siteId).slice(0, 3);
  const csv = ['email,teams', ...chosen.map((u) => `${u.email},Night Shift`)].join('\n');
  await openProvision(page);
  await preview(page, csv);
  await expect(page.getByTestId('row-errors').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('row-errors')).toContainText('no team is named "Night Shift"');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByTestId('csv-text').fill(csv);
  await page.getByTestId('create-teams').check();
  await page.getByTestId('preview-button').click();
  await expect(page.getByTestId('preview-summary')).toContainText('1 teams to create');
  await expect(page.getByTestId('changes').locator(`tr[data-email="${chosen[0].email}"]`)).toContainText('Night Shift (new)');
  await page.getByRole('button', { name: 'Apply 3 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(3);
  const teams = (await list<Named>(request, s, 'v2/team')).filter((t) => t.name === 'Night Shift');
  expect(teams).toHaveLength(1);
  expect(teams[0].siteId).toBe(chosen[0].siteId);
  const after = await usersById(request, s);
  for (const u of chosen) expect(after.get(u.id)!.teamIds, u.email).toEqual([teams[0].id]);
});

/** Counts the PATCH requests to the bulk endpoint the page sends. */
function countBulkWrites(page: Page) {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH' && r.url().endsWith('/user/bulk')) sent.push(r.url());
  });
  return sent;
}

test('a write answered 503 is never resent: its rows are settled by reading the users back', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const chosen = users.slice(110, 113);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));
  const sent = countBulkWrites(page);
  // The sandbox's 503 comes before the write: nothing was saved, which only the read-back can tell.
  await faults(request, { force_5xx: 1 });
  await page.getByRole('button', { name: 'Apply 3 changes' }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expect(results(page, 'failed')).toHaveCount(3);
  await expect(results(page, 'failed').first()).toContainText('not written: reading the user back shows the old values');
  expect(sent, 'one request, not retried').toHaveLength(1);
  const after = await usersById(request, s);
  for (const u of chosen) expect(after.get(u.id)!.version, u.email).toBe(u.version);
});

test('a write that meets an expired token is sent again once after the refresh, and its rows are done', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const chosen = users.slice(120, 123);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));
  const sent = countBulkWrites(page);
  await faults(request, { expire_access_tokens: true });
  await page.getByRole('button', { name: 'Apply 3 changes' }).click();
  await expect(results(page, 'done')).toHaveCount(3);
  expect(sent, 'the 401 and its one retry').toHaveLength(2);
});

test('a write answered 429 waits for Retry-After, then goes once more and is done', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const chosen = users.slice(130, 133);
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows(chosen, otherProfile)].join('\n'));
  const sent = countBulkWrites(page);
  await faults(request, { force_429: 1 });
  await page.getByRole('button', { name: 'Apply 3 changes' }).click();
  await expect(page.getByTestId('rate-limited')).toBeVisible();
  // After a 429 the scheduler's bucket starts empty and refills evenly over a minute, so the retry
  // and the read-back's pages each wait for a token after the 2 s pause: longer than the default 5 s.
  await expect(results(page, 'done')).toHaveCount(3, { timeout: 30_000 });
  expect(sent, 'the 429 and the request after the wait').toHaveLength(2);
  const after = await usersById(request, s);
  for (const u of chosen) expect(after.get(u.id)!.agentProfileId, u.email).toBe(otherProfile(u).id);
});

test('after a run, the user detail shows when it was created and last updated as dates, not epoch milliseconds', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const { users, otherProfile } = await directory(request, s);
  const user = users[140];
  await openProvision(page);
  await preview(page, [HEADER, ...profileRows([user], otherProfile)].join('\n'));
  await page.getByRole('button', { name: 'Apply 1 change' }).click();
  await expect(results(page, 'done')).toHaveCount(1);
  const now = (await usersById(request, s)).get(user.id)! as User & { createdTime: number; lastUpdatedTime: number };
  await page.goto(`/config/users/${user.id}`);
  // The same Intl format the console uses, in the browser's locale and time zone.
  const [created, updated] = await page.evaluate(
    (times) => times.map((ms) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms)),
    [now.createdTime, now.lastUpdatedTime],
  );
  const times = page.getByTestId('detail-times');
  await expect(times).toHaveText(`Created ${created} · Last updated ${updated}`);
  await expect(times).not.toContainText(String(now.lastUpdatedTime));
});
