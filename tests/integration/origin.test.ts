import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
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

/** Whether a /yjs upgrade with this Origin opens. */
async function yjsAccepts(url: string, origin: string): Promise<boolean> {
	try {
		const client = await openRawClient(url, 'origin-check', { headers: { origin } });
		client.ws.close();
		return true;
	} catch {
		expect(await upgradeStatus(url, 'origin-check', { origin })).toBe(403);
		return false;
	}
}

/** Whether a Socket.IO connection over WebSocket with this Origin connects. */
function socketIoAccepts(url: string, origin: string): Promise<boolean> {
	const socket = io(url, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, timeout: 10_000 });
	return new Promise<boolean>((resolve) => {
		socket.once('connect', () => resolve(true));
		socket.once('connect_error', () => resolve(false));
	}).finally(() => socket.disconnect());
}

/** The HTTP status of a raw engine.io long-polling handshake with this Origin. */
function pollingHandshakeStatus(url: string, origin: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.get(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } }, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('error', reject);
	});
}

describe('the Origin of WebSocket and Socket.IO handshakes', () => {
	it('refuses a cross-site /yjs upgrade with HTTP 403 and leaves the room working', async () => {
		server = await startTestServer();
		bystanders = await connectBystanders(server.url, 'origin-check');
		expect(await upgradeStatus(server.url, 'origin-check', { origin: EVIL })).toBe(403);
		await bystanders.expectStillWorking();
	});

	it('accepts /yjs and Socket.IO from the server’s own origin and refuses them from another site', async () => {
		server = await startTestServer();
		expect(await yjsAccepts(server.url, server.url)).toBe(true);
		expect(await yjsAccepts(server.url, EVIL)).toBe(false);
		expect(await socketIoAccepts(server.url, server.url)).toBe(true);
		expect(await socketIoAccepts(server.url, EVIL)).toBe(false);
		expect(await pollingHandshakeStatus(server.url, server.url)).toBe(200);
		expect(await pollingHandshakeStatus(server.url, EVIL)).toBe(403);
	});

	it('accepts only the configured origin when ORIGIN is set', async () => {
		server = await startTestServer({ ORIGIN: VENUE });
		expect(await yjsAccepts(server.url, VENUE)).toBe(true);
		expect(await yjsAccepts(server.url, server.url)).toBe(false);
		expect(await yjsAccepts(server.url, EVIL)).toBe(false);
		expect(await socketIoAccepts(server.url, VENUE)).toBe(true);
		expect(await socketIoAccepts(server.url, server.url)).toBe(false);
		expect(await socketIoAccepts(server.url, EVIL)).toBe(false);
		expect(await pollingHandshakeStatus(server.url, VENUE)).toBe(200);
		expect(await pollingHandshakeStatus(server.url, EVIL)).toBe(403);
	});
});
