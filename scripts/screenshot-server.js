// The screenshot script's room: the built server on a free port with its own data directory, and
// the e2e tests' realistic forum to seed it with.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * The e2e tests' realistic forum (seeded through the real protocols and the database), compiled
 * beside the built server (the storage's threads load from there). Its Vitest import (a helper
 * the forum does not use) is left out.
 */
export async function loadSeeding() {
	const outfile = 'build/screenshot-seed.js';
	const noVitest = {
		name: 'packages-external-but-vitest',
		setup(esbuild) {
			esbuild.onResolve({ filter: /^[^./]/ }, (args) =>
				args.path === 'vitest'
					? { path: 'vitest', namespace: 'stub' }
					: { path: args.path, external: true }
			);
			esbuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
				contents: 'export function afterEach() {}'
			}));
		}
	};
	await build({
		entryPoints: [path.resolve('tests/e2e/realistic-board.ts')],
		outfile,
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'esm',
		plugins: [noVitest],
		logLevel: 'warning'
	});
	const module = await import(pathToFileURL(path.resolve(outfile)).href);
	return module.seedRealisticForum;
}

export function startServer(port, dataDir) {
	const child = spawn(process.execPath, ['build/coalition-server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	child.exited = new Promise((resolve) => child.once('exit', resolve));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('the server did not start in 20 s'));
		}, 20_000);
		child.stdout.on('data', (chunk) => {
			if (!String(chunk).includes('Coalition Board is listening')) return;
			clearTimeout(timer);
			resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
	});
}

/** Graceful stop (SIGTERM, once), then SIGKILL after 10 s. */
export async function stopServer(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	if (!child.killed) child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await child.exited;
	clearTimeout(timer);
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}
