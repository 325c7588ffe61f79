// `npm run workshop:export -- <id>` and `npm run workshop:import -- <file>`: compiles
// server/workshop-file.ts (Node 20 cannot run TypeScript) next to the built server, then runs it.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = 'build/workshop-file.js';
await build({
	entryPoints: ['server/workshop-file.ts'],
	outfile,
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	packages: 'external',
	logLevel: 'warning'
});
await import(pathToFileURL(path.resolve(outfile)).href);
