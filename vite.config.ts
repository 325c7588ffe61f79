import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { realtimeDevServer } from './server/vite-plugin';

/**
 * In the browser bundle, `lib0/logging` (imported by Yjs) is a console-only logger: lib0's own
 * brings its DOM console and `lib0/schema` along (src/lib/realtime/console-logging.ts).
 */
function consoleOnlyLogging(): Plugin {
	const shim = fileURLToPath(new URL('./src/lib/realtime/console-logging.ts', import.meta.url));
	return {
		name: 'coalition-board-console-logging',
		enforce: 'pre',
		resolveId(source, _importer, options) {
			if (source === 'lib0/logging' && !options.ssr) return shim;
		}
	};
}

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		consoleOnlyLogging(),
		realtimeDevServer()
	],
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					// Quick mode in `npm test`; `npm run test:long` sets RELIABILITY_LONG=1.
					name: 'reliability',
					include: ['tests/reliability/**/*.test.ts'],
					environment: 'node',
					testTimeout: 180_000,
					hookTimeout: 60_000,
					// One file at a time: they measure the server's memory and event-loop delay.
					fileParallelism: false
				}
			}
		]
	}
});
