import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { expectAnswered, openRawClient, rawClient, syncUpdate } from '../fixtures/raw-socket';
import * as decoding from 'lib0/decoding';
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
		const offender = rawClient(server.url, 'pending', {
			headers: { cookie: await memberCookie(server, 'pending') }
		});
		await offender.opened;
		for (const update of updatesMissingTheirStart(10, 150_000))
			offender.ws.send(syncUpdate(update));
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
		const client = rawClient(server.url, 'out-of-order', {
			headers: { cookie: await memberCookie(server, 'out-of-order') }
		});
		await client.opened;
		client.ws.send(syncUpdate(updates[1]));
		client.ws.send(syncUpdate(updates[0]));
		const live = await server.services.registry.open('out-of-order');
		await expect.poll(() => live.doc.getText('t').toString()).toBe('Kayes Mali');
		expect(client.isOpen).toBe(true);
		client.ws.close();
	});

	it('sends the client whose update let waiting structs integrate those structs too, which it lacks', async () => {
		server = await startTestServer();
		const cookie = await memberCookie(server, 'supplied');
		const author = new Y.Doc();
		const updates: Uint8Array[] = [];
		author.on('update', (update: Uint8Array) => updates.push(update));
		author.getText('t').insert(0, 'Kayes');
		author.getText('t').insert(5, ' Mali');
		const waiting = await openRawClient(server.url, 'supplied', { headers: { cookie } });
		waiting.ws.send(syncUpdate(updates[1]));
		await expectAnswered(waiting);
		// Another connection supplies the dependency and nothing else.
		const supplier = await openRawClient(server.url, 'supplied', { headers: { cookie } });
		const mirror = new Y.Doc();
		Y.applyUpdate(mirror, updates[0]);
		supplier.ws.send(syncUpdate(updates[0]));
		await expect
			.poll(() => {
				for (const message of supplier.received.splice(0)) applyRelayed(mirror, message);
				return mirror.getText('t').toString();
			})
			.toBe('Kayes Mali');
		waiting.ws.close();
		supplier.ws.close();
	});
});

/** Applies a relayed sync update or step 2 (type 0, then 1 or 2, then the update) to `doc`. */
function applyRelayed(doc: Y.Doc, message: Uint8Array): void {
	const decoder = decoding.createDecoder(message);
	if (decoding.readVarUint(decoder) !== 0) return;
	if (decoding.readVarUint(decoder) === 0) return;
	Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
}
