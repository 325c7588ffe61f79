import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
	Membership,
	MembershipGrant,
	NewMembership,
	Organisation,
	Role,
	Storage,
	StoredDocument,
	StoredSession,
	UpdateRow,
	User,
	UserKind,
	Workshop,
	WorkshopLinks
} from './types';
import { randomUUID } from 'node:crypto';
import { COMMAND_RESULTS_SCHEMA, sqliteCommandResults } from './sqlite-command-results';
import { SCORES_SCHEMA, sqlitePlacements, sqliteScores } from './sqlite-scores';
import { CONTACTS_SCHEMA, sqliteContacts } from './sqlite-contacts';

const SCHEMA = `
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
	owner_id TEXT REFERENCES users (id)
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
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_doc ON doc_updates (doc, id);
CREATE TABLE IF NOT EXISTS doc_snapshots (
	doc TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	upto INTEGER NOT NULL
);
`;

export const DATABASE_FILE = 'coalition-board.sqlite';

export function openSqliteStorage(options: { dataDir: string; busyTimeoutMs: number }): SqliteStorage {
	fs.mkdirSync(options.dataDir, { recursive: true });
	const db = new Database(path.join(options.dataDir, DATABASE_FILE), { timeout: options.busyTimeoutMs });
	db.pragma('journal_mode = WAL');
	// better-sqlite3's build makes WAL imply synchronous=NORMAL, which can lose commits on power loss.
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.exec(SCHEMA);
	migrate(db);
	// Domain stores keep their tables beside their code.
	db.exec(COMMAND_RESULTS_SCHEMA);
	db.exec(SCORES_SCHEMA);
	db.exec(CONTACTS_SCHEMA);
	return new SqliteStorage(db);
}

/** Brings a database made by an earlier version up to SCHEMA (CREATE IF NOT EXISTS adds no column). */
function migrate(db: Database.Database): void {
	const columns = db.prepare<[], { name: string }>('PRAGMA table_info(workshops)').all();
	if (!columns.some((column) => column.name === 'owner_id')) {
		db.exec('ALTER TABLE workshops ADD COLUMN owner_id TEXT REFERENCES users (id)');
	}
	db.exec('CREATE INDEX IF NOT EXISTS workshops_owner ON workshops (owner_id, created_at)');
	const userColumns = db.prepare<[], { name: string }>('PRAGMA table_info(users)').all();
	if (!userColumns.some((column) => column.name === 'kind')) {
		db.exec("ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'facilitator'");
	}
	// Workshops made before memberships existed: their creator is their facilitator.
	db.exec(`INSERT OR IGNORE INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		SELECT workshops.id, users.id, 'facilitator', users.login, NULL, 'creator', workshops.created_at
		FROM workshops JOIN users ON users.id = workshops.owner_id`);
}

export class SqliteStorage implements Storage {
	readonly kind = 'sqlite';
	readonly commandResults;
	readonly scores;
	readonly placements;
	readonly contacts;
	readonly #insertUpdate;
	readonly #appendAll;

