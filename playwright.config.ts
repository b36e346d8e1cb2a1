import { defineConfig } from '@playwright/test';

// Debian's chromium (PLATFORM.md): Playwright cannot download its own browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// E2E_PORT and E2E_HUB_PORT let two checkouts run their browser tests at once (see e2e/fixtures/playground.ts).
const PORT = Number(process.env.E2E_PORT ?? 4273);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu-sandbox',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // --bypass-lock: another preview of this project (a benchmark, a second checkout) may be running.
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1 --bypass-lock`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
