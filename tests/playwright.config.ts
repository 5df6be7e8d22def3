// End-to-end suite, run by `cargo xtask test` against the local stack it starts
// (sandbox + token proxy + CDN). The URLs come from the environment xtask sets.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './chromium.mjs';

const baseURL = process.env.WXCC_BASE_URL;
if (!baseURL) {
  throw new Error('WXCC_BASE_URL is not set: run the suite with `cargo xtask test`, which starts the servers.');
}

export default defineConfig({
  testDir: 'e2e',
  // A developer's focus: WXCC_E2E_GREP=pattern runs only the matching tests (CI never sets it).
  grep: process.env.WXCC_E2E_GREP ? new RegExp(process.env.WXCC_E2E_GREP) : undefined,
  // Two cores: one worker keeps the sandbox's rate limits and timings predictable.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  reporter: [['list'], ['json']],
  use: {
    baseURL,
    headless: true,
    trace: 'off',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
