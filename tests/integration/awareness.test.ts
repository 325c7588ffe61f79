import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, waitFor, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { MessageType } from '../../src/lib/shared/protocol';
import { updateOwnDetails } from '../../src/lib/server/members';
import { mergeOrganisations } from '../../src/lib/server/organisations';

let server: RunningServer;
const clients: BoardConnection[] = [];
/** A member of `room` named `name`: the server shows that name in their presence. */
const client = (room: string, name = 'Anonyme') => {
	const cookie = seedMember(server, room, { role: 'participant', name }).then(
		(member) => member.cookie
	);
	const connection = connectClient(server.url, room, { cookie });
	clients.push(connection);
	return connection;
};

beforeAll(async () => {
	server = await startTestServer();
});
afterEach(() => {
	for (const connection of clients.splice(0)) connection.destroy();
});
afterAll(async () => {
	await server.close();
});

interface PresenceEntry {
	clientId: number;
	state: { user?: { name?: string }; step?: string } | null;
}

/** Records every awareness entry `connection` receives from the server, then handles it as usual. */
function recordPresence(connection: BoardConnection): PresenceEntry[] {
	const entries: PresenceEntry[] = [];
	const handlers = connection.provider.messageHandlers;
	const original = handlers[MessageType.awareness];
	handlers[MessageType.awareness] = (encoder, decoder, provider, emitSynced, messageType) => {
		const update = decoding.createDecoder(decoding.readVarUint8Array(decoding.clone(decoder)));
		for (let count = decoding.readVarUint(update); count > 0; count--) {
			const clientId = decoding.readVarUint(update);
			decoding.readVarUint(update); // clock
			entries.push({ clientId, state: JSON.parse(decoding.readVarString(update)) });
		}
		original(encoder, decoder, provider, emitSynced, messageType);
	};
	return entries;
}

function userName(connection: BoardConnection, clientId: number): string | undefined {
	const state = connection.provider.awareness.getStates().get(clientId) as
		PresenceEntry['state'] | undefined;
	return state?.user?.name;
}

