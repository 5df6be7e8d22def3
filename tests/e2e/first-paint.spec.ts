// The static first paint (src/views/first_paint.rs, written into the pages by `cargo xtask build`):
// the pages render without JavaScript, the app takes over in place (one landing, the same boxes, no
// layout shift, the largest paint before the wasm starts), the early fetches are used, and the
// CDN serves the caching headers `_headers` asks for.
import { createHash } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { test, expect, sandbox } from './fixtures';

/** One element of a page's layout: what it is, what it says, and where it is drawn. */
type Box = { tag: string; id: string; class: string; role: string | null; href: string | null; current: string | null; text: string; box: number[] };

/**
 * Every element below `root`, in document order. Left out: what only the static page has for the
 * time before the app (the `<noscript>` notice, the screen-reader "Loading…" text), and the "Keep
 * me signed in" option, which only the app can offer (it asks the proxy); it sits beside the
 * button, so nothing after it moves.
 */
function layoutOf(page: Page, root: string): Promise<Box[]> {
  return page.evaluate((selector) => {
    const found: Box[] = [];
    const visit = (element: Element) => {
      if (element.tagName === 'NOSCRIPT' || element.matches('.visually-hidden, label.remember')) return;
      const rect = element.getBoundingClientRect();
      found.push({
        tag: element.tagName.toLowerCase(),
        id: element.id,
        class: element.getAttribute('class') ?? '',
        role: element.getAttribute('role'),
        href: element.getAttribute('href'),
        current: element.getAttribute('aria-current'),
        text: Array.from(element.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join('')
          .trim(),
        box: [rect.x, rect.y, rect.width, rect.height].map((v) => Math.round(v * 10) / 10),
      });
      for (const child of Array.from(element.children)) visit(child);
    };
    for (const child of Array.from(document.querySelector(selector)!.children)) visit(child);
    return found;
  }, root);
}

/**
 * The static page at `path` as a visitor sees it before the wasm has started (same viewport as
 * the test's page): in a context of its own whose wasm never arrives.
 */
async function staticLayout(browser: Browser, baseURL: string, path: string): Promise<Box[]> {
  const context = await browser.newContext({ baseURL });
  try {
    await context.route('**/*_bg.wasm', (route) => route.abort());
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.locator('#first-paint')).toBeVisible();
    return await layoutOf(page, '#first-paint');
  } finally {
    await context.close();
  }
}

/** The app has replaced the static markup. */
async function appStarted(page: Page) {
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.locator('#app')).toHaveCount(1);
}

type PaintWatch = { shifts: PerformanceObserver; lcp: PerformanceObserver; seen: PerformanceEntry[]; revealedAt: number | null };

/**
 * Records, from the document's very start (an init script runs before the page's own), its layout
 * shifts, its largest contentful paints and when the app's element replaced the static one.
 */
