import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildWorkshopFile, checksumOf, type WorkshopFile } from '../../src/lib/server/export-json';
import {
	ImportError,
	parseWorkshopFile,
	type ImportProblem
} from '../../src/lib/server/import-json';
import { importWorkshop } from '../../src/lib/server/import-merge';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { readCharter } from '../../src/lib/shared/charter';
import { readRounds } from '../../src/lib/shared/consensus';
import { addCandidate } from '../../src/lib/shared/candidates';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { addTask, setTaskRole } from '../../src/lib/shared/tasks';
import { summariseScores } from '../../src/lib/server/ratings';
import { saveNamedVersion } from '../../src/lib/server/history';
import type { Services } from '../../server/services';
import {
	addParticipant,
	closeServices,
	editAsClient,
	endorseObjective,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';

const opened: Services[] = [];
afterEach(async () => {
	for (const services of opened.splice(0)) await closeServices(services);
});

function open(env: Record<string, string> = {}): Services {
	const services = openServices(env);
	opened.push(services);
	return services;
}

async function exportText(
	services: Services,
	workshopId: string,
	audience: 'facilitator' | 'member' = 'facilitator'
) {
	return JSON.stringify(await buildWorkshopFile(services, workshopId, audience));
}

/** A workshop with two participants, an ally, a revealed round and a locked charter. */
async function forum(services: Services) {
	const { workshopId, facilitator } = await seedWorkshop(services);
	const awa = await addParticipant(services, workshopId, 'Awa', 'CARE Mali');
	const moussa = await addParticipant(services, workshopId, 'Moussa', 'Radio rurale');
	await editAsClient(services, workshopId, (doc) =>
		addAlly(doc, { name: 'Mairie de Kayes', type: 'institution' })
	);
	await seedRevealedRound(services, workshopId, [awa, moussa]);
	await lockCharter(services, workshopId, facilitator);
	return { workshopId, facilitator };
}

async function allyNames(services: Services, workshopId: string): Promise<string[]> {
	return services.registry.readDocument(workshopId, (doc) =>
		readAllies(doc)
			.map((ally) => ally.name)
			.sort()
	);
}

function problemOf(run: () => unknown): ImportProblem | null {
	try {
		run();
		return null;
	} catch (error) {
		if (error instanceof ImportError) return error.problem;
		throw error;
	}
}

function resign(file: WorkshopFile): string {
	return JSON.stringify({ ...file, checksum: checksumOf(file.data) });
}

describe('reading a workshop file', () => {
	it('refuses a wrong version, a truncated, tampered, oversized or non-facilitator file, each with its own reason', async () => {
		const services = open();
		const { workshopId } = await forum(services);
		const text = await exportText(services, workshopId);
		const file = JSON.parse(text) as WorkshopFile;
		expect(problemOf(() => parseWorkshopFile(text))).toBeNull();
		expect(problemOf(() => parseWorkshopFile(text.slice(0, text.length - 200)))).toBe('truncated');
		expect(problemOf(() => parseWorkshopFile(`${text.slice(0, 50)}}`))).toBe('not_json');
		expect(problemOf(() => parseWorkshopFile(text, text.length - 1))).toBe('too_large');
		expect(problemOf(() => parseWorkshopFile(JSON.stringify({ ...file, formatVersion: 2 })))).toBe(
			'wrong_version'
		);
		expect(problemOf(() => parseWorkshopFile(JSON.stringify({ ...file, format: 'other' })))).toBe(
			'wrong_format'
		);
		const tampered = {
			...file,
			data: { ...file.data, workshop: { ...file.data.workshop, title: 'Autre' } }
		};
		expect(problemOf(() => parseWorkshopFile(JSON.stringify(tampered)))).toBe('checksum');
		const memberText = await exportText(services, workshopId, 'member');
		expect(problemOf(() => parseWorkshopFile(memberText))).toBe('not_facilitator_export');
	});

	it('refuses a well-signed file with a wrong field or a state that does not apply, naming where', async () => {
		{
			const services = open();
			const { workshopId } = await forum(services);
			const file = JSON.parse(await exportText(services, workshopId)) as WorkshopFile;
			const badRole = structuredClone(file);
			(badRole.data.members[0] as { role: string }).role = 'king';
			expect(() => parseWorkshopFile(resign(badRole))).toThrow('invalid: members[0].role');
			const badState = structuredClone(file);
			badState.data.state = Buffer.from(crypto.getRandomValues(new Uint8Array(64))).toString(
				'base64'
			);
			expect(problemOf(() => parseWorkshopFile(resign(badState)))).toBe('bad_state');
			const orphanBallot = structuredClone(file);
			orphanBallot.data.ballots[0].roundId = 'nowhere';
			expect(() => parseWorkshopFile(resign(orphanBallot))).toThrow('invalid: ballots[0].roundId');
		}
	});
});

describe('importing a workshop file', () => {
	it('creates the workshop on another server with its board, members, round result, lock and event', async () => {
		const a = open();
		const b = open();
		const { workshopId } = await forum(a);
		const importer = await seedWorkshop(b, 'Autre atelier');
		const outcome = await importWorkshop(
			b,
			parseWorkshopFile(await exportText(a, workshopId)),
			importer.facilitator
		);
		expect(outcome.created).toBe(true);
		expect(await allyNames(b, workshopId)).toEqual(['Mairie de Kayes']);
		const members = await b.storage.listMembers(workshopId);
		expect(members.map((member) => member.name).sort()).toEqual(
			['Awa', 'Awa Traoré', 'Awa Traoré', 'Moussa'].sort()
		);
		expect((await b.storage.getMembership(workshopId, importer.facilitator.userId))?.role).toBe(
			'facilitator'
		);
		const expected = await a.registry.readDocument(workshopId, readCharter);
		expect(await b.registry.readDocument(workshopId, readCharter)).toEqual(expected);
		expect(
			await b.registry.readDocument(workshopId, (doc) => doc.getMap('meta').get('workshopId'))
		).toBe(workshopId);
		expect((await b.storage.history.listEvents(workshopId)).map((event) => event.kind)).toEqual([
			'lock'
		]);
		expect(await b.storage.history.listVersions(workshopId)).toHaveLength(1);
	});

	it('changes nothing when the same file is imported twice', async () => {
		const a = open();
		const b = open();
		const { workshopId } = await forum(a);
		expect(
			await saveNamedVersion(a, workshopId, { userId: 'u-1', name: 'Awa' }, '  Après le forum  ')
		).not.toBeNull();
		const importer = await seedWorkshop(b);
		const text = await exportText(a, workshopId);
		await importWorkshop(b, parseWorkshopFile(text), importer.facilitator);
		expect((await b.storage.history.listNamed(workshopId)).map((named) => named.name)).toEqual([
			'Après le forum'
		]);
		const stateAfterFirst = await b.registry.readDocument(workshopId, (doc) =>
			Y.encodeStateAsUpdate(doc)
		);
		const again = await importWorkshop(b, parseWorkshopFile(text), importer.facilitator);
		expect(again.created).toBe(false);
		expect(again.documentChanged).toBe(false);
		expect(
			Object.values(again.counts).every((count) => count === 0),
			JSON.stringify(again.counts)
		).toBe(true);
		expect(await b.registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc))).toEqual(
			stateAfterFirst
		);
		expect(await b.storage.history.listEvents(workshopId)).toHaveLength(1);
		expect(await b.storage.history.listNamed(workshopId)).toHaveLength(1);
	});

	it('merges two diverged copies: both sides’ edits, votes and events, each once', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central);
		const awa = await addParticipant(central, id, 'Awa', 'CARE Mali');
		await editAsClient(central, id, (doc) =>
			addAlly(doc, { name: 'CARE Mali', type: 'organisation' })
		);
		const venue = await seedWorkshop(laptop);
		await importWorkshop(
			laptop,
			parseWorkshopFile(await exportText(central, id)),
			venue.facilitator
		);
		// The forum on the laptop: an ally, a round, a lock; meanwhile the central copy gets an ally.
		await editAsClient(laptop, id, (doc) =>
			addAlly(doc, { name: 'Radio rurale', type: 'organisation' })
		);
		const fatou = await addParticipant(laptop, id, 'Fatou', 'Mairie');
		const { roundId } = await seedRevealedRound(laptop, id, [awa, fatou]);
		// Each participant voted, so each organisation endorses in its own name (carried by the file).
		await endorseObjective(laptop, id, 'CARE Mali', awa, 'Le délai est court');
		await endorseObjective(laptop, id, 'Mairie', fatou);
		await lockCharter(laptop, id, venue.facilitator);
		await editAsClient(central, id, (doc) =>
			addAlly(doc, { name: 'Imam de Kayes', type: 'individual' })
		);

		const back = await importWorkshop(
			central,
			parseWorkshopFile(await exportText(laptop, id)),
			facilitator
		);
		expect(back.created).toBe(false);
		expect(await allyNames(central, id)).toEqual(['CARE Mali', 'Imam de Kayes', 'Radio rurale']);
		expect(
			(await central.storage.votes.listBallots(id, roundId))
				.map((ballot) => ballot.voterName)
				.sort()
		).toEqual(['Awa', 'Fatou']);
		const rounds = await central.registry.readDocument(id, readRounds);
		expect(rounds.map((round) => [round.id, round.state, round.results?.voices])).toEqual([
			[roundId, 'revealed', 2]
		]);
		const charter = await central.registry.readDocument(id, readCharter);
		expect(charter).toMatchObject({ status: 'locked', version: 1, lockedBy: 'Awa Traoré' });
		expect(
			charter?.endorsedBy.map((entry) => [entry.organisation, entry.reservation, entry.via])
		).toEqual([
			['CARE Mali', 'Le délai est court', 'endorsement'],
			['Mairie', null, 'endorsement']
		]);
		// The endorsements themselves came with the file, so a later lock here names them too.
		expect(await central.registry.readDocument(id, (doc) => doc.getMap('endorsements').size)).toBe(
			2
		);
		expect((await central.storage.history.listEvents(id)).map((event) => event.kind)).toEqual([
			'lock'
		]);
		expect(
			(await central.storage.listMembers(id)).filter((member) => member.name === 'Fatou')
		).toHaveLength(1);

		// And the other way again: the laptop gets the central ally; nothing doubles.
		await importWorkshop(
			laptop,
			parseWorkshopFile(await exportText(central, id)),
			venue.facilitator
		);
		expect(await allyNames(laptop, id)).toEqual(['CARE Mali', 'Imam de Kayes', 'Radio rurale']);
		expect(await laptop.storage.history.listEvents(id)).toHaveLength(1);
		expect(await laptop.storage.votes.listBallots(id, roundId)).toHaveLength(2);
	});

	it('does not take a charter the file forged, in its Yjs state or beside it', async () => {
		const a = open();
		const b = open();
		const { workshopId } = await forum(a);
		const file = JSON.parse(await exportText(a, workshopId)) as WorkshopFile;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Buffer.from(file.data.state, 'base64'));
		doc.transact(() => {
			const charter = doc.getMap('charter');
			charter.set('proposal', {
				id: 'forged',
				wording: 'Une charte que personne n’a votée',
				rationale: ''
			});
			charter.set('version', 7);
			doc.getMap('meta').set('archived', true);
		});
		file.data.state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
		file.data.charter = { proposal: { wording: 'Une charte que personne n’a votée' } };
		const importer = await seedWorkshop(b);
		await importWorkshop(b, parseWorkshopFile(resign(file)), importer.facilitator);
		const charter = await b.registry.readDocument(workshopId, readCharter);
		expect(charter?.proposal.wording).toBe(
			'Scolariser toutes les filles du cercle de Kayes d’ici 2030'
		);
		expect(charter?.version).toBe(1);
		expect(
			await b.registry.readDocument(workshopId, (doc) => doc.getMap('meta').get('archived'))
		).toBeUndefined();
	});

	it('refuses a facilitator of another workshop merging into this one, changing nothing', async () => {
		const a = open();
		const { workshopId } = await forum(a);
		const stranger = await seedWorkshop(a);
		const before = await a.registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc));
		await expect(
			importWorkshop(a, parseWorkshopFile(await exportText(a, workshopId)), stranger.facilitator)
		).rejects.toThrow('forbidden');
		expect(await a.registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc))).toEqual(
			before
		);
	});

	it('refuses a state past the document size cap, writing nothing', async () => {
		const a = open();
		const { workshopId } = await forum(a);
		const text = await exportText(a, workshopId);
		const small = open({ MAX_DOCUMENT_BYTES: '1024' });
		await expect(importWorkshop(small, parseWorkshopFile(text), null)).rejects.toThrow(
			'document_full'
		);
		expect(await small.storage.getWorkshop(workshopId)).toBeNull();
	});
});

