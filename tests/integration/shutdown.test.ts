import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { BUILT_SERVER, freePort, tempDataDir } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { waitFor, waitForSynced } from '../fixtures/clients';
import { EditStorm, findLosses } from '../fixtures/storm';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { DATABASE_FILE } from '../../server/storage/sqlite';

const ROOM = 'shutdown';

const { start, connect } = useChildServers();

/** Runs the built server with `env` and resolves with its exit code and output once it exits. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	if (!fs.existsSync(BUILT_SERVER)) throw new Error('build the app first: npm run build');
	const child = spawn(process.execPath, [BUILT_SERVER], {
		env: { ...process.env, HOST: '127.0.0.1', DATA_DIR: tempDataDir(), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	return new Promise((resolve) =>
		child.once('close', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		})
	);
}

/**
 * Three clients edit as fast as acknowledgements allow; after the 300th edit (and after
 * `beforeSignal`, if given) the server gets SIGTERM, and another one 50 ms later.
 */
async function stopDuringStorm(
	env: Record<string, string>,
	hooks: { beforeSignal?: (writers: BoardConnection[]) => Promise<void> } = {}
) {
	const first = await start(env);
	const writers = [connect(first, ROOM), connect(first, ROOM), connect(first, ROOM)];
	await Promise.all(writers.map((client) => waitForSynced(client)));
	const closeCodes = writers.map((client) => {
		const codes: number[] = [];
		client.provider.on('connection-close', (event) => {
			if (event) codes.push(event.code);
		});
		return codes;
	});

	let signals: Promise<boolean> | null = null;
	const sendSignals = async () => {
		await hooks.beforeSignal?.(writers);
		first.process.kill('SIGTERM');
		await new Promise((resolve) => setTimeout(resolve, 50));
		// Whether the second signal reached a process that was still running.
		return (
			first.process.exitCode === null &&
			first.process.signalCode === null &&
			first.process.kill('SIGTERM')
		);
	};
	const storm = new EditStorm(writers, {
		total: 500,
		onEdit: (made) => {
			if (made === 300) signals = sendSignals();
		}
	});
	const stormDone = storm.run();
	const exit = await first.exited;
	// A socket's close comes after every message sent on it: the acknowledgements are all in.
	await waitFor(() => closeCodes.every((codes) => codes.length > 0), {
		what: 'every socket to close'
	});
	const saved = storm.savedThrough();
	const secondSignalDelivered = await signals!;
	storm.stop();
	await stormDone;
	for (const client of writers) client.destroy();
	console.info(
		`shutdown: ${storm.made} edits made, acknowledged ${saved.join('+')} of ` +
			`${writers.map((client) => client.saves.changes).join('+')}; second SIGTERM ` +
			(secondSignalDelivered ? 'delivered before the exit' : 'after the exit')
	);
	return { exit, closeCodes, saved, storm, secondSignalDelivered, output: first.output() };
}

/** PRAGMA integrity_check of the data file, then what a fresh client sees after a restart. */
async function checkAfterRestart(
	env: Record<string, string>,
	run: Awaited<ReturnType<typeof stopDuringStorm>>
) {
	const db = new Database(path.join(env.DATA_DIR, DATABASE_FILE), { readonly: true });
	try {
		expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
	} finally {
		db.close();
	}
	const second = await start(env);
	const reader = connect(second, ROOM);
	await waitForSynced(reader);
	const losses = run.storm.edits.flatMap((edits, index) =>
		findLosses(reader.doc, edits, run.saved[index])
	);
	expect(losses).toEqual([]);
}

function stormEnv(extra: Record<string, string> = {}) {
	return freePort().then((port) => ({
		PORT: String(port),
		DATA_DIR: tempDataDir(),
		RATE_MESSAGES_PER_SECOND: '100000',
		...extra
	}));
}

describe('stopping the server', () => {
	it('exits 0 on SIGTERM during an edit storm, closing sockets with 1012 and keeping acknowledged edits', async () => {
		const env = await stormEnv();
		const run = await stopDuringStorm(env);
		expect(run.exit).toEqual({ code: 0, signal: null });
		for (const codes of run.closeCodes) expect(codes[0]).toBe(CloseCode.shutdown);
		expect(run.saved.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
		await checkAfterRestart(env, run);
	});

	it('exits 0 and keeps acknowledged edits when both SIGTERMs arrive while a commit waits for the disk', async () => {
		const env = await stormEnv({ SQLITE_BUSY_TIMEOUT_MS: '10000' });
		let locker: Database.Database | null = null;
		try {
			const run = await stopDuringStorm(env, {
				// Another process holds the write lock until 300 ms after the first signal: the server
				// is blocked inside a commit when both signals arrive, and must still shut down cleanly.
				beforeSignal: async (writers) => {
					locker = new Database(path.join(env.DATA_DIR, DATABASE_FILE));
					locker.exec('BEGIN IMMEDIATE');
					await waitFor(
						() => writers.every((client) => client.saves.changes - client.saves.savedThrough >= 16),
						{ what: 'the storm to stall on the busy disk' }
					);
					setTimeout(() => locker?.exec('ROLLBACK'), 300);
				}
			});
			expect(run.secondSignalDelivered).toBe(true);
			expect(run.exit).toEqual({ code: 0, signal: null });
			for (const codes of run.closeCodes) expect(codes[0]).toBe(CloseCode.shutdown);
			await checkAfterRestart(env, run);
		} finally {
			const held = locker as Database.Database | null;
			if (held?.inTransaction) held.exec('ROLLBACK');
			held?.close();
		}
	});

	it.each(['abc', '70000'])('exits non-zero naming PORT when PORT=%s', async (port) => {
		const { code, output } = await runToExit({ PORT: port });
		expect(code).not.toBe(0);
		expect(code).not.toBeNull();
		expect(output).toContain('PORT');
		expect(output).not.toContain('Coalition Board is listening');
	});
});