async function watchPaints(page: Page) {
  await page.addInitScript(() => {
    const seen: PerformanceEntry[] = [];
    const shifts = new PerformanceObserver((list) => seen.push(...list.getEntries()));
    shifts.observe({ type: 'layout-shift', buffered: true });
    const lcp = new PerformanceObserver((list) => seen.push(...list.getEntries()));
    lcp.observe({ type: 'largest-contentful-paint', buffered: true });
    const watch: PaintWatch = { shifts, lcp, seen, revealedAt: null };
    new MutationObserver((_, observer) => {
      if (!document.getElementById('app')) return;
      watch.revealedAt = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
    (window as unknown as { paintWatch: PaintWatch }).paintWatch = watch;
  });
}

/** What `watchPaints` saw in the frames drawn so far (it waits for two more to start). */
function paintsSoFar(page: Page) {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const watch = (window as unknown as { paintWatch: PaintWatch }).paintWatch;
    const all = [...watch.seen, ...watch.shifts.takeRecords(), ...watch.lcp.takeRecords()];
    return {
      shifts: all.filter((e) => e.entryType === 'layout-shift').map((e) => (e as unknown as { value: number }).value),
      lcp: all.filter((e) => e.entryType === 'largest-contentful-paint').map((e) => e.startTime),
      revealedAt: watch.revealedAt,
    };
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the start page shows the landing with a disabled sign-in button and says JavaScript is needed', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('wxcc-console');
    await expect(page.locator('.lead')).toHaveText('Sign in to Webex Contact Center and call its APIs straight from your browser.');
    const button = page.getByRole('button', { name: 'Sign in with Webex' });
    await expect(button).toBeVisible();
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription('Loading the console…');
    await expect(page.locator('ol.steps li')).toHaveCount(4);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Users', 'Activity', 'Explorer', 'Token', 'Grant flow']);
    await expect(page.locator('footer')).toContainText('the refresh token stays sealed at the token proxy');
  });

  test('the callback page says sign-in is completing, with no button', async ({ page }) => {
    await page.goto('callback?code=c&state=s');
    await expect(page.getByTestId('completing')).toHaveText('Completing sign-in…');
    await expect(page.getByRole('status')).toHaveText('Completing sign-in…');
    await expect(page.getByRole('button')).toHaveCount(0);
  });

  test('both pages tell a browser without JavaScript that the console needs it', async ({ request }) => {
    // Playwright turns scripts off without the parser's "scripting disabled" mode, so the
    // <noscript> content is checked in the page as served.
    for (const path of ['./', 'callback']) {
      expect(await (await request.get(path)).text(), path).toContain(
        '<noscript><p class="notice">wxcc-console runs in your browser: turn on JavaScript to sign in.</p></noscript>',
      );
    }
  });
});