describe('the results an import brings', () => {
	it('recomputes a revealed score summary, takes a decision and a consistent acceptance, and drops an acceptance the board does not back', async () => {
		const a = open();
		const b = open();
		const { workshopId, facilitator } = await seedWorkshop(a);
		const awa = await addParticipant(a, workshopId, 'Awa', 'CARE Mali');
		const ids = { candidate: '', ally: '', task: '', other: '' };
		await editAsClient(a, workshopId, (doc) => {
			ids.candidate = addCandidate(doc, { name: 'Réseau des femmes de Kayes' });
			ids.ally = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			ids.other = addAlly(doc, { name: 'Radio rurale', type: 'organisation' });
			setAllyOrganisation(doc, ids.ally, awa.organisationId);
			ids.task = addTask(doc, { title: 'Rencontrer le préfet' });
			setTaskRole(doc, ids.task, ids.ally, 'lead');
			setTaskRole(doc, ids.task, ids.other, 'informed');
		});
		await a.storage.scores.set({
			workshopId,
			candidateId: ids.candidate,
			userId: awa.userId,
			scores: { reputation: 4 },
			enteredBy: awa.userId,
			at: 1
		});
		const summaries = await summariseScores(a, workshopId, 'participant', [ids.candidate], 5000);
		await a.registry.changeDocument(workshopId, (doc) => {
			doc.getMap('candidateResults').set(ids.candidate, {
				scores: summaries.get(ids.candidate),
				decision: { value: 'join', by: facilitator.name, at: 6000 }
			});
			const accepted = {
				taskId: ids.task,
				allyId: ids.ally,
				organisationId: awa.organisationId,
				by: 'Awa',
				at: 7000,
				role: 'lead'
			};
			doc.getMap('acceptances').set(`${ids.task}:${ids.ally}`, accepted);
		});
		const file = JSON.parse(await exportText(a, workshopId)) as WorkshopFile;
		// Forged summaries are not copied: the server summarises the merged scores itself.
		(
			file.data.revealed.candidateResults[ids.candidate] as { scores: { criteria: unknown } }
		).scores.criteria = { reputation: 'forged' };
		// A forged acceptance: Radio rurale is only informed, and stands for no organisation.
		file.data.acceptances[`${ids.task}:${ids.other}`] = {
			taskId: ids.task,
			allyId: ids.other,
			organisationId: awa.organisationId,
			by: 'X',
			at: 1,
			role: 'lead'
		};
		const importer = await seedWorkshop(b);
		await importWorkshop(b, parseWorkshopFile(resign(file)), importer.facilitator);
		const results = await b.registry.readDocument(workshopId, (doc) => ({
			candidate: doc.getMap('candidateResults').get(ids.candidate),
			acceptances: Object.keys(doc.getMap('acceptances').toJSON())
		}));
		expect(results.candidate).toEqual({
			scores: summaries.get(ids.candidate),
			decision: { value: 'join', by: facilitator.name, at: 6000 }
		});
		expect(results.acceptances).toEqual([`${ids.task}:${ids.ally}`]);
	});
});

