import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from './services';

/**
 * `GET /healthz`: 200 `{"ok":true,"storage":"sqlite"}` (or `"postgres"`), or 503 while storage
 * cannot commit. With Redis (REDIS_URL) it says `"redis":"ok"` or `"unreachable"`, and stays 200
 * while only Redis is away: this instance's own clients keep editing and committing (the limits
 * count in memory, the Socket.IO adapter sends when Redis returns), so a load balancer should
 * not send them elsewhere for it.
 */
export async function handleHealth(
	services: Services,
	_req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	const [writable, redis] = await Promise.all([
		(async () =>
			(await services.storage.checkWritable()) && (await services.registry.probeStorage()))(),
		services.redis?.health()
	]);
	res.writeHead(writable ? 200 : 503, {
		'content-type': 'application/json',
		'cache-control': 'no-store'
	});
	res.end(
		JSON.stringify({ ok: writable, storage: services.storage.kind, ...(redis && { redis }) })
	);
}
