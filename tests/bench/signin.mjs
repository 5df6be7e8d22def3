// Sign-in latency in headless Chromium: N fresh sign-ins through the sandbox's consent page, each
// read back from the Performance API marks the app places (wxcc:*) in the callback document.
//
//   node tests/bench/signin.mjs --origin http://127.0.0.1:PORT --identity http://127.0.0.1:PORT --runs 10 [--pause-ms 1000]
//        [--floor-origin http://127.0.0.1:PORT --floor-identity http://127.0.0.1:PORT]
//
// --pause-ms is how long the person stays on the start page before pressing "Sign in with Webex"
// (default 0: at once). It is part of the workload, not a synchronisation: a robot that clicks the
// moment the page loads signs in while that page's own start-up work may still run (the steps that
// gain most from a pause are the cached wasm's read and its compile), which no person can do.
//
// --floor-origin/--floor-identity: the sign-in floor's stack (xtask/src/bench/floor.rs), a page without
// wasm making the same sign-in. Each run of the app is then followed by the floor's run of the same
// number, made by the same robot at the same pace, so whatever slows the machine meanwhile slows both.
//
// Prints one JSON object on stdout:
// {"runs": [{"run": i, "marks": {name: ms}, "navigation": {...}, "resources": [{path, initiator, start, response_end, transfer_size}]}], "errors": [...],
//  "floor": {"runs": [...], "errors": [...]}} ("floor" only with --floor-origin; a floor run that failed in the page has "floor_error").
// Progress goes to stderr so stdout stays parseable.
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../chromium.mjs';

const MARKS = [
  'wxcc:wasm-start',
  'wxcc:exchange-start',
  'wxcc:exchange-end',
  'wxcc:first-api-start',
  'wxcc:first-api-end',
  'wxcc:first-data-rendered',
];

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && process.argv[index + 1]) return process.argv[index + 1];
  if (fallback !== undefined) return fallback;
  console.error(`signin.mjs: --${name} is required`);
  process.exit(2);
}

const origin = option('origin');
const identity = option('identity');
const runs = Number(option('runs', '10'));
const pauseMs = Number(option('pause-ms', '0'));
const floorOrigin = option('floor-origin', '');
const floorIdentity = option('floor-identity', floorOrigin ? undefined : '');
const timeout = 30_000;

const browser = await chromium.launch(CHROMIUM_LAUNCH);

// One sign-in in a fresh context (no cache, no storage, no cookies: a first visit), read back from
// the callback document's marks and timings; throws when the robot cannot finish it.
async function signIn(siteOrigin, siteIdentity) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  try {
    await page.goto(`${siteOrigin}/`);
    if (pauseMs > 0) await page.waitForTimeout(pauseMs);
    await page.getByRole('button', { name: 'Sign in with Webex' }).click();
    await page.waitForURL(`${siteIdentity}/v1/authorize?**`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.origin === siteOrigin);
    // When the last mark never comes, the marks that did come are still reported (complete: false)
    // so the bench can name the missing ones instead of only timing out. The floor says at once
    // when it failed (data-floor-error), so it is not waited for.
    const complete = await page
      .waitForFunction(
        () =>
          performance.getEntriesByName('wxcc:first-data-rendered', 'mark').length > 0 ||
          document.documentElement.dataset.floorError !== undefined,
        undefined,
        { timeout },
      )
      .then(
        () => true,
        () => false,
      );
    const sample = await page.evaluate((names) => {
      const marks = {};
      for (const entry of performance.getEntriesByType('mark')) {
        if (names.includes(entry.name) && !(entry.name in marks)) marks[entry.name] = entry.startTime;
      }
      const nav = performance.getEntriesByType('navigation')[0];
      // Where the app's files came from: transfer_size 0 means the HTTP cache answered without
      // a request; initiator "link" means the page's preload was used.
      const resources = performance.getEntriesByType('resource').map((r) => ({
        path: new URL(r.name).pathname,
        initiator: r.initiatorType,
        start: r.startTime,
        response_end: r.responseEnd,
        transfer_size: r.transferSize,
      }));
      const floorError = document.documentElement.dataset.floorError;
      return {
        marks,
        resources,
        url_path: location.pathname,
        ...(floorError === undefined ? {} : { floor_error: floorError }),
        navigation: nav
          ? {
              fetch_start: nav.fetchStart,
              response_end: nav.responseEnd,
              dom_content_loaded: nav.domContentLoadedEventEnd,
              load_end: nav.loadEventEnd,
            }
          : null,
      };
    }, MARKS);
    sample.complete = complete && sample.floor_error === undefined;
    return sample;
  } finally {
    await context.close();
  }
}

const app = { name: 'sign-in', origin, identity, runs: [], errors: [] };
const floor = { name: 'floor sign-in', origin: floorOrigin, identity: floorIdentity, runs: [], errors: [] };
const sites = floorOrigin ? [app, floor] : [app];
try {
  for (let run = 1; run <= runs; run++) {
    for (const site of sites) {
      try {
        const sample = await signIn(site.origin, site.identity);
        sample.run = run;
        site.runs.push(sample);
        const total = sample.marks['wxcc:first-data-rendered'];
        console.error(
          `${site.name} run ${run}/${runs}: ` +
            (sample.complete
              ? `${total.toFixed(1)} ms to first data`
              : (sample.floor_error ?? `no wxcc:first-data-rendered within ${timeout} ms`)),
        );
      } catch (error) {
        site.errors.push(`run ${run}: ${String(error.message || error).split('\n')[0]}`);
        console.error(`${site.name} run ${run}/${runs} failed: ${error.message}`);
      }
    }
  }
} finally {
  await browser.close();
}

const output = { runs: app.runs, errors: app.errors, expected_marks: MARKS, pause_ms: pauseMs };
if (floorOrigin) output.floor = { runs: floor.runs, errors: floor.errors };
process.stdout.write(JSON.stringify(output) + '\n');
