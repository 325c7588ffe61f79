/**
 * Numbered migrations on both engines, from a database a previous release left: a database at
 * version 2 is brought to the current version with its rows, and what the new version refuses
 * (two organisations whose names fold to one) is mended rather than lost; the event log keeps its
 * ids through version 4; the workshops of a version 4 database get an empty details stamp (5).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../server/storage/migrations';
import { openStorage } from '../../server/storage/open';
import { DATABASE_FILE } from '../../server/storage/sqlite';
import type { Storage, StorageKind } from '../../src/lib/server/ports/storage';
import { dropSchema, ENGINES, TEST_DATABASE_URL, testSchema } from '../fixtures/storages';
import { tempDataDir } from '../fixtures/server';

/** Rows a version 2 database could hold: "ÉCOLE du Fleuve" and "Ecole-du-fleuve" as two organisations (accents and punctuation apart). */
const VERSION_TWO_ROWS: [string, unknown[]][] = [
	["INSERT INTO users (id, login, password_hash, created_at) VALUES ('u1', 'awa', '', 1)", []],
	["INSERT INTO users (id, login, password_hash, created_at) VALUES ('u2', 'moussa', '', 2)", []],
	["INSERT INTO workshops (id, title, created_at) VALUES ('w1', 'Forum de Kayes', 1)", []],
	[
		`INSERT INTO organisations (id, workshop_id, name, created_at, delegate_user_id)
		VALUES ('o-old', 'w1', 'ÉCOLE du Fleuve', 10, NULL)`,
		[]
	],
	[
		`INSERT INTO organisations (id, workshop_id, name, created_at, delegate_user_id)
		VALUES ('o-new', 'w1', 'Ecole-du-fleuve', 20, 'u2')`,
		[]
	],
	[
		`INSERT INTO organisations (id, workshop_id, name, created_at, delegate_user_id)
		VALUES ('o-other', 'w1', 'Mairie de Kayes', 30, NULL)`,
		[]
	],
	[
		`INSERT INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		VALUES ('w1', 'u1', 'participant', 'Awa', 'o-old', 'join-code', 100)`,
		[]
	],
	[
		`INSERT INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		VALUES ('w1', 'u2', 'participant', 'Moussa', 'o-new', 'join-code', 200)`,
		[]
	]
];

const opened: { storage: Storage; drop(): Promise<void> }[] = [];
afterEach(async () => {
	for (const { storage, drop } of opened.splice(0)) {
		await storage.close().catch(() => {});
		await drop();
	}
});

