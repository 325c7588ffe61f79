import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, tempDataDir, type SpawnOptions } from '../fixtures/server';
import { engineEnv } from '../fixtures/storages';
import { useChildServers } from '../fixtures/child-servers';
import { waitForSynced } from '../fixtures/clients';
import { countKinds, EditStorm, findLosses, type Edit } from '../fixtures/storm';
import { allowManyProviders, byMode, sum } from '../fixtures/reliability';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';

allowManyProviders();

const CLIENTS = 50;
/** Crashes in a row on one data directory, each during a new storm. */
const ROUNDS = byMode(3, 8);
/** Edits made by the 50 clients together when the server is killed, in each round. */
const KILL_AT = byMode(2000, 5000);

const { start, clients, connect } = useChildServers();

/** Destroys clients and drops them: 50 replicas of a storm's room weigh hundreds of MB. */
function forget(done: BoardConnection[]): void {
	for (const client of done) {
		client.destroy();
		clients.splice(clients.indexOf(client), 1);
	}
}

/** Delayed fsyncs (an SD card, a busy VPS): acknowledgements lag further behind the edits. */
const SLOW_FSYNC_MS = 20;

describe('kill -9 during an edit storm by 50 clients', () => {
	it(
		'loses none of the edits the server acknowledged before it died',
		() => stormAndKill({}),
		byMode(120_000, 600_000)
	);

	it(
		`loses none of them either when every fsync takes ${SLOW_FSYNC_MS} ms more`,
		() => stormAndKill({ fsyncDelayMs: SLOW_FSYNC_MS }),
		byMode(120_000, 600_000)
	);

	it(
		'loses none of them on PostgreSQL either (DATABASE_URL)',
		async () => {
			// The server dies, the database does not: what a kill -9 tests here is that the server
			// acknowledges an edit only once PostgreSQL has committed it.
			const { env, drop } = engineEnv('postgres');
			// Runs after afterEach has killed the last server, so nothing holds the schema.
			onTestFinished(drop);
			await stormAndKill({}, env);
		},
		byMode(120_000, 600_000)
	);
});

/**
 * Rounds of: 50 clients storm a new room, the server gets kill -9, every acknowledged edit is
 * checked after the restart. `storage`: where the server stores, the same through every restart
 * (default: a new SQLite DATA_DIR; members are seeded into it: tests/fixtures/child-servers.ts).
 */
async function stormAndKill(
	spawn: SpawnOptions,
	storage: Record<string, string> = { DATA_DIR: tempDataDir() }
): Promise<void> {
	const env = {
		PORT: String(await freePort()),
		...storage,
		// The storm is about durability, not rate limits: each client sends as fast as acks allow.
		RATE_MESSAGES_PER_SECOND: '100000'
	};
	let server = await start(env, spawn);
	const acknowledged: { room: string; edits: Edit[]; saved: number }[] = [];
	const report: string[] = [];
	let losses: string[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		// A new room each round, on the same storage: every round starts from the same cost.
		const room = `kill-storm-${round}`;
		const writers = Array.from({ length: CLIENTS }, () => connect(server, room));
		await Promise.all(writers.map((client) => waitForSynced(client, 30_000)));
		const victim = server;
		let saved: number[] = [];
		let made: number[] = [];
		const storm = new EditStorm(writers, {
			total: KILL_AT * 2,
			label: `r${round}`,
			seed: round + 1,
			onEdit: (count) => {
				if (count !== KILL_AT) return;
				// Acknowledgements read and kill sent in one synchronous step: no ack slips between.
				saved = storm.savedThrough();
				made = writers.map((client) => client.saves.changes);
				victim.kill('SIGKILL');
			}
		});
		const stormDone = storm.run();
		expect((await victim.exited).signal).toBe('SIGKILL');
		storm.stop();
		await stormDone;
		// Gone before the restart: nothing they hold unacknowledged can reach the new server.
		forget(writers);

		server = await start(env, spawn);
		storm.edits.forEach((edits, index) => acknowledged.push({ room, edits, saved: saved[index] }));
		// Every round's room, this one and those that went through earlier crashes.
		losses = [];
		for (let earlier = 0; earlier <= round; earlier++) {
			const reader = connect(server, `kill-storm-${earlier}`);
			await waitForSynced(reader, 30_000);
			for (const { room: stormRoom, edits, saved } of acknowledged) {
				if (stormRoom !== `kill-storm-${earlier}`) continue;
				losses.push(...findLosses(reader.doc, edits, saved));
			}
			forget([reader]);
		}

		const kinds = storm.edits.map((edits, index) => countKinds(edits, saved[index]));
		const deletes = sum(kinds.map((counts) => counts.remove + counts.trim));
		report.push(
			`round ${round + 1}: ${sum(made)} edits made by ${CLIENTS} clients at the kill, ` +
				`${sum(saved)} acknowledged (${sum(kinds.map((counts) => counts.add))} inserts, ` +
				`${deletes} delete-only), ${sum(made) - sum(saved)} in flight; ` +
				`after the restart ${losses.length} acknowledged edits missing`
		);
		// The kill landed mid-storm: edits were in flight and many had been acknowledged.
		expect(sum(made)).toBeGreaterThan(sum(saved));
		expect(sum(saved)).toBeGreaterThan(KILL_AT / 4);
		expect(deletes).toBeGreaterThan(0);
		if (losses.length > 0) break;
	}
	const disk = spawn.fsyncDelayMs ? ` (fsync +${spawn.fsyncDelayMs} ms)` : '';
	console.info(`kill-storm${disk}:\n${report.join('\n')}`);
	expect(losses).toEqual([]);
}