describe('presence (awareness) through the server', () => {
	it('relays a presence change to the other client, not back to its sender', async () => {
		const a = client('presence-relay', 'Aïssata');
		const b = client('presence-relay');
		const receivedByA = recordPresence(a);
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		a.provider.awareness.setLocalStateField('user', { name: 'Aïssata', color: '#b5442c' });
		a.provider.awareness.setLocalStateField('step', 'study');
		await waitFor(() => userName(b, a.doc.clientID) === 'Aïssata', { what: "A's presence on B" });
		// B's presence, changed after A's, arriving at A shows A's own would have come back by now.
		b.provider.awareness.setLocalStateField('step', 'identify');
		await waitFor(
			() =>
				receivedByA.some(
					(entry) => entry.clientId === b.doc.clientID && entry.state?.step === 'identify'
				),
			{
				what: "B's change on A"
			}
		);
		// An echo carries nothing new (the same clock) and a y-websocket client would send it back.
		expect(receivedByA.filter((entry) => entry.clientId === a.doc.clientID)).toEqual([]);
	});

	it('relays no presence renewal (the same state with a later clock) to anyone', async () => {
		const a = client('presence-renewal', 'Oumar');
		const b = client('presence-renewal');
		const receivedByB = recordPresence(b);
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		a.provider.awareness.setLocalStateField('step', 'study');
		await waitFor(() => userName(b, a.doc.clientID) === 'Oumar', { what: "A's presence on B" });
		const before = receivedByB.filter((entry) => entry.clientId === a.doc.clientID).length;
		// What y-protocols does every 15 s, three times, then a real change as a marker.
		for (let renewal = 0; renewal < 3; renewal++)
			a.provider.awareness.setLocalState(a.provider.awareness.getLocalState());
		a.provider.awareness.setLocalStateField('step', 'interest');
		await waitFor(
			() =>
				receivedByB.some(
					(entry) => entry.clientId === a.doc.clientID && entry.state?.step === 'interest'
				),
			{
				what: "A's step change on B"
			}
		);
		expect(receivedByB.filter((entry) => entry.clientId === a.doc.clientID).length - before).toBe(
			1
		);
	});

	it("does not send others' presence changes back up to the server", async () => {
		const a = client('presence-no-echo', 'Kadiatou');
		const b = client('presence-no-echo');
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		const sentByB: number[] = [];
		const ws = b.provider.ws!;
		const send = ws.send.bind(ws);
		ws.send = (data: Uint8Array) => {
			sentByB.push(data[0]);
			send(data);
		};
		for (const step of ['identify', 'study', 'interest', 'commit'])
			a.provider.awareness.setLocalStateField('step', step);
		await waitFor(
			() =>
				(b.provider.awareness.getStates().get(a.doc.clientID) as { step?: string } | undefined)
					?.step === 'commit',
			{
				what: "A's last step on B"
			}
		);
		expect(sentByB.filter((type) => type === MessageType.awareness)).toEqual([]);
	});

	it("removes a client's presence for the others when its connection drops without a goodbye", async () => {
		const a = client('presence-drop', 'Moussa');
		const b = client('presence-drop');
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		a.provider.awareness.setLocalStateField('user', { name: 'Moussa' });
		await waitFor(() => userName(b, a.doc.clientID) === 'Moussa', { what: "A's presence on B" });
		// A dead network: no closing handshake and no "I left" presence from the client.
		(a.provider.ws as unknown as WebSocket).terminate();
		a.destroy();
		await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), {
			what: "A's presence removed on B"
		});
		expect(b.provider.wsconnected).toBe(true);
	});

	it('sends the presence of everyone already in the room to a client that joins', async () => {
		const a = client('presence-join', 'Fatoumata');
		await waitForSynced(a);
		a.provider.awareness.setLocalStateField('user', { name: 'Fatoumata' });
		const live = await server.services.registry.open('presence-join');
		await waitFor(
			() =>
				(live.awareness.getStates().get(a.doc.clientID) as PresenceEntry['state'])?.user?.name ===
				'Fatoumata',
			{
				what: "the server to hold A's presence"
			}
		);
		const b = client('presence-join');
		await waitForSynced(b);
		await waitFor(() => userName(b, a.doc.clientID) === 'Fatoumata', {
			what: "A's presence on the newcomer"
		});
	});

	it("shows a member's corrected name and merged organisation without a reconnect", async () => {
		const room = 'presence-rename';
		const seeded = await seedMember(server, room, {
			role: 'participant',
			name: 'Mousa',
			organisation: 'CARE International'
		});
		const other = await seedMember(server, room, {
			role: 'participant',
			name: 'Awa',
			organisation: 'CARE Mali'
		});
		const a = connectClient(server.url, room, { cookie: seeded.cookie });
		const b = client(room);
		clients.push(a);
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		const organisation = () =>
			(
				b.provider.awareness.getStates().get(a.doc.clientID) as
					{ user?: { organisation?: string } } | undefined
			)?.user?.organisation;
		a.provider.awareness.setLocalStateField('step', 'identify');
		await waitFor(() => userName(b, a.doc.clientID) === 'Mousa', { what: "A's first name on B" });

		await updateOwnDetails(server.services, room, seeded.userId, {
			name: 'Moussa Diarra',
			organisation: 'CARE International'
		});
		// A's client's next presence renewal (every 15 s), here at once: the same state, a later
		// clock; stamped with the corrected name, it is a change, so the server relays it.
		a.provider.awareness.setLocalState(a.provider.awareness.getLocalState());
		await waitFor(() => userName(b, a.doc.clientID) === 'Moussa Diarra', {
			what: "A's corrected name on B"
		});

		const members = await server.services.storage.listMembers(room);
		const idOf = (name: string) => members.find((member) => member.name === name)!.organisationId!;
		expect(
			await mergeOrganisations(server.services, room, idOf(other.name), idOf('Moussa Diarra'))
		).toBe(true);
		a.provider.awareness.setLocalStateField('step', 'interest');
		await waitFor(() => organisation() === 'CARE Mali', { what: "A's merged organisation on B" });
	});
});
