// Every test fails on a console error, an uncaught exception or a CSP violation in the page.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const sandbox = {
  identity: process.env.WXCC_SANDBOX_IDENTITY!,
  api: process.env.WXCC_SANDBOX_API!,
};
