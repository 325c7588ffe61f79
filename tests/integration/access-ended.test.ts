/**
 * Ending someone's access while they are connected, shown with raw clients on both endpoints:
 * removal, link rotation and revocation, and deleting the workshop. In-process server; the
 * domain functions the facilitator's pages call are called directly (the pages' own checks are
 * in workshop-settings.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startTestServer } from '../fixtures/server';
import { seedMember, type SeededMember } from '../fixtures/members';
import { connectClient, sleep, waitFor, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	upgradeStatus,
	type RawClient
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/events';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { removeMember } from '../../src/lib/server/members';
import { replaceLinks } from '../../src/lib/server/access-links';
import { checkJoinCode, resolveLinkToken } from '../../src/lib/server/joining';
import { disconnectMember } from '../../server/live-sockets';

type CommandSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: RunningServer | null = null;
const raws: RawClient[] = [];
const sockets: CommandSocket[] = [];
const clients: BoardConnection[] = [];

afterEach(async () => {
	for (const raw of raws.splice(0)) raw.ws.terminate();
	for (const socket of sockets.splice(0)) socket.disconnect();
	for (const client of clients.splice(0)) client.destroy();
	await server?.close();
	server = null;
});

async function yjs(member: SeededMember, room: string): Promise<RawClient> {
	const client = await openRawClient(server!.url, room, { headers: { cookie: member.cookie } });
	raws.push(client);
	await expectAnswered(client);
	return client;
}

/** A connected command socket that records the `access:ended` it is told and its disconnection. */
async function commands(member: SeededMember, workshop: string) {
	const socket: CommandSocket = io(server!.url, {
		transports: ['websocket'],
		query: { workshop },
		extraHeaders: { cookie: member.cookie },
		reconnection: false
	});
	sockets.push(socket);
	const ended: { code: number; reason: string }[] = [];
	socket.on('access:ended', (payload) => ended.push(payload));
	const disconnected = new Promise<string>((resolve) =>
		socket.once('disconnect', (reason) => resolve(reason))
	);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
	return { socket, ended, disconnected };
}

/** The HTTP status of a Socket.IO (engine.io polling) handshake for `workshop`. */
async function commandHandshakeStatus(member: SeededMember, workshop: string): Promise<number> {
	const response = await fetch(
		`${server!.url}/socket.io/?EIO=4&transport=polling&workshop=${workshop}`,
		{
			headers: { cookie: member.cookie }
		}
	);
	await response.arrayBuffer();
	return response.status;
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>(
				(_, reject) =>
					(timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))
			)
		]);
	} finally {
		clearTimeout(timer);
	}
}

describe('removing a participant', () => {
	it('closes their /yjs socket with 4403 and their command socket within 1 s, and refuses them afterwards', async () => {
		server = await startTestServer();
		const facilitator = await seedMember(server, 'kayes');
		const moussa = await seedMember(server, 'kayes', { role: 'participant', name: 'Moussa' });
		// The same device is in another workshop: that access stays.
		await seedMember(server, 'segou', { role: 'participant', userId: moussa.userId });
		const board = await yjs(moussa, 'kayes');
		const elsewhere = await yjs(moussa, 'segou');
		const stays = await yjs(facilitator, 'kayes');
		const live = await commands(moussa, 'kayes');
		const facilitatorCommands = await commands(facilitator, 'kayes');

		const started = Date.now();
		expect(await removeMember(server.services, 'kayes', moussa.userId)).toBe(true);
		expect((await within(closedWithin(board), 1000, 'the /yjs close')).code).toBe(
			CloseCode.forbidden
		);
		expect(await within(live.disconnected, 1000, 'the Socket.IO disconnect')).toBe(
			'io server disconnect'
		);
		expect(live.ended).toEqual([
			{ code: CloseCode.forbidden, reason: 'removed from the workshop' }
		]);
		expect(Date.now() - started).toBeLessThan(1000);

		// A reconnect is refused on both endpoints, as a non-member's.
		expect(await upgradeStatus(server.url, 'kayes', { cookie: moussa.cookie })).toBe(403);
		expect(await commandHandshakeStatus(moussa, 'kayes')).toBe(403);
		expect(await server.services.storage.getMembership('kayes', moussa.userId)).toBeNull();

		// Nobody else lost anything.
		await sleep(100);
		expect(elsewhere.isOpen).toBe(true);
		expect(stays.isOpen).toBe(true);
		expect(facilitatorCommands.socket.connected).toBe(true);
		expect(facilitatorCommands.ended).toEqual([]);
	});

	it("gives a participant's WebsocketProvider a final 4403 after which it makes no attempt for 10 s", async () => {
		server = await startTestServer();
		await seedMember(server, 'kayes');
		const awa = await seedMember(server, 'kayes', { role: 'participant', name: 'Awa' });
		const client = connectClient(server.url, 'kayes', { cookie: awa.cookie });
		clients.push(client);
		await waitForSynced(client);
		const closes: number[] = [];
		client.provider.on('connection-close', (event: CloseEvent | null) =>
			closes.push(event?.code ?? 0)
		);
		let attempts = 0;
		client.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connecting') attempts += 1;
		});

		await removeMember(server.services, 'kayes', awa.userId);
		await waitFor(() => closes.length > 0, { timeout: 1000, what: 'the close' });
		expect(closes).toEqual([CloseCode.forbidden]);
		await sleep(10_000);
		expect(attempts).toBe(0);
		expect(client.provider.wsconnected).toBe(false);
	});

	it('counts the sockets it closed, and closes nothing of a member who is not connected', async () => {
		server = await startTestServer();
		const awa = await seedMember(server, 'kayes', { role: 'participant' });
		expect(
			disconnectMember(server.services, 'kayes', awa.userId, CloseCode.forbidden, 'test')
		).toBe(0);
		await yjs(awa, 'kayes');
		await yjs(awa, 'kayes');
		await commands(awa, 'kayes');
		expect(
			disconnectMember(server.services, 'kayes', awa.userId, CloseCode.forbidden, 'test')
		).toBe(3);
	});
});

