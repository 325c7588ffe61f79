/**
 * The PostgreSQL storage engine, chosen by DATABASE_URL (server/storage/open.ts). The same
 * contract as SQLite (src/lib/server/ports/storage.ts, held by tests/integration/storage-contract.test.ts
 * on both): every method is one statement or one transaction, and the invariants that several
 * processes could race for are in the database (unique keys, conditional updates, the partial
 * index for one open round), never in this process's queues.
 *
 * The driver is asynchronous: a commit waits on its own connection and never on the event
 * loop, and a compaction runs on another connection than the appends of other documents.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
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
import {
	createPool,
	isUniqueViolation,
	migratePostgres,
	transaction,
	type PostgresOptions,
	type Queryable
} from './postgres-db';
import { postgresCommandResults } from './postgres-command-results';
import { postgresPlacements, postgresScores } from './postgres-scores';
import { postgresContacts } from './postgres-contacts';
import { postgresHistory } from './postgres-history';
import { postgresVotes } from './postgres-votes';
import { postgresImports } from './postgres-import';
import { settleWithin } from '../settle-within';
import { organisationKey } from '../../src/lib/shared/schema';
import {
	MEMBERSHIP_SELECT,
	USER_SELECT,
	WORKSHOP_SELECT,
	toLinks,
	toMembership,
	toUser,
	toWorkshop,
	type LinksRow,
	type MembershipRow,
	type OrganisationRow,
	type SessionRow,
	type UserRow,
	type WorkshopRow
} from './rows';

/** How long /healthz waits for a write transaction before calling the database unwritable. */
const WRITABLE_CHECK_MS = 3000;

/** Column names that key a row to a workshop (its documents are named by the workshop id). */
const WORKSHOP_KEY_COLUMNS = ['workshop_id', 'workshop', 'doc', 'document'];

export function openPostgresStorage(
	options: PostgresOptions & { onPoolError?: (error: Error) => void }
): PostgresStorage {
	const pool = createPool(options, options.onPoolError ?? (() => {}));
	return new PostgresStorage(pool, options.schema, migratePostgres(pool, options.schema));
}

export class PostgresStorage implements Storage {
	readonly kind = 'postgres';
	readonly commandResults;
	readonly scores;
	readonly placements;
	readonly contacts;
	readonly history;
	readonly votes;
	readonly imports;
	readonly #migrated: Promise<void>;

	constructor(
		readonly pool: pg.Pool,
		readonly schema: string,
		migrated: Promise<void>
	) {
		// A failed migration is reported by ready(); until then no method may touch the tables.
		this.#migrated = migrated;
		migrated.catch(() => {});
		this.commandResults = postgresCommandResults(pool);
		this.scores = postgresScores(pool);
		this.placements = postgresPlacements(pool);
		this.contacts = postgresContacts(pool);
		this.history = postgresHistory(pool);
		this.votes = postgresVotes(pool);
		this.imports = postgresImports(pool);
	}

	/** Resolves once the schema is migrated; rejects with why it could not be. */
	ready(): Promise<void> {
		return this.#migrated;
	}

	async appendUpdates(rows: UpdateRow[]): Promise<number[]> {
		if (rows.length === 0) return [];
		await this.#migrated;
		// One statement: one commit, one WAL flush for the whole batch. Identity values are drawn
		// in the VALUES order, so the ids sorted are the rows' ids in order.
		const values: unknown[] = [];
		const tuples = rows.map((row, index) => {
			values.push(row.doc, row.update, row.owned ?? null);
			return `($${index * 3 + 1}, $${index * 3 + 2}, $${index * 3 + 3})`;
		});
		const { rows: inserted } = await this.pool.query<{ id: number }>(
			`INSERT INTO doc_updates (doc, data, owned) VALUES ${tuples.join(', ')} RETURNING id`,
			values
		);
		return inserted.map((row) => row.id).sort((a, b) => a - b);
	}

