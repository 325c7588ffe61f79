/**
 * Connections that go quiet, with the default timings: a live client in a silent room must stay
 * connected, a dead one must be dropped. Both take tens of seconds, so they run concurrently.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders } from '../fixtures/bystanders';
import { connectClient, sleep, waitForSynced } from '../fixtures/clients';
import { closedWithin, openRawClient } from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import * as decoding from 'lib0/decoding';
import { MessageType } from '../../src/lib/shared/protocol';

let server: RunningServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server.close();
});

describe.concurrent('keeping connections alive', () => {
	it('keeps a lone client in a quiet room connected for 45 s, past the client watchdog of 30 s', async ({
		expect
	}) => {
		const lone = connectClient(server.url, 'quiet-room', {
			cookie: memberCookie(server, 'quiet-room')
		});
		try {
			let closes = 0;
			lone.provider.on('connection-close', () => (closes += 1));
			let presenceReceived = 0;
			let presenceEntries = 0;
			const handlers = lone.provider.messageHandlers;
			const original = handlers[MessageType.awareness];
			handlers[MessageType.awareness] = (...args) => {
				presenceReceived += 1;
				presenceEntries += decoding.readVarUint(
					decoding.createDecoder(decoding.readVarUint8Array(decoding.clone(args[1])))
				);
				original(...args);
			};
			await waitForSynced(lone);
			const ws = lone.provider.ws;
			// The length of the quiet period is what is under test, not a wait for a condition.
			await sleep(45_000);
			expect(closes).toBe(0);
			expect(lone.provider.wsconnected).toBe(true);
			expect(lone.provider.ws).toBe(ws);
			// The server's keepalives, awareness messages with no entries after 18 s of silence, are
			// all it heard: its own presence renewals are no longer echoed (they cost every phone
			// bytes per person in the room).
			expect(presenceReceived).toBeGreaterThanOrEqual(2);
			expect(presenceEntries).toBe(0);
		} finally {
			lone.destroy();
		}
	}, 90_000);

	it('terminates a client that stops answering pings within 30 s and leaves the others connected', async ({
		expect
	}) => {
		const bystanders = await connectBystanders(server, 'unanswered-pings');
		try {
			const mute = await openRawClient(server.url, 'unanswered-pings', {
				autoPong: false,
				headers: { cookie: await memberCookie(server, 'unanswered-pings') }
			});
			let pings = 0;
			mute.ws.on('ping', () => (pings += 1));
			const opened = Date.now();
			const { code } = await closedWithin(mute, 30_000);
			// Terminated, not closed: a dead peer cannot take part in a closing handshake.
			expect(code).toBe(1006);
			expect(pings).toBeGreaterThanOrEqual(1);
			expect(Date.now() - opened).toBeLessThan(30_000);
			await bystanders.expectStillWorking();
		} finally {
			bystanders.destroy();
		}
	}, 60_000);
});
