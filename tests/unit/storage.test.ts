import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import { tempDataDir } from '../fixtures/server';

const opened: SqliteStorage[] = [];
function open(dataDir = tempDataDir()) {
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 100 });
	opened.push(storage);
	return storage;
}
afterEach(async () => {
	for (const storage of opened.splice(0)) await storage.close();
});

function updatesOf(edits: (doc: Y.Doc) => void): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	edits(doc);
	return { doc, updates };
}

describe('SQLite storage', () => {
	it('runs in WAL mode; its main connection commits without fsync, leaving it to the writer thread', () => {
		const storage = open();
		expect(storage.db.pragma('journal_mode', { simple: true })).toBe('wal');
		// NORMAL: durable once the writer has synced the WAL, which every write awaits (sqlite-writer.test.ts).
		expect(storage.db.pragma('synchronous', { simple: true })).toBe(1);
	});

	it('appends updates in order and loads them back', async () => {
		const storage = open();
		const { doc, updates } = updatesOf((d) => {
			d.getText('t').insert(0, 'hello');
			d.getText('t').insert(5, ' world');
			d.getText('t').delete(0, 1);
		});
		const ids = await storage.appendUpdates(updates.map((update) => ({ doc: 'a', update })));
		expect(ids).toHaveLength(3);
		expect([...ids].sort((x, y) => x - y)).toEqual(ids);
		const stored = await storage.loadDocument('a');
		expect(stored.snapshot).toBeNull();
		expect(stored.updates.map((row) => row.id)).toEqual(ids);
		const replay = new Y.Doc();
		for (const row of stored.updates) Y.applyUpdate(replay, row.data);
		expect(replay.getText('t').toString()).toBe(doc.getText('t').toString());
		expect(stored.bytes).toBe(updates.reduce((sum, u) => sum + u.length, 0));
	});

	it('writes a whole batch or nothing', async () => {
		const storage = open();
		const bad = { doc: 'a', update: null as unknown as Uint8Array };
		await expect(
			storage.appendUpdates([{ doc: 'a', update: new Uint8Array([1]) }, bad])
		).rejects.toThrow();
		expect((await storage.loadDocument('a')).updates).toEqual([]);
	});

	it('loads a document as its snapshot plus the log rows after it', async () => {
		const storage = open();
		const { doc, updates } = updatesOf((d) => {
			for (let i = 0; i < 10; i++) d.getArray('a').push([i]);
		});
		const ids = await storage.appendUpdates(updates.map((update) => ({ doc: 'x', update })));
		const partial = new Y.Doc();
		for (const update of updates.slice(0, 6)) Y.applyUpdate(partial, update);
		await storage.compactDocument(
			'x',
			Y.encodeStateAsUpdate(partial),
			ids[5],
			'{"full":true,"roots":{}}'
		);
		const stored = await storage.loadDocument('x');
		expect(stored.snapshot).not.toBeNull();
		expect(stored.snapshotOwned).toBe('{"full":true,"roots":{}}');
		expect(stored.updates.map((row) => row.id)).toEqual(ids.slice(6));
		const loaded = new Y.Doc();
		Y.applyUpdate(loaded, stored.snapshot!);
		for (const row of stored.updates) Y.applyUpdate(loaded, row.data);
		expect(loaded.getArray('a').toJSON()).toEqual(doc.getArray('a').toJSON());
	});

	it('keeps documents apart and deletes one entirely', async () => {
		const storage = open();
		await storage.appendUpdates([
			{ doc: 'a', update: new Uint8Array([0, 0]) },
			{ doc: 'b', update: new Uint8Array([0, 0]) }
		]);
		await storage.compactDocument('a', new Uint8Array([0, 0]), 1, '{"full":true,"roots":{}}');
		await storage.deleteDocument('a');
		expect(await storage.loadDocument('a')).toEqual({
			snapshot: null,
			snapshotOwned: null,
			updates: [],
			bytes: 0
		});
		expect((await storage.loadDocument('b')).updates).toHaveLength(1);
	});

	it('reports whether a write transaction can be opened', async () => {
		const dataDir = tempDataDir();
		const storage = open(dataDir);
		expect(await storage.checkWritable()).toBe(true);
		const other = open(dataDir);
		other.db.exec('BEGIN IMMEDIATE');
		expect(await storage.checkWritable()).toBe(false);
		await expect(
			storage.appendUpdates([{ doc: 'a', update: new Uint8Array([0, 0]) }])
		).rejects.toThrow(/busy|locked/i);
		other.db.exec('ROLLBACK');
		expect(await storage.checkWritable()).toBe(true);
	});

	it('stores and lists workshops', async () => {
		const storage = open();
		await storage.createWorkshop({
			id: 'w1',
			title: 'Forum de Kayes',
			createdAt: 1,
			ownerId: null
		});
		await storage.createWorkshop({ id: 'w2', title: 'Atelier 2', createdAt: 2, ownerId: null });
		expect(await storage.getWorkshop('w1')).toEqual({
			id: 'w1',
			title: 'Forum de Kayes',
			createdAt: 1,
			ownerId: null,
			date: null,
			place: '',
			language: 'fr',
			issue: '',
			detailsChangedAt: null
		});
		expect(await storage.getWorkshop('nope')).toBeNull();
		expect((await storage.listWorkshops(10)).map((w) => w.id)).toEqual(['w2', 'w1']);
	});

	it("stores a workshop's date, place, language and issue, and updates them", async () => {
		const storage = open();
		const details = {
			date: '2026-11-14',
			place: 'Kayes, salle de la mairie',
			language: 'en' as const,
			issue: 'Accès à l’eau potable'
		};
		await storage.createWorkshop({
			id: 'w1',
			title: 'Forum',
			createdAt: 1,
			ownerId: null,
			...details
		});
		expect(await storage.getWorkshop('w1')).toMatchObject({ title: 'Forum', ...details });
		const changed = {
			title: 'Forum de Kayes',
			date: null,
			place: 'Kayes',
			language: 'fr' as const,
			issue: 'Santé'
		};
		expect(await storage.updateWorkshopDetails('w1', changed, 2)).toBe(true);
		expect(await storage.getWorkshop('w1')).toMatchObject({ ...changed, detailsChangedAt: 2 });
		expect(await storage.updateWorkshopDetails('nope', changed, 3)).toBe(false);
	});

	it('adds the new workshop and organisation columns to a database made before them', async () => {
		const dataDir = tempDataDir();
		const Database = (await import('better-sqlite3')).default;
		const old = new Database(`${dataDir}/coalition-board.sqlite`);
		// The tables as the first version with accounts made them.
		old.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
			CREATE TABLE workshops (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL);
			CREATE TABLE organisations (id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL);
			INSERT INTO workshops VALUES ('w1', 'Forum de Kayes', 1);
			INSERT INTO organisations VALUES ('o1', 'w1', 'CARE Mali', 1);`);
		old.close();
		const storage = open(dataDir);
		expect(await storage.getWorkshop('w1')).toMatchObject({
			title: 'Forum de Kayes',
			date: null,
			place: '',
			language: 'fr',
			issue: '',
			detailsChangedAt: null
		});
		expect(await storage.listOrganisations('w1')).toEqual([
			{ id: 'o1', workshopId: 'w1', name: 'CARE Mali', createdAt: 1, delegateUserId: null }
		]);
	});
});
