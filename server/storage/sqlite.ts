import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
	Membership,
	MembershipGrant,
	NewMembership,
	NewWorkshop,
	Organisation,
	Role,
	Storage,
	StoredDocument,
	StoredSession,
	UpdateRow,
	User,
	Workshop,
	WorkshopDetails,
	WorkshopLinks
} from '../../src/lib/server/ports/storage';
import { randomUUID } from 'node:crypto';
import { sqliteCommandResults } from './sqlite-command-results';
import { sqlitePlacements, sqliteScores } from './sqlite-scores';
import { sqliteContacts } from './sqlite-contacts';
import { sqliteHistory } from './sqlite-history';
import { sqliteVotes } from './sqlite-votes';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteWriter, type WriteGate } from './sqlite-writer';
import { sqliteImports } from './sqlite-import';
import { migrateSqlite } from './migrations';
import { organisationKey } from '../../src/lib/shared/schema';
import {
	MEMBERSHIP_SELECT,
	WORKSHOP_SELECT,
	toMembership,
	toUser,
	toWorkshop,
	type MembershipRow,
	type OrganisationRow,
	type SessionRow,
	type UserRow,
	type WorkshopRow
} from './rows';

export const DATABASE_FILE = 'coalition-board.sqlite';

export function openSqliteStorage(options: {
	dataDir: string;
	busyTimeoutMs: number;
	/** How often the WAL is checkpointed (SqliteCheckpointer's default: every second). */
	checkpointIntervalMs?: number;
	/** Bytes written before the checkpointer's thread starts (default 1 MiB). */
	checkpointAfterBytes?: number;
}): SqliteStorage {
	fs.mkdirSync(options.dataDir, { recursive: true });
	const file = path.join(options.dataDir, DATABASE_FILE);
	const db = new Database(file, { timeout: options.busyTimeoutMs });
	db.pragma('journal_mode = WAL');
	// better-sqlite3's build makes WAL imply synchronous=NORMAL, which can lose commits on power loss.
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	// Checkpoints (two more fsyncs) happen on the checkpointer's thread, never on this one.
	db.pragma('wal_autocheckpoint = 0');
	// Every table, for both engines, comes from one list (server/storage/migrations.ts).
	migrateSqlite(db);
	// From here on every write of this connection goes through SqliteWriter.exclusive, which makes
	// it durable with an fdatasync of the WAL on the writer's thread: the commit itself need not
	// sync (NORMAL), and the event loop never waits for the disk.
	db.pragma('synchronous = NORMAL');
	const threads = { file, busyTimeoutMs: options.busyTimeoutMs };
	const checkpointer = new SqliteCheckpointer({
		...threads,
		intervalMs: options.checkpointIntervalMs
	});
	// The checkpointer's thread starts once the WAL has something worth copying, not with every
	// storage opened: a CLI run or a test's short-lived storage never needs one, and starting a
	// thread costs the event loop (75 at once stalled it 1.6 s in the import fuzzer).
	let untilCheckpointer = options.checkpointAfterBytes ?? 1024 * 1024;
	const onWrite = (bytes: number) => {
		untilCheckpointer -= bytes;
		if (untilCheckpointer <= 0) checkpointer.start();
	};
	return new SqliteStorage(db, new SqliteWriter({ ...threads, onWrite }), checkpointer);
}

/** Column names that key a row to a workshop (its documents are named by the workshop id). */
const WORKSHOP_KEY_COLUMNS = new Set(['workshop_id', 'workshop', 'doc', 'document']);

/** Every (table, column) keyed by a workshop id, read from the schema itself so new tables count. */
export function workshopKeyedColumns(db: Database.Database): { table: string; column: string }[] {
	const tables = db
		.prepare<[], { name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		)
		.all();
	const keyed: { table: string; column: string }[] = [];
	for (const { name } of tables) {
		for (const column of db.prepare<[], { name: string }>(`PRAGMA table_info("${name}")`).all()) {
			if (WORKSHOP_KEY_COLUMNS.has(column.name)) keyed.push({ table: name, column: column.name });
		}
	}
	return keyed;
}

export class SqliteStorage implements Storage {
	readonly kind = 'sqlite';
	readonly commandResults;
	readonly scores;
	readonly placements;
	readonly contacts;
	readonly history;
	readonly votes;
	readonly imports;

