/** The only reader of process.env: parsed and validated once, with defaults. */
import path from 'node:path';

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/**
	 * PostgreSQL (DATABASE_URL, `postgres://…`) and the schema its tables live in
	 * (DATABASE_SCHEMA, default `public`); null: SQLite under dataDir.
	 */
	database: { url: string; schema: string } | null;
	/**
	 * Redis (REDIS_URL, `redis://…`), shared by the instances of one deployment: Socket.IO's
	 * adapter and the sign-in and join limits. Null: one process, everything in memory.
	 */
	redisUrl: string | null;
	/** Origins allowed on WebSocket handshakes; empty = the request's own scheme and host. */
	origins: string[];
	publicUrl: string | null;
	logLevel: string;
	limits: {
		maxMessageBytes: number;
		bytesPerSecond: number;
		burstBytes: number;
		messagesPerSecond: number;
		maxDocumentBytes: number;
		loadBufferBytes: number;
	};
	compaction: { rows: number; bytes: number };
	/** How long a document with no connection stays in memory. */
	docGraceMs: number;
	pingIntervalMs: number;
	busyTimeoutMs: number;
	/** Whether anyone may create a facilitator account (`closed`: only an operator's accounts). */
	signup: 'open' | 'closed';
	/** A facilitator's session ends this many days after sign-in, however active. */
	sessionMaxDays: number;
}

export class ConfigError extends Error {}

const MiB = 1024 * 1024;

/** For entry points (the server, the CLI scripts): the configuration, or the bad variable named and exit 1. */
export function loadConfigOrExit(): Config {
	try {
		return loadConfig();
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(`Configuration error: ${error.message}`);
		process.exit(1);
	}
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const origins = list(env, 'ORIGIN');
	const publicUrl = env.PUBLIC_URL ? url(env, 'PUBLIC_URL') : null;
	if (publicUrl && origins.length === 0) origins.push(new URL(publicUrl).origin);
	return {
		port: int(env, 'PORT', 3000, 0, 65535),
		host: env.HOST || '0.0.0.0',
		dataDir: path.resolve(env.DATA_DIR || './data'),
		database: database(env),
		redisUrl: redis(env),
		origins,
		publicUrl,
		logLevel: oneOf(env, 'LOG_LEVEL', 'info', [
			'fatal',
			'error',
			'warn',
			'info',
			'debug',
			'trace',
			'silent'
		]),
		limits: {
			maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES', MiB, 1024, 64 * MiB),
			bytesPerSecond: int(env, 'RATE_BYTES_PER_SECOND', MiB, 1024, 1024 * MiB),
			burstBytes: int(env, 'RATE_BURST_BYTES', 4 * MiB, 1024, 1024 * MiB),
			messagesPerSecond: int(env, 'RATE_MESSAGES_PER_SECOND', 200, 1, 1_000_000),
			maxDocumentBytes: int(env, 'MAX_DOCUMENT_BYTES', 50 * MiB, 1024, 4096 * MiB),
			loadBufferBytes: int(env, 'LOAD_BUFFER_BYTES', 4 * MiB, 1024, 1024 * MiB)
		},
		compaction: {
			rows: int(env, 'COMPACT_ROWS', 2000, 1, 10_000_000),
			bytes: int(env, 'COMPACT_BYTES', 8 * MiB, 1, 4096 * MiB)
		},
		docGraceMs: int(env, 'DOC_GRACE_MS', 30_000, 0, 24 * 3600_000),
		pingIntervalMs: int(env, 'PING_INTERVAL_MS', 10_000, 100, 600_000),
		busyTimeoutMs: int(env, 'SQLITE_BUSY_TIMEOUT_MS', 100, 0, 60_000),
		signup: oneOf(env, 'SIGNUP', 'open', ['open', 'closed']) as Config['signup'],
		sessionMaxDays: int(env, 'SESSION_MAX_DAYS', 90, 1, 3650)
	};
}

function int(
	env: NodeJS.ProcessEnv,
	name: string,
	fallback: number,
	min: number,
	max: number
): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d+$/.test(raw.trim()))
		throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
	const value = Number(raw);
	if (value < min || value > max) {
		throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
	}
	return value;
}

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: string[]): string {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!allowed.includes(raw))
		throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
	return raw;
}

function database(env: NodeJS.ProcessEnv): Config['database'] {
	const raw = env.DATABASE_URL;
	const schema = env.DATABASE_SCHEMA || 'public';
	if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
		throw new ConfigError(
			`DATABASE_SCHEMA must be a lower-case SQL name (letters, digits, _), got "${schema}"`
		);
	if (!raw) return null;
	let parsed: URL;
	try {
		parsed = new URL(raw);
	} catch {
		throw new ConfigError('DATABASE_URL must be a postgres:// URL');
	}
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
		throw new ConfigError(
			`DATABASE_URL must be a postgres:// URL, got one starting "${parsed.protocol}"`
		);
	return { url: raw, schema };
}

function redis(env: NodeJS.ProcessEnv): string | null {
	const raw = env.REDIS_URL;
	if (!raw) return null;
	let protocol = '';
	try {
		protocol = new URL(raw).protocol;
	} catch {
		// Reported below.
	}
	if (protocol !== 'redis:' && protocol !== 'rediss:')
		throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
	return raw;
}

function url(env: NodeJS.ProcessEnv, name: string): string {
	const raw = env[name]!;
	try {
		const parsed = new URL(raw);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
		return parsed.href.replace(/\/$/, '');
	} catch {
		throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
	}
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
	const raw = env[name];
	if (!raw) return [];
	return raw.split(',').map((item) => {
		const value = item.trim();
		try {
			return new URL(value).origin;
		} catch {
			throw new ConfigError(`${name} must be a comma-separated list of origins, got "${value}"`);
		}
	});
}
