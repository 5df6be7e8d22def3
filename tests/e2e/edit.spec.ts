// Single edits (issue 26): a user's Edit on its detail view — the review current → new, "Save N
// changes", the PATCH read back through the sandbox's API; a record changed since refused and offered
// for reload; the edit undone from the Provision page's last run; no Edit without cjp:config_write.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, sandbox, signIn, faults, resetFaults, apiSession, listAll as list, type ApiSession as Session, withoutScope } from './fixtures';

type User = { id: string; email: string; agentProfileId: string; contactCenterEnabled: boolean; version: number };
type Named = { id: string; name: string };

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
  await faults(request, { reset_writes: true, stale_version: 'refuse400' });
});

async function setup(page: Page, request: APIRequestContext, index: number) {
  await signIn(page);
  const s = await apiSession(page);
  const user = (await list<User>(request, s, 'v2/user'))[index];
  const profiles = await list<Named>(request, s, 'v2/agent-profile');
  const other = profiles.find((p) => p.id !== user.agentProfileId)!;
  const current = profiles.find((p) => p.id === user.agentProfileId);
  return { s, user, other, current };
}

async function readUser(request: APIRequestContext, s: Session, id: string): Promise<User> {
  return (await list<User>(request, s, 'v2/user')).find((u) => u.id === id)!;
}

async function openEdit(page: Page, user: User) {
  await page.goto(`/config/users/${user.id}`);
  await expect(page.getByTestId('detail-title')).toBeVisible();
  await page.getByTestId('edit-button').click();
  await expect(page.getByTestId('edit-form')).toBeVisible();
}

test("a user's desktop profile edited from its detail view is reviewed, saved and read back", async ({ page, request }) => {
  const { s, user, other, current } = await setup(page, request, 5);
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && r.url().includes('/user/')) writes.push(`${r.method()} ${r.url()}`);
  });
  await openEdit(page, user);
  // Each step's heading takes the focus, so a keyboard user starts the step at its top.
  await expect(page.getByRole('heading', { name: 'Edit the Contact Center settings' })).toBeFocused();
  await page.getByTestId('edit-agentProfileId').selectOption(other.id);
  await page.getByTestId('edit-review').click();
  await expect(page.getByRole('heading', { name: 'Review' })).toBeFocused();
  const row = page.getByTestId('edit-changes').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Desktop profile');
  if (current) await expect(row).toContainText(current.name);
  await expect(row).toContainText(other.name);
  expect(writes, 'nothing written before the confirmation').toHaveLength(0);
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-saved')).toContainText('Saved 1 change');
  expect(writes).toHaveLength(1);
  expect(writes[0]).toContain(`PATCH ${sandbox.api}/organization/${s.org}/user/${user.id}`);
  const after = await readUser(request, s, user.id);
  expect(after.agentProfileId).toBe(other.id);
  expect(after.version).toBeGreaterThan(user.version);
});

async function patchElsewhere(request: APIRequestContext, s: Session, user: User) {
  const now = await readUser(request, s, user.id);
  const patch = await request.patch(`${sandbox.api}/organization/${s.org}/user/${user.id}`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { id: user.id, version: now.version, contactCenterEnabled: !now.contactCenterEnabled },
  });
  expect(patch.ok(), await patch.text()).toBe(true);
}

