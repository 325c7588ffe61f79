/**
 * The venue story, with two real server processes, each with its own DATA_DIR: the central server A
 * and a venue laptop B. A's workshop is exported and imported into B through the import page; the
 * forum runs on B (edits, a named vote round, the lock) while A's copy is edited too; B's export is
 * imported into A → A has every edit of both, the round's result, the step reached and the lock,
 * once, the facilitator's settings each side changed last, and the date and title the laptop
 * corrected during the forum. Importing the same file again changes nothing, and a charter forged
 * into the file is not taken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parse } from 'devalue';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { seedMember, type SeededMember } from '../fixtures/members';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { connectCommands, withKey, type CommandClient } from '../../src/lib/realtime/commands';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { readCharter } from '../../src/lib/shared/charter';
import { readRounds } from '../../src/lib/shared/consensus';
import { checksumOf, type WorkshopFile } from '../../src/lib/server/export-json';
import type { OrganisationsView } from '../../src/lib/shared/events';

const servers: ChildServer[] = [];
const boards: BoardConnection[] = [];
const commandClients: CommandClient[] = [];

afterEach(async () => {
	for (const board of boards.splice(0)) board.destroy();
	for (const client of commandClients.splice(0)) client.destroy();
	for (const server of servers.splice(0)) {
		server.process.kill('SIGTERM');
		await server.exited;
	}
});

async function start(): Promise<ChildServer> {
	const server = await spawnServer({ PORT: String(await freePort()), DATA_DIR: tempDataDir() });
	servers.push(server);
	return server;
}

async function board(
	server: ChildServer,
	room: string,
	member: SeededMember
): Promise<BoardConnection> {
	const connection = connectClient(server.url, room, { cookie: member.cookie });
	boards.push(connection);
	await waitForSynced(connection);
	return connection;
}

async function commands(
	server: ChildServer,
	room: string,
	member: SeededMember
): Promise<CommandClient> {
	const client = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie: member.cookie }
	});
	commandClients.push(client);
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return client;
}

async function ok<T>(result: Promise<{ ok: boolean; value?: T }>): Promise<T> {
	const answer = await result;
	expect(answer.ok, JSON.stringify(answer)).toBe(true);
	return answer.value as T;
}

async function exportFile(
	server: ChildServer,
	room: string,
	member: SeededMember
): Promise<string> {
	const response = await fetch(`${server.url}/w/${room}/export/workshop.json`, {
		headers: { cookie: member.cookie }
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"$/);
	return response.text();
}

/** A form action's post, as the browser's enhanced form sends it; resolves the action's answer. */
async function postAction(
	server: ChildServer,
	member: SeededMember,
	action: string,
	form: FormData
): Promise<{ type: string; data: string }> {
	const response = await fetch(`${server.url}${action}`, {
		method: 'POST',
		headers: {
			cookie: member.cookie,
			origin: server.url,
			'x-sveltekit-action': 'true',
			accept: 'application/json'
		},
		body: form
	});
	return (await response.json()) as { type: string; data: string };
}

/** The import page's form post. */
function importFile(
	server: ChildServer,
	member: SeededMember,
	text: string
): Promise<{ type: string; data: string }> {
	const form = new FormData();
	form.set('file', new Blob([text], { type: 'application/json' }), 'atelier.json');
	return postAction(server, member, '/import', form);
}

/** The settings page's details form: title, date, place, language, issue. */
async function saveDetails(
	server: ChildServer,
	member: SeededMember,
	room: string,
	details: Record<'title' | 'date' | 'place' | 'language' | 'issue', string>
): Promise<void> {
	const form = new FormData();
	for (const [key, value] of Object.entries(details)) form.set(key, value);
	const answer = await postAction(server, member, `/w/${room}/settings?/details`, form);
	expect(answer.type, JSON.stringify(answer)).toBe('success');
}

function allyNames(doc: Y.Doc): string[] {
	return readAllies(doc)
		.map((ally) => ally.name)
		.sort();
}

