// The Activity page's charts on the Search API, timed in headless Chromium: each run signs in in a
// fresh browser context, opens /activity and, view by view, shows "Today", then clicks "Last 7 days"
// and measures from that click until every chart of the view (for the task records: the total and
// the first page) is on screen from the new window's answers, counting the POST /search requests
// the click caused.
//
//   node tests/bench/search.mjs --origin http://127.0.0.1:PORT --identity http://127.0.0.1:PORT --runs 5 [--screenshot PATH]
//
// --screenshot: after the runs, one more sign-in at 1280 px wide takes the overview of the last 7 days
// as a PNG (the README's picture of the page).
//
// Prints one JSON object on stdout:
// {"views": [{"view", "label", "charts", "runs": [{"run", "ms", "requests_at_render", "requests"}], "errors": [...]}],
//  "errors": [...], "screenshot": PATH | null}
// "charts" is how many charts the view draws; "requests_at_render" the POST /search requests started
// between the click and the last chart on screen, "requests" those started until the next view was
// about to be chosen (for the last view: until the network was idle), late ones included. Progress goes to stderr so stdout stays parseable.
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../chromium.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && process.argv[index + 1]) return process.argv[index + 1];
  if (fallback !== undefined) return fallback;
  console.error(`search.mjs: --${name} is required`);
  process.exit(2);
}

const origin = option('origin');
const identity = option('identity');
const runs = Number(option('runs', '5'));
const screenshot = option('screenshot', '');
const timeout = 30_000;

// Each view: its tab's label, and the containers its charts are drawn in with how many charts each
// holds (an empty chart is a card saying so). The task records have no charts: their two answers,
// the total and the first page, stand in for them.
const VIEWS = [
  { view: 'overview', label: 'Overview', containers: { 'chart-by-channel': 1, 'chart-per-interval': 1 } },
  { view: 'queues', label: 'Queues', containers: { 'chart-queues': 3 } },
  { view: 'agents', label: 'Agents', containers: { 'chart-agents': 2 } },
  { view: 'tasks', label: 'Task records', containers: null, charts: 2 },
];

const browser = await chromium.launch(CHROMIUM_LAUNCH);

async function signedIn(viewport) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Sign in with Webex' }).click();
  await page.waitForURL(`${identity}/v1/authorize?**`);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL((url) => url.origin === origin);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
  return { context, page };
}

// In the page: what the view's charts show now, one text per chart (its title, axis labels and value
// table), or for the task records the total and the page's rows. The loader keeps the old charts on
// screen until the new answer arrives, and the view may patch them in place, so a chart counts as
// redrawn when its text differs from what it showed before the click.
function pageShows(spec) {
  const loading = (box) => box.querySelector('p[role="status"], [role="alert"]');
  if (spec.containers) {
    const texts = [];
    for (const [id, count] of Object.entries(spec.containers)) {
      const box = document.querySelector(`[data-testid="${id}"]`);
      if (!box || loading(box)) return null;
      const drawn = [...box.querySelectorAll('[data-testid="chart"], [data-testid="empty"]')];
      if (drawn.length !== count) return null;
      texts.push(...drawn.map((el) => el.textContent));
    }
    return texts;
  }
  const box = document.querySelector('[data-testid="activity-tasks"]');
  if (!box || loading(box)) return null;
  const count = box.querySelector('[data-testid="count"]')?.textContent ?? '';
  const rows = [...box.querySelectorAll('[data-testid="row"], p[data-testid="empty"]')];
  if (!/ records$/.test(count) || rows.length === 0) return null;
  return [count, rows.map((r) => r.textContent).join('\n')];
}

// Whether every chart is on screen and, when `before` is given, each differs from it.
function pageReady(spec, before) {
  const now = window.__wxccShows(spec);
  return Boolean(now) && (!before || now.every((text, i) => text !== before[i]));
}

