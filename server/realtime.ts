/**
 * Routes WebSocket upgrades: `/yjs/<workshopId>` to the Yjs endpoint, `/socket.io/` to Socket.IO.
 * Used by the production server and by the Vite dev server alike.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isValidDocName, YJS_PATH, ACK_PARAM } from '../src/lib/shared/protocol';
import { CloseCode } from '../src/lib/shared/close-codes';
import type { Services } from './services';
import { authorizeConnection, isAllowedOrigin } from './auth';
import { KEEPALIVE_CHECK_MS, YjsConnection } from './yjs/connection';
import { createCommandServer, type CommandServer } from './socket/index';

export interface Realtime {
	io: CommandServer;
	connections: Set<YjsConnection>;
	close(): Promise<void>;
}

/**
 * permessage-deflate for what is big (a board's first sync, a pasted text): a 300-ally board's
 * first sync is 142 KB raw, 27 KB compressed (tests/integration/first-sync.test.ts). Small
 * messages (edits, presence, keepalives) go as they are. Each message is compressed on its own
 * (no context takeover) with a 4 KiB window and memLevel 5: about 32 KiB of zlib memory per
 * connection instead of 256 KiB, for the same ratio on Yjs updates. Inflated client messages are
 * still held to MAX_MESSAGE_BYTES by ws.
 */
const PER_MESSAGE_DEFLATE = {
	threshold: 1024,
	serverNoContextTakeover: true,
	clientNoContextTakeover: true,
	serverMaxWindowBits: 12,
	zlibDeflateOptions: { memLevel: 5 }
} as const;

export function attachRealtime(
	httpServer: HttpServer,
	services: Services,
	options: { rejectUnknownUpgrades: boolean }
): Realtime {
	const { config, log, registry } = services;
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: config.limits.maxMessageBytes,
		perMessageDeflate: PER_MESSAGE_DEFLATE
	});
	const connections = services.connections;
	const io = createCommandServer(httpServer, services);
	services.io = io;

	httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!url.pathname.startsWith(YJS_PATH)) {
			// Socket.IO (and Vite's HMR in dev) handle their own paths.
			if (options.rejectUnknownUpgrades && !url.pathname.startsWith('/socket.io/')) {
				refuse(socket, 404, 'Not Found');
			}
			return;
		}
		upgradeYjs(req, socket, head, url).catch((error) => {
			log.error({ err: error }, 'upgrade failed');
			refuse(socket, 500, 'Internal Server Error');
		});
	});

	async function upgradeYjs(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
		let docName: string;
		try {
			docName = decodeURIComponent(url.pathname.slice(YJS_PATH.length));
		} catch {
			return refuse(socket, 400, 'Bad Request');
		}
		if (!isValidDocName(docName)) return refuse(socket, 400, 'Bad Request');
		if (!isAllowedOrigin(req, config.origins)) return refuse(socket, 403, 'Forbidden');
		const grant = await authorizeConnection(services, req, docName);
		if ('status' in grant) return refuse(socket, grant.status, grant.reason);
		wss.handleUpgrade(req, socket, head, (ws) => {
			const connection = new YjsConnection(ws, {
				registry,
				limits: config.limits,
				log,
				docName,
				access: grant.access,
				identity: grant.identity,
				userId: grant.user.id,
				wantsAck: url.searchParams.get(ACK_PARAM) === '1'
			});
			connections.add(connection);
			ws.on('close', () => connections.delete(connection));
		});
	}

	// Drops connections that stopped answering pings (dead phones, lost networks).
	const heartbeat = setInterval(() => {
		for (const connection of connections) {
			if (!connection.alive) {
				connection.ws.terminate();
				continue;
			}
			connection.alive = false;
			connection.ws.ping();
		}
	}, config.pingIntervalMs);
	heartbeat.unref();
	// Keeps quiet connections inside the y-websocket client's 30 s watchdog (see KEEPALIVE_IDLE_MS).
	const keepalive = setInterval(() => {
		const now = Date.now();
		for (const connection of connections) connection.keepAlive(now);
	}, KEEPALIVE_CHECK_MS);
	keepalive.unref();

	return {
		io,
		connections,
		async close() {
			clearInterval(heartbeat);
			clearInterval(keepalive);
			io.emit('server:shutdown');
			for (const connection of connections)
				connection.close(CloseCode.shutdown, 'server restarting');
			io.close();
			wss.close();
		}
	};
}

function refuse(socket: Duplex, status: number, message: string): void {
	if (socket.destroyed) return;
	socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
