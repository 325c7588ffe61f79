// Compiles server/ (and the src/lib modules it imports) for Node 20, which cannot run TypeScript.
import { build } from 'esbuild';

await build({
	entryPoints: ['server/index.ts'],
	outfile: 'build/coalition-server.js',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
console.log('server compiled to build/coalition-server.js');
