/**
 * Every schema change, for both engines, in one numbered list. A database records the last
 * version it applied (SQLite: `PRAGMA user_version`; PostgreSQL: the `schema_migrations` table)
 * and runs the ones after it, each in its own transaction, at start-up. Append new versions at
 * the end; never edit one that has shipped.
 *
 * Version 1 is the schema as it stood when migrations began to be numbered. On SQLite it is
 * written to bring up any database made before (every statement tolerates what already exists),
 * so a data directory from any earlier release migrates like a new one.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { organisationKey } from '../../src/lib/shared/schema';

export interface Migration {
	version: number;
	/** What it does, for the log and the `schema_migrations` table. */
	name: string;
	/** Runs inside a transaction on the main connection. */
	sqlite: (db: Database.Database) => void;
	/** One script, or a function for a step that computes in JavaScript; inside a transaction. */
	postgres: string | ((client: pg.PoolClient) => Promise<void>);
	/**
	 * The SQLite step rebuilds a table others reference (SQLite can't alter a CHECK): it runs with
	 * foreign keys off, as SQLite's documented procedure asks (a DROP TABLE would otherwise cascade
	 * into the referencing rows), and the keys are checked before its transaction commits.
	 */
	sqliteRebuildsTables?: boolean;
}

const SQLITE_BASELINE = `
CREATE TABLE IF NOT EXISTS users (
	id TEXT PRIMARY KEY,
	login TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	secret_hash BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	last_verified_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS workshops (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	owner_id TEXT REFERENCES users (id),
	date TEXT,
	place TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT 'fr',
	issue TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS workshop_links (
	workshop_id TEXT PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
	join_code TEXT NOT NULL UNIQUE,
	invite_token TEXT NOT NULL UNIQUE,
	observer_token TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS organisations (
	id TEXT PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	delegate_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
	UNIQUE (workshop_id, name COLLATE NOCASE)
);
CREATE TABLE IF NOT EXISTS memberships (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'observer')),
	name TEXT NOT NULL,
	organisation_id TEXT REFERENCES organisations (id),
	granted_by TEXT NOT NULL,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, user_id)
);
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
CREATE TABLE IF NOT EXISTS doc_updates (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	doc TEXT NOT NULL,
	data BLOB NOT NULL,
	owned TEXT
);
CREATE INDEX IF NOT EXISTS doc_updates_doc ON doc_updates (doc, id);
CREATE TABLE IF NOT EXISTS doc_snapshots (
	doc TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	upto INTEGER NOT NULL,
	owned TEXT
);
CREATE TABLE IF NOT EXISTS command_results (
	session_id TEXT NOT NULL,
	key TEXT NOT NULL,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	payload_hash TEXT NOT NULL,
	result TEXT NOT NULL,
	scope TEXT,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (session_id, key)
);
CREATE INDEX IF NOT EXISTS command_results_scope ON command_results (workshop_id, scope);
CREATE TABLE IF NOT EXISTS candidate_scores (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	candidate_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	criterion TEXT NOT NULL,
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	entered_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, candidate_id, user_id, criterion)
);
CREATE TABLE IF NOT EXISTS ally_placements (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	ally_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	influence INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 5),
	interest INTEGER NOT NULL CHECK (interest BETWEEN 1 AND 5),
	entered_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, ally_id, user_id)
);
CREATE TABLE IF NOT EXISTS ally_contacts (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	ally_id TEXT NOT NULL,
	text TEXT NOT NULL,
	updated_by TEXT,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, ally_id)
);
CREATE TABLE IF NOT EXISTS workshop_events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	uid TEXT,
	kind TEXT NOT NULL CHECK (kind IN ('lock', 'unlock', 'archive', 'unarchive')),
	user_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	reason TEXT,
	at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS workshop_events_workshop ON workshop_events (workshop_id, id);
CREATE TABLE IF NOT EXISTS doc_versions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	event_id INTEGER NOT NULL REFERENCES workshop_events (id) ON DELETE CASCADE,
	charter_version INTEGER NOT NULL,
	charter TEXT NOT NULL,
	state BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_versions_workshop ON doc_versions (workshop_id, id);
CREATE TABLE IF NOT EXISTS named_versions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	uid TEXT NOT NULL,
	name TEXT NOT NULL,
	user_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	charter_version INTEGER NOT NULL,
	charter TEXT NOT NULL,
	state BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (workshop_id, uid)
);
CREATE TABLE IF NOT EXISTS vote_rounds (
	id TEXT PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	proposal_ids TEXT NOT NULL,
	mode TEXT NOT NULL CHECK (mode IN ('gradient', 'consent', 'dots')),
	rule TEXT NOT NULL,
	anonymous INTEGER NOT NULL,
	live INTEGER NOT NULL,
	voice TEXT NOT NULL CHECK (voice IN ('participant', 'organisation')),
	state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'revealed')),
	opened_by TEXT NOT NULL,
	opened_at INTEGER NOT NULL,
	closed_at INTEGER,
	revealed_at INTEGER,
	override_reason TEXT,
	override_by TEXT,
	override_by_name TEXT,
	override_at INTEGER
);
CREATE INDEX IF NOT EXISTS vote_rounds_workshop ON vote_rounds (workshop_id, opened_at);
CREATE TABLE IF NOT EXISTS vote_ballots (
	round_id TEXT NOT NULL REFERENCES vote_rounds (id) ON DELETE CASCADE,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	voter_key TEXT NOT NULL,
	voter_id TEXT,
	voter_name TEXT NOT NULL,
	organisation_id TEXT,
	organisation TEXT,
	positions TEXT NOT NULL,
	entered_by TEXT NOT NULL,
	entered_by_name TEXT,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (round_id, voter_key)
);
`;

