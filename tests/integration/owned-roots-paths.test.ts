/**
 * Every way a client's bytes reach a document, each checked for the same guarantee: a write to a
 * server-owned root is reverted in the same commit, no other client ever holds it, the disk keeps
 * none of it and the server's own copy is unchanged, while honest edits sent with it survive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	rawClient,
	syncStep2,
	syncUpdate
} from '../fixtures/raw-socket';
import {
	deleteSetStart,
	forgedUpdate,
	ownedState,
	seedOwnedRoots,
	serverOwnedCopy,
	storedDocument,
	watchOwnedRoots,
	type OwnedState
} from '../fixtures/owned-roots';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer | null = null;
const clients: BoardConnection[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server?.close();
	server = null;
});

interface Room {
	server: RunningServer;
	room: string;
	expected: OwnedState;
	ownedCopy: Record<string, Record<string, string>>;
	bystander: BoardConnection;
	seen: string[];
	participantCookie: string;
}

async function openRoom(room: string, running?: RunningServer): Promise<Room> {
	server = running ?? (await startTestServer());
	const expected = await seedOwnedRoots(server, room);
	const ownedCopy = await serverOwnedCopy(server, room);
	const bystander = connect(
		server,
		room,
		(await seedMember(server, room, { role: 'participant' })).cookie
	);
	await waitForSynced(bystander);
	const seen = watchOwnedRoots(bystander.doc, expected);
	const participantCookie = (await seedMember(server, room, { role: 'participant' })).cookie;
	return { server, room, expected, ownedCopy, bystander, seen, participantCookie };
}

function connect(
	running: RunningServer,
	room: string,
	cookie: string,
	doc?: Y.Doc
): BoardConnection {
	const client = connectClient(running.url, room, { cookie, doc });
	clients.push(client);
	return client;
}

/** The guarantee every path must give, once the honest ally has reached the bystander. */
async function expectNoForgery(room: Room, honest: string | null): Promise<void> {
	if (honest) {
		await waitFor(() => readAllies(room.bystander.doc).some((ally) => ally.name === honest), {
			what: 'the honest edit'
		});
	}
	// A round trip on the bystander's own socket: everything the server relayed has arrived.
	await waitForSaved(room.bystander);
	expect(room.seen).toEqual([]);
	expect(ownedState(room.bystander.doc)).toEqual(room.expected);
	expect(ownedState(await storedDocument(room.server, room.room))).toEqual(room.expected);
	expect(await serverOwnedCopy(room.server, room.room)).toEqual(room.ownedCopy);
}

function stateOf(client: BoardConnection): Uint8Array {
	return Y.encodeStateAsUpdate(client.doc);
}