// Notes what the view shows now, then resolves window.__wxccTimed with the time (performance.now())
// of the next click on the named preset and of the moment every chart differs from that.
function armTimer(spec, label) {
  const before = window.__wxccShows(spec);
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === label);
  window.__wxccTimed = new Promise((resolve) => {
    button.addEventListener(
      'click',
      () => {
        const clicked = performance.now();
        const check = () => {
          if (window.__wxccReady(spec, before)) {
            observer.disconnect();
            resolve({ clicked, ready: performance.now() });
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        check();
      },
      { capture: true, once: true },
    );
  });
}

async function waitReady(page, spec) {
  await page.waitForFunction((s) => window.__wxccReady(s, null), spec, { timeout });
}

async function chooseView(page, spec) {
  const tabs = page.getByRole('navigation', { name: 'Activity views' });
  await tabs.getByRole('link', { name: spec.label, exact: true }).click();
  await page.waitForFunction((view) => new URL(location.href).searchParams.get('view') === view || (view === 'overview' && !new URL(location.href).searchParams.get('view')), spec.view);
}

async function run(number, output) {
  const { context, page } = await signedIn();
  await page.evaluate(`window.__wxccShows = ${pageShows.toString()}; window.__wxccReady = ${pageReady.toString()}`);
  const searches = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/search')) searches.push(performance.now());
  });
  // The sample of the view measured last, whose late requests are still counted.
  let last = null;
  const settle = () => {
    if (last) last.sample.requests = searches.filter((t) => t >= last.since).length;
    last = null;
  };
  try {
    for (const [i, spec] of VIEWS.entries()) {
      const result = output[i];
      try {
        // Back to today on the view measured before (the page opens on today), then the view:
        // it starts afresh over today, and the click below changes its window.
        settle();
        if (i > 0) await page.getByRole('button', { name: 'Today', exact: true }).click();
        await chooseView(page, spec);
        await waitReady(page, spec);
        await page.evaluate(`(${armTimer.toString()})(${JSON.stringify(spec)}, 'Last 7 days')`);
        const since = performance.now();
        await page.getByRole('button', { name: 'Last 7 days', exact: true }).click();
        const timed = await page.evaluate(
          (ms) => Promise.race([window.__wxccTimed, new Promise((resolve) => setTimeout(() => resolve(null), ms))]),
          timeout,
        );
        if (!timed) throw new Error(`the ${spec.view} view did not show its charts within ${timeout} ms of the click`);
        const sample = {
          run: number,
          ms: timed.ready - timed.clicked,
          requests_at_render: searches.filter((t) => t >= since).length,
        };
        result.runs.push(sample);
        last = { sample, since };
        console.error(`search ${spec.view} run ${number}/${runs}: ${sample.ms.toFixed(1)} ms, ${sample.requests_at_render} requests`);
      } catch (error) {
        result.errors.push(`run ${number}: ${String(error.message || error).split('\n')[0]}`);
        console.error(`search ${spec.view} run ${number}/${runs} failed: ${error.message}`);
      }
    }
    // The last view's late requests: counted until the page has been idle on the network.
    await page.waitForLoadState('networkidle').catch(() => {});
    settle();
  } finally {
    await context.close();
  }
}

const output = VIEWS.map((spec) => ({
  view: spec.view,
  label: spec.label,
  charts: spec.charts ?? Object.values(spec.containers).reduce((a, b) => a + b, 0),
  runs: [],
  errors: [],
}));
const errors = [];
let shot = null;
try {
  for (let number = 1; number <= runs; number++) {
    try {
      await run(number, output);
    } catch (error) {
      errors.push(`run ${number}: ${String(error.message || error).split('\n')[0]}`);
      console.error(`search run ${number}/${runs} failed: ${error.message}`);
    }
  }
  if (screenshot) {
    try {
      const { context, page } = await signedIn({ width: 1280, height: 800 });
      await page.evaluate(`window.__wxccShows = ${pageShows.toString()}; window.__wxccReady = ${pageReady.toString()}`);
      await page.getByRole('button', { name: 'Last 7 days', exact: true }).click();
      await waitReady(page, VIEWS[0]);
      await page.screenshot({ path: screenshot, fullPage: true });
      await context.close();
      shot = screenshot;
    } catch (error) {
      errors.push(`screenshot: ${String(error.message || error).split('\n')[0]}`);
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ views: output, errors, screenshot: shot }) + '\n');