	constructor(readonly db: Database.Database) {
		this.commandResults = sqliteCommandResults(db);
		this.scores = sqliteScores(db);
		this.placements = sqlitePlacements(db);
		this.contacts = sqliteContacts(db);
		this.#insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
		this.#appendAll = db.transaction((rows: UpdateRow[]) =>
			rows.map((row) => Number(this.#insertUpdate.run(row.doc, row.update).lastInsertRowid))
		);
	}

	async appendUpdates(rows: UpdateRow[]): Promise<number[]> {
		if (rows.length === 0) return [];
		// BEGIN IMMEDIATE: take the write lock up front, so a busy database fails fast and whole.
		return this.#appendAll.immediate(rows);
	}

	async loadDocument(doc: string): Promise<StoredDocument> {
		const read = this.db.transaction(() => {
			const snapshot = this.db
				.prepare<[string], { data: Buffer; upto: number }>('SELECT data, upto FROM doc_snapshots WHERE doc = ?')
				.get(doc);
			const updates = this.db
				.prepare<[string, number], { id: number; data: Buffer }>(
					'SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id'
				)
				.all(doc, snapshot?.upto ?? 0);
			return { snapshot, updates };
		});
		const { snapshot, updates } = read();
		let bytes = snapshot?.data.length ?? 0;
		for (const row of updates) bytes += row.data.length;
		return {
			snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
			updates: updates.map((row) => ({ id: row.id, data: new Uint8Array(row.data) })),
			bytes
		};
	}

	async compactDocument(doc: string, snapshot: Uint8Array, upto: number): Promise<void> {
		this.db
			.transaction(() => {
				this.db
					.prepare(
						'INSERT INTO doc_snapshots (doc, data, upto) VALUES (?, ?, ?) ' +
							'ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto'
					)
					.run(doc, snapshot, upto);
				this.db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?').run(doc, upto);
			})
			.immediate();
	}

	async deleteDocument(doc: string): Promise<void> {
		this.db
			.transaction(() => {
				this.db.prepare('DELETE FROM doc_updates WHERE doc = ?').run(doc);
				this.db.prepare('DELETE FROM doc_snapshots WHERE doc = ?').run(doc);
			})
			.immediate();
	}

	async createWorkshop(workshop: Workshop, setup?: { links: WorkshopLinks; creator?: NewMembership }): Promise<boolean> {
		try {
			return this.#createWorkshop(workshop, setup);
		} catch (error) {
			if (error instanceof TakenLinks) return false;
			throw error;
		}
	}

	#createWorkshop(workshop: Workshop, setup?: { links: WorkshopLinks; creator?: NewMembership }): boolean {
		return this.db
			.transaction(() => {
				this.db
					.prepare('INSERT INTO workshops (id, title, created_at, owner_id) VALUES (?, ?, ?, ?)')
					.run(workshop.id, workshop.title, workshop.createdAt, workshop.ownerId);
				if (!setup) return true;
				if (!this.#insertLinks(workshop.id, setup.links)) {
					// Undo the workshop row: a taken code means the caller draws again.
					throw new TakenLinks();
				}
				if (setup.creator) this.#upsertMembership(setup.creator);
				return true;
			})
			.immediate();
	}

