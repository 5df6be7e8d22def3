// The region switcher, with a config that names a region as real deployments do. The app then
// calls the real regional hosts (https://api.wxcc-<region>.cisco.com); the test answers those
// calls from the sandbox, and lifts the deployed CSP, which allows only the sandbox's host.
import { test, expect, sandbox, signIn, resetFaults, changeConfig } from './fixtures';

test.use({ bypassCSP: true });

test('the region switcher sends the calls to the chosen region and is remembered on reload', async ({ page, request }) => {
  await resetFaults(request);
  await changeConfig(page, (config) => {
    delete config.api_base_url;
    config.region = 'us1';
  });
  const hosts: string[] = [];
  await page.route(/^https:\/\/api\.wxcc-[a-z0-9]+\.cisco\.com\//, async (route) => {
    const url = new URL(route.request().url());
    hosts.push(url.host);
    const response = await route.fetch({ url: `${sandbox.api}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });

  await signIn(page);
  await expect(page.getByTestId('tile-Users').locator('.count')).toHaveText(/^\d+$/);
  expect(hosts).toContain('api.wxcc-us1.cisco.com');

  await page.getByTestId('region').selectOption('eu2');
  await expect.poll(() => hosts.includes('api.wxcc-eu2.cisco.com')).toBe(true);
  await expect(page.getByTestId('tile-Users').locator('.count')).toHaveText(/^\d+$/);

  await page.getByRole('link', { name: 'Token', exact: true }).click();
  await expect(page.getByTestId('api-base')).toHaveText('https://api.wxcc-eu2.cisco.com');
  await page.reload();
  await expect(page.getByTestId('region')).toHaveValue('eu2');
  await expect(page.getByTestId('api-base')).toHaveText('https://api.wxcc-eu2.cisco.com');
});

test('with an explicit API base (the sandbox) there is no region switcher', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('region')).toHaveCount(0);
});
