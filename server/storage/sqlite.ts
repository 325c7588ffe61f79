import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Storage, StoredDocument, UpdateRow, Workshop } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS workshops (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	created_at INTEGER NOT NULL
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
	return new SqliteStorage(db);
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
			.prepare('INSERT INTO workshops (id, title, created_at) VALUES (?, ?, ?)')
			.run(workshop.id, workshop.title, workshop.createdAt);
	}

	async getWorkshop(id: string): Promise<Workshop | null> {
		const row = this.db
			.prepare<[string], WorkshopRow>('SELECT id, title, created_at FROM workshops WHERE id = ?')
			.get(id);
		return row ? toWorkshop(row) : null;
	}

	async listWorkshops(limit: number): Promise<Workshop[]> {
		return this.db
			.prepare<[number], WorkshopRow>('SELECT id, title, created_at FROM workshops ORDER BY created_at DESC LIMIT ?')
			.all(limit)
			.map(toWorkshop);
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
}

function toWorkshop(row: WorkshopRow): Workshop {
	return { id: row.id, title: row.title, createdAt: row.created_at };
}
