/**
 * `npm run storage:copy`: moves a SQLite deployment to PostgreSQL. The source is the SQLite data
 * directory (DATA_DIR, `./data` by default); the target is DATABASE_URL and DATABASE_SCHEMA, an
 * empty schema (created and migrated here). Stop the server first: the copy is of one moment.
 */
import { loadConfigOrExit } from './config';
import { copySqliteToPostgres, CopyRefused } from './storage/copy';
import { describeStorage } from './storage/open';
import { openPostgresStorage } from './storage/postgres';
import { openSqliteStorage } from './storage/sqlite';

if (process.argv.length > 2) {
	console.error(
		'Usage: DATABASE_URL=postgres://… [DATABASE_SCHEMA=…] [DATA_DIR=./data] npm run storage:copy'
	);
	process.exit(2);
}
const config = loadConfigOrExit();
if (!config.database) {
	console.error('Set DATABASE_URL (and DATABASE_SCHEMA if not public) to the PostgreSQL target.');
	process.exit(2);
}

const source = openSqliteStorage({ dataDir: config.dataDir, busyTimeoutMs: 5000 });
const target = openPostgresStorage(config.database);
try {
	const counts = await copySqliteToPostgres(source, target);
	const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
	console.log(
		`Copied ${total} rows from ${config.dataDir} to ${describeStorage(config)}:\n` +
			Object.entries(counts)
				.map(([table, n]) => `  ${table}: ${n}`)
				.join('\n') +
			'\nStart the server with the same DATABASE_URL and DATABASE_SCHEMA.'
	);
} catch (error) {
	if (!(error instanceof CopyRefused)) throw error;
	console.error(`Nothing was copied: ${error.message}.`);
	process.exitCode = 1;
} finally {
	await Promise.all([source.close(), target.close()]);
}
