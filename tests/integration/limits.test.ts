import { afterEach, describe, expect, it } from 'vitest';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	presenceMessage,
	syncStep1
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer | null = null;
let bystanders: Bystanders | null = null;
const clients: BoardConnection[] = [];

afterEach(async () => {
	bystanders?.destroy();
	bystanders = null;
	for (const client of clients.splice(0)) client.destroy();
	await server?.close();
	server = null;
});

describe('per-connection rate limits', () => {
	it('closes a socket that bursts 100 valid messages past RATE_MESSAGES_PER_SECOND=20 with 4100', async () => {
		server = await startTestServer({ RATE_MESSAGES_PER_SECOND: '20' });
		bystanders = await connectBystanders(server, 'burst-messages');
		const offender = await openRawClient(server.url, 'burst-messages', {
			headers: { cookie: await memberCookie(server, 'burst-messages') }
		});
		const step1 = syncStep1();
		const hello = presenceMessage();
		for (let i = 0; i < 100; i++) offender.ws.send(i % 2 === 0 ? step1 : hello);
		expect((await closedWithin(offender)).code).toBe(CloseCode.rateLimited);
		await bystanders.expectStillWorking();
	});

	it('closes a socket that bursts bytes past RATE_BURST_BYTES with 4100', async () => {
		server = await startTestServer({ RATE_BYTES_PER_SECOND: '2048', RATE_BURST_BYTES: '8192' });
		bystanders = await connectBystanders(server, 'burst-bytes');
		const offender = await openRawClient(server.url, 'burst-bytes', {
			headers: { cookie: await memberCookie(server, 'burst-bytes') }
		});
		// Twelve ~1 KB presence updates: few messages, but 12 KB against an 8 KB bucket.
		const heavy = presenceMessage(1000);
		for (let i = 0; i < 12; i++) offender.ws.send(heavy);
		expect((await closedWithin(offender)).code).toBe(CloseCode.rateLimited);
		await bystanders.expectStillWorking();
	});

	it('lets a socket send within the byte rate for longer than its burst allows at once', async () => {
		server = await startTestServer({ RATE_BYTES_PER_SECOND: '8192', RATE_BURST_BYTES: '4096' });
		const steady = await openRawClient(server.url, 'steady-bytes', {
			headers: { cookie: await memberCookie(server, 'steady-bytes') }
		});
		const heavy = presenceMessage(1000);
		// ~4 KB/s for 1.5 s: 6 KB in all, more than the 4 KB bucket, but refilled faster than spent.
		for (let i = 0; i < 6; i++) {
			steady.ws.send(heavy);
			await sleep(250);
		}
		await expectAnswered(steady);
		expect(steady.isOpen).toBe(true);
		steady.ws.close();
	});

	it('lets a normal WebsocketProvider client add 50 allies at once under the default limits', async () => {
		server = await startTestServer();
		const writer = connectClient(server.url, 'fifty-allies', {
			cookie: memberCookie(server, 'fifty-allies')
		});
		const reader = connectClient(server.url, 'fifty-allies', {
			cookie: memberCookie(server, 'fifty-allies')
		});
		clients.push(writer, reader);
		let closes = 0;
		writer.provider.on('connection-close', () => (closes += 1));
		await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
		for (let i = 1; i <= 50; i++) addAlly(writer.doc, { name: `Ally ${i}`, type: 'group' });
		await waitForSaved(writer);
		await waitFor(() => readAllies(reader.doc).length === 50, { what: '50 allies on the reader' });
		expect(closes).toBe(0);
		expect(writer.provider.wsconnected).toBe(true);
	});
});
