/**
 * Picks the storage engine from the configuration: PostgreSQL when DATABASE_URL is set, SQLite
 * under DATA_DIR otherwise. The one place that knows both exist.
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import { openPostgresStorage } from './postgres';
import { openSqliteStorage } from './sqlite';
import type { Storage } from '../../src/lib/server/ports/storage';

export function openStorage(
	config: Pick<Config, 'database' | 'dataDir' | 'busyTimeoutMs'>,
	log?: Logger
): Storage {
	if (config.database) {
		return openPostgresStorage({
			...config.database,
			// A connection the database dropped while idle: the pool opens a new one when needed.
			onPoolError: (error) => log?.warn({ err: error }, 'a PostgreSQL connection was lost')
		});
	}
	return openSqliteStorage({ dataDir: config.dataDir, busyTimeoutMs: config.busyTimeoutMs });
}

/** Where the data is, for the start-up banner and the logs (never the password). */
export function describeStorage(config: Pick<Config, 'database' | 'dataDir'>): string {
	if (!config.database) return config.dataDir;
	const url = new URL(config.database.url);
	url.password = '';
	url.username = url.username ? url.username : '';
	return `${url.protocol}//${url.host}${url.pathname} (schema ${config.database.schema})`;
}