	async loadDocument(doc: string): Promise<StoredDocument> {
		await this.#migrated;
		// One snapshot of the database for both reads: a compaction between them can't make the
		// log look empty after an old snapshot.
		const { snapshot, updates } = await transaction(this.pool, async (client) => {
			await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
			const snapshot = await client.query<{ data: Buffer; upto: number; owned: string | null }>(
				'SELECT data, upto, owned FROM doc_snapshots WHERE doc = $1',
				[doc]
			);
			const head = snapshot.rows[0];
			const updates = await client.query<{ id: number; data: Buffer; owned: string | null }>(
				'SELECT id, data, owned FROM doc_updates WHERE doc = $1 AND id > $2 ORDER BY id',
				[doc, head?.upto ?? 0]
			);
			return { snapshot: head, updates: updates.rows };
		});
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
		await this.#migrated;
		await transaction(this.pool, async (client) => {
			await client.query(
				`INSERT INTO doc_snapshots (doc, data, upto, owned) VALUES ($1, $2, $3, $4)
				ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto, owned = excluded.owned`,
				[doc, snapshot, upto, owned]
			);
			await client.query('DELETE FROM doc_updates WHERE doc = $1 AND id <= $2', [doc, upto]);
		});
	}

	async deleteDocument(doc: string): Promise<void> {
		await this.#migrated;
		await transaction(this.pool, async (client) => {
			await client.query('DELETE FROM doc_updates WHERE doc = $1', [doc]);
			await client.query('DELETE FROM doc_snapshots WHERE doc = $1', [doc]);
		});
	}