	/**
	 * `db` is the main thread's connection: reads (WAL readers see every committed write), and the
	 * tables other than the update log. `writer` owns the update log (doc_updates, doc_snapshots)
	 * on its own thread; only deleteWorkshop, which must delete a workshop's rows of every table in
	 * one transaction, also writes the log from here. `checkpointer` copies the WAL into the
	 * database file on a third thread, beside both.
	 */
	constructor(
		readonly db: Database.Database,
		readonly writer: SqliteWriter,
		readonly checkpointer: SqliteCheckpointer
	) {
		// Every write on this connection takes its turn with the writer's (SqliteWriter.exclusive).
		const write: WriteGate = (change) => writer.exclusive(change);
		this.commandResults = sqliteCommandResults(db, write);
		this.scores = sqliteScores(db, write);
		this.placements = sqlitePlacements(db, write);
		this.contacts = sqliteContacts(db, write);
		this.history = sqliteHistory(db, write);
		this.votes = sqliteVotes(db, write);
		this.imports = sqliteImports(db, write);
	}

	/** The update log's writer thread starts with the server, not with its first commit. */
	ready(): Promise<void> {
		return this.writer.start();
	}

	async appendUpdates(rows: UpdateRow[]): Promise<number[]> {
		if (rows.length === 0) return [];
		return this.writer.append(rows);
	}

	async loadDocument(doc: string): Promise<StoredDocument> {
		const read = this.db.transaction(() => {
			const snapshot = this.db
				.prepare<[string], { data: Buffer; upto: number; owned: string | null }>(
					'SELECT data, upto, owned FROM doc_snapshots WHERE doc = ?'
				)
				.get(doc);
			const updates = this.db
				.prepare<[string, number], { id: number; data: Buffer; owned: string | null }>(
					'SELECT id, data, owned FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id'
				)
				.all(doc, snapshot?.upto ?? 0);
			return { snapshot, updates };
		});
		const { snapshot, updates } = read();
		let bytes = snapshot?.data.length ?? 0;
		for (const row of updates) bytes += row.data.length;
		return {
			snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
			snapshotOwned: snapshot?.owned ?? null,
			updates: updates.map((row) => ({
				id: row.id,
				data: new Uint8Array(row.data),
				owned: row.owned
			})),
			bytes
		};
	}

	async compactDocument(
		doc: string,
		snapshot: Uint8Array,
		upto: number,
		owned: string
	): Promise<void> {
		return this.writer.compact(doc, snapshot, upto, owned);
	}

	/** On the writer: after every append asked before it, so none of them outlives the delete. */
	async deleteDocument(doc: string): Promise<void> {
		return this.writer.delete(doc);
	}

	async createWorkshop(
		workshop: NewWorkshop,
		setup?: { links: WorkshopLinks; creator?: NewMembership }
	): Promise<boolean> {
		return this.writer.exclusive(() => {
			try {
				return this.#createWorkshop(workshop, setup);
			} catch (error) {
				if (error instanceof TakenLinks) return false;
				throw error;
			}
		});
	}

