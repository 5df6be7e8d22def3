// Trusted Types: the CSP requires them for every HTML sink, the app runs every page without a
// violation, and markup set from page script is refused unless it is the plain kind Leptos builds
// its static view parts from (index.html's `default` policy).
import { test, expect, signIn, resetFaults, overviewLoaded } from './fixtures';

/** Collects every CSP violation of the page from the first script on, across navigations. */
async function recordViolations(page: import('@playwright/test').Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.violations.push(`${e.violatedDirective}: ${e.sample || e.blockedURI}`),
    );
  });
}

async function violations(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

test('the CSP requires Trusted Types and allows only the default policy', async ({ page }) => {
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("require-trusted-types-for 'script'");
  expect(csp).toContain('trusted-types default');
  expect(csp).not.toContain('allow-duplicates');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("require-trusted-types-for 'script'");
});

test('every page runs without a CSP or Trusted Types violation', async ({ page, request }) => {
  await recordViolations(page);
  await resetFaults(request);
  await signIn(page);
  await overviewLoaded(page);
  // Each page loaded afresh (the wasm starts again and restores the session).
  const pages: [string, () => Promise<void>][] = [
    ['/token', () => expect(page.getByTestId('inspector-org-id')).toBeVisible()],
    ['/flow', () => expect(page.getByRole('heading', { level: 1 })).toContainText('Grant flow')],
    ['/activity', () => expect(page.getByTestId('chart').first()).toBeVisible()],
    ['/explorer', () => expect(page.getByRole('heading', { level: 1 })).toContainText('explorer')],
    ['/config/users?pageSize=10', () => expect(page.getByTestId('row').first()).toBeVisible()],
    ['/nowhere', () => expect(page.getByRole('heading', { level: 1 })).toBeVisible()],
    ['/', () => overviewLoaded(page)],
  ];
  for (const [path, shown] of pages) {
    await page.goto(path);
    await shown();
    expect(await violations(page), `violations on ${path}`).toEqual([]);
  }
  // A detail view and the activity charts' value tables (details elements opened).
  await page.goto('/config/users?pageSize=10');
  await page.getByTestId('row').first().getByRole('link').click();
  await expect(page.getByTestId('json-tree')).toContainText('email');
  await page.goto('/activity');
  for (const chart of await page.getByTestId('chart').all()) {
    await chart.getByText('Values as a table').click();
    await expect(chart.locator('table tbody tr').first()).toBeVisible();
  }
  expect(await violations(page)).toEqual([]);
});

test('script-capable markup assigned from page script is refused', async ({ page, consoleErrors }) => {
  await recordViolations(page);
  await page.goto('/');
  await expect(page.locator('#app').getByRole('button', { name: 'Sign in with Webex' })).toBeEnabled();
  const outcome = await page.evaluate(() => {
    const w = window as unknown as { hit?: boolean };
    const attempts: Record<string, string> = {};
    const tryIt = (name: string, run: () => void) => {
      try {
        run();
        attempts[name] = 'allowed';
      } catch (e) {
        attempts[name] = e instanceof TypeError ? 'refused' : `threw ${e}`;
      }
    };
    const div = document.createElement('div');
    document.body.appendChild(div);
    tryIt('event handler', () => (div.innerHTML = '<img src="x" onerror="window.hit = true">'));
    tryIt('script element', () => (div.innerHTML = '<script>window.hit = true</script>'));
    tryIt('javascript: link', () => (div.innerHTML = '<a href="javascript:window.hit=true">x</a>'));
    tryIt('iframe srcdoc', () => (div.innerHTML = '<iframe srcdoc="x"></iframe>'));
    tryIt('outerHTML', () => (div.outerHTML = '<svg onload="window.hit = true"></svg>'));
    tryIt('insertAdjacentHTML', () => div.insertAdjacentHTML('beforeend', '<style>*{}</style>'));
    tryIt('document.write', () => document.write('<b onclick="x()">x</b>'));
    tryIt('script text', () => {
      const s = document.createElement('script');
      s.text = 'window.hit = true';
    });
    tryIt('script src', () => {
      const s = document.createElement('script');
      s.src = '/x.js';
    });
    tryIt('another policy', () => (window as any).trustedTypes.createPolicy('mine', { createHTML: (s: string) => s }));
    tryIt('a second default policy', () =>
      (window as any).trustedTypes.createPolicy('default', { createHTML: (s: string) => s }),
    );
    // The plain markup Leptos' views are built from still goes through.
    tryIt('plain markup', () => (div.innerHTML = '<p class="muted">Loading…</p><ul><li>a &amp; b</li></ul>'));
    return { attempts, hit: w.hit === true, html: div.innerHTML };
  });
  expect(outcome.attempts).toEqual({
    'event handler': 'refused',
    'script element': 'refused',
    'javascript: link': 'refused',
    'iframe srcdoc': 'refused',
    outerHTML: 'refused',
    insertAdjacentHTML: 'refused',
    'document.write': 'refused',
    'script text': 'refused',
    'script src': 'refused',
    'another policy': 'refused',
    'a second default policy': 'refused',
    'plain markup': 'allowed',
  });
  expect(outcome.hit).toBe(false);
  expect(outcome.html).toBe('<p class="muted">Loading…</p><ul><li>a &amp; b</li></ul>');
  expect((await violations(page)).length).toBeGreaterThan(0);
  // The browser's reports of the refused assignments are this test's expected outcome.
  consoleErrors.splice(0, consoleErrors.length);
});
