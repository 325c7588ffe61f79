/**
 * The PostgreSQL connection pool and the two things every PostgreSQL store needs from it: a
 * transaction helper and the migrations (server/storage/migrations.ts) run once per database,
 * whichever instance starts first.
 */
import pg from 'pg';
import { MIGRATIONS, NewerSchemaError, SCHEMA_VERSION } from './migrations';

/** A pool or a client inside a transaction: what a store's queries run on. */
export type Queryable = pg.Pool | pg.PoolClient;

export interface PostgresOptions {
	/** `postgres://…` (DATABASE_URL). */
	url: string;
	/** The schema holding the tables (DATABASE_SCHEMA), created when missing. */
	schema: string;
	/** Connections per process. */
	max?: number;
}

const BIGINT = 20;

/** Safe identifiers only: the schema name goes into `search_path` and DDL. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPool(options: PostgresOptions, onError: (error: Error) => void): pg.Pool {
	if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name "${options.schema}"`);
	const pool = new pg.Pool({
		connectionString: options.url,
		max: options.max ?? 10,
		// A database that went away fails a request in seconds, not after the kernel's TCP timeout.
		connectionTimeoutMillis: 5000,
		// A network that goes silent (a cable, a NAT dropping state) sends no reset: without a
		// client-side limit a query would wait for the kernel's TCP timeout, minutes, holding its
		// document's commit chain. No query of ours takes near 10 s; a timed-out connection is
		// discarded. Keepalive probes find a dead idle connection before a query needs it.
		query_timeout: 10_000,
		keepAlive: true,
		keepAliveInitialDelayMillis: 5000,
		// Every connection works in the workshop schema and waits for the WAL flush before a
		// commit returns (the server's default, stated so a tuned server can't weaken it).
		options: `-c search_path=${options.schema} -c synchronous_commit=on`,
		// Times are milliseconds since the epoch in BIGINT columns: read them back as numbers
		// (exact below 2^53, i.e. for the next 285,000 years).
		types: {
			getTypeParser: ((oid: number, format?: string) =>
				oid === BIGINT
					? (value: string) => Number(value)
					: pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
		}
	});
	// An idle connection the server dropped emits here; unhandled, it would end the process.
	pool.on('error', onError);
	return pool;
}

/**
 * Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed is discarded, not returned to the pool.
 */
export async function transaction<T>(
	pool: pg.Pool,
	work: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
	const client = await pool.connect();
	let broken: Error | undefined;
	// The pool listens for errors on idle connections only: one checked out here that the network
	// resets between two queries would emit an unhandled 'error' and end the process. It fails the
	// transaction's next query instead, and the connection is discarded.
	const onError = (error: Error) => {
		broken = error;
	};
	client.on('error', onError);
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch((rollbackError: Error) => {
			broken = rollbackError;
		});
		throw error;
	} finally {
		client.off('error', onError);
		client.release(broken);
	}
}

/** PostgreSQL's SQLSTATE for a unique violation. */
export function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: string }).code === '23505';
}

/** Any instance may start first: an advisory lock makes the others wait, then find nothing to do. */
const MIGRATION_LOCK = 0x636f616c; // "coal"

export async function migratePostgres(pool: pg.Pool, schema: string): Promise<void> {
	await transaction(pool, async (client) => {
		// The lock comes first, even before the schema: two instances creating it at once would
		// otherwise both try, and one fail on pg_namespace's unique index.
		await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
		await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at BIGINT NOT NULL
		)`);
		const { rows } = await client.query<{ version: number | null }>(
			'SELECT max(version) AS version FROM schema_migrations'
		);
		const current = rows[0].version ?? 0;
		if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
		for (const migration of MIGRATIONS) {
			if (migration.version <= current) continue;
			if (typeof migration.postgres === 'string') await client.query(migration.postgres);
			else await migration.postgres(client);
			await client.query(
				'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
				[migration.version, migration.name, Date.now()]
			);
		}
	});
}
