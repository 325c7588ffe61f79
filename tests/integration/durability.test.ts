import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { freePort, tempDataDir, type ChildServer } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { waitFor, waitForSynced } from '../fixtures/clients';
import { countKinds, EditStorm, findLosses, type Edit } from '../fixtures/storm';
import { DATABASE_FILE } from '../../server/storage/sqlite';

const ROOM = 'durability';
/** Crashes per test: each kill lands at a different moment of the commit cycle. */
const ROUNDS = 3;
/** Edits made (by three clients together) when the server is killed, in each round. */
const KILL_AT = 250;

const { start, connect } = useChildServers();

interface Round {
	made: number[];
	saved: number[];
	acked: ReturnType<typeof countKinds>[];
	stored: ReturnType<typeof readStoredLog>;
}

/**
 * ROUNDS times on one data directory: three fresh clients edit, the server is killed with
 * SIGKILL right after the KILL_AT-th edit of the round, while edits are in flight, and restarts.
 * After each restart a fresh client must see every edit acknowledged in this round and before.
 */
async function crashDuringStorms(extraEnv: Record<string, string> = {}) {
	const env = {
		PORT: String(await freePort()),
		DATA_DIR: tempDataDir(),
		// The storm is not about rate limits: let each client send as fast as acks allow.
		RATE_MESSAGES_PER_SECOND: '100000',
		...extraEnv
	};
	let server = await start(env);
	const acknowledged: { edits: Edit[]; saved: number }[] = [];
	const rounds: Round[] = [];
	let losses: string[] = [];
	for (let round = 0; round < ROUNDS && losses.length === 0; round++) {
		const writers = [connect(server, ROOM), connect(server, ROOM), connect(server, ROOM)];
		await Promise.all(writers.map((client) => waitForSynced(client)));
		const victim = server;
		let saved: number[] = [];
		let made: number[] = [];
		const storm = new EditStorm(writers, {
			total: KILL_AT + 100,
			label: `r${round}`,
			seed: round + 1,
			onEdit: (count) => {
				if (count !== KILL_AT) return;
				// Read the acknowledgements and kill in one synchronous step: no ack can slip between.
				saved = storm.savedThrough();
				made = writers.map((client) => client.saves.changes);
				victim.process.kill('SIGKILL');
			}
		});
		const stormDone = storm.run();
		expect((await victim.exited).signal).toBe('SIGKILL');
		storm.stop();
		await stormDone;
		// Gone before the restart, so nothing they hold unacknowledged can be re-sent to the new server.
		for (const client of writers) client.destroy();
		const stored = readStoredLog(path.join(env.DATA_DIR, DATABASE_FILE));

		server = await start(env);
		const reader = connect(server, ROOM);
		await waitForSynced(reader);
		storm.edits.forEach((edits, index) => acknowledged.push({ edits, saved: saved[index] }));
		losses = acknowledged.flatMap(({ edits, saved }) => findLosses(reader.doc, edits, saved));
		reader.destroy();
		rounds.push({
			made,
			saved,
			acked: storm.edits.map((edits, index) => countKinds(edits, saved[index])),
			stored
		});
	}
	return { rounds, losses };
}

