/** Creates each service once per process; SvelteKit code reaches them through `getServices()`. */
import type { Config } from './config';
import { createLogger, type Logger } from './log';
import { openStorage } from './storage/open';
import type { Storage } from '../src/lib/server/ports/storage';
import { DocumentRegistry, type ClientWriteHook } from './yjs/registry';
import { rebuildOwnedCopy } from './yjs/owned-rebuild';
import { MemoryRateLimiter, type RateLimiter } from '../src/lib/server/rate-limiter';
import { KeyedSerialQueue } from './commands/serial';
import type { CommandServer } from './socket/index';
import { moveLegacyContacts } from '../src/lib/server/contacts';
import type { YjsConnection } from './yjs/connection';
import type { CoreServices } from '../src/lib/server/ports/services';
import { liveConnections } from './live-sockets';
import { connectRedis, type RedisClients } from './redis';
import { RedisRateLimiter } from './redis-rate-limiter';

/** The core's ports (CoreServices) as this process builds them, and what the shell itself uses. */
export interface Services extends CoreServices {
	config: Config;
	log: Logger;
	storage: Storage;
	registry: DocumentRegistry;
	/** Failure counts for sign-in and join codes: in Redis when there is one, else in memory. */
	rateLimiter: RateLimiter;
	/** Redis (REDIS_URL): shared with the deployment's other instances; null: one process. */
	redis: RedisClients | null;
	/** Commands of one workshop run one at a time, in arrival order. */
	commandQueue: KeyedSerialQueue;
	/** The Socket.IO server, once the realtime layer is attached (to notify or close sockets). */
	io: CommandServer | null;
	/** Every open `/yjs` connection (filled by attachRealtime), loaded document or not: to close them. */
	connections: Set<YjsConnection>;
}

export function createServices(
	config: Config,
	options: { log?: Logger; onClientWrite?: ClientWriteHook } = {}
): Services {
	const log = options.log ?? createLogger(config.logLevel);
	const storage = openStorage(config, log);
	// SQLite's writer thread starts, PostgreSQL's schema migrates, with the server; entry points
	// that must not serve without storage await `storage.ready()` themselves.
	storage.ready().catch((error) => log.error({ err: error }, 'the storage is not ready'));
	const registry = new DocumentRegistry({
		storage,
		log,
		graceMs: config.docGraceMs,
		maxDocumentBytes: config.limits.maxDocumentBytes,
		maxPendingBytes: config.limits.maxMessageBytes,
		compaction: config.compaction,
		onClientWrite: options.onClientWrite ?? logServerOwnedWrites(log),
		beforeMigrate: (name, doc) => moveLegacyContacts({ storage }, name, doc),
		rebuildOwned: (name, doc) => rebuildOwnedCopy(storage, name, doc)
	});
	const redis = config.redisUrl ? connectRedis(config.redisUrl, log) : null;
	const shell: Omit<Services, 'live'> = {
		config,
		log,
		storage,
		registry,
		rateLimiter: redis ? new RedisRateLimiter(redis.commands) : new MemoryRateLimiter(),
		redis,
		commandQueue: new KeyedSerialQueue(),
		io: null,
		connections: new Set()
	};
	// The same object: `io`, attached later by the realtime layer, is read when a call comes.
	return Object.assign(shell, { live: liveConnections(shell) });
}

/** A client write to a server-owned root is reverted by the registry; it is logged here. */
function logServerOwnedWrites(log: Logger): ClientWriteHook {
	return ({ live, serverOwned }) => {
		if (serverOwned.length > 0)
			log.warn({ document: live.name, roots: serverOwned }, 'client wrote a server-owned root');
	};
}
