// Compiles one of the project's TypeScript modules (the tests' seeding, the phone clients) into
// bench/raw/ for a benchmark run, with the SQLite worker threads it may start beside it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Worker threads load a file from beside the module that starts them (server/storage/sqlite-writer.ts,
// sqlite-checkpointer.ts): the bundle needs their copies, as build/ does.
const WORKERS = ['sqlite-writer-worker.js', 'sqlite-checkpoint-worker.js'];

/** `entry` (relative to the project) compiled to bench/raw/`name`, then imported. */
export async function bundleModule(entry, name) {
	const { build } = await import('esbuild');
	const outfile = path.join(root, 'bench/raw', name);
	await build({
		entryPoints: [path.join(root, entry)],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		logLevel: 'warning'
	});
	for (const worker of WORKERS) {
		fs.copyFileSync(
			path.join(root, 'server/storage', worker),
			path.join(path.dirname(outfile), worker)
		);
	}
	return import(outfile);
}
