import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Storage, StoredDocument, StoredSession, UpdateRow, User, Workshop } from './types';

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
	return new SqliteStorage(db);
}

/** Brings a database made by an earlier version up to SCHEMA (CREATE IF NOT EXISTS adds no column). */
function migrate(db: Database.Database): void {
	const columns = db.prepare<[], { name: string }>('PRAGMA table_info(workshops)').all();
	if (!columns.some((column) => column.name === 'owner_id')) {
		db.exec('ALTER TABLE workshops ADD COLUMN owner_id TEXT REFERENCES users (id)');
	}
	db.exec('CREATE INDEX IF NOT EXISTS workshops_owner ON workshops (owner_id, created_at)');
}

export class SqliteStorage implements Storage {
	readonly kind = 'sqlite';
	readonly #insertUpdate;
	readonly #appendAll;

	constructor(readonly db: Database.Database) {
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

	async createWorkshop(workshop: Workshop): Promise<void> {
		this.db
			.prepare('INSERT INTO workshops (id, title, created_at, owner_id) VALUES (?, ?, ?, ?)')
			.run(workshop.id, workshop.title, workshop.createdAt, workshop.ownerId);
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
				'INSERT INTO users (id, login, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (login) DO NOTHING'
			)
			.run(user.id, user.login, user.passwordHash, user.createdAt);
		return result.changes === 1;
	}

	async getUser(id: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>('SELECT id, login, password_hash, created_at FROM users WHERE id = ?')
			.get(id);
		return row ? toUser(row) : null;
	}

	async getUserByLogin(login: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>('SELECT id, login, password_hash, created_at FROM users WHERE login = ?')
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

	async deleteExpiredSessions(lastUsedBefore: number, createdBefore: number): Promise<void> {
		this.db
			.prepare('DELETE FROM sessions WHERE last_verified_at <= ? OR created_at <= ?')
			.run(lastUsedBefore, createdBefore);
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
	return { id: row.id, login: row.login, passwordHash: row.password_hash, createdAt: row.created_at };
}