/** A database migrated to `version` only, holding `rows`; then opened by this release. */
async function openFrom(
	engine: StorageKind,
	version: number,
	rows: [string, unknown[]][]
): Promise<Storage> {
	const earlier = MIGRATIONS.filter((migration) => migration.version <= version);
	if (engine === 'sqlite') {
		const dataDir = tempDataDir();
		fs.mkdirSync(dataDir, { recursive: true });
		const db = new Database(path.join(dataDir, DATABASE_FILE));
		db.pragma('foreign_keys = ON');
		for (const migration of earlier) {
			// As migrateSqlite runs a step that rebuilds a table: foreign keys off around it.
			if (migration.sqliteRebuildsTables) db.pragma('foreign_keys = OFF');
			migration.sqlite(db);
			db.pragma('foreign_keys = ON');
		}
		db.pragma(`user_version = ${version}`);
		for (const [sql] of rows) db.exec(sql);
		db.close();
		const storage = openStorage({ database: null, dataDir, busyTimeoutMs: 5000 });
		opened.push({ storage, drop: async () => {} });
		await storage.ready();
		return storage;
	}
	const schema = testSchema();
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
		await client.query(`CREATE TABLE schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
		for (const migration of earlier) {
			if (typeof migration.postgres === 'string') await client.query(migration.postgres);
			else await migration.postgres(client as unknown as pg.PoolClient);
			await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [
				migration.version,
				migration.name
			]);
		}
		for (const [sql, params] of rows) await client.query(sql, params);
	} finally {
		await client.end();
	}
	const storage = openStorage({
		database: { url: TEST_DATABASE_URL, schema },
		dataDir: '',
		busyTimeoutMs: 5000
	});
	opened.push({ storage, drop: () => dropSchema(schema) });
	await storage.ready();
	return storage;
}

const openFromVersionTwo = (engine: StorageKind) => openFrom(engine, 2, VERSION_TWO_ROWS);

/**
 * Rows a version 3 database could hold: a lock, an unlock with its reason, an archive since
 * deleted (its id, the highest given, must not be given again), and the lock's version.
 */
function versionThreeRows(engine: StorageKind): [string, unknown[]][] {
	const event = (kind: string, reason: string | null, at: number): [string, unknown[]] => [
		`INSERT INTO workshop_events (workshop_id, uid, kind, user_id, user_name, reason, at)
		VALUES ('w1', 'uid-${kind}', '${kind}', 'u1', 'Awa', ${reason === null ? 'NULL' : `'${reason}'`}, ${at})`,
		[]
	];
	const bytes = engine === 'sqlite' ? "X'010203'" : "'\\x010203'";
	return [
		["INSERT INTO users (id, login, password_hash, created_at) VALUES ('u1', 'awa', '', 1)", []],
		["INSERT INTO workshops (id, title, created_at) VALUES ('w1', 'Forum de Kayes', 1)", []],
		event('lock', null, 100),
		event('unlock', 'Une clause à revoir', 200),
		event('archive', null, 300),
		["DELETE FROM workshop_events WHERE kind = 'archive'", []],
		[
			`INSERT INTO doc_versions (workshop_id, event_id, charter_version, charter, state, created_at)
			VALUES ('w1', 1, 1, '{"version":1}', ${bytes}, 100)`,
			[]
		]
	];
}

describe.each(ENGINES)('%s migrations', (engine) => {
	it('merges organisations whose names fold to one: the oldest kept, every member in it, the delegate kept', async () => {
		expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
		const storage = await openFromVersionTwo(engine);

		const organisations = await storage.listOrganisations('w1');
		expect(organisations.map((o) => [o.id, o.name, o.delegateUserId])).toEqual([
			['o-old', 'ÉCOLE du Fleuve', 'u2'],
			['o-other', 'Mairie de Kayes', null]
		]);
		const members = await storage.listMembers('w1');
		expect(members.map((m) => [m.userId, m.organisationId, m.organisation])).toEqual([
			['u1', 'o-old', 'ÉCOLE du Fleuve'],
			['u2', 'o-old', 'ÉCOLE du Fleuve']
		]);
	});

	it('finds the migrated organisation by any folding of its name afterwards, and creates no twin', async () => {
		const storage = await openFromVersionTwo(engine);
		await storage.createUser({ id: 'u3', login: 'fanta', passwordHash: '', createdAt: 3 });
		const joined = await storage.upsertMembership({
			workshopId: 'w1',
			userId: 'u3',
			role: 'participant',
			name: 'Fanta',
			organisation: 'école du fleuve',
			grantedBy: 'join-code',
			joinedAt: 300
		});
		expect(joined.organisationId).toBe('o-old');
		expect(await storage.listOrganisations('w1')).toHaveLength(2);
	});
});

describe.each(ENGINES)('%s migration to version 4 (step reached events)', (engine) => {
	const stepEntry = (at: number) => ({
		workshopId: 'w1',
		kind: 'step' as const,
		userId: 'u1',
		userName: 'Awa',
		reason: 'identify',
		at,
		charterVersion: 1,
		charter: {},
		state: new Uint8Array([9])
	});

	it('keeps every event with its id, uid and reason, and the versions tied to them', async () => {
		expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
		const storage = await openFrom(engine, 3, versionThreeRows(engine));
		const events = await storage.history.listEvents('w1');
		expect(
			events.map((event) => [event.id, event.uid, event.kind, event.reason, event.at])
		).toEqual([
			[1, 'uid-lock', 'lock', null, 100],
			[2, 'uid-unlock', 'unlock', 'Une clause à revoir', 200]
		]);
		const versions = await storage.history.listVersions('w1');
		expect(
			versions.map((version) => [version.eventId, version.charterVersion, [...version.state]])
		).toEqual([[1, 1, [1, 2, 3]]]);
	});

	it('takes a step reached afterwards, under an id never given before, and still refuses an unknown kind', async () => {
		const storage = await openFrom(engine, 3, versionThreeRows(engine));
		const { eventId } = await storage.history.record(stepEntry(300));
		expect(eventId).toBeGreaterThan(3);
		expect((await storage.history.listEvents('w1')).at(-1)).toMatchObject({
			kind: 'step',
			reason: 'identify'
		});
		await expect(
			storage.history.record({ ...stepEntry(400), kind: 'pause' as unknown as 'step' })
		).rejects.toThrow();
		expect(await storage.history.listEvents('w1')).toHaveLength(3);
	});

	it('still cascades: deleting the workshop deletes its events and their versions', async () => {
		const storage = await openFrom(engine, 3, versionThreeRows(engine));
		await storage.history.record(stepEntry(300));
		await storage.deleteWorkshop('w1');
		expect(await storage.history.listEvents('w1')).toEqual([]);
		expect(await storage.history.listVersions('w1')).toEqual([]);
	});
});

describe.each(ENGINES)('%s migration to version 5 (workshop details stamped)', (engine) => {
	const VERSION_FOUR_ROWS: [string, unknown[]][] = [
		[
			`INSERT INTO workshops (id, title, created_at, date, place, language, issue)
			VALUES ('w1', 'Forum de Kayes', 1, '2026-11-14', 'Kayes', 'en', 'Water')`,
			[]
		]
	];

	it('keeps every workshop’s details, with no stamp: not known, like an older file’s', async () => {
		expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
		const storage = await openFrom(engine, 4, VERSION_FOUR_ROWS);
		expect(await storage.getWorkshop('w1')).toEqual({
			id: 'w1',
			title: 'Forum de Kayes',
			createdAt: 1,
			ownerId: null,
			date: '2026-11-14',
			place: 'Kayes',
			language: 'en',
			issue: 'Water',
			detailsChangedAt: null
		});
	});

	it('stamps the details from their next change on', async () => {
		const storage = await openFrom(engine, 4, VERSION_FOUR_ROWS);
		const details = {
			title: 'Forum de Kayes',
			date: '2026-11-21',
			place: 'Kayes',
			language: 'en' as const,
			issue: 'Water'
		};
		expect(await storage.updateWorkshopDetails('w1', details, 1_000)).toBe(true);
		expect(await storage.getWorkshop('w1')).toMatchObject({ ...details, detailsChangedAt: 1_000 });
	});
});
