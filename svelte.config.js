import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Registered by the board once it is usable (src/lib/realtime/local-copy.ts), not on every
		// page's load: installing it downloads the whole app, which must not compete with a first load.
		serviceWorker: { register: false },
		typescript: {
			// SvelteKit's generated tsconfig covers src/ and tests/ only: type-check server/ too.
			config: (tsconfig) => {
				tsconfig.include.push('../server/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts');
				return tsconfig;
			}
		}
	}
};

export default config;
