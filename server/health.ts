import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from './services';

/**
 * `GET /healthz`: 200 `{"ok":true,"storage":"sqlite"}` (or `"postgres"`), or 503 while storage
 * cannot commit.
 */
export async function handleHealth(
	services: Services,
	_req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	const writable = services.registry.storageHealthy && (await services.storage.checkWritable());
	res.writeHead(writable ? 200 : 503, {
		'content-type': 'application/json',
		'cache-control': 'no-store'
	});
	res.end(JSON.stringify({ ok: writable, storage: services.storage.kind }));
}
