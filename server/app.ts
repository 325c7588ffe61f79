/** The one HTTP server: health, the SvelteKit handler, and the realtime endpoints on one port. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createServices, type Services } from './services';
import { attachRealtime, type Realtime } from './realtime';
import { handleHealth } from './health';
import { Metrics } from './metrics';
import { setServices } from '../src/lib/server/services';
import type { Logger } from './log';
import type { ClientWriteHook } from './yjs/registry';

/** Set by this server on every request (never trusted from the client): the socket's scheme. */
export const SCHEME_HEADER = 'x-coalition-scheme';

export type RequestHandler = (
	req: http.IncomingMessage,
	res: http.ServerResponse,
	next?: () => void
) => void;

export interface RunningServer {
	server: http.Server;
	services: Services;
	realtime: Realtime;
	port: number;
	url: string;
	close(): Promise<void>;
}

export async function startServer(
	config: Config,
	options: { handler?: RequestHandler; log?: Logger; onClientWrite?: ClientWriteHook } = {}
): Promise<RunningServer> {
	const services = createServices(config, {
		log: options.log,
		onClientWrite: options.onClientWrite
	});
	try {
		await services.storage.ready();
	} catch (error) {
		await services.storage.close().catch(() => {});
		await services.redis?.close();
		throw new Error(`the storage is not ready: ${(error as Error).message}`, { cause: error });
	}
	setServices(services);
	const metrics = new Metrics();
	const server = http.createServer((req, res) => {
		if (req.url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
			handleHealth(services, req, res).catch(() => {
				res.writeHead(503).end();
			});
			return;
		}
		if (req.url?.startsWith('/metrics') && req.method === 'GET') {
			return metrics.handle(services, realtime, req, res);
		}
		req.headers[SCHEME_HEADER] = (req.socket as { encrypted?: boolean }).encrypted
			? 'https'
			: 'http';
		if (options.handler) return options.handler(req, res);
		res.writeHead(404).end();
	});
	const realtime = attachRealtime(server, services, { rejectUnknownUpgrades: true });
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	let closing: Promise<void> | null = null;
	return {
		server,
		services,
		realtime,
		port,
		url: `http://127.0.0.1:${port}`,
		close() {
			closing ??= (async () => {
				server.close();
				metrics.stop();
				await realtime.close();
				await services.registry.close();
				await services.storage.close();
				await services.redis?.close();
				server.closeAllConnections();
				setServices(undefined);
			})();
			return closing;
		}
	};
}