describe('an anonymous round in the file', () => {
	it('names no voter, yet a round trip through another server counts each voice once', async () => {
		const a = open();
		const b = open();
		const { workshopId } = await seedWorkshop(a);
		const awa = await addParticipant(a, workshopId, 'Awa Sidibé', 'CARE Mali');
		const moussa = await addParticipant(a, workshopId, 'Moussa Keita', 'Radio rurale');
		const { roundId } = await seedRevealedRound(a, workshopId, [awa, moussa], { anonymous: true });
		const text = await exportText(a, workshopId);
		const file = JSON.parse(text) as WorkshopFile;
		expect(file.data.ballots).toHaveLength(2);
		for (const ballot of file.data.ballots) {
			expect(ballot).toMatchObject({
				voterId: null,
				voterName: '',
				organisationId: null,
				organisation: null,
				enteredBy: ''
			});
			expect(ballot.voterKey).toMatch(/^h:[0-9a-f]{32}$/);
		}
		expect(text).not.toContain(`u:${awa.userId}`);

		const importer = await seedWorkshop(b);
		await importWorkshop(b, parseWorkshopFile(text), importer.facilitator);
		await importWorkshop(a, parseWorkshopFile(await exportText(b, workshopId)), null);
		expect(await a.storage.votes.listBallots(workshopId, roundId)).toHaveLength(2);
		const rounds = await a.registry.readDocument(workshopId, readRounds);
		expect(rounds[0].results?.voices).toBe(2);
		expect(rounds[0].results?.endorsements).toEqual([]);
	});
});