describe('rotating and revoking links', () => {
	it('rotation: the old code and invite link admit nobody new, the new ones do, and everyone connected stays', async () => {
		server = await startTestServer();
		const facilitator = await seedMember(server, 'kayes');
		const participant = await seedMember(server, 'kayes', { role: 'participant' });
		const observer = await seedMember(server, 'kayes', { role: 'observer' });
		const sockets = [
			await yjs(facilitator, 'kayes'),
			await yjs(participant, 'kayes'),
			await yjs(observer, 'kayes')
		];
		const live = await commands(participant, 'kayes');
		const before = (await server.services.storage.getWorkshopLinks('kayes'))!;

		expect(await replaceLinks(server.services, 'kayes', 'participant', { revoke: false })).toEqual(
			[]
		);
		const after = (await server.services.storage.getWorkshopLinks('kayes'))!;
		expect(after.joinCode).not.toBe(before.joinCode);
		expect(after.inviteToken).not.toBe(before.inviteToken);
		expect(after.observerToken).toBe(before.observerToken);
		const address = '10.0.0.9';
		expect(
			await checkJoinCode(server.services, { code: before.joinCode, address, device: null })
		).toEqual({ problem: 'invalid' });
		expect(await resolveLinkToken(server.services, before.inviteToken)).toBeNull();
		expect(
			await checkJoinCode(server.services, { code: after.joinCode, address, device: null })
		).toEqual({
			workshopId: 'kayes',
			inviteToken: after.inviteToken
		});
		expect(await resolveLinkToken(server.services, before.observerToken)).toEqual({
			workshopId: 'kayes',
			role: 'observer'
		});

		await replaceLinks(server.services, 'kayes', 'observer', { revoke: false });
		expect(await resolveLinkToken(server.services, before.observerToken)).toBeNull();

		await sleep(200);
		expect(sockets.every((socket) => socket.isOpen)).toBe(true);
		expect(live.socket.connected).toBe(true);
		for (const member of [facilitator, participant, observer]) {
			expect(await server.services.storage.getMembership('kayes', member.userId)).not.toBeNull();
		}
	});

	it('revoking the participant link ends what it granted within 1 s, on both endpoints, and nothing else', async () => {
		server = await startTestServer();
		const facilitator = await seedMember(server, 'kayes');
		const first = await seedMember(server, 'kayes', { role: 'participant' });
		const second = await seedMember(server, 'kayes', { role: 'participant' });
		const observer = await seedMember(server, 'kayes', { role: 'observer' });
		const revoked = [await yjs(first, 'kayes'), await yjs(second, 'kayes')];
		const revokedCommands = [await commands(first, 'kayes'), await commands(second, 'kayes')];
		const kept = [await yjs(facilitator, 'kayes'), await yjs(observer, 'kayes')];
		const before = (await server.services.storage.getWorkshopLinks('kayes'))!;

		const ended = await replaceLinks(server.services, 'kayes', 'participant', { revoke: true });
		expect(ended.sort()).toEqual([first.userId, second.userId].sort());
		for (const socket of revoked)
			expect((await within(closedWithin(socket), 1000, 'the close')).code).toBe(4403);
		for (const live of revokedCommands) {
			expect(await within(live.disconnected, 1000, 'the disconnect')).toBe('io server disconnect');
			expect(live.ended.map((payload) => payload.code)).toEqual([4403]);
		}
		expect(await upgradeStatus(server.url, 'kayes', { cookie: first.cookie })).toBe(403);
		expect(
			await checkJoinCode(server.services, {
				code: before.joinCode,
				address: '10.0.0.9',
				device: null
			})
		).toEqual({ problem: 'invalid' });
		await sleep(100);
		expect(kept.every((socket) => socket.isOpen)).toBe(true);

		// The observer link, separately: its observers go, participants of a new join stay.
		const rejoined = await seedMember(server, 'kayes', { role: 'participant' });
		const rejoinedSocket = await yjs(rejoined, 'kayes');
		expect(await replaceLinks(server.services, 'kayes', 'observer', { revoke: true })).toEqual([
			observer.userId
		]);
		expect((await within(closedWithin(kept[1]), 1000, 'the close')).code).toBe(4403);
		await sleep(100);
		expect(kept[0].isOpen).toBe(true);
		expect(rejoinedSocket.isOpen).toBe(true);
	});

	it('never ends a facilitator’s membership, whatever link first brought them in', async () => {
		server = await startTestServer();
		const promoted = await seedMember(server, 'kayes', { role: 'participant' });
		await server.services.storage.updateMembership('kayes', promoted.userId, {
			role: 'facilitator'
		});
		expect(await replaceLinks(server.services, 'kayes', 'participant', { revoke: true })).toEqual(
			[]
		);
		expect((await server.services.storage.getMembership('kayes', promoted.userId))?.role).toBe(
			'facilitator'
		);
	});
});
