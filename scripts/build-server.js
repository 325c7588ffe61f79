// Compiles server/ (and the src/lib modules it imports) for Node 20, which cannot run TypeScript.
// The update log's writer thread and the WAL's checkpointer thread are entry points of their own:
// a worker thread loads a file, so build/sqlite-writer-worker.js and
// build/sqlite-checkpoint-worker.js sit beside build/coalition-server.js, where the server looks.
import { build } from 'esbuild';

await build({
	entryPoints: {
		'coalition-server': 'server/index.ts',
		'sqlite-writer-worker': 'server/storage/sqlite-writer-worker.js',
		'sqlite-checkpoint-worker': 'server/storage/sqlite-checkpoint-worker.js'
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
	'server compiled to build/coalition-server.js (threads: build/sqlite-writer-worker.js, ' +
		'build/sqlite-checkpoint-worker.js)'
);
