// The org's API budget (issue 25): a scripted session of 20 views in 2 minutes, with back-and-forth
// navigation, replayed by one person or by several at once (each in a browser of their own, as
// separate people are), against the sandbox's per-client limit. For each view: the Contact Center
// API requests it caused and the time from the navigation to its data on screen; for the run: every
// 429 the API answered.
//
//   node tests/bench/budget.mjs --origin http://127.0.0.1:PORT --identity http://127.0.0.1:PORT
//        --api http://127.0.0.1:PORT --sessions 3 [--budget 16] [--view-ms 6000]
//
// --budget: the app's api_requests_per_minute in each browser (config.json, set here by answering the
// page's request for it), as the person deploying the console sets it when several people share the
// client id; default: the deployed config's. --view-ms: the pace, one view every so many ms (the
// person's reading time; part of the workload, not a synchronisation).
//
// Prints one JSON object on stdout:
// {"sessions": [{"session": i, "views": [{"view", "requests", "ms" | null}], "error": null | text}],
//  "requests": n, "limited": n, "limited_urls": [...]}
// A view's "ms" is null when its data was not on screen within DATA_TIMEOUT_MS. Progress goes to
// stderr so stdout stays parseable.
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../chromium.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && process.argv[index + 1]) return process.argv[index + 1];
  if (fallback !== undefined) return fallback;
  console.error(`budget.mjs: --${name} is required`);
  process.exit(2);
}

const origin = option('origin');
const identity = option('identity');
const api = option('api');
const sessions = Number(option('sessions', '1'));
const budget = option('budget', '');
const viewMs = Number(option('view-ms', '6000'));
// The yardstick of the issue's report: a view with no data within 15 s counts as not shown.
const DATA_TIMEOUT_MS = 15_000;

// The scripted session, 20 views: a list opened from the overview's tile (its label), `Users` from the
// navigation bar, `Overview` by the brand link, or `back`. Revisits within 30 s can come from the kept
// answers; the overview after that asks for its nine counts again.
const SCRIPT = [
  'Overview', 'Users', 'back', 'Teams', 'back', 'Queues', 'nav:Users', 'back', 'back', 'Sites',
  'back', 'Entry points', 'back', 'Desktop profiles', 'nav:Users', 'Overview', 'Skill profiles', 'back',
  'Auxiliary codes', 'Overview',
];

const browser = await chromium.launch(CHROMIUM_LAUNCH);
let requests = 0;
const limitedUrls = [];

/** Waits until the view `name` shows its data: the overview's nine counts, or a list's first row
 * under the list's own heading (not the row of the page navigated away from). */
async function shows(page, name) {
  if (name === 'Overview') {
    await page.waitForFunction(() => {
      const counts = [...document.querySelectorAll('.tile .count')];
      return counts.length === 9 && counts.every((c) => /^\d+$/.test(c.textContent.trim()));
    }, null, { timeout: DATA_TIMEOUT_MS });
    return;
  }
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: DATA_TIMEOUT_MS });
  await page.getByTestId('row').first().waitFor({ timeout: DATA_TIMEOUT_MS });
}

async function session(index, startAt) {
  const context = await browser.newContext();
  const result = { session: index, views: [], error: null };
  let sinceView = 0;
  context.on('request', (r) => {
    if (r.url().startsWith(api) && r.method() !== 'OPTIONS') {
      requests += 1;
      sinceView += 1;
    }
  });
  context.on('response', (r) => {
    if (r.status() === 429) limitedUrls.push(r.url());
  });
  if (budget) {
    await context.route('**/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), api_requests_per_minute: Number(budget) } });
    });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Sign in with Webex' }).click();
    await page.waitForURL(`${identity}/v1/authorize?**`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.origin === origin);
    // Where `back` goes: the views visited, as the browser's history holds them.
    const history = [];
    for (const [i, step] of SCRIPT.entries()) {
      const due = startAt + i * viewMs;
      if (Date.now() < due) await page.waitForTimeout(due - Date.now());
      // The first view is the overview the sign-in lands on: its requests started with the sign-in.
      if (i > 0) {
        result.views.at(-1).requests = sinceView;
        sinceView = 0;
      }
      const started = Date.now();
      let name = step.replace(/^nav:/, '');
      if (step === 'back') {
        history.pop();
        name = history.at(-1);
        await page.goBack();
      } else {
        history.push(name);
        if (i === 0) {
          // The overview the sign-in lands on.
        } else if (step === 'Overview') await page.locator('a.brand').click();
        else if (step.startsWith('nav:')) await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
        else await page.getByRole('link', { name: `Open ${name.toLowerCase()}`, exact: true }).click();
      }
      let ms = null;
      try {
        await shows(page, name);
        ms = Date.now() - started;
      } catch {
        console.error(`session ${index}: view ${i + 1} (${name}) showed no data within ${DATA_TIMEOUT_MS} ms`);
      }
      result.views.push({ view: name, requests: 0, ms });
    }
    // The last view's requests: those until the network is quiet.
    await page.waitForLoadState('networkidle');
    result.views.at(-1).requests = sinceView;
  } catch (error) {
    result.error = String(error.message || error).split('\n')[0];
  }
  await context.close();
  console.error(`session ${index}: ${result.views.length} views${result.error ? `, stopped: ${result.error}` : ''}`);
  return result;
}

const startAt = Date.now() + 10_000;
const results = await Promise.all(Array.from({ length: sessions }, (_, i) => session(i + 1, startAt + i * 500)));
await browser.close();
console.log(JSON.stringify({ sessions: results, requests, limited: limitedUrls.length, limited_urls: limitedUrls.slice(0, 20) }));
