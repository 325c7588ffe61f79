import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { rawClient, syncUpdate } from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import { CloseCode } from '../../src/lib/shared/close-codes';

let server: RunningServer | null = null;
let bystanders: Bystanders | null = null;

afterEach(async () => {
	bystanders?.destroy();
	bystanders = null;
	await server?.close();
	server = null;
});

/** Updates 2..n of one client, each ~`size` bytes, without update 1 they all depend on. */
function updatesMissingTheirStart(count: number, size: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const text = doc.getText('t');
	for (let i = 0; i <= count; i++) text.insert(text.length, String(i % 10).repeat(size));
	return updates.slice(1);
}

describe('updates waiting for missing dependencies', () => {
	it('closes a client that piles them past the cap and drops them from memory', async () => {
		server = await startTestServer();
		bystanders = await connectBystanders(server, 'pending');
		const offender = rawClient(server.url, 'pending', { headers: { cookie: await memberCookie(server, 'pending') } });
		await offender.opened;
		for (const update of updatesMissingTheirStart(10, 150_000)) offender.ws.send(syncUpdate(update));
		expect((await offender.closed).code).toBe(CloseCode.malformed);
		const live = await server.services.registry.open('pending');
		expect(live.doc.store.pendingStructs).toBeNull();
		await bystanders.expectStillWorking();
	});

	it('keeps a few such updates from an honest client until their dependency arrives', async () => {
		server = await startTestServer();
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		doc.getText('t').insert(0, 'Kayes');
		doc.getText('t').insert(5, ' Mali');
		const client = rawClient(server.url, 'out-of-order', { headers: { cookie: await memberCookie(server, 'out-of-order') } });
		await client.opened;
		client.ws.send(syncUpdate(updates[1]));
		client.ws.send(syncUpdate(updates[0]));
		const live = await server.services.registry.open('out-of-order');
		await expect.poll(() => live.doc.getText('t').toString()).toBe('Kayes Mali');
		expect(client.isOpen).toBe(true);
		client.ws.close();
	});
});