/** The columns releases before numbered migrations added one by one (CREATE IF NOT EXISTS adds none). */
function sqliteBaseline(db: Database.Database): void {
	db.exec(SQLITE_BASELINE);
	addColumn(db, 'workshops', 'owner_id', 'TEXT REFERENCES users (id)');
	db.exec('CREATE INDEX IF NOT EXISTS workshops_owner ON workshops (owner_id, created_at)');
	addColumn(db, 'users', 'kind', "TEXT NOT NULL DEFAULT 'facilitator'");
	addColumn(db, 'users', 'display_name', 'TEXT');
	addColumn(db, 'workshops', 'date', 'TEXT');
	addColumn(db, 'workshops', 'place', "TEXT NOT NULL DEFAULT ''");
	addColumn(db, 'workshops', 'language', "TEXT NOT NULL DEFAULT 'fr'");
	addColumn(db, 'workshops', 'issue', "TEXT NOT NULL DEFAULT ''");
	addColumn(
		db,
		'organisations',
		'delegate_user_id',
		'TEXT REFERENCES users (id) ON DELETE SET NULL'
	);
	// Server-owned roots' records (server/yjs/owned-roots.ts); older rows have none.
	addColumn(db, 'doc_updates', 'owned', 'TEXT');
	addColumn(db, 'doc_snapshots', 'owned', 'TEXT');
	// Events made before `uid` existed get one: the random id an import recognises an event by
	// (the row id is this server's own counter; another server's rows reuse the same numbers).
	addColumn(db, 'workshop_events', 'uid', 'TEXT');
	db.exec(`UPDATE workshop_events SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
		CREATE UNIQUE INDEX IF NOT EXISTS workshop_events_uid ON workshop_events (workshop_id, uid);`);
	// Workshops made before memberships existed: their creator is their facilitator.
	db.exec(`INSERT OR IGNORE INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		SELECT workshops.id, users.id, 'facilitator', users.login, NULL, 'creator', workshops.created_at
		FROM workshops JOIN users ON users.id = workshops.owner_id`);
}

function addColumn(db: Database.Database, table: string, column: string, definition: string): void {
	const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
	if (!columns.some((existing) => existing.name === column)) {
		db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
	}
}

/**
 * The same tables on PostgreSQL. Times stay milliseconds since the epoch (BIGINT, read back as
 * numbers), binary columns are BYTEA, flags BOOLEAN. `memberships.seq` keeps the order members
 * joined in (SQLite's rowid). The one foreign key that rows of the same workshop hold among
 * themselves without a cascade is DEFERRABLE, so deleting a workshop table by table can check it
 * at commit, as SQLite's `defer_foreign_keys` does.
 */