	#insertLinks(workshopId: string, links: WorkshopLinks): boolean {
		try {
			this.db
				.prepare('INSERT INTO workshop_links (workshop_id, join_code, invite_token, observer_token) VALUES (?, ?, ?, ?)')
				.run(workshopId, links.joinCode, links.inviteToken, links.observerToken);
			return true;
		} catch (error) {
			if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
			throw error;
		}
	}

	async getWorkshopLinks(workshopId: string): Promise<WorkshopLinks | null> {
		const row = this.db
			.prepare<[string], { join_code: string; invite_token: string; observer_token: string }>(
				'SELECT join_code, invite_token, observer_token FROM workshop_links WHERE workshop_id = ?'
			)
			.get(workshopId);
		return row ? { joinCode: row.join_code, inviteToken: row.invite_token, observerToken: row.observer_token } : null;
	}

	async setWorkshopLinks(workshopId: string, links: WorkshopLinks): Promise<boolean> {
		return this.#insertLinks(workshopId, links);
	}

	async findWorkshopByJoinCode(code: string): Promise<{ workshopId: string } | null> {
		const row = this.db
			.prepare<[string], { workshop_id: string }>('SELECT workshop_id FROM workshop_links WHERE join_code = ?')
			.get(code);
		return row ? { workshopId: row.workshop_id } : null;
	}

	async findWorkshopByLinkToken(token: string): Promise<{ workshopId: string; role: 'participant' | 'observer' } | null> {
		const row = this.db
			.prepare<[string, string], { workshop_id: string; invite_token: string }>(
				'SELECT workshop_id, invite_token FROM workshop_links WHERE invite_token = ? OR observer_token = ?'
			)
			.get(token, token);
		if (!row) return null;
		return { workshopId: row.workshop_id, role: row.invite_token === token ? 'participant' : 'observer' };
	}

	async getMembership(workshopId: string, userId: string): Promise<Membership | null> {
		const row = this.db
			.prepare<[string, string], MembershipRow>(`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`)
			.get(workshopId, userId);
		return row ? toMembership(row) : null;
	}

	async listMembers(workshopId: string): Promise<Membership[]> {
		return this.db
			.prepare<[string], MembershipRow>(`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? ORDER BY m.joined_at, m.user_id`)
			.all(workshopId)
			.map(toMembership);
	}

	async upsertMembership(membership: NewMembership): Promise<Membership> {
		return this.db.transaction(() => this.#upsertMembership(membership)).immediate();
	}

	#upsertMembership(membership: NewMembership): Membership {
		let organisationId: string | null = null;
		if (membership.organisation) {
			const existing = this.db
				.prepare<[string, string], { id: string }>(
					'SELECT id FROM organisations WHERE workshop_id = ? AND name = ? COLLATE NOCASE'
				)
				.get(membership.workshopId, membership.organisation);
			organisationId = existing?.id ?? randomUUID();
			if (!existing) {
				this.db
					.prepare('INSERT INTO organisations (id, workshop_id, name, created_at) VALUES (?, ?, ?, ?)')
					.run(organisationId, membership.workshopId, membership.organisation, membership.joinedAt);
			}
		}
		this.db
			.prepare(
				`INSERT INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (workshop_id, user_id) DO UPDATE SET name = excluded.name, organisation_id = excluded.organisation_id`
			)
			.run(
				membership.workshopId,
				membership.userId,
				membership.role,
				membership.name,
				organisationId,
				membership.grantedBy,
				membership.joinedAt
			);
		const row = this.db
			.prepare<[string, string], MembershipRow>(`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`)
			.get(membership.workshopId, membership.userId)!;
		return toMembership(row);
	}

	async listMemberships(userId: string): Promise<(Membership & { workshopTitle: string })[]> {
		const rows = this.db
			.prepare<[string], MembershipRow & { title: string }>(
				`SELECT m.*, o.name AS organisation_name, w.title FROM memberships m
				JOIN workshops w ON w.id = m.workshop_id
				LEFT JOIN organisations o ON o.id = m.organisation_id
				WHERE m.user_id = ? ORDER BY w.created_at DESC`
			)
			.all(userId);
		return rows.map((row) => ({ ...toMembership(row), workshopTitle: row.title }));
	}

	async listOrganisations(workshopId: string): Promise<Organisation[]> {
		return this.db
			.prepare<[string], { id: string; workshop_id: string; name: string; created_at: number }>(
				'SELECT id, workshop_id, name, created_at FROM organisations WHERE workshop_id = ? ORDER BY name COLLATE NOCASE'
			)
			.all(workshopId)
			.map((row) => ({ id: row.id, workshopId: row.workshop_id, name: row.name, createdAt: row.created_at }));
	}

	async getWorkshop(id: string): Promise<Workshop | null> {
		const row = this.db
			.prepare<[string], WorkshopRow>('SELECT id, title, created_at, owner_id FROM workshops WHERE id = ?')
			.get(id);
		return row ? toWorkshop(row) : null;
	}

	async listWorkshops(limit: number, ownerId?: string): Promise<Workshop[]> {
		const rows =
			ownerId === undefined
				? this.db
						.prepare<[number], WorkshopRow>(
							'SELECT id, title, created_at, owner_id FROM workshops ORDER BY created_at DESC LIMIT ?'
						)
						.all(limit)
				: this.db
						.prepare<[string, number], WorkshopRow>(
							'SELECT id, title, created_at, owner_id FROM workshops WHERE owner_id = ? ORDER BY created_at DESC LIMIT ?'
						)
						.all(ownerId, limit);
		return rows.map(toWorkshop);
	}

	async createUser(user: User): Promise<boolean> {
		const result = this.db
			.prepare(
				'INSERT INTO users (id, login, password_hash, created_at, kind) VALUES (?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING'
			)
			.run(user.id, user.login, user.passwordHash, user.createdAt, user.kind ?? 'facilitator');
		return result.changes === 1;
	}

	async getUser(id: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>('SELECT id, login, password_hash, created_at, kind FROM users WHERE id = ?')
			.get(id);
		return row ? toUser(row) : null;
	}

	async getUserByLogin(login: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>('SELECT id, login, password_hash, created_at, kind FROM users WHERE login = ?')
			.get(login);
		return row ? toUser(row) : null;
	}

	async setUserPassword(userId: string, passwordHash: string, keepSessionId: string | null): Promise<void> {
		this.db
			.transaction(() => {
				this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
				this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?').run(userId, keepSessionId);
			})
			.immediate();
	}

	async createSession(session: StoredSession): Promise<void> {
		this.db
			.prepare(
				'INSERT INTO sessions (id, user_id, secret_hash, created_at, last_verified_at) VALUES (?, ?, ?, ?, ?)'
			)
			.run(session.id, session.userId, session.secretHash, session.createdAt, session.lastVerifiedAt);
	}

	async getSession(id: string): Promise<StoredSession | null> {
		const row = this.db
			.prepare<[string], SessionRow>(
				'SELECT id, user_id, secret_hash, created_at, last_verified_at FROM sessions WHERE id = ?'
			)
			.get(id);
		if (!row) return null;
		return {
			id: row.id,
			userId: row.user_id,
			secretHash: new Uint8Array(row.secret_hash),
			createdAt: row.created_at,
			lastVerifiedAt: row.last_verified_at
		};
	}

	async touchSession(id: string, lastVerifiedAt: number): Promise<void> {
		this.db.prepare('UPDATE sessions SET last_verified_at = ? WHERE id = ?').run(lastVerifiedAt, id);
	}

	async deleteSession(id: string): Promise<void> {
		this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
	}

	async deleteUserSessions(userId: string): Promise<void> {
		this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
	}

	async deleteExpiredSessions(lastUsedBefore: number, createdBefore: number, guestLastUsedBefore: number): Promise<void> {
		this.db
			.prepare(
				`DELETE FROM sessions WHERE CASE
					WHEN (SELECT kind FROM users WHERE users.id = sessions.user_id) = 'guest' THEN last_verified_at <= ?
					ELSE last_verified_at <= ? OR created_at <= ? END`
			)
			.run(guestLastUsedBefore, lastUsedBefore, createdBefore);
	}

	async checkWritable(): Promise<boolean> {
		try {
			this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
			return true;
		} catch {
			if (this.db.inTransaction) this.db.exec('ROLLBACK');
			return false;
		}
	}

	async close(): Promise<void> {
		if (this.db.open) this.db.close();
	}
}

