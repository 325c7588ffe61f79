import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { openRawClient, upgradeStatus } from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';

const EVIL = 'http://evil.example';
const VENUE = 'http://venue.example';

let server: RunningServer | null = null;
let bystanders: Bystanders | null = null;

afterEach(async () => {
	bystanders?.destroy();
	bystanders = null;
	await server?.close();
	server = null;
});

/** Whether a /yjs upgrade with this Origin (and a member's session cookie) opens. */
async function yjsAccepts(server: RunningServer, origin: string): Promise<boolean> {
	const cookie = await memberCookie(server, 'origin-check');
	try {
		const client = await openRawClient(server.url, 'origin-check', { headers: { origin, cookie } });
		client.ws.close();
		return true;
	} catch {
		expect(await upgradeStatus(server.url, 'origin-check', { origin, cookie })).toBe(403);
		return false;
	}
}

/** Whether a Socket.IO connection over WebSocket with this Origin (and a member's cookie) connects. */
async function socketIoAccepts(server: RunningServer, origin: string): Promise<boolean> {
	const cookie = await memberCookie(server, 'origin-check');
	const socket = io(server.url, {
		transports: ['websocket'],
		query: { workshop: 'origin-check' },
		extraHeaders: { origin, cookie },
		reconnection: false,
		timeout: 10_000
	});
	return new Promise<boolean>((resolve) => {
		socket.once('connect', () => resolve(true));
		socket.once('connect_error', () => resolve(false));
	}).finally(() => socket.disconnect());
}

/** The HTTP status of a raw engine.io long-polling handshake with this Origin (and a member's cookie). */
async function pollingHandshakeStatus(server: RunningServer, origin: string): Promise<number> {
	const cookie = await memberCookie(server, 'origin-check');
	const url = `${server.url}/socket.io/?EIO=4&transport=polling&workshop=origin-check`;
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers: { origin, cookie } }, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('error', reject);
	});
}

describe('the Origin of WebSocket and Socket.IO handshakes', () => {
	it('refuses a cross-site /yjs upgrade with HTTP 403 and leaves the room working', async () => {
		server = await startTestServer();
		bystanders = await connectBystanders(server, 'origin-check');
		const cookie = await memberCookie(server, 'origin-check');
		expect(await upgradeStatus(server.url, 'origin-check', { origin: EVIL, cookie })).toBe(403);
		await bystanders.expectStillWorking();
	});

	it('accepts /yjs and Socket.IO from the server’s own origin and refuses them from another site', async () => {
		server = await startTestServer();
		expect(await yjsAccepts(server, server.url)).toBe(true);
		expect(await yjsAccepts(server, EVIL)).toBe(false);
		expect(await socketIoAccepts(server, server.url)).toBe(true);
		expect(await socketIoAccepts(server, EVIL)).toBe(false);
		expect(await pollingHandshakeStatus(server, server.url)).toBe(200);
		expect(await pollingHandshakeStatus(server, EVIL)).toBe(403);
	});

	it('accepts only the configured origin when ORIGIN is set', async () => {
		server = await startTestServer({ ORIGIN: VENUE });
		expect(await yjsAccepts(server, VENUE)).toBe(true);
		expect(await yjsAccepts(server, server.url)).toBe(false);
		expect(await yjsAccepts(server, EVIL)).toBe(false);
		expect(await socketIoAccepts(server, VENUE)).toBe(true);
		expect(await socketIoAccepts(server, server.url)).toBe(false);
		expect(await socketIoAccepts(server, EVIL)).toBe(false);
		expect(await pollingHandshakeStatus(server, VENUE)).toBe(200);
		expect(await pollingHandshakeStatus(server, EVIL)).toBe(403);
	});
});
