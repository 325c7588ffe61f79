import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { tempDataDir } from '../fixtures/server';
import { memberCookie } from '../fixtures/members';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { loadConfig } from '../../server/config';
import { startServer, type RunningServer } from '../../server/app';
import { createLogger } from '../../server/log';
import { DATABASE_FILE } from '../../server/storage/sqlite';
import type { ClientWriteHook } from '../../server/yjs/registry';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

type Write = { document: string; roots: string[]; serverOwned: string[] };

let server: RunningServer;
let dataDir: string;
let writes: Write[];
const clients: BoardConnection[] = [];

beforeEach(async () => {
	dataDir = tempDataDir();
	writes = [];
	const onClientWrite: ClientWriteHook = ({ live, roots, serverOwned }) => {
		writes.push({ document: live.name, roots: [...roots].sort(), serverOwned });
	};
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		LOG_LEVEL: 'silent'
	});
	server = await startServer(config, { log: createLogger('silent'), onClientWrite });
});

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server.close();
});

function connect(room: string): BoardConnection {
	const client = connectClient(server.url, room, { cookie: memberCookie(server, room) });
	clients.push(client);
	return client;
}

/** The document as another connection to the database file reads it. */
function readFromDisk(room: string): Y.Doc {
	const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
	try {
		const doc = new Y.Doc();
		const snapshot = db
			.prepare<[string], { data: Buffer; upto: number }>(
				'SELECT data, upto FROM doc_snapshots WHERE doc = ?'
			)
			.get(room);
		if (snapshot) Y.applyUpdate(doc, snapshot.data);
		const rows = db
			.prepare<[string, number], { data: Buffer }>(
				'SELECT data FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id'
			)
			.all(room, snapshot?.upto ?? 0);
		for (const row of rows) Y.applyUpdate(doc, row.data);
		return doc;
	} finally {
		db.close();
	}
}

const allyNames = (doc: Y.Doc) => readAllies(doc).map((ally) => ally.name);

describe('the server write path', () => {
	it('shows a server change on a connected client', async () => {
		const client = connect('server-write');
		await waitForSynced(client);
		await server.services.registry.changeDocument('server-write', (doc) => {
			addAlly(doc, { name: 'Added by the server', type: 'institution' });
		});
		await waitFor(() => allyNames(client.doc).length === 1, { what: 'the client to receive it' });
		expect(allyNames(client.doc)).toEqual(['Added by the server']);
	});

	it('has the change on disk when the promise resolves', async () => {
		await server.services.registry.changeDocument('on-disk', (doc) => {
			addAlly(doc, { name: 'Committed first', type: 'organisation' });
		});
		expect(allyNames(readFromDisk('on-disk'))).toEqual(['Committed first']);
	});

	it('does not report server changes as client writes', async () => {
		const client = connect('server-only');
		await waitForSynced(client);
		await server.services.registry.changeDocument('server-only', (doc) =>
			doc.getMap('meta').set('title', 'Atelier')
		);
		expect(writes).toEqual([]);
	});
});

describe('the client write hook', () => {
	it('reports the allies root for an ally edit, with no server-owned root', async () => {
		const client = connect('hook-allies');
		await waitForSynced(client);
		addAlly(client.doc, { name: 'Client ally', type: 'group' });
		await waitForSaved(client);
		expect(writes).toEqual([{ document: 'hook-allies', roots: ['allies'], serverOwned: [] }]);
	});

	it('reports meta as server-owned when a raw client writes into it', async () => {
		const client = connect('hook-meta');
		await waitForSynced(client);
		client.doc.getMap('meta').set('schemaVersion', 99);
		await waitForSaved(client);
		expect(writes).toEqual([{ document: 'hook-meta', roots: ['meta'], serverOwned: ['meta'] }]);
	});
});
