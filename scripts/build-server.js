// Compiles server/ (and the src/lib modules it imports) for Node 20, which cannot run TypeScript.
// The update log's writer thread is its own entry point: a worker thread loads a file, so
// build/sqlite-writer-worker.js sits beside build/coalition-server.js, where the server looks for it.
import { build } from 'esbuild';

await build({
	entryPoints: {
		'coalition-server': 'server/index.ts',
		'sqlite-writer-worker': 'server/storage/sqlite-writer-worker.js'
	},
	outdir: 'build',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
console.log(
	'server compiled to build/coalition-server.js (writer thread: build/sqlite-writer-worker.js)'
);