const POSTGRES_BASELINE = `
CREATE TABLE users (
	id TEXT PRIMARY KEY,
	login TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'facilitator',
	display_name TEXT
);
CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	secret_hash BYTEA NOT NULL,
	created_at BIGINT NOT NULL,
	last_verified_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE workshops (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	owner_id TEXT REFERENCES users (id),
	date TEXT,
	place TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT 'fr',
	issue TEXT NOT NULL DEFAULT ''
);
CREATE INDEX workshops_owner ON workshops (owner_id, created_at);
CREATE TABLE workshop_links (
	workshop_id TEXT PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
	join_code TEXT NOT NULL UNIQUE,
	invite_token TEXT NOT NULL UNIQUE,
	observer_token TEXT NOT NULL UNIQUE
);
CREATE TABLE organisations (
	id TEXT PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	delegate_user_id TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (workshop_id, lower(name));
CREATE TABLE memberships (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'observer')),
	name TEXT NOT NULL,
	organisation_id TEXT REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
	granted_by TEXT NOT NULL,
	joined_at BIGINT NOT NULL,
	seq BIGINT GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (workshop_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE TABLE doc_updates (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	doc TEXT NOT NULL,
	data BYTEA NOT NULL,
	owned TEXT
);
CREATE INDEX doc_updates_doc ON doc_updates (doc, id);
CREATE TABLE doc_snapshots (
	doc TEXT PRIMARY KEY,
	data BYTEA NOT NULL,
	upto BIGINT NOT NULL,
	owned TEXT
);
CREATE TABLE command_results (
	session_id TEXT NOT NULL,
	key TEXT NOT NULL,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	payload_hash TEXT NOT NULL,
	result TEXT NOT NULL,
	scope TEXT,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, key)
);
CREATE INDEX command_results_scope ON command_results (workshop_id, scope);
CREATE TABLE candidate_scores (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	candidate_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	criterion TEXT NOT NULL,
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	entered_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (workshop_id, candidate_id, user_id, criterion)
);
CREATE TABLE ally_placements (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	ally_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	influence INTEGER NOT NULL CHECK (influence BETWEEN 1 AND 5),
	interest INTEGER NOT NULL CHECK (interest BETWEEN 1 AND 5),
	entered_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (workshop_id, ally_id, user_id)
);
CREATE TABLE ally_contacts (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	ally_id TEXT NOT NULL,
	text TEXT NOT NULL,
	updated_by TEXT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (workshop_id, ally_id)
);
CREATE TABLE workshop_events (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	uid TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('lock', 'unlock', 'archive', 'unarchive')),
	user_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	reason TEXT,
	at BIGINT NOT NULL,
	UNIQUE (workshop_id, uid)
);
CREATE INDEX workshop_events_workshop ON workshop_events (workshop_id, id);
CREATE TABLE doc_versions (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	event_id BIGINT NOT NULL REFERENCES workshop_events (id) ON DELETE CASCADE,
	charter_version INTEGER NOT NULL,
	charter TEXT NOT NULL,
	state BYTEA NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX doc_versions_workshop ON doc_versions (workshop_id, id);
CREATE TABLE named_versions (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	uid TEXT NOT NULL,
	name TEXT NOT NULL,
	user_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	charter_version INTEGER NOT NULL,
	charter TEXT NOT NULL,
	state BYTEA NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (workshop_id, uid)
);
CREATE TABLE vote_rounds (
	id TEXT PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	proposal_ids TEXT NOT NULL,
	mode TEXT NOT NULL CHECK (mode IN ('gradient', 'consent', 'dots')),
	rule TEXT NOT NULL,
	anonymous BOOLEAN NOT NULL,
	live BOOLEAN NOT NULL,
	voice TEXT NOT NULL CHECK (voice IN ('participant', 'organisation')),
	state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'revealed')),
	opened_by TEXT NOT NULL,
	opened_at BIGINT NOT NULL,
	closed_at BIGINT,
	revealed_at BIGINT,
	override_reason TEXT,
	override_by TEXT,
	override_by_name TEXT,
	override_at BIGINT
);
CREATE INDEX vote_rounds_workshop ON vote_rounds (workshop_id, opened_at);
CREATE TABLE vote_ballots (
	round_id TEXT NOT NULL REFERENCES vote_rounds (id) ON DELETE CASCADE,
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	voter_key TEXT NOT NULL,
	voter_id TEXT,
	voter_name TEXT NOT NULL,
	organisation_id TEXT,
	organisation TEXT,
	positions TEXT NOT NULL,
	entered_by TEXT NOT NULL,
	entered_by_name TEXT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (round_id, voter_key)
);
`;

/**
 * "One open round per workshop" held by the database, not by the process's command queue (the
 * next step runs several processes). A database from before could, in theory, hold two: the
 * newer stays open, the others are closed.
 */