describe('the venue story: a laptop at the forum and the central server', () => {
	it('brings both sides’ edits, the round result, the step reached, the lock, the settings each side changed last and the laptop’s corrected date and title into the central server, once, and refuses a forged charter', async () => {
		const [a, b] = await Promise.all([start(), start()]);
		const room = 'venue-forum';
		// A: the workshop as prepared before the forum.
		const centralFacilitator = await seedMember(a.dataDir, room, {
			role: 'facilitator',
			name: 'Awa Traoré'
		});
		const centralBoard = await board(a, room, centralFacilitator);
		addAlly(centralBoard.doc, { name: 'CARE Mali', type: 'organisation' });
		await waitForSaved(centralBoard);
		// Prepared at the centre: Option 1 only, one voice per organisation in the scores.
		const central = await commands(a, room, centralFacilitator);
		await ok(central.send('facilitation:path', { path: 'join' }));
		await ok(central.send('scores:mode', { voice: 'organisation' }));
		const prepared = {
			title: 'Forum de Kayes',
			date: '2026-11-28',
			place: 'Kayes',
			language: 'fr',
			issue: 'Les mariages précoces'
		};
		await saveDetails(a, centralFacilitator, room, prepared);

		// A → B: a facilitator account of the laptop imports it (a new workshop there).
		const laptopFacilitator = await seedMember(b.dataDir, 'laptop-home', {
			role: 'facilitator',
			name: 'Oumar Diarra'
		});
		const first = await importFile(
			b,
			laptopFacilitator,
			await exportFile(a, room, centralFacilitator)
		);
		expect(first.type, JSON.stringify(first)).toBe('success');
		expect(parse(first.data)).toMatchObject({ imported: { workshopId: room, created: true } });

		// The forum on B: an ally, a final wording, a named round, the lock. A's copy gets an ally too.
		const fatou = await seedMember(b.dataDir, room, {
			role: 'participant',
			name: 'Fatou',
			organisation: 'Radio rurale'
		});
		const moussa = await seedMember(b.dataDir, room, {
			role: 'participant',
			name: 'Moussa',
			organisation: 'Mairie de Kayes'
		});
		const laptopBoard = await board(b, room, fatou);
		expect(allyNames(laptopBoard.doc)).toEqual(['CARE Mali']);
		addAlly(laptopBoard.doc, { name: 'Radio rurale', type: 'organisation' });
		await waitForSaved(laptopBoard);
		addAlly(centralBoard.doc, { name: 'Imam de Kayes', type: 'individual' });
		await waitForSaved(centralBoard);

		const facilitator = await commands(b, room, laptopFacilitator);
		expect(laptopBoard.doc.getMap('facilitation').get('path')).toBe('join');
		// At the forum the group takes both options and is brought to the common objective; the
		// centre meanwhile goes back to one voice per participant.
		await ok(facilitator.send('facilitation:path', { path: 'both' }));
		await ok(facilitator.send('facilitation:step', { step: 'objective' }));
		await ok(central.send('scores:mode', { voice: 'participant' }));
		// The forum was held a day late, in the town hall: the laptop's facilitator corrects it.
		const held = { ...prepared, title: 'Forum de Kayes, mairie', date: '2026-11-29' };
		await saveDetails(b, laptopFacilitator, room, held);
		const wording = 'Réduire de moitié les mariages précoces dans le cercle de Kayes d’ici 2028';
		const { proposalId: draft } = await ok<{ proposalId: string }>(
			facilitator.send(
				'proposal:add',
				withKey({ wording: 'Moins de mariages précoces', rationale: '' })
			)
		);
		const { proposalId } = await ok<{ proposalId: string }>(
			facilitator.send('proposal:merge', withKey({ proposalIds: [draft], wording, rationale: '' }))
		);
		const { roundId } = await ok<{ roundId: string }>(
			facilitator.send('round:open', {
				proposalIds: [proposalId],
				mode: 'gradient',
				anonymous: false,
				live: false,
				voice: 'participant'
			})
		);
		for (const [voter, level] of [
			[fatou, 4],
			[moussa, 3]
		] as const) {
			const client = await commands(b, room, voter);
			await ok(
				client.send(
					'vote:cast',
					withKey({ roundId, positions: { [proposalId]: { value: level } } }) as never
				)
			);
		}
		await ok(facilitator.send('round:close', { roundId }));
		await ok(facilitator.send('round:reveal', { roundId }));
		// Each participant voted, so each organisation endorses through its delegate.
		const { organisations } = await ok<OrganisationsView>(
			facilitator.send('organisations:list', {})
		);
		for (const [voter, reservation] of [
			[fatou, 'Le délai est court'],
			[moussa, null]
		] as const) {
			const client = await commands(b, room, voter);
			const organisationId = organisations.find((entry) => entry.name === voter.organisation)!.id;
			await ok(
				client.send('endorsement:set', withKey({ organisationId, endorse: true, reservation }))
			);
		}
		await ok(facilitator.send('charter:lock', {}));
		await waitFor(() => readCharter(laptopBoard.doc)?.status === 'locked', {
			what: 'the lock on the laptop'
		});

		// B → A: the central server's facilitator imports the laptop's export (a merge).
		const laptopFile = await exportFile(b, room, laptopFacilitator);
		const back = await importFile(a, centralFacilitator, laptopFile);
		expect(back.type, JSON.stringify(back)).toBe('success');
		await waitFor(() => readCharter(centralBoard.doc)?.status === 'locked', {
			what: 'the lock on the central board'
		});
		expect(allyNames(centralBoard.doc)).toEqual(['CARE Mali', 'Imam de Kayes', 'Radio rurale']);
		const charter = readCharter(centralBoard.doc)!;
		const laptopCharter = readCharter(laptopBoard.doc)!;
		expect(charter).toMatchObject({ version: 1, proposal: { wording } });
		// The server's own recomputation gives exactly the laptop's charter.
		expect(charter).toEqual(laptopCharter);
		expect(charter.endorsedBy.map((entry) => [entry.organisation, entry.reservation])).toEqual([
			['Mairie de Kayes', null],
			['Radio rurale', 'Le délai est court']
		]);
		const rounds = readRounds(centralBoard.doc);
		expect(
			rounds.map((round) => [round.id, round.state, round.results?.voices, round.results?.reached])
		).toEqual([[roundId, 'revealed', 2, true]]);

		// The facilitator's settings: what the laptop changed later arrives, the centre's later one stays.
		const settings = centralBoard.doc.getMap('facilitation');
		await waitFor(() => settings.get('path') === 'both', { what: 'the laptop’s path' });
		expect([settings.get('path'), settings.get('step'), settings.get('scoringVoice')]).toEqual([
			'both',
			'objective',
			'participant'
		]);

		// Once: A's own export has the step reached and the lock, one round, two ballots, Fatou once.
		const centralData = (JSON.parse(await exportFile(a, room, centralFacilitator)) as WorkshopFile)
			.data;
		expect(centralData.events.map((event) => [event.kind, event.reason])).toEqual([
			['step', 'objective'],
			['lock', null]
		]);
		expect(centralData.rounds).toHaveLength(1);
		expect(centralData.ballots).toHaveLength(2);
		expect(centralData.members.filter((member) => member.name === 'Fatou')).toHaveLength(1);
		// The details the laptop corrected during the forum.
		expect(centralData.workshop).toMatchObject(held);

		// The same file again: nothing new.
		const again = await importFile(a, centralFacilitator, laptopFile);
		expect(again.type).toBe('success');
		expect(parse(again.data)).toMatchObject({ imported: { created: false, unchanged: true } });
		const afterAgain = (JSON.parse(await exportFile(a, room, centralFacilitator)) as WorkshopFile)
			.data;
		expect(afterAgain.state).toBe(centralData.state);
		expect(afterAgain.events).toHaveLength(2);
		expect(afterAgain.workshop).toEqual(centralData.workshop);

		// A charter forged into the file (its state and beside it), re-signed: not taken.
		const forged = JSON.parse(laptopFile) as WorkshopFile;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Buffer.from(forged.data.state, 'base64'));
		doc.getMap('charter').set('proposal', {
			id: 'forged',
			wording: 'Une charte que personne n’a votée',
			rationale: ''
		});
		forged.data.state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
		forged.data.charter = { proposal: { wording: 'Une charte que personne n’a votée' } };
		forged.checksum = checksumOf(forged.data);
		expect((await importFile(a, centralFacilitator, JSON.stringify(forged))).type).toBe('success');
		const afterForgery = (JSON.parse(await exportFile(a, room, centralFacilitator)) as WorkshopFile)
			.data;
		expect((afterForgery.charter.proposal as { wording: string }).wording).toBe(wording);
		expect(readCharter(centralBoard.doc)?.proposal.wording).toBe(wording);

		// A tampered file is refused with its reason, changing nothing.
		const tampered = laptopFile.replace('Radio rurale', 'Radio pirate');
		const refused = await importFile(a, centralFacilitator, tampered);
		expect(refused.type).toBe('failure');
		expect(parse(refused.data)).toEqual({ problem: 'checksum', detail: '' });
	});
});