test('the app replaces the start page in place: one landing, the same boxes, no layout shift, the largest paint before it', async ({ page, browser, baseURL }) => {
  const before = await staticLayout(browser, baseURL!, './');
  expect(before.map((b) => b.text)).toContain('Sign in with Webex');

  await watchPaints(page);
  await page.goto('./');
  await appStarted(page);
  await expect(page.getByRole('button', { name: 'Sign in with Webex' })).toBeEnabled();

  expect(await layoutOf(page, '#app')).toEqual(before);
  await expect(page.locator('.hero')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Sign in with Webex' })).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);

  const paints = await paintsSoFar(page);
  expect(paints.shifts, 'layout shifts').toEqual([]);
  expect(paints.revealedAt).not.toBeNull();
  expect(paints.lcp.length).toBeGreaterThan(0);
  // The static page was drawn before the app took over, and nothing the app drew was larger.
  expect(Math.max(...paints.lcp)).toBeLessThan(paints.revealedAt!);
});

test('on the callback the app first shows the same "Completing sign-in…" in the same place', async ({ page, browser, baseURL }) => {
  const before = await staticLayout(browser, baseURL!, 'callback');
  const staticSplash = before.find((b) => b.text === 'Completing sign-in…');
  expect(staticSplash).toBeDefined();

  // At the moment the app's element replaces the static one (before the browser draws it), note
  // what the app shows there.
  await page.addInitScript(() => {
    if (!location.pathname.endsWith('/callback')) return;
    const w = window as unknown as { takeover?: { splash: string | null; box: number[] | null; staticLeft: boolean } };
    new MutationObserver((mutations, observer) => {
      const app = document.getElementById('app');
      if (!app) return;
      observer.disconnect();
      const splash = app.querySelector('[data-testid="completing"]');
      const rect = splash?.getBoundingClientRect();
      w.takeover = {
        splash: splash?.textContent ?? null,
        box: rect ? [rect.x, rect.y, rect.width, rect.height].map((v) => Math.round(v * 10) / 10) : null,
        staticLeft: document.getElementById('first-paint') !== null,
      };
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('./');
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${sandbox.identity}/v1/authorize?**`);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('org-id')).toHaveText(/^[0-9a-f-]{36}$/);

  const takeover = await page.evaluate(() => (window as unknown as { takeover?: unknown }).takeover);
  expect(takeover).toEqual({ splash: 'Completing sign-in…', box: staticSplash!.box, staticLeft: false });
});

test('the hashed assets carry a year of immutable caching, the pages and config.json no-cache, everything HSTS', async ({ request }) => {
  const start = await request.get('./', { maxRedirects: 0 });
  expect(start.status()).toBe(200);
  expect(start.headers()['cache-control']).toBe('no-cache');
  const html = await start.text();
  const assets = [...html.matchAll(/(?:href=|from ')([^ '>]*-[0-9a-f]{16}(?:_bg\.wasm|\.js|\.css))/g)].map((m) => m[1]);
  expect(new Set(assets.map((a) => a.split('.').pop()))).toEqual(new Set(['wasm', 'js', 'css']));
  for (const asset of assets) {
    const response = await request.get(asset);
    expect(response.status(), asset).toBe(200);
    expect(response.headers()['cache-control'], asset).toBe('public, max-age=31536000, immutable');
  }
  for (const path of ['index.html', 'config.json', 'callback', 'callback/', 'deep/link']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], path).toBe('no-cache');
  }
  for (const path of ['./', 'config.json', assets[0]]) {
    expect((await request.get(path)).headers()['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
  }
  // The callback is its own page, answered at once (no redirect to callback/).
  const callback = await request.get('callback?code=c&state=s', { maxRedirects: 0 });
  expect(callback.status()).toBe(200);
  expect(await callback.text()).toContain('Completing sign-in…');
});

test('after the start page, the callback page loads the hashed assets from the cache without a request', async ({ page }) => {
  await page.goto('./');
  await appStarted(page);
  await page.goto('callback?code=c&state=s');
  await expect(page.getByTestId('sign-in-failed')).toBeVisible();
  const hashed = (path: string) => /-[0-9a-f]{16}(_bg\.wasm|\.js|\.css)$/.test(path);
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => {
      const r = e as PerformanceResourceTiming;
      return { path: new URL(r.name).pathname, transferSize: r.transferSize, decodedBodySize: r.decodedBodySize };
    }),
  );
  const assets = entries.filter((e) => hashed(e.path));
  expect(assets.map((e) => e.path.split('.').pop()).sort()).toEqual(['css', 'js', 'wasm']);
  for (const asset of assets) {
    // Served from the cache: nothing transferred, not even a revalidation.
    expect(asset.transferSize, asset.path).toBe(0);
    expect(asset.decodedBodySize, asset.path).toBeGreaterThan(0);
  }
});

test('config.json is preloaded and used once, and the wasm is fetched with its integrity hash', async ({ page, request }) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' && /preload|integrity/i.test(m.text())) warnings.push(m.text());
  });
  await page.goto('./');
  await appStarted(page);
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, initiator: (e as PerformanceResourceTiming).initiatorType })),
  );
  expect(entries.filter((e) => e.path.endsWith('/config.json'))).toEqual([{ path: '/config.json', initiator: 'link' }]);
  expect(entries.filter((e) => e.path.endsWith('_bg.wasm'))).toHaveLength(1);

  const html = await (await request.get('./')).text();
  const [, wasm, integrity] = html.match(/module_or_path: fetch\('([^']+_bg\.wasm)', \{ integrity: '(sha384-[^']+)' \}\)/) ?? [];
  expect(wasm, 'the bootstrap fetches the wasm with an integrity hash').toBeDefined();
  const bytes = await (await request.get(wasm)).body();
  expect(integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
  // The JS glue keeps its hash on the modulepreload link, where browsers enforce it.
  await expect(page.locator('link[rel="modulepreload"]')).toHaveAttribute('integrity', /^sha384-/);
  // Chrome warns as it reads the page about an `integrity` it ignores on a preload.
  expect(warnings).toEqual([]);
});

test('@subpath the first paint links and the callback page stay below the sub-path', async ({ browser, baseURL, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  try {
    const page = await context.newPage();
    await page.goto('./');
    const hrefs = await page.locator('#first-paint a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['#main', '/console/', '/console/config/users', '/console/activity', '/console/explorer', '/console/token', '/console/flow']);
    await page.goto('callback?code=c');
    await expect(page.getByTestId('completing')).toBeVisible();
  } finally {
    await context.close();
  }
  const preload = await (await request.get('./')).text();
  expect(preload).toContain('<link rel="preload" href="/console/config.json" as="fetch" crossorigin data-deployed>');
});
