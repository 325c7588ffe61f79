/** Socket.IO for server-authoritative commands, with acks and typed events. */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type {
	ClientToServerEvents,
	InterServerEvents,
	ServerToClientEvents
} from '../../src/lib/shared/events';
import type { Config } from '../config';
import type { Logger } from '../log';
import { isAllowedOrigin } from '../auth';

/** The event name, a payload and an ack make three: far more is not one of our clients. */
const MAX_EVENT_ARGUMENTS = 8;

export type CommandServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketData {
	connectedAt: number;
}

export function createCommandServer(httpServer: HttpServer, config: Config, log: Logger): CommandServer {
	const io: CommandServer = new Server(httpServer, {
		path: '/socket.io/',
		serveClient: false,
		// Leave `/yjs` upgrades to our own handler instead of destroying them after 1 s.
		destroyUpgrade: false,
		maxHttpBufferSize: config.limits.maxMessageBytes,
		allowRequest: (req, callback) => callback(null, isAllowedOrigin(req, config.origins))
	});

	io.use((socket, next) => {
		socket.data.connectedAt = Date.now();
		next();
	});

	io.on('connection', (socket) => {
		// Socket.IO spreads an event's arguments into a function call: one 400 KB packet with
		// 200,000 of them overflows the stack in a process.nextTick and kills the process.
		socket.use((event, next) => {
			if (event.length <= MAX_EVENT_ARGUMENTS) return next();
			log.warn({ arguments: event.length }, 'socket.io event with too many arguments: disconnecting');
			socket.disconnect(true);
		});
		socket.on('time:sync', (ack) => {
			if (typeof ack !== 'function') return;
			ack({ ok: true, value: { serverTime: Date.now() } });
		});
		socket.on('error', (error) => log.debug({ err: error }, 'socket.io error'));
	});

	return io;
}
