import { defineConfig } from '@playwright/test';

// Debian's Chromium (never `playwright install`: no browser downloads here).
const chromiumArgs = [
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];
if (process.getuid?.() === 0) chromiumArgs.push('--no-sandbox');

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 1,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: chromiumArgs
		},
		trace: 'retain-on-failure'
	}
});