/** What the killed server left in the file, read before anything opens it again. */
function readStoredLog(file: string) {
	const db = new Database(file, { readonly: true });
	try {
		const snapshot = db
			.prepare<[string], { upto: number }>('SELECT upto FROM doc_snapshots WHERE doc = ?')
			.get(ROOM);
		const upto = snapshot?.upto ?? 0;
		const count = (sql: string) =>
			db.prepare<[string, number], { n: number }>(sql).get(ROOM, upto)!.n;
		return {
			snapshotUpto: upto,
			rowsCoveredBySnapshot: count(
				'SELECT count(*) AS n FROM doc_updates WHERE doc = ? AND id <= ?'
			),
			rowsAfterSnapshot: count('SELECT count(*) AS n FROM doc_updates WHERE doc = ? AND id > ?')
		};
	} finally {
		db.close();
	}
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function describeRounds(rounds: Round[]): string {
	return rounds
		.map(
			(round, index) =>
				`round ${index + 1}: made ${round.made.join('+')}, acknowledged ${round.saved.join('+')} ` +
				`(${sum(round.acked.map((kinds) => kinds.add))} add, ` +
				`${sum(round.acked.map((kinds) => kinds.remove + kinds.trim))} delete-only); ` +
				`stored: snapshot up to row ${round.stored.snapshotUpto} + ${round.stored.rowsAfterSnapshot} log rows`
		)
		.join('\n');
}

describe('a server killed with SIGKILL during an edit storm', () => {
	it('keeps every acknowledged insert and every acknowledged delete', async () => {
		const { rounds, losses } = await crashDuringStorms();
		console.info(`durability:\n${describeRounds(rounds)}`);
		expect(losses).toEqual([]);
		expect(rounds).toHaveLength(ROUNDS);
		for (const round of rounds) {
			// Edits were in flight at the kill, and deletes were among the acknowledged ones.
			expect(sum(round.made)).toBeGreaterThan(sum(round.saved));
			expect(sum(round.saved)).toBeGreaterThan(0);
			expect(sum(round.acked.map((kinds) => kinds.remove + kinds.trim))).toBeGreaterThan(0);
		}
	});

	it('keeps every acknowledged edit when compactions ran during the storm', async () => {
		const { rounds, losses } = await crashDuringStorms({ COMPACT_ROWS: '20' });
		console.info(`durability with compaction:\n${describeRounds(rounds)}`);
		expect(losses).toEqual([]);
		expect(rounds).toHaveLength(ROUNDS);
		for (const round of rounds) {
			expect(sum(round.saved)).toBeGreaterThan(40);
			expect(round.stored.snapshotUpto).toBeGreaterThan(0);
			expect(round.stored.rowsCoveredBySnapshot).toBe(0);
		}
	});

	it('keeps every edit acknowledged after the clients reconnected to a restarted server', async () => {
		const env = {
			PORT: String(await freePort()),
			DATA_DIR: tempDataDir(),
			RATE_MESSAGES_PER_SECOND: '100000'
		};
		const first = await start(env);
		const writers = [connect(first, ROOM), connect(first, ROOM), connect(first, ROOM)];
		await Promise.all(writers.map((client) => waitForSynced(client)));
		let restarted: Promise<ChildServer> | null = null;
		let second: ChildServer | null = null;
		let madeAtFirstKill = 0;
		let saved: number[] = [];
		let made: number[] = [];
		const storm = new EditStorm(writers, {
			total: 2 * KILL_AT + 100,
			onEdit: (count) => {
				if (count === KILL_AT) {
					madeAtFirstKill = sum(writers.map((client) => client.saves.changes));
					first.process.kill('SIGKILL');
					// The clients keep editing offline, then reconnect by themselves and re-send.
					restarted = first.exited.then(() => start(env)).then((child) => (second = child));
				} else if (count === 2 * KILL_AT) {
					saved = storm.savedThrough();
					made = writers.map((client) => client.saves.changes);
					second!.process.kill('SIGKILL');
				}
			}
		});
		const stormDone = storm.run();
		await waitFor(() => restarted !== null, { what: 'the first kill' });
		await restarted;
		expect((await second!.exited).signal).toBe('SIGKILL');
		storm.stop();
		await stormDone;
		for (const client of writers) client.destroy();
		console.info(
			`durability across a reconnection: ${madeAtFirstKill} made at the first kill; ` +
				`made ${made.join('+')}, acknowledged ${saved.join('+')} at the second`
		);
		// Edits were acknowledged on the new connections, beyond what existed at the first kill.
		expect(sum(saved)).toBeGreaterThan(madeAtFirstKill);

		const third = await start(env);
		const reader = connect(third, ROOM);
		await waitForSynced(reader);
		const losses = storm.edits.flatMap((edits, index) =>
			findLosses(reader.doc, edits, saved[index])
		);
		expect(losses).toEqual([]);
	});
});