	#createWorkshop(
		workshop: NewWorkshop,
		setup?: { links: WorkshopLinks; creator?: NewMembership }
	): boolean {
		return this.db
			.transaction(() => {
				this.db
					.prepare(
						`INSERT INTO workshops (id, title, created_at, owner_id, date, place, language, issue)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
					)
					.run(
						workshop.id,
						workshop.title,
						workshop.createdAt,
						workshop.ownerId,
						workshop.date ?? null,
						workshop.place ?? '',
						workshop.language ?? 'fr',
						workshop.issue ?? ''
					);
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
				.prepare(
					'INSERT INTO workshop_links (workshop_id, join_code, invite_token, observer_token) VALUES (?, ?, ?, ?)'
				)
				.run(workshopId, links.joinCode, links.inviteToken, links.observerToken);
			return true;
		} catch (error) {
			// A code or token taken (UNIQUE), or links already set (the workshop's PRIMARY KEY).
			const code = (error as { code?: string }).code;
			if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
				return false;
			throw error;
		}
	}

	async getWorkshopLinks(workshopId: string): Promise<WorkshopLinks | null> {
		const row = this.db
			.prepare<[string], { join_code: string; invite_token: string; observer_token: string }>(
				'SELECT join_code, invite_token, observer_token FROM workshop_links WHERE workshop_id = ?'
			)
			.get(workshopId);
		return row
			? {
					joinCode: row.join_code,
					inviteToken: row.invite_token,
					observerToken: row.observer_token
				}
			: null;
	}

	async setWorkshopLinks(workshopId: string, links: WorkshopLinks): Promise<boolean> {
		return this.writer.exclusive(() => {
			return this.#insertLinks(workshopId, links);
		});
	}

	async replaceWorkshopLinks(
		workshopId: string,
		links: WorkshopLinks,
		endGrants: MembershipGrant[]
	): Promise<string[] | null> {
		return this.writer.exclusive(() => {
			try {
				return this.db
					.transaction(() => {
						const updated = this.db
							.prepare(
								'UPDATE workshop_links SET join_code = ?, invite_token = ?, observer_token = ? WHERE workshop_id = ?'
							)
							.run(links.joinCode, links.inviteToken, links.observerToken, workshopId);
						if (updated.changes === 0 && !this.#insertLinks(workshopId, links))
							throw new TakenLinks();
						if (endGrants.length === 0) return [];
						const placeholders = endGrants.map(() => '?').join(', ');
						const ended = this.db
							.prepare<string[], { user_id: string }>(
								`DELETE FROM memberships WHERE workshop_id = ? AND role <> 'facilitator'
								AND granted_by IN (${placeholders}) RETURNING user_id`
							)
							.all(workshopId, ...endGrants)
							.map((row) => row.user_id);
						this.#deleteOrphanGuests(ended);
						return ended;
					})
					.immediate();
			} catch (error) {
				if (
					error instanceof TakenLinks ||
					(error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
				)
					return null;
				throw error;
			}
		});
	}

	async findWorkshopByJoinCode(code: string): Promise<{ workshopId: string } | null> {
		const row = this.db
			.prepare<[string], { workshop_id: string }>(
				'SELECT workshop_id FROM workshop_links WHERE join_code = ?'
			)
			.get(code);
		return row ? { workshopId: row.workshop_id } : null;
	}

	async findWorkshopByLinkToken(
		token: string
	): Promise<{ workshopId: string; role: 'participant' | 'observer' } | null> {
		const row = this.db
			.prepare<[string, string], { workshop_id: string; invite_token: string }>(
				'SELECT workshop_id, invite_token FROM workshop_links WHERE invite_token = ? OR observer_token = ?'
			)
			.get(token, token);
		if (!row) return null;
		return {
			workshopId: row.workshop_id,
			role: row.invite_token === token ? 'participant' : 'observer'
		};
	}

	async getMembership(workshopId: string, userId: string): Promise<Membership | null> {
		const row = this.db
			.prepare<[string, string], MembershipRow>(
				`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`
			)
			.get(workshopId, userId);
		return row ? toMembership(row) : null;
	}

	async upsertMembership(membership: NewMembership): Promise<Membership> {
		return this.writer.exclusive(() => {
			return this.db.transaction(() => this.#upsertMembership(membership)).immediate();
		});
	}

	/** The organisation of that name in the workshop (organisationKey), created when new. */
	#organisationIdFor(workshopId: string, name: string | null, now: number): string | null {
		if (!name) return null;
		const key = organisationKey(name);
		const existing = this.db
			.prepare<[string, string], { id: string }>(
				'SELECT id FROM organisations WHERE workshop_id = ? AND name_key = ?'
			)
			.get(workshopId, key);
		if (existing) return existing.id;
		const id = randomUUID();
		this.db
			.prepare(
				'INSERT INTO organisations (id, workshop_id, name, name_key, created_at) VALUES (?, ?, ?, ?, ?)'
			)
			.run(id, workshopId, name, key, now);
		return id;
	}

	#upsertMembership(membership: NewMembership): Membership {
		const organisationId = this.#organisationIdFor(
			membership.workshopId,
			membership.organisation,
			membership.joinedAt
		);
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
			.prepare<[string, string], MembershipRow>(
				`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`
			)
			.get(membership.workshopId, membership.userId)!;
		return toMembership(row);
	}

	async updateMembership(
		workshopId: string,
		userId: string,
		changes: { role?: Role; name?: string; organisation?: string | null }
	): Promise<Membership | null> {
		return this.writer.exclusive(() => {
			return this.db
				.transaction(() => {
					const current = this.db
						.prepare<[string, string], MembershipRow>(
							`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`
						)
						.get(workshopId, userId);
					if (!current) return null;
					const organisationId =
						changes.organisation === undefined
							? current.organisation_id
							: this.#organisationIdFor(workshopId, changes.organisation, Date.now());
					this.db
						.prepare(
							'UPDATE memberships SET role = ?, name = ?, organisation_id = ? WHERE workshop_id = ? AND user_id = ?'
						)
						.run(
							changes.role ?? current.role,
							changes.name ?? current.name,
							organisationId,
							workshopId,
							userId
						);
					return toMembership(
						this.db
							.prepare<[string, string], MembershipRow>(
								`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? AND m.user_id = ?`
							)
							.get(workshopId, userId)!
					);
				})
				.immediate();
		});
	}

	async deleteMembership(workshopId: string, userId: string): Promise<boolean> {
		return this.writer.exclusive(() => {
			return this.db
				.transaction(() => {
					const deleted = this.db
						.prepare('DELETE FROM memberships WHERE workshop_id = ? AND user_id = ?')
						.run(workshopId, userId);
					this.#deleteOrphanGuests([userId]);
					return deleted.changes === 1;
				})
				.immediate();
		});
	}

	async listMembers(workshopId: string): Promise<Membership[]> {
		return (
			this.db
				// Insertion order breaks ties between members who joined in the same millisecond.
				.prepare<[string], MembershipRow>(
					`${MEMBERSHIP_SELECT} WHERE m.workshop_id = ? ORDER BY m.joined_at, m.rowid`
				)
				.all(workshopId)
				.map(toMembership)
		);
	}

	async listMemberships(
		userId: string
	): Promise<(Membership & { workshopTitle: string; workshopDate: string | null })[]> {
		const rows = this.db
			.prepare<[string], MembershipRow & { title: string; date: string | null }>(
				`SELECT m.*, o.name AS organisation_name, w.title, w.date FROM memberships m
				JOIN workshops w ON w.id = m.workshop_id
				LEFT JOIN organisations o ON o.id = m.organisation_id
				WHERE m.user_id = ? ORDER BY w.created_at DESC, w.id`
			)
			.all(userId);
		return rows.map((row) => ({
			...toMembership(row),
			workshopTitle: row.title,
			workshopDate: row.date
		}));
	}

	async listOrganisations(workshopId: string): Promise<Organisation[]> {
		return this.db
			.prepare<[string], OrganisationRow>(
				`SELECT id, workshop_id, name, created_at, delegate_user_id FROM organisations
				WHERE workshop_id = ? ORDER BY name_key, name, id`
			)
			.all(workshopId)
			.map((row) => ({
				id: row.id,
				workshopId: row.workshop_id,
				name: row.name,
				createdAt: row.created_at,
				delegateUserId: row.delegate_user_id
			}));
	}

	async mergeOrganisations(workshopId: string, keptId: string, mergedId: string): Promise<boolean> {
		return this.writer.exclusive(() => {
			if (keptId === mergedId) return false;
			return this.db
				.transaction(() => {
					const found = this.db
						.prepare<[string, string, string], { n: number }>(
							'SELECT count(*) AS n FROM organisations WHERE workshop_id = ? AND id IN (?, ?)'
						)
						.get(workshopId, keptId, mergedId)!;
					if (found.n !== 2) return false;
					this.db
						.prepare(
							'UPDATE memberships SET organisation_id = ? WHERE workshop_id = ? AND organisation_id = ?'
						)
						.run(keptId, workshopId, mergedId);
					this.db.prepare('DELETE FROM organisations WHERE id = ?').run(mergedId);
					return true;
				})
				.immediate();
		});
	}

	async setOrganisationDelegate(
		workshopId: string,
		organisationId: string,
		userId: string | null
	): Promise<boolean> {
		return this.writer.exclusive(() => {
			const result = this.db
				.prepare('UPDATE organisations SET delegate_user_id = ? WHERE workshop_id = ? AND id = ?')
				.run(userId, workshopId, organisationId);
			return result.changes === 1;
		});
	}

	async updateWorkshopDetails(
		id: string,
		details: Pick<Workshop, 'title'> & WorkshopDetails,
		changedAt: number
	): Promise<boolean> {
		return this.writer.exclusive(() => {
			// The stamp moves only when a detail differs (the right-hand sides read the row as it was).
			const result = this.db
				.prepare(
					`UPDATE workshops SET details_changed_at = CASE
						WHEN title IS @title AND date IS @date AND place IS @place AND language IS @language
							AND issue IS @issue THEN details_changed_at ELSE @changedAt END,
					title = @title, date = @date, place = @place, language = @language, issue = @issue
					WHERE id = @id`
				)
				.run({
					title: details.title,
					date: details.date,
					place: details.place,
					language: details.language,
					issue: details.issue,
					changedAt,
					id
				});
			return result.changes === 1;
		});
	}

	async deleteWorkshop(id: string): Promise<void> {
		return this.writer.exclusive(() => {
			this.db
				.transaction(() => {
					// Rows refer to each other (memberships to organisations): check references at commit.
					this.db.pragma('defer_foreign_keys = ON');
					const members = this.db
						.prepare<[string], { user_id: string }>(
							'SELECT user_id FROM memberships WHERE workshop_id = ?'
						)
						.all(id)
						.map((row) => row.user_id);
					for (const { table, column } of workshopKeyedColumns(this.db)) {
						this.db.prepare(`DELETE FROM "${table}" WHERE "${column}" = ?`).run(id);
					}
					this.db.prepare('DELETE FROM workshops WHERE id = ?').run(id);
					this.#deleteOrphanGuests(members);
				})
				.immediate();
		});
	}

	/** Guests with no session and no membership left (members added without a device): nothing refers to them. */
	#deleteOrphanGuests(userIds: string[]): void {
		const remove = this.db.prepare(
			`DELETE FROM users WHERE id = ? AND kind = 'guest'
			AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = users.id)
			AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id)`
		);
		for (const userId of userIds) remove.run(userId);
	}

	async getWorkshop(id: string): Promise<Workshop | null> {
		const row = this.db.prepare<[string], WorkshopRow>(`${WORKSHOP_SELECT} WHERE id = ?`).get(id);
		return row ? toWorkshop(row) : null;
	}

	async listWorkshops(limit: number, ownerId?: string): Promise<Workshop[]> {
		const rows =
			ownerId === undefined
				? this.db
						.prepare<[number], WorkshopRow>(
							`${WORKSHOP_SELECT} ORDER BY created_at DESC, id LIMIT ?`
						)
						.all(limit)
				: this.db
						.prepare<[string, number], WorkshopRow>(
							`${WORKSHOP_SELECT} WHERE owner_id = ? ORDER BY created_at DESC, id LIMIT ?`
						)
						.all(ownerId, limit);
		return rows.map(toWorkshop);
	}

	async createUser(user: User): Promise<boolean> {
		return this.writer.exclusive(() => {
			const result = this.db
				.prepare(
					'INSERT INTO users (id, login, password_hash, created_at, kind, display_name) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING'
				)
				.run(
					user.id,
					user.login,
					user.passwordHash,
					user.createdAt,
					user.kind ?? 'facilitator',
					user.displayName ?? null
				);
			return result.changes === 1;
		});
	}

	async getUser(id: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>(
				'SELECT id, login, password_hash, created_at, kind, display_name FROM users WHERE id = ?'
			)
			.get(id);
		return row ? toUser(row) : null;
	}

	async getUserByLogin(login: string): Promise<User | null> {
		const row = this.db
			.prepare<[string], UserRow>(
				'SELECT id, login, password_hash, created_at, kind, display_name FROM users WHERE login = ?'
			)
			.get(login);
		return row ? toUser(row) : null;
	}

	async setUserPassword(
		userId: string,
		passwordHash: string,
		keepSessionId: string | null
	): Promise<void> {
		return this.writer.exclusive(() => {
			this.db
				.transaction(() => {
					this.db
						.prepare('UPDATE users SET password_hash = ? WHERE id = ?')
						.run(passwordHash, userId);
					this.db
						.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?')
						.run(userId, keepSessionId);
				})
				.immediate();
		});
	}

	async createSession(session: StoredSession): Promise<void> {
		return this.writer.exclusive(() => {
			this.db
				.prepare(
					'INSERT INTO sessions (id, user_id, secret_hash, created_at, last_verified_at) VALUES (?, ?, ?, ?, ?)'
				)
				.run(
					session.id,
					session.userId,
					session.secretHash,
					session.createdAt,
					session.lastVerifiedAt
				);
		});
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
		return this.writer.exclusive(() => {
			this.db
				.prepare('UPDATE sessions SET last_verified_at = ? WHERE id = ?')
				.run(lastVerifiedAt, id);
		});
	}

	async deleteSession(id: string): Promise<void> {
		return this.writer.exclusive(() => {
			this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
		});
	}

	async deleteUserSessions(userId: string): Promise<void> {
		return this.writer.exclusive(() => {
			this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
		});
	}

	async deleteExpiredSessions(
		lastUsedBefore: number,
		createdBefore: number,
		guestLastUsedBefore: number
	): Promise<void> {
		return this.writer.exclusive(() => {
			this.db
				.prepare(
					`DELETE FROM sessions WHERE CASE
						WHEN (SELECT kind FROM users WHERE users.id = sessions.user_id) = 'guest' THEN last_verified_at <= ?
						ELSE last_verified_at <= ? OR created_at <= ? END`
				)
				.run(guestLastUsedBefore, lastUsedBefore, createdBefore);
		});
	}

	/** Asked of the writer, which makes the commits: waiting for the lock never blocks this thread. */
	async checkWritable(): Promise<boolean> {
		return this.writer.checkWritable();
	}

	async close(): Promise<void> {
		await this.writer.close();
		await this.checkpointer.close();
		if (this.db.open) this.db.close();
	}
}

/** Thrown inside a transaction to roll it back when a code or token is taken. */
class TakenLinks extends Error {}
