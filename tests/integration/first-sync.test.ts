/**
 * What a phone downloads to open a big board for the first time: a 300-ally board with its study
 * fields partly filled, counted on the server's side of the joining phone's socket (WebSocket
 * frames with their headers; TCP/IP headers not) from the handshake until it is synced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { addAlly, getAllyText } from '../../src/lib/shared/schema';

/** Issue #14's target for a 300-ally board's first sync. */
const FIRST_SYNC_BUDGET = 30 * 1024;

let server: RunningServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server.close();
});

describe('first sync of a big board', () => {
	it('costs a phone at most 30 KB on the wire for a board of 300 allies', async () => {
		const room = 'big-board';
		const writer = connectClient(server.url, room, { cookie: memberCookie(server, room) });
		try {
			await waitForSynced(writer);
			for (let index = 0; index < 300; index++) {
				const id = addAlly(writer.doc, {
					name: `Association des femmes de Kayes n° ${index}`,
					type: 'association'
				});
				if (index % 2 === 0)
					getAllyText(writer.doc, id, 'headquarters')!.insert(0, 'Kayes, quartier Plateau');
				if (index % 3 === 0)
					getAllyText(writer.doc, id, 'activities')!.insert(
						0,
						'Santé maternelle, éducation des filles'
					);
			}
			await waitForSaved(writer, 30_000);
		} finally {
			writer.destroy();
		}

		const known = new Set(server.services.connections);
		const phone = connectClient(server.url, room, { cookie: await memberCookie(server, room) });
		try {
			await waitForSynced(phone, 30_000);
			// The answer to its sync step 1 is what it came for; the rest (presence) follows at once.
			await sleep(500);
			const connection = [...server.services.connections].find(
				(candidate) => !known.has(candidate)
			)!;
			const socket = (connection.ws as unknown as { _socket: { bytesWritten: number } })._socket;
			const down = socket.bytesWritten;
			console.log(
				`first sync of a 300-ally board: ${down} bytes down (${Y.encodeStateAsUpdate(phone.doc).length} bytes of document)`
			);
			await waitFor(() => phone.doc.getMap('allies').size === 300, { what: 'the 300 allies' });
			expect(down).toBeLessThanOrEqual(FIRST_SYNC_BUDGET);
		} finally {
			phone.destroy();
		}
	});
});
