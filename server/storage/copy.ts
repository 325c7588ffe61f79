/**
 * Moving a deployment from SQLite to PostgreSQL: every row of every table, copied in one
 * PostgreSQL transaction into an empty schema migrated to the same version. Table by table, not
 * through the Storage API, so that nothing the API doesn't list (sessions, command results, the
 * Yjs log with its owned-roots records) is left behind, and ids stay what they were (an event's
 * version, a named version's link, the log's order all hang on them).
 */
import type { PostgresStorage } from './postgres';
import type { SqliteStorage } from './sqlite';
import { transaction, type Queryable } from './postgres-db';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH_ROWS = 200;

export class CopyRefused extends Error {}

/** Rows copied, by table. */
export type CopyCounts = Record<string, number>;

/**
 * Copies `source` into `target`. Refuses, writing nothing, unless the target holds no rows at all
 * (a copy is a move, never a merge: merging one workshop is what the export file is for) and
 * both are at the same schema version with the same tables and columns.
 */
export async function copySqliteToPostgres(
	source: SqliteStorage,
	target: PostgresStorage
): Promise<CopyCounts> {
	await Promise.all([source.ready(), target.ready()]);
	const sourceTables = new Set(
		source.db
			.prepare<[], { name: string }>(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
			)
			.all()
			.map((row) => row.name)
	);
	return transaction(target.pool, async (client) => {
		// Nobody writes the target while it fills: a second copy, or a server started too early, waits.
		const tables = await tablesInDependencyOrder(client);
		for (const table of tables) {
			await client.query(`LOCK TABLE "${table}" IN EXCLUSIVE MODE`);
		}
		const targetVersion = (
			await client.query<{ version: number }>(
				'SELECT max(version) AS version FROM schema_migrations'
			)
		).rows[0].version;
		const sourceVersion = source.db.pragma('user_version', { simple: true }) as number;
		if (sourceVersion !== targetVersion)
			throw new CopyRefused(
				`the SQLite database is at schema version ${sourceVersion}, PostgreSQL at ${targetVersion}`
			);
		const copied = tables.filter((table) => table !== 'schema_migrations');
		const missing = copied.filter((table) => !sourceTables.has(table));
		const extra = [...sourceTables].filter((table) => !tables.includes(table));
		if (missing.length > 0 || extra.length > 0)
			throw new CopyRefused(
				`the two schemas differ (only in PostgreSQL: ${missing.join(', ') || 'none'}; ` +
					`only in SQLite: ${extra.join(', ') || 'none'})`
			);
		for (const table of copied) {
			const { rows } = await client.query(`SELECT 1 FROM "${table}" LIMIT 1`);
			if (rows.length > 0)
				throw new CopyRefused(`the PostgreSQL schema already holds data (table ${table})`);
		}

		const counts: CopyCounts = {};
		for (const table of copied) {
			const columns = await columnsOf(client, table);
			const sourceColumns = new Set(
				source.db
					.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
					.all()
					.map((row) => row.name)
			);
			// A column PostgreSQL generates and SQLite doesn't have (memberships.seq, the join
			// order SQLite keeps as rowid) is generated again, in the order the rows are read.
			const shared = columns.filter((column) => sourceColumns.has(column.name));
			const absent = columns.filter(
				(column) => !sourceColumns.has(column.name) && column.identity === null
			);
			if (absent.length > 0)
				throw new CopyRefused(`SQLite's ${table} lacks ${absent.map((c) => c.name).join(', ')}`);
			const names = shared.map((column) => `"${column.name}"`).join(', ');
			const overriding = shared.some((column) => column.identity === 'ALWAYS')
				? ' OVERRIDING SYSTEM VALUE'
				: '';
			const read = source.db.prepare(`SELECT ${names} FROM "${table}" ORDER BY rowid`).raw();
			let batch: unknown[][] = [];
			let count = 0;
			const flush = async () => {
				if (batch.length === 0) return;
				const params: unknown[] = [];
				const tuples = batch.map((row) => {
					const marks = row.map((value, index) => {
						params.push(shared[index].boolean && value !== null ? value === 1 : value);
						return `$${params.length}`;
					});
					return `(${marks.join(', ')})`;
				});
				await client.query(
					`INSERT INTO "${table}" (${names})${overriding} VALUES ${tuples.join(', ')}`,
					params
				);
				count += batch.length;
				batch = [];
			};
			for (const row of read.iterate() as Iterable<unknown[]>) {
				batch.push(row);
				if (batch.length === BATCH_ROWS) await flush();
			}
			await flush();
			// Ids the copy wrote itself: the next generated one comes after them.
			for (const column of shared.filter((c) => c.identity !== null)) {
				await client.query(
					`SELECT setval(pg_get_serial_sequence('"${table}"', '${column.name}'),
					coalesce((SELECT max("${column.name}") FROM "${table}"), 0) + 1, false)`
				);
			}
			counts[table] = count;
		}
		return counts;
	});
}

/** The schema's tables, each after the tables its foreign keys point to. */
async function tablesInDependencyOrder(client: Queryable): Promise<string[]> {
	const { rows: tables } = await client.query<{ name: string }>(
		`SELECT table_name AS name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	);
	const { rows: references } = await client.query<{ child: string; parent: string }>(
		`SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`
	);
	const parents = new Map<string, Set<string>>();
	for (const { child, parent } of references) {
		const name = (text: string) => text.replace(/^.*\./, '').replace(/"/g, '');
		if (name(child) === name(parent)) continue;
		const set = parents.get(name(child)) ?? new Set<string>();
		set.add(name(parent));
		parents.set(name(child), set);
	}
	const ordered: string[] = [];
	const visit = (table: string, path: string[]) => {
		if (ordered.includes(table)) return;
		if (path.includes(table)) throw new Error(`foreign keys loop through ${path.join(' → ')}`);
		for (const parent of parents.get(table) ?? []) visit(parent, [...path, table]);
		ordered.push(table);
	};
	for (const { name } of tables) visit(name, []);
	return ordered;
}

async function columnsOf(
	client: Queryable,
	table: string
): Promise<{ name: string; boolean: boolean; identity: 'ALWAYS' | 'BY DEFAULT' | null }[]> {
	const { rows } = await client.query<{
		name: string;
		data_type: string;
		identity_generation: 'ALWAYS' | 'BY DEFAULT' | null;
	}>(
		`SELECT column_name AS name, data_type, identity_generation FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
		[table]
	);
	return rows.map((row) => ({
		name: row.name,
		boolean: row.data_type === 'boolean',
		identity: row.identity_generation
	}));
}
