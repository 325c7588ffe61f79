import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { memberCookie } from '../fixtures/members';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, readAllies, removeAlly } from '../../src/lib/shared/schema';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { DATABASE_FILE } from '../../server/storage/sqlite';

const ROOM = 'locked-room';

let child: ChildServer | null = null;
let locker: Database.Database | null = null;
const clients: BoardConnection[] = [];

afterEach(() => {
	for (const client of clients.splice(0)) client.destroy();
	if (locker?.inTransaction) locker.exec('ROLLBACK');
	locker?.close();
	locker = null;
	child?.process.kill('SIGKILL');
	child = null;
});

function connect(server: ChildServer): BoardConnection {
	const client = connectClient(server.url, ROOM, { cookie: memberCookie(server.dataDir, ROOM) });
	clients.push(client);
	return client;
}

/** The close codes a client's sockets were closed with, in order. */
function recordCloseCodes(client: BoardConnection): number[] {
	const codes: number[] = [];
	client.provider.on('connection-close', (event) => {
		if (event) codes.push(event.code);
	});
	return codes;
}

async function health(url: string): Promise<number> {
	return (await fetch(`${url}/healthz`)).status;
}

const names = (client: BoardConnection) =>
	readAllies(client.doc)
		.map((ally) => ally.name)
		.sort();

describe('a database another process holds locked', () => {
	it('neither acknowledges nor relays edits until the lock is released, then stores every one', async () => {
		const dataDir = tempDataDir();
		child = await spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir });
		const writer = connect(child);
		const watcher = connect(child);
		await Promise.all([waitForSynced(writer), waitForSynced(watcher)]);
		const keptId = addAlly(writer.doc, { name: 'Before the lock', type: 'group' });
		const doomedId = addAlly(writer.doc, { name: 'Removed during the lock', type: 'group' });
		await waitForSaved(writer);
		await waitFor(() => names(watcher).length === 2, {
			what: 'the watcher to see the first allies'
		});
		expect(await health(child.url)).toBe(200);

		const writerCodes = recordCloseCodes(writer);
		const watcherCodes = recordCloseCodes(watcher);
		locker = new Database(path.join(dataDir, DATABASE_FILE));
		locker.exec('BEGIN IMMEDIATE');

		const during = ['Locked one', 'Locked two', 'Locked three'];
		for (const name of during) addAlly(writer.doc, { name, type: 'association' });
		removeAlly(writer.doc, doomedId);
		// Two failed commits in a row: the first send and the re-send after reconnecting.
		await waitFor(
			() => writerCodes.filter((code) => code === CloseCode.storageFailure).length >= 2,
			{
				timeout: 20_000,
				what: 'the writer to be closed with 4500 twice'
			}
		);
		await waitFor(() => watcherCodes.includes(CloseCode.storageFailure), {
			what: 'the watcher closed with 4500'
		});
		expect(writer.saves.unsaved).toBe(4);
		expect(names(watcher)).toEqual(['Before the lock', 'Removed during the lock']);
		expect(await health(child.url)).toBe(503);

		locker.exec('ROLLBACK');
		await waitForSaved(writer, 20_000);
		await waitFor(() => names(watcher).length === 4, {
			timeout: 20_000,
			what: 'the watcher to catch up'
		});
		expect(names(watcher)).toEqual(['Before the lock', ...during].sort());
		expect(await health(child.url)).toBe(200);

		const fresh = connect(child);
		await waitForSynced(fresh);
		expect(names(fresh)).toEqual(['Before the lock', ...during].sort());
		expect(readAllies(fresh.doc).some((ally) => ally.id === keptId)).toBe(true);
	});
});