describe('a write to a server-owned root, by every path into the document', () => {
	it('an update whose delete set is malformed after its structs: the socket closes 1002, the integrated structs are kept and relayed with their revert', async () => {
		const room = await openRoom('half-valid');
		const update = forgedUpdate(stateOf(room.bystander), 'charter', 'set', 'Honnête 1');
		// The structs decode; the delete set claims more clients than there are bytes.
		const halfValid = new Uint8Array([...update.slice(0, deleteSetStart(update)), 0x05]);
		expect(() => Y.applyUpdate(new Y.Doc(), halfValid)).toThrow();
		const forger = await openRawClient(room.server.url, room.room, {
			headers: { cookie: room.participantCookie }
		});
		forger.ws.send(syncUpdate(halfValid));
		expect((await closedWithin(forger)).code).toBe(CloseCode.malformed);
		await expectNoForgery(room, 'Honnête 1');
	});

	it('an offline batch (sync step 2 of a WebsocketProvider that edited while disconnected) is reverted on arrival', async () => {
		const room = await openRoom('offline-batch');
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stateOf(room.bystander));
		doc.transact(() => {
			doc.getMap('meta').set('archived', true);
			doc.getMap('charter').set('seed', 'forged offline');
			addAlly(doc, { name: 'Ajouté hors ligne', type: 'group' });
		});
		const offline = connect(room.server, room.room, room.participantCookie, doc);
		await waitForSaved(offline);
		await expectNoForgery(room, 'Ajouté hors ligne');
		await waitFor(() => offline.doc.getMap('meta').get('archived') !== true, {
			what: 'the revert on the forger'
		});
	});

	it('structs that waited for a missing dependency are reverted when another connection supplies it, and that connection receives them too', async () => {
		const room = await openRoom('pending');
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stateOf(room.bystander));
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		addAlly(doc, { name: 'Dépendance', type: 'group' });
		doc.transact(() => {
			doc.getMap('rounds').set('seed', 'faked results');
			addAlly(doc, { name: 'En attente', type: 'group' });
		});
		const waiting = await openRawClient(room.server.url, room.room, {
			headers: { cookie: room.participantCookie }
		});
		waiting.ws.send(syncUpdate(updates[1]));
		await expectAnswered(waiting);
		const live = await room.server.services.registry.open(room.room);
		expect(live.doc.store.pendingStructs).not.toBeNull();
		// Supplied by an honest-looking provider whose own update is the dependency.
		const supplierDoc = new Y.Doc();
		Y.applyUpdate(supplierDoc, stateOf(room.bystander));
		Y.applyUpdate(supplierDoc, updates[0]);
		const supplier = connect(room.server, room.room, room.participantCookie, supplierDoc);
		await waitForSaved(supplier);
		expect(live.doc.store.pendingStructs).toBeNull();
		await expectNoForgery(room, 'En attente');
		await waitFor(() => readAllies(supplier.doc).some((ally) => ally.name === 'En attente'), {
			what: 'the supplier to receive what its update let integrate'
		});
		waiting.ws.close();
	});

	it('an update that arrives while the document is still loading is buffered, then reverted like any other', async () => {
		const running = await startTestServer({ DOC_GRACE_MS: '50' });
		const room = await openRoom('loading', running);
		const base = stateOf(room.bystander);
		for (const client of clients.splice(0)) client.destroy();
		await waitFor(() => !running.services.registry.has(room.room), {
			what: 'the document to unload'
		});
		const load = running.services.storage.loadDocument.bind(running.services.storage);
		running.services.storage.loadDocument = async (name) => {
			await sleep(300);
			return load(name);
		};
		const forger = rawClient(running.url, room.room, {
			headers: { cookie: room.participantCookie }
		});
		forger.ws.once('open', () =>
			forger.ws.send(syncUpdate(forgedUpdate(base, 'acceptances', 'set', 'Pendant le chargement')))
		);
		await forger.opened;
		await expectAnswered(forger);
		const bystander = connect(running, room.room, room.participantCookie);
		await waitForSynced(bystander);
		const seen = watchOwnedRoots(bystander.doc, room.expected);
		await expectNoForgery({ ...room, bystander, seen }, 'Pendant le chargement');
		forger.ws.close();
	});

	it('updates a client merged before sending them are reverted as one, the honest part kept', async () => {
		const room = await openRoom('merged');
		const base = stateOf(room.bystander);
		const merged = Y.mergeUpdates([
			forgedUpdate(base, 'allyMap', 'list', 'Fusionné 1'),
			forgedUpdate(base, 'proposals', 'delete', 'Fusionné 2')
		]);
		const forger = await openRawClient(room.server.url, room.room, {
			headers: { cookie: room.participantCookie }
		});
		forger.ws.send(syncStep2(merged));
		await expectAnswered(forger);
		await expectNoForgery(room, 'Fusionné 2');
		expect(readAllies(room.bystander.doc).map((ally) => ally.name)).toEqual(
			expect.arrayContaining(['Fusionné 1'])
		);
		forger.ws.close();
	});

	it("an observer's write is dropped whole: nothing of it is applied, relayed or stored, and its socket stays open", async () => {
		const room = await openRoom('observer');
		const observer = await seedMember(room.server, room.room, { role: 'observer' });
		const forger = await openRawClient(room.server.url, room.room, {
			headers: { cookie: observer.cookie }
		});
		forger.ws.send(
			syncUpdate(forgedUpdate(stateOf(room.bystander), 'facilitation', 'set', 'Observateur'))
		);
		await expectAnswered(forger);
		await expectNoForgery(room, null);
		expect(readAllies(room.bystander.doc).map((ally) => ally.name)).not.toContain('Observateur');
		expect(forger.isOpen).toBe(true);
		forger.ws.close();
	});

	it("while archived, a participant's write is dropped whole, and unarchiving never brings a forged value back", async () => {
		const room = await openRoom('archived');
		await room.server.services.registry.changeDocument(room.room, (doc) =>
			doc.getMap('meta').set('archived', true)
		);
		await waitFor(() => room.bystander.doc.getMap('meta').get('archived') === true, {
			what: 'the archive'
		});
		const expected = ownedState(room.bystander.doc);
		const seen = watchOwnedRoots(room.bystander.doc, expected);
		const forgerDoc = new Y.Doc();
		Y.applyUpdate(forgerDoc, stateOf(room.bystander));
		forgerDoc.transact(() => forgerDoc.getMap('meta').set('seed', 'forged while archived'));
		const forger = connect(room.server, room.room, room.participantCookie, forgerDoc);
		await waitForSynced(forger);
		await waitForSaved(room.bystander);
		expect(seen).toEqual([]);
		expect(ownedState(await storedDocument(room.server, room.room))).toEqual(expected);
		// Unarchiving asks every client for what the server lacks: the dropped write now arrives, and is reverted.
		await room.server.services.registry.changeDocument(room.room, (doc) =>
			doc.getMap('meta').set('archived', false)
		);
		room.server.services.registry.requestMissing(room.room);
		await waitFor(() => room.bystander.doc.getMap('meta').get('archived') === false, {
			what: 'the unarchive'
		});
		await waitForSaved(forger);
		await waitForSaved(room.bystander);
		expect(ownedState(await storedDocument(room.server, room.room))).toEqual(
			ownedState(room.bystander.doc)
		);
		expect(room.bystander.doc.getMap('meta').get('seed')).toBe('server value of meta');
		expect(seen.some((state) => state.includes('forged while archived'))).toBe(false);
	});
});