const ONE_OPEN_ROUND_CLOSE_EXTRAS = `
UPDATE vote_rounds SET state = 'closed', closed_at = opened_at
WHERE state = 'open' AND EXISTS (
	SELECT 1 FROM vote_rounds newer WHERE newer.workshop_id = vote_rounds.workshop_id
	AND newer.state = 'open' AND (newer.opened_at, newer.id) > (vote_rounds.opened_at, vote_rounds.id)
);
CREATE UNIQUE INDEX vote_rounds_one_open ON vote_rounds (workshop_id) WHERE state = 'open';
`;

interface OrganisationKeyRow {
	id: string;
	workshop_id: string;
	name: string;
	created_at: number;
	delegate_user_id: string | null;
}

/**
 * Organisations found by their folded name (organisationKey), not by SQLite's ASCII-only NOCASE or
 * PostgreSQL's locale-dependent lower(): the key is computed here, in JavaScript, the same on both
 * engines. Names that already fold to one key in a workshop ("ÉCOLE" and "école" made two) become
 * one: the oldest is kept, gets the others' members and, if it had none, their delegate.
 */
function planOrganisationKeys(rows: OrganisationKeyRow[]): {
	keys: { id: string; key: string }[];
	merges: { keptId: string; mergedId: string; delegate: string | null }[];
} {
	const kept = new Map<string, OrganisationKeyRow & { delegate: string | null }>();
	const keys: { id: string; key: string }[] = [];
	const merges: { keptId: string; mergedId: string; delegate: string | null }[] = [];
	const ordered = [...rows].sort(
		(a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	for (const row of ordered) {
		const key = organisationKey(row.name);
		const group = `${row.workshop_id}\u0000${key}`;
		const first = kept.get(group);
		if (!first) {
			kept.set(group, { ...row, delegate: row.delegate_user_id });
			keys.push({ id: row.id, key });
			continue;
		}
		first.delegate ??= row.delegate_user_id;
		merges.push({ keptId: first.id, mergedId: row.id, delegate: first.delegate });
	}
	return { keys, merges };
}

const ORGANISATION_KEY_SELECT =
	'SELECT id, workshop_id, name, created_at, delegate_user_id FROM organisations';

function sqliteOrganisationKeys(db: Database.Database): void {
	db.exec(`ALTER TABLE organisations ADD COLUMN name_key TEXT NOT NULL DEFAULT ''`);
	const plan = planOrganisationKeys(
		db.prepare<[], OrganisationKeyRow>(ORGANISATION_KEY_SELECT).all()
	);
	for (const { keptId, mergedId, delegate } of plan.merges) {
		db.prepare('UPDATE memberships SET organisation_id = ? WHERE organisation_id = ?').run(
			keptId,
			mergedId
		);
		db.prepare('DELETE FROM organisations WHERE id = ?').run(mergedId);
		db.prepare('UPDATE organisations SET delegate_user_id = ? WHERE id = ?').run(delegate, keptId);
	}
	const setKey = db.prepare('UPDATE organisations SET name_key = ? WHERE id = ?');
	for (const { id, key } of plan.keys) setKey.run(key, id);
	db.exec('CREATE UNIQUE INDEX organisations_name_key ON organisations (workshop_id, name_key)');
}

async function postgresOrganisationKeys(client: pg.PoolClient): Promise<void> {
	await client.query(`ALTER TABLE organisations ADD COLUMN name_key TEXT NOT NULL DEFAULT ''`);
	const { rows } = await client.query<OrganisationKeyRow>(ORGANISATION_KEY_SELECT);
	const plan = planOrganisationKeys(rows);
	for (const { keptId, mergedId, delegate } of plan.merges) {
		await client.query('UPDATE memberships SET organisation_id = $1 WHERE organisation_id = $2', [
			keptId,
			mergedId
		]);
		await client.query('DELETE FROM organisations WHERE id = $1', [mergedId]);
		await client.query('UPDATE organisations SET delegate_user_id = $1 WHERE id = $2', [
			delegate,
			keptId
		]);
	}
	for (const { id, key } of plan.keys) {
		await client.query('UPDATE organisations SET name_key = $1 WHERE id = $2', [key, id]);
	}
	await client.query('DROP INDEX organisations_name');
	await client.query(
		'CREATE UNIQUE INDEX organisations_name_key ON organisations (workshop_id, name_key)'
	);
	await client.query('ALTER TABLE organisations ALTER COLUMN name_key DROP DEFAULT');
}

/** The event log's kinds as of version 4: a step the group was brought to for the first time. */
export const EVENT_KINDS_V4 = ['lock', 'unlock', 'archive', 'unarchive', 'step'] as const;
const KIND_CHECK_V4 = `kind IN (${EVENT_KINDS_V4.map((kind) => `'${kind}'`).join(', ')})`;

/**
 * SQLite keeps a column's CHECK in the table's definition: the table is made again with the new
 * one, its rows (ids included) copied over, and its AUTOINCREMENT counter kept, so an event id
 * once used is never given again.
 */
function sqliteStepEvents(db: Database.Database): void {
	const sequence = db
		.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'workshop_events'")
		.get();
	db.exec(`CREATE TABLE workshop_events_v4 (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
		uid TEXT,
		kind TEXT NOT NULL CHECK (${KIND_CHECK_V4}),
		user_id TEXT NOT NULL,
		user_name TEXT NOT NULL,
		reason TEXT,
		at INTEGER NOT NULL
	);
	INSERT INTO workshop_events_v4 (id, workshop_id, uid, kind, user_id, user_name, reason, at)
		SELECT id, workshop_id, uid, kind, user_id, user_name, reason, at FROM workshop_events;
	DROP TABLE workshop_events;
	ALTER TABLE workshop_events_v4 RENAME TO workshop_events;
	CREATE INDEX workshop_events_workshop ON workshop_events (workshop_id, id);
	CREATE UNIQUE INDEX workshop_events_uid ON workshop_events (workshop_id, uid);`);
	if (sequence) {
		// The old counter is never below the ids it gave.
		db.exec("DELETE FROM sqlite_sequence WHERE name = 'workshop_events'");
		db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('workshop_events', ?)").run(
			sequence.seq
		);
	}
}

const POSTGRES_STEP_EVENTS = `
ALTER TABLE workshop_events DROP CONSTRAINT workshop_events_kind_check;
ALTER TABLE workshop_events ADD CONSTRAINT workshop_events_kind_check CHECK (${KIND_CHECK_V4});
`;

/**
 * When a workshop's title or details were last changed (ms), so that an import can tell which
 * copy changed them last. Null for every workshop already here: not known, like an older file's.
 */
const DETAILS_CHANGED_AT = {
	sqlite: 'ALTER TABLE workshops ADD COLUMN details_changed_at INTEGER',
	postgres: 'ALTER TABLE workshops ADD COLUMN details_changed_at BIGINT'
};

export const MIGRATIONS: Migration[] = [
	{
		version: 1,
		name: 'baseline',
		sqlite: sqliteBaseline,
		postgres: POSTGRES_BASELINE
	},
	{
		version: 2,
		name: 'one open round per workshop',
		sqlite: (db) => db.exec(ONE_OPEN_ROUND_CLOSE_EXTRAS),
		postgres: ONE_OPEN_ROUND_CLOSE_EXTRAS
	},
	{
		version: 3,
		name: 'organisations found by folded name',
		sqlite: sqliteOrganisationKeys,
		postgres: postgresOrganisationKeys
	},
	{
		version: 4,
		name: 'step reached events',
		sqlite: sqliteStepEvents,
		postgres: POSTGRES_STEP_EVENTS,
		sqliteRebuildsTables: true
	},
	{
		version: 5,
		name: 'workshop details stamped',
		sqlite: (db) => db.exec(DETAILS_CHANGED_AT.sqlite),
		postgres: DETAILS_CHANGED_AT.postgres
	}
];

/** The version a database is at once every migration has run. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Brings a SQLite database up to SCHEMA_VERSION; refuses one made by a newer release. */
export function migrateSqlite(db: Database.Database): void {
	const current = db.pragma('user_version', { simple: true }) as number;
	if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
	for (const migration of MIGRATIONS) {
		if (migration.version <= current) continue;
		// The pragma is a no-op inside a transaction: it is set around it.
		const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
		if (migration.sqliteRebuildsTables) db.pragma('foreign_keys = OFF');
		try {
			db.transaction(() => {
				migration.sqlite(db);
				if (migration.sqliteRebuildsTables) {
					const broken = db.pragma('foreign_key_check') as unknown[];
					if (broken.length > 0)
						throw new Error(`migration ${migration.version} broke ${broken.length} foreign keys`);
				}
				db.pragma(`user_version = ${migration.version}`);
			}).immediate();
		} finally {
			if (migration.sqliteRebuildsTables && keysWereOn) db.pragma('foreign_keys = ON');
		}
	}
}

export class NewerSchemaError extends Error {
	constructor(readonly found: number) {
		super(
			`the database is at schema version ${found}, newer than this release's ${SCHEMA_VERSION}: ` +
				'run the release that made it, or a newer one'
		);
	}
}
