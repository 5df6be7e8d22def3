// How every Playwright run of the project launches Chromium: Debian's /usr/bin/chromium (never a
// downloaded browser), headless, with what a container and a quiet, repeatable run need. Shared by
// the end-to-end suite's config and the bench scripts.
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};
