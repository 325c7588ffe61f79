/**
 * Redis, when the deployment has several instances (REDIS_URL): Socket.IO's adapter carries
 * events between them, and the sign-in and join limits are counted there so that spreading
 * guesses over instances gains nothing. Two connections, because the two uses want opposite
 * things from a Redis that went away: the adapter's commands wait and are sent when it returns
 * (a packet is late, not lost), the limits' commands fail at once (the memory limiter answers
 * meanwhile, and a sign-in never hangs on Redis).
 */
import { Redis } from 'ioredis';
import type { Logger } from './log';
import { settleWithin } from './settle-within';

export interface RedisClients {
	/** Fails fast while disconnected: limits and the health check. */
	commands: Redis;
	/** Queues while disconnected and retries forever: the Socket.IO adapter. */
	adapter: Redis;
	/** 'ok', or why not, within a second. */
	health(): Promise<'ok' | 'unreachable'>;
	close(): Promise<void>;
}

/** How long /healthz waits for Redis's PONG. */
const PING_TIMEOUT_MS = 1000;

export function connectRedis(url: string, log: Logger): RedisClients {
	// Reconnect soon after a blip, never more than 2 s apart.
	const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);
	const commands = new Redis(url, {
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: 2000,
		retryStrategy
	});
	const adapter = new Redis(url, {
		maxRetriesPerRequest: null,
		connectTimeout: 2000,
		retryStrategy
	});
	let reported = false;
	for (const client of [commands, adapter]) {
		// Unhandled, a lost connection's error would end the process.
		client.on('error', (error) => {
			if (reported) return;
			reported = true;
			log.warn({ err: error }, 'Redis is unreachable; the limits count in memory meanwhile');
		});
		client.on('ready', () => {
			if (reported) log.info('Redis is reachable again');
			reported = false;
		});
	}
	return {
		commands,
		adapter,
		health: () =>
			settleWithin(
				commands.ping().then(
					() => 'ok' as const,
					() => 'unreachable' as const
				),
				PING_TIMEOUT_MS,
				'unreachable'
			),
		async close() {
			await Promise.all(
				[commands, adapter].map((client) => client.quit().catch(() => client.disconnect()))
			);
		}
	};
}
