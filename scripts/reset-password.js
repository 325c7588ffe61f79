// `npm run user:reset-password -- <login>`: compiles server/reset-password.ts (Node 20 cannot run
// TypeScript) next to the built server, then runs it.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = 'build/reset-password.js';
await build({
	entryPoints: ['server/reset-password.ts'],
	outfile,
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	packages: 'external',
	logLevel: 'warning'
});
await import(pathToFileURL(path.resolve(outfile)).href);