test('an edit of a user changed just before it arrives is refused by the API, said so, and offered for reload', async ({ page, request }) => {
  const { s, user, other } = await setup(page, request, 6);
  await openEdit(page, user);
  // Someone else writes the user between the console's last read and its PATCH: the sandbox refuses
  // the stale version (refuse400).
  let raced = false;
  await page.route(`**/organization/${s.org}/user/${user.id}`, async (route) => {
    if (route.request().method() === 'PATCH' && !raced) {
      raced = true;
      await patchElsewhere(request, s, user);
    }
    await route.continue();
  });
  await page.getByTestId('edit-agentProfileId').selectOption(other.id);
  await page.getByTestId('edit-review').click();
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-stale')).toContainText('changed since');
  await expect(page.getByTestId('edit-stale')).toContainText('refused');
  expect(raced).toBe(true);
  expect((await readUser(request, s, user.id)).agentProfileId).toBe(user.agentProfileId);
  await page.getByTestId('edit-reload').click();
  await expect(page.getByTestId('edit-button')).toBeVisible();
  // The reloaded user edits from its new version.
  await page.getByTestId('edit-button').click();
  await page.getByTestId('edit-agentProfileId').selectOption(other.id);
  await page.getByTestId('edit-review').click();
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-saved')).toBeVisible();
  expect((await readUser(request, s, user.id)).agentProfileId).toBe(other.id);
});

test('an edit of a user changed since Edit was opened is not written even when the API would accept it', async ({ page, request }) => {
  await faults(request, { stale_version: 'accept' });
  const { s, user, other } = await setup(page, request, 8);
  await openEdit(page, user);
  await patchElsewhere(request, s, user);
  const patches: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH') patches.push(r.url());
  });
  await page.getByTestId('edit-agentProfileId').selectOption(other.id);
  await page.getByTestId('edit-review').click();
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-stale')).toContainText('changed since');
  await expect(page.getByTestId('edit-stale')).toContainText('Nothing was written');
  expect(patches).toHaveLength(0);
  expect((await readUser(request, s, user.id)).agentProfileId).toBe(user.agentProfileId);
});

test("an edit is undone from the Provision page's last run", async ({ page, request }) => {
  const { s, user, other } = await setup(page, request, 7);
  await openEdit(page, user);
  await page.getByTestId('edit-agentProfileId').selectOption(other.id);
  await page.getByTestId('edit-review').click();
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-saved')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provision' }).click();
  await expect(page.getByTestId('last-run')).toBeVisible();
  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByTestId('changes').locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Apply 1 change' }).click();
  await expect(page.locator('[data-testid="results"] tbody tr[data-result="done"]')).toHaveCount(1);
  expect((await readUser(request, s, user.id)).agentProfileId).toBe(user.agentProfileId);
});

test('without cjp:config_write a user has no Edit button', async ({ page, request }) => {
  await withoutScope(page, 'cjp:config_write');
  await signIn(page);
  const s = await apiSession(page);
  const user = (await list<User>(request, s, 'v2/user'))[5];
  await page.goto(`/config/users/${user.id}`);
  await expect(page.getByTestId('detail-title')).toBeVisible();
  await expect(page.getByTestId('edit-button')).toHaveCount(0);
});

test('a team renamed from its detail view is saved, read back, and undone', async ({ page, request }) => {
  await signIn(page);
  const s = await apiSession(page);
  const team = (await list<Named & { version: number }>(request, s, 'v2/team'))[3];
  await page.goto(`/config/teams/${team.id}`);
  await expect(page.getByTestId('detail-title')).toHaveText(team.name);
  await page.getByTestId('edit-button').click();
  const renamed = `${team.name} (renamed)`;
  await page.getByTestId('edit-name').fill(renamed);
  await page.getByTestId('edit-review').click();
  const row = page.getByTestId('edit-changes').locator('tbody tr');
  await expect(row).toContainText(team.name);
  await expect(row).toContainText(renamed);
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-saved')).toContainText('Saved 1 change');
  const read = async () => (await list<Named & { version: number }>(request, s, 'v2/team')).find((t) => t.id === team.id)!;
  const after = await read();
  expect(after.name).toBe(renamed);
  expect(after.version).toBeGreaterThan(team.version);
  await expect(page.getByTestId('detail-title')).toHaveText(renamed);
  // Undo this edit: the same review and confirmation.
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-changes').locator('tbody tr')).toContainText(team.name);
  await page.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(page.getByTestId('edit-saved')).toContainText('Undone');
  expect((await read()).name).toBe(team.name);
});