	async createWorkshop(
		workshop: NewWorkshop,
		setup?: { links: WorkshopLinks; creator?: NewMembership }
	): Promise<boolean> {
		await this.#migrated;
		try {
			return await transaction(this.pool, async (client) => {
				await client.query(
					`INSERT INTO workshops (id, title, created_at, owner_id, date, place, language, issue)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
					[
						workshop.id,
						workshop.title,
						workshop.createdAt,
						workshop.ownerId,
						workshop.date ?? null,
						workshop.place ?? '',
						workshop.language ?? 'fr',
						workshop.issue ?? ''
					]
				);
				if (!setup) return true;
				await insertLinks(client, workshop.id, setup.links);
				if (setup.creator) await upsertMembership(client, setup.creator);
				return true;
			});
		} catch (error) {
			// A taken code or token rolls the workshop back too: the caller draws again.
			if (isUniqueViolation(error) && isLinkConstraint(error)) return false;
			throw error;
		}
	}

	async getWorkshop(id: string): Promise<Workshop | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<WorkshopRow>(`${WORKSHOP_SELECT} WHERE id = $1`, [id]);
		return rows[0] ? toWorkshop(rows[0]) : null;
	}

	async updateWorkshopDetails(
		id: string,
		details: Pick<Workshop, 'title'> & WorkshopDetails,
		changedAt: number
	): Promise<boolean> {
		await this.#migrated;
		// The stamp moves only when a detail differs (the right-hand sides read the row as it was).
		const result = await this.pool.query(
			`UPDATE workshops SET details_changed_at = CASE
				WHEN title = $1 AND date IS NOT DISTINCT FROM $2 AND place = $3 AND language = $4
					AND issue = $5 THEN details_changed_at ELSE $7::bigint END,
			title = $1, date = $2, place = $3, language = $4, issue = $5
			WHERE id = $6`,
			[details.title, details.date, details.place, details.language, details.issue, id, changedAt]
		);
		return result.rowCount === 1;
	}

	async deleteWorkshop(id: string): Promise<void> {
		await this.#migrated;
		await transaction(this.pool, async (client) => {
			// Rows refer to each other (memberships to organisations): check references at commit.
			await client.query('SET CONSTRAINTS ALL DEFERRED');
			const members = await client.query<{ user_id: string }>(
				'SELECT user_id FROM memberships WHERE workshop_id = $1',
				[id]
			);
			// Every table keyed by a workshop id, read from the catalogue so tables added later count.
			const keyed = await client.query<{ table_name: string; column_name: string }>(
				`SELECT table_name, column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND column_name = ANY($1) AND table_name <> 'workshops'`,
				[WORKSHOP_KEY_COLUMNS]
			);
			for (const { table_name, column_name } of keyed.rows) {
				await client.query(`DELETE FROM "${table_name}" WHERE "${column_name}" = $1`, [id]);
			}
			await client.query('DELETE FROM workshops WHERE id = $1', [id]);
			await deleteOrphanGuests(
				client,
				members.rows.map((row) => row.user_id)
			);
		});
	}

	async listWorkshops(limit: number, ownerId?: string): Promise<Workshop[]> {
		await this.#migrated;
		const { rows } =
			ownerId === undefined
				? await this.pool.query<WorkshopRow>(
						`${WORKSHOP_SELECT} ORDER BY created_at DESC, id COLLATE "C" LIMIT $1`,
						[limit]
					)
				: await this.pool.query<WorkshopRow>(
						`${WORKSHOP_SELECT} WHERE owner_id = $1 ORDER BY created_at DESC, id COLLATE "C" LIMIT $2`,
						[ownerId, limit]
					);
		return rows.map(toWorkshop);
	}

	async createUser(user: User): Promise<boolean> {
		await this.#migrated;
		const result = await this.pool.query(
			`INSERT INTO users (id, login, password_hash, created_at, kind, display_name)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login) DO NOTHING`,
			[
				user.id,
				user.login,
				user.passwordHash,
				user.createdAt,
				user.kind ?? 'facilitator',
				user.displayName ?? null
			]
		);
		return result.rowCount === 1;
	}

	async getUser(id: string): Promise<User | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<UserRow>(`${USER_SELECT} WHERE id = $1`, [id]);
		return rows[0] ? toUser(rows[0]) : null;
	}

	async getUserByLogin(login: string): Promise<User | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<UserRow>(`${USER_SELECT} WHERE login = $1`, [login]);
		return rows[0] ? toUser(rows[0]) : null;
	}

	async setUserPassword(
		userId: string,
		passwordHash: string,
		keepSessionId: string | null
	): Promise<void> {
		await this.#migrated;
		await transaction(this.pool, async (client) => {
			await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
				passwordHash,
				userId
			]);
			await client.query('DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2', [
				userId,
				keepSessionId
			]);
		});
	}

	async createSession(session: StoredSession): Promise<void> {
		await this.#migrated;
		await this.pool.query(
			'INSERT INTO sessions (id, user_id, secret_hash, created_at, last_verified_at) VALUES ($1, $2, $3, $4, $5)',
			[
				session.id,
				session.userId,
				Buffer.from(session.secretHash),
				session.createdAt,
				session.lastVerifiedAt
			]
		);
	}

	async getSession(id: string): Promise<StoredSession | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<SessionRow>(
			'SELECT id, user_id, secret_hash, created_at, last_verified_at FROM sessions WHERE id = $1',
			[id]
		);
		const row = rows[0];
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
		await this.#migrated;
		await this.pool.query('UPDATE sessions SET last_verified_at = $1 WHERE id = $2', [
			lastVerifiedAt,
			id
		]);
	}

	async deleteSession(id: string): Promise<void> {
		await this.#migrated;
		await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
	}

	async deleteUserSessions(userId: string): Promise<void> {
		await this.#migrated;
		await this.pool.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
	}

	async deleteExpiredSessions(
		lastUsedBefore: number,
		createdBefore: number,
		guestLastUsedBefore: number
	): Promise<void> {
		await this.#migrated;
		await this.pool.query(
			`DELETE FROM sessions USING users WHERE users.id = sessions.user_id AND CASE
				WHEN users.kind = 'guest' THEN sessions.last_verified_at <= $1
				ELSE sessions.last_verified_at <= $2 OR sessions.created_at <= $3 END`,
			[guestLastUsedBefore, lastUsedBefore, createdBefore]
		);
	}

	async getWorkshopLinks(workshopId: string): Promise<WorkshopLinks | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<LinksRow>(
			'SELECT join_code, invite_token, observer_token FROM workshop_links WHERE workshop_id = $1',
			[workshopId]
		);
		return rows[0] ? toLinks(rows[0]) : null;
	}

	async setWorkshopLinks(workshopId: string, links: WorkshopLinks): Promise<boolean> {
		await this.#migrated;
		try {
			await insertLinks(this.pool, workshopId, links);
			return true;
		} catch (error) {
			if (isUniqueViolation(error)) return false;
			throw error;
		}
	}

	async replaceWorkshopLinks(
		workshopId: string,
		links: WorkshopLinks,
		endGrants: MembershipGrant[]
	): Promise<string[] | null> {
		await this.#migrated;
		try {
			return await transaction(this.pool, async (client) => {
				const updated = await client.query(
					'UPDATE workshop_links SET join_code = $1, invite_token = $2, observer_token = $3 WHERE workshop_id = $4',
					[links.joinCode, links.inviteToken, links.observerToken, workshopId]
				);
				if (updated.rowCount === 0) await insertLinks(client, workshopId, links);
				if (endGrants.length === 0) return [];
				const ended = await client.query<{ user_id: string }>(
					`DELETE FROM memberships WHERE workshop_id = $1 AND role <> 'facilitator'
					AND granted_by = ANY($2) RETURNING user_id`,
					[workshopId, endGrants]
				);
				const userIds = ended.rows.map((row) => row.user_id);
				await deleteOrphanGuests(client, userIds);
				return userIds;
			});
		} catch (error) {
			if (isUniqueViolation(error)) return null;
			throw error;
		}
	}

	async findWorkshopByJoinCode(code: string): Promise<{ workshopId: string } | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<{ workshop_id: string }>(
			'SELECT workshop_id FROM workshop_links WHERE join_code = $1',
			[code]
		);
		return rows[0] ? { workshopId: rows[0].workshop_id } : null;
	}

	async findWorkshopByLinkToken(
		token: string
	): Promise<{ workshopId: string; role: 'participant' | 'observer' } | null> {
		await this.#migrated;
		const { rows } = await this.pool.query<{ workshop_id: string; invite_token: string }>(
			'SELECT workshop_id, invite_token FROM workshop_links WHERE invite_token = $1 OR observer_token = $1',
			[token]
		);
		const row = rows[0];
		if (!row) return null;
		return {
			workshopId: row.workshop_id,
			role: row.invite_token === token ? 'participant' : 'observer'
		};
	}

	async getMembership(workshopId: string, userId: string): Promise<Membership | null> {
		await this.#migrated;
		return getMembership(this.pool, workshopId, userId);
	}

	async upsertMembership(membership: NewMembership): Promise<Membership> {
		await this.#migrated;
		return transaction(this.pool, (client) => upsertMembership(client, membership));
	}

	async updateMembership(
		workshopId: string,
		userId: string,
		changes: { role?: Role; name?: string; organisation?: string | null }
	): Promise<Membership | null> {
		await this.#migrated;
		return transaction(this.pool, async (client) => {
			const { rows } = await client.query<MembershipRow>(
				`${MEMBERSHIP_SELECT} WHERE m.workshop_id = $1 AND m.user_id = $2 FOR UPDATE OF m`,
				[workshopId, userId]
			);
			const current = rows[0];
			if (!current) return null;
			const organisationId =
				changes.organisation === undefined
					? current.organisation_id
					: await organisationIdFor(client, workshopId, changes.organisation, Date.now());
			await client.query(
				'UPDATE memberships SET role = $1, name = $2, organisation_id = $3 WHERE workshop_id = $4 AND user_id = $5',
				[
					changes.role ?? current.role,
					changes.name ?? current.name,
					organisationId,
					workshopId,
					userId
				]
			);
			return getMembership(client, workshopId, userId);
		});
	}

	async deleteMembership(workshopId: string, userId: string): Promise<boolean> {
		await this.#migrated;
		return transaction(this.pool, async (client) => {
			const deleted = await client.query(
				'DELETE FROM memberships WHERE workshop_id = $1 AND user_id = $2',
				[workshopId, userId]
			);
			await deleteOrphanGuests(client, [userId]);
			return deleted.rowCount === 1;
		});
	}

	async listMembers(workshopId: string): Promise<Membership[]> {
		await this.#migrated;
		// Join order breaks ties between members who joined in the same millisecond.
		const { rows } = await this.pool.query<MembershipRow>(
			`${MEMBERSHIP_SELECT} WHERE m.workshop_id = $1 ORDER BY m.joined_at, m.seq`,
			[workshopId]
		);
		return rows.map(toMembership);
	}

	async listMemberships(
		userId: string
	): Promise<(Membership & { workshopTitle: string; workshopDate: string | null })[]> {
		await this.#migrated;
		const { rows } = await this.pool.query<MembershipRow & { title: string; date: string | null }>(
			`SELECT m.*, o.name AS organisation_name, w.title, w.date FROM memberships m
			JOIN workshops w ON w.id = m.workshop_id
			LEFT JOIN organisations o ON o.id = m.organisation_id
			WHERE m.user_id = $1 ORDER BY w.created_at DESC, w.id COLLATE "C"`,
			[userId]
		);
		return rows.map((row) => ({
			...toMembership(row),
			workshopTitle: row.title,
			workshopDate: row.date
		}));
	}

	async listOrganisations(workshopId: string): Promise<Organisation[]> {
		await this.#migrated;
		const { rows } = await this.pool.query<OrganisationRow>(
			`SELECT id, workshop_id, name, created_at, delegate_user_id FROM organisations
			WHERE workshop_id = $1 ORDER BY name_key COLLATE "C", name COLLATE "C", id COLLATE "C"`,
			[workshopId]
		);
		return rows.map((row) => ({
			id: row.id,
			workshopId: row.workshop_id,
			name: row.name,
			createdAt: row.created_at,
			delegateUserId: row.delegate_user_id
		}));
	}

	async mergeOrganisations(workshopId: string, keptId: string, mergedId: string): Promise<boolean> {
		if (keptId === mergedId) return false;
		await this.#migrated;
		return transaction(this.pool, async (client) => {
			// Locked: a member can't be moved into the organisation being deleted meanwhile.
			const found = await client.query(
				'SELECT id FROM organisations WHERE workshop_id = $1 AND id IN ($2, $3) FOR UPDATE',
				[workshopId, keptId, mergedId]
			);
			if (found.rowCount !== 2) return false;
			await client.query(
				'UPDATE memberships SET organisation_id = $1 WHERE workshop_id = $2 AND organisation_id = $3',
				[keptId, workshopId, mergedId]
			);
			await client.query('DELETE FROM organisations WHERE id = $1', [mergedId]);
			return true;
		});
	}

	async setOrganisationDelegate(
		workshopId: string,
		organisationId: string,
		userId: string | null
	): Promise<boolean> {
		await this.#migrated;
		const result = await this.pool.query(
			'UPDATE organisations SET delegate_user_id = $1 WHERE workshop_id = $2 AND id = $3',
			[userId, workshopId, organisationId]
		);
		return result.rowCount === 1;
	}

	/** A write transaction that commits: the database is reachable, migrated and not read-only. */
	async checkWritable(): Promise<boolean> {
		const check = (async () => {
			await this.#migrated;
			await transaction(this.pool, async (client) => {
				await client.query("SET LOCAL statement_timeout = '2s'");
				await client.query('SELECT pg_current_xact_id()');
			});
			return true;
		})().catch(() => false);
		// statement_timeout is the server's: on a silent network no answer comes back at all, so
		// the health check gives its own verdict in time (the pool's query_timeout ends the rest).
		return settleWithin(check, WRITABLE_CHECK_MS, false);
	}

	async close(): Promise<void> {
		await this.#migrated.catch(() => {});
		await this.pool.end();
	}
}

async function insertLinks(db: Queryable, workshopId: string, links: WorkshopLinks): Promise<void> {
	await db.query(
		'INSERT INTO workshop_links (workshop_id, join_code, invite_token, observer_token) VALUES ($1, $2, $3, $4)',
		[workshopId, links.joinCode, links.inviteToken, links.observerToken]
	);
}

function isLinkConstraint(error: unknown): boolean {
	return (error as { table?: string }).table === 'workshop_links';
}

/** The organisation of that name in the workshop (organisationKey), created when new. */
async function organisationIdFor(
	client: pg.PoolClient,
	workshopId: string,
	name: string | null,
	now: number
): Promise<string | null> {
	if (!name) return null;
	// Two members naming a new organisation at once: one insert wins, both get its id.
	await client.query(
		`INSERT INTO organisations (id, workshop_id, name, name_key, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (workshop_id, name_key) DO NOTHING`,
		[randomUUID(), workshopId, name, organisationKey(name), now]
	);
	const { rows } = await client.query<{ id: string }>(
		'SELECT id FROM organisations WHERE workshop_id = $1 AND name_key = $2',
		[workshopId, organisationKey(name)]
	);
	return rows[0].id;
}

async function upsertMembership(
	client: pg.PoolClient,
	membership: NewMembership
): Promise<Membership> {
	const organisationId = await organisationIdFor(
		client,
		membership.workshopId,
		membership.organisation,
		membership.joinedAt
	);
	await client.query(
		`INSERT INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (workshop_id, user_id) DO UPDATE SET name = excluded.name, organisation_id = excluded.organisation_id`,
		[
			membership.workshopId,
			membership.userId,
			membership.role,
			membership.name,
			organisationId,
			membership.grantedBy,
			membership.joinedAt
		]
	);
	return (await getMembership(client, membership.workshopId, membership.userId))!;
}

async function getMembership(
	db: Queryable,
	workshopId: string,
	userId: string
): Promise<Membership | null> {
	const { rows } = await db.query<MembershipRow>(
		`${MEMBERSHIP_SELECT} WHERE m.workshop_id = $1 AND m.user_id = $2`,
		[workshopId, userId]
	);
	return rows[0] ? toMembership(rows[0]) : null;
}

/** Guests with no session and no membership left (members added without a device): nothing refers to them. */
async function deleteOrphanGuests(client: pg.PoolClient, userIds: string[]): Promise<void> {
	if (userIds.length === 0) return;
	await client.query(
		`DELETE FROM users WHERE id = ANY($1) AND kind = 'guest'
		AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = users.id)
		AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id)`,
		[userIds]
	);
}