interface WorkshopRow {
	id: string;
	title: string;
	created_at: number;
	owner_id: string | null;
}

interface UserRow {
	id: string;
	login: string;
	password_hash: string;
	created_at: number;
	kind: UserKind;
}

interface MembershipRow {
	workshop_id: string;
	user_id: string;
	role: Role;
	name: string;
	organisation_id: string | null;
	organisation_name: string | null;
	granted_by: MembershipGrant;
	joined_at: number;
}

const MEMBERSHIP_SELECT = `SELECT m.*, o.name AS organisation_name FROM memberships m
	LEFT JOIN organisations o ON o.id = m.organisation_id`;

/** Thrown inside a transaction to roll it back when a code or token is taken. */
class TakenLinks extends Error {}

function toMembership(row: MembershipRow): Membership {
	return {
		workshopId: row.workshop_id,
		userId: row.user_id,
		role: row.role,
		name: row.name,
		organisationId: row.organisation_id,
		organisation: row.organisation_name,
		grantedBy: row.granted_by,
		joinedAt: row.joined_at
	};
}

interface SessionRow {
	id: string;
	user_id: string;
	secret_hash: Buffer;
	created_at: number;
	last_verified_at: number;
}

function toWorkshop(row: WorkshopRow): Workshop {
	return { id: row.id, title: row.title, createdAt: row.created_at, ownerId: row.owner_id };
}

function toUser(row: UserRow): User {
	return { id: row.id, kind: row.kind, login: row.login, passwordHash: row.password_hash, createdAt: row.created_at };
}
