/** Socket.IO for server-authoritative commands, with acks and typed events. */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import type {
	ClientToServerEvents,
	InterServerEvents,
	ServerToClientEvents
} from '../../src/lib/shared/events';
import type { Services } from '../services';
import type { Membership } from '../../src/lib/server/ports/storage';
import type { SessionUser } from '../../src/lib/server/session';
import { authorizeConnection, isAllowedOrigin } from '../auth';
import { isValidDocName } from '../../src/lib/shared/protocol';
import { bindCommands } from '../commands/command';
import { facilitatorsRoom, memberRoom, workshopRoom } from './rooms';

/** The event name, a payload and an ack make three: far more is not one of our clients. */
const MAX_EVENT_ARGUMENTS = 8;

export type CommandServer = Server<
	ClientToServerEvents,
	ServerToClientEvents,
	InterServerEvents,
	SocketData
>;

export interface SocketData {
	connectedAt: number;
	user: SessionUser;
	sessionId: string;
	/** As at the handshake; commands re-read it from storage. */
	membership: Membership;
}

/**
 * A command socket belongs to one workshop, named by `?workshop=` (client option `query`). Its
 * handshake (the first polling request or the WebSocket upgrade) is refused like a `/yjs` one:
 * HTTP 401 without a valid session (sign in again), 403 when not a member.
 */
export function createCommandServer(httpServer: HttpServer, services: Services): CommandServer {
	const { config, log } = services;
	const io: CommandServer = new Server(httpServer, {
		path: '/socket.io/',
		serveClient: false,
		// Leave `/yjs` upgrades to our own handler instead of destroying them after 1 s.
		destroyUpgrade: false,
		maxHttpBufferSize: config.limits.maxMessageBytes,
		allowRequest: (req, callback) => callback(null, isAllowedOrigin(req, config.origins)),
		// Several instances (REDIS_URL): events to a room reach its sockets on every instance, and
		// closing a member's sockets closes them wherever they are. Redis Streams rather than
		// pub/sub: after a Redis blip the adapter resumes from the stream and loses no packet.
		...(services.redis && { adapter: createAdapter(services.redis.adapter) })
	});

	// Engine.IO handshakes, before any Socket.IO packet: refused with a real HTTP status.
	io.engine.use((req: IncomingMessage, res: ServerResponse, next: (error?: Error) => void) => {
		const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
		// Later requests of an established session, and cross-origin ones (refused by allowRequest).
		if (query.has('sid') || !isAllowedOrigin(req, config.origins)) return next();
		const workshopId = query.get('workshop') ?? '';
		const decided = isValidDocName(workshopId)
			? authorizeConnection(services, req, workshopId)
			: Promise.resolve({ status: 403 as const, reason: 'Forbidden' });
		decided.then(
			(grant) => {
				if (!('status' in grant)) return next();
				refuseHandshake(req, res, grant.status, grant.reason);
			},
			(error) => {
				log.error({ err: error }, 'socket.io authorization failed');
				refuseHandshake(req, res, 500, 'Internal Server Error');
			}
		);
	});

	// The same check again, keeping who this is for the commands.
	io.use((socket, next) => {
		const workshopId = socket.handshake.query.workshop;
		if (typeof workshopId !== 'string' || !isValidDocName(workshopId)) {
			return next(refusal(403, 'Forbidden'));
		}
		authorizeConnection(services, socket.request, workshopId).then(
			(grant) => {
				if ('status' in grant) return next(refusal(grant.status, grant.reason));
				socket.data.connectedAt = Date.now();
				socket.data.user = grant.user;
				socket.data.sessionId = grant.sessionId;
				socket.data.membership = grant.membership;
				next();
			},
			(error) => {
				log.error({ err: error }, 'socket.io authorization failed');
				next(new Error('Internal Server Error'));
			}
		);
	});

	io.on('connection', (socket) => {
		// Socket.IO spreads an event's arguments into a function call: one 400 KB packet with
		// 200,000 of them overflows the stack in a process.nextTick and kills the process.
		socket.use((event, next) => {
			if (event.length <= MAX_EVENT_ARGUMENTS) return next();
			log.warn(
				{ arguments: event.length },
				'socket.io event with too many arguments: disconnecting'
			);
			socket.disconnect(true);
		});
		// The member room is what closing a member's access reaches (server/live-sockets.ts).
		const { workshopId, userId, role } = socket.data.membership;
		socket.join([workshopRoom(workshopId), memberRoom(workshopId, userId)]);
		if (role === 'facilitator') socket.join(facilitatorsRoom(workshopId));
		bindCommands(socket, services);
		socket.on('time:sync', (ack) => {
			if (typeof ack !== 'function') return;
			ack({ ok: true, value: { serverTime: Date.now() } });
		});
		socket.on('error', (error) => log.debug({ err: error }, 'socket.io error'));
	});

	return io;
}

/** A polling request gets a plain response; an upgrade gets the status line written to its socket. */
function refuseHandshake(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	reason: string
): void {
	const upgrade = (res as unknown as { socket?: Duplex }).socket;
	if (req.headers.upgrade && upgrade && !(res instanceof ServerResponse)) {
		if (!upgrade.destroyed) {
			upgrade.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
		}
		return;
	}
	res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(reason);
}

function refusal(status: 401 | 403, reason: string): Error & { data: { status: number } } {
	return Object.assign(new Error(reason), { data: { status } });
}
