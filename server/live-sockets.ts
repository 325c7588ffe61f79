/**
 * Ends live access: closes the `/yjs` connections and Socket.IO sockets of a member of a workshop
 * (removed, or their link revoked) or of everyone in it (deleted). Handshakes are checked against
 * storage, so the caller changes storage first: a reconnect is then refused.
 */
import type { Services } from './services';
import { memberRoom, workshopRoom } from './socket/rooms';

type LiveServices = Pick<Services, 'io' | 'connections'>;

/** Closes `userId`'s sockets on `workshopId` with `code` (4403 for removal or revocation). */
export function disconnectMember(
	services: LiveServices,
	workshopId: string,
	userId: string,
	code: number,
	reason: string
): number {
	let closed = 0;
	for (const connection of services.connections) {
		const { docName, userId: owner } = connection.context;
		if (docName !== workshopId || owner !== userId) continue;
		connection.close(code, reason);
		closed += 1;
	}
	return closed + endRoom(services, memberRoom(workshopId, userId), code, reason);
}

/** Closes every socket on `workshopId` (4404 when it was deleted). */
export function disconnectWorkshop(services: LiveServices, workshopId: string, code: number, reason: string): number {
	let closed = 0;
	for (const connection of services.connections) {
		if (connection.context.docName !== workshopId) continue;
		connection.close(code, reason);
		closed += 1;
	}
	return closed + endRoom(services, workshopRoom(workshopId), code, reason);
}

/** Socket.IO has no close codes: the client is told the `/yjs` one, then disconnected. */
function endRoom(services: LiveServices, room: string, code: number, reason: string): number {
	const { io } = services;
	if (!io) return 0;
	const sockets = io.sockets.adapter.rooms.get(room)?.size ?? 0;
	io.in(room).emit('access:ended', { code, reason });
	io.in(room).disconnectSockets(true);
	return sockets;
}
