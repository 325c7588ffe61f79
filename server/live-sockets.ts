/**
 * Ends live access: closes the `/yjs` connections and Socket.IO sockets of a member of a workshop
 * (removed, or their link revoked) or of everyone in it (deleted). Handshakes are checked against
 * storage, so the caller changes storage first: a reconnect is then refused. Also brings the
 * identity that presence shows up to date on open connections after a member's details changed.
 */
import type { Services } from './services';
import type { LiveConnections } from '../src/lib/server/ports/services';
import { presenceIdentity } from './auth';
import { facilitatorsRoom, memberRoom, workshopRoom } from './socket/rooms';

type LiveServices = Pick<Services, 'io' | 'connections'>;

/**
 * Re-reads the memberships behind `workshopId`'s open `/yjs` connections (only `userId`'s if
 * given), so presence shows a corrected name, a merged organisation or a new role without a
 * reconnect. Call it after changing storage.
 */
export async function refreshPresence(
	services: Pick<Services, 'connections' | 'storage'>,
	workshopId: string,
	userId?: string
): Promise<void> {
	for (const connection of services.connections) {
		const { docName, userId: owner } = connection.context;
		if (docName !== workshopId || (userId !== undefined && owner !== userId)) continue;
		const membership = await services.storage.getMembership(workshopId, owner);
		if (membership) connection.setIdentity(presenceIdentity(membership));
	}
}

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
export function disconnectWorkshop(
	services: LiveServices,
	workshopId: string,
	code: number,
	reason: string
): number {
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

/** The core's port (src/lib/server/ports/services.ts) on this process's sockets. */
export function liveConnections(
	services: Pick<Services, 'io' | 'connections' | 'storage'>
): LiveConnections {
	return {
		refreshPresence: (workshopId, userId) => refreshPresence(services, workshopId, userId),
		disconnectMember: (workshopId, userId, code, reason) =>
			disconnectMember(services, workshopId, userId, code, reason),
		disconnectWorkshop: (workshopId, code, reason) =>
			disconnectWorkshop(services, workshopId, code, reason),
		toWorkshop: (workshopId, event, ...args) => {
			services.io?.to(workshopRoom(workshopId)).emit(event, ...args);
		},
		toFacilitators: (workshopId, event, ...args) => {
			services.io?.to(facilitatorsRoom(workshopId)).emit(event, ...args);
		},
		// fetchSockets asks every instance (through the Redis adapter when there are several).
		isConnected: async (workshopId, userId) =>
			((await services.io?.in(memberRoom(workshopId, userId)).fetchSockets())?.length ?? 0) > 0
	};
}
