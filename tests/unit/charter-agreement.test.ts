/**
 * The charter as the whole agreement, assembled from a board: who endorses (an organisation, never
 * a person's vote), what an anonymous round can and cannot say, step 5 and Option 1's sections,
 * the facilitator's preview with what is missing, and charters locked before these sections.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	buildCharter,
	findLockable,
	readCharter,
	writeCharter
} from '../../src/lib/shared/charter';
import { previewCharter } from '../../src/lib/shared/charter-preview';
import {
	readProposals,
	readRounds,
	type Proposal,
	type Round
} from '../../src/lib/shared/consensus';
import type { OrganisationEndorsement } from '../../src/lib/shared/endorsements';
import { addAlly, initDocument } from '../../src/lib/shared/schema';
import { addTask, setTaskRole } from '../../src/lib/shared/tasks';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { addPrinciple, setPrincipleAgreed } from '../../src/lib/shared/maintenance';
import { addCandidate } from '../../src/lib/shared/candidates';
import { recordMarkdown } from '../../src/lib/server/export-markdown';
import { readRecord } from '../../src/lib/shared/record';
import { proposal, results, round } from '../fixtures/consensus';

const ORGANISATIONS = [
	{ id: 'org-care', name: 'CARE Mali' },
	{ id: 'org-radio', name: 'Radio rurale' },
	{ id: 'org-mairie', name: 'Mairie de Kayes' }
];

/** A board after an anonymous round where each participant voted (the default). */
function agreedBoard(overrides: Partial<Round> = {}): { doc: Y.Doc; final: Proposal } {
	const doc = new Y.Doc();
	initDocument(doc, { workshopId: 'w', createdAt: 0 });
	const final = proposal({ final: true });
	const agreed = round([final.id], {
		anonymous: true,
		voice: 'participant',
		mode: 'consent',
		results: results(
			{ endorsements: [], notes: { [final.id]: ['Associer les chefs de village'] } },
			[final.id]
		),
		...overrides
	});
	doc.getMap('proposals').set(final.id, final);
	doc.getMap('rounds').set(agreed.id, agreed);
	return { doc, final };
}

function endorse(doc: Y.Doc, final: Proposal, organisationId: string, extra: object = {}): void {
	const organisation = ORGANISATIONS.find((entry) => entry.id === organisationId)!;
	const endorsement: OrganisationEndorsement = {
		organisationId,
		organisation: organisation.name,
		proposalId: final.id,
		wording: final.wording,
		reservation: null,
		by: 'Awa',
		byUserId: 'u-awa',
		recordedBy: null,
		at: 10,
		...extra
	};
	doc.getMap('endorsements').set(organisationId, endorsement);
}

function lock(doc: Y.Doc) {
	const lockable = findLockable(readProposals(doc), readRounds(doc));
	if (!lockable.ok) throw new Error(lockable.reason);
	return buildCharter(doc, {
		...lockable,
		version: 1,
		lockedAt: 100,
		lockedBy: 'Oumar',
		organisations: ORGANISATIONS
	});
}

describe('what an anonymous round can and cannot say', () => {
	it('names no organisation by itself: only recorded endorsements do, with their reservations', () => {
		const { doc, final } = agreedBoard();
		expect(lock(doc)).toMatchObject({
			endorsedBy: [],
			notEndorsed: ['CARE Mali', 'Mairie de Kayes', 'Radio rurale']
		});
		endorse(doc, final, 'org-care', { reservation: 'Budget à confirmer' });
		endorse(doc, final, 'org-radio', { by: 'Oumar', recordedBy: 'Oumar' });
		const charter = lock(doc);
		expect(charter.endorsedBy.map((entry) => [entry.organisation, entry.reservation])).toEqual([
			['CARE Mali', 'Budget à confirmer'],
			['Radio rurale', null]
		]);
		expect(charter.endorsedBy[1]).toMatchObject({ via: 'endorsement', recordedBy: 'Oumar' });
		expect(charter.notEndorsed).toEqual(['Mairie de Kayes']);
	});

	it('keeps the reservations voiced in the vote, unattributed, and no voter anywhere', () => {
		const { doc, final } = agreedBoard();
		endorse(doc, final, 'org-care');
		const charter = lock(doc);
		expect(charter.round.results.notes[final.id]).toEqual(['Associer les chefs de village']);
		expect(charter.round.results.endorsements).toEqual([]);
		expect(JSON.stringify(charter)).not.toContain('u-awa');
	});

	it('never lets a person’s vote stand for their organisation, even in a named round', () => {
		const { doc } = agreedBoard({
			anonymous: false,
			voice: 'participant',
			mode: 'gradient',
			results: results({}, [])
		});
		const rounds = readRounds(doc);
		const final = readProposals(doc)[0]!;
		doc.getMap('rounds').set(rounds[0]!.id, {
			...rounds[0],
			results: {
				...results({}, [final.id]),
				endorsements: results({}, [final.id]).endorsements.map((entry) => ({
					...entry,
					voter: 'Issa'
				}))
			}
		});
		expect(lock(doc).endorsedBy).toEqual([]);
	});

	it('does not count an endorsement of an earlier wording, and the preview says to ask again', () => {
		const { doc, final } = agreedBoard();
		endorse(doc, final, 'org-care', { wording: 'Une formulation antérieure' });
		expect(lock(doc).endorsedBy).toEqual([]);
		const { gaps } = previewCharter(doc, { organisations: ORGANISATIONS, lockedBy: '', now: 1 });
		expect(gaps).toContainEqual({ kind: 'earlier_wording', names: ['CARE Mali'] });
	});
});

describe('the charter’s other sections', () => {
	it('holds who does what with acceptances, the adopted principles, the rhythm and Option 1’s decisions', () => {
		const { doc, final } = agreedBoard();
		endorse(doc, final, 'org-care');
		const ally = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		setAllyOrganisation(doc, ally, 'org-care');
		const task = addTask(doc, { title: 'Rencontrer le préfet' });
		setTaskRole(doc, task, ally, 'lead');
		doc.getMap('acceptances').set(`${task}:${ally}`, { by: 'Awa', at: 5, role: 'lead' });
		setPrincipleAgreed(doc, addPrinciple(doc, 'Décider par consensus'), true);
		addPrinciple(doc, 'Pas encore adopté');
		(doc.getMap('maintenance').get('rhythm') as Y.Text).insert(0, 'Chaque premier lundi');
		const candidate = addCandidate(doc, { name: 'Réseau Kayes' });
		doc.getMap('candidateResults').set(candidate, {
			scores: null,
			decision: { value: 'join', by: 'Oumar', at: 3 }
		});
		const charter = lock(doc);
		expect(charter.tasks[0]!.roles).toEqual([
			expect.objectContaining({ role: 'lead', accepted: true, acceptedBy: 'Awa' })
		]);
		expect(charter.principles.map((principle) => principle.text)).toEqual([
			'Décider par consensus'
		]);
		expect(charter.rhythm).toBe('Chaque premier lundi');
		expect(charter.coalitions).toEqual([
			{ id: candidate, name: 'Réseau Kayes', decision: 'join', by: 'Oumar' }
		]);
		expect(charter.path).toBe('both');
	});
});

describe('previewCharter', () => {
	it('says what the lock would write and what is missing, section by section', () => {
		const { doc } = agreedBoard();
		const preview = previewCharter(doc, { organisations: ORGANISATIONS, lockedBy: '', now: 1 });
		expect(preview).toMatchObject({ version: 1, changed: true });
		expect(preview.charter?.proposal.wording).toBe(readProposals(doc)[0]!.wording);
		expect(preview.gaps.map((gap) => gap.kind)).toEqual([
			'not_endorsed',
			'no_coalitions',
			'no_tasks',
			'no_principles',
			'no_rhythm'
		]);
	});

	it('names the lock rule while the objective is not agreed, and nothing new once locked', () => {
		const doc = new Y.Doc();
		expect(previewCharter(doc, { organisations: [], lockedBy: '', now: 1 })).toMatchObject({
			charter: null,
			gaps: [{ kind: 'objective', reason: 'no_final_proposal' }]
		});
		const { doc: agreed } = agreedBoard();
		writeCharter(agreed, lock(agreed));
		const again = previewCharter(agreed, { organisations: ORGANISATIONS, lockedBy: '', now: 2 });
		expect(again).toMatchObject({ version: 2, changed: false });
		addTask(agreed, { title: 'Nouvelle tâche' });
		expect(
			previewCharter(agreed, { organisations: ORGANISATIONS, lockedBy: '', now: 3 }).changed
		).toBe(true);
	});
});

describe('a charter locked before it held the whole agreement', () => {
	it('reads with empty sections and its named round’s endorsements as endorsements by vote', () => {
		const doc = new Y.Doc();
		const root = doc.getMap('charter');
		root.set('version', 1);
		root.set('status', 'locked');
		root.set('endorsedBy', [
			{
				proposalId: 'p',
				organisation: 'CARE Mali',
				voter: null,
				position: '4',
				reservation: 'Réserve',
				enteredBy: null
			}
		]);
		expect(readCharter(doc)).toMatchObject({
			endorsedBy: [{ organisation: 'CARE Mali', reservation: 'Réserve', via: 'vote' }],
			notEndorsed: [],
			principles: [],
			rhythm: '',
			coalitions: [],
			path: 'both'
		});
	});
});

describe('the Markdown record of the charter', () => {
	it('names the endorsing organisations with reservations, the vote’s unnamed reservations, and says which sections were not defined', () => {
		const { doc, final } = agreedBoard();
		endorse(doc, final, 'org-care', { reservation: 'Budget à confirmer' });
		writeCharter(doc, lock(doc));
		const text = recordMarkdown(
			{ title: 'Forum', date: '', place: '', issue: '' },
			readRecord(doc),
			{ locale: 'fr', organisations: new Map() }
		);
		expect(text).toContain('- **CARE Mali** — Réserve : Budget à confirmer');
		expect(text).toContain('Pas (encore) approuvé par : Mairie de Kayes, Radio rurale');
		expect(text).toContain('Vote anonyme');
		expect(text).toContain('- Associer les chefs de village');
		expect(text).toContain("Aucune tâche n'était définie à ce verrouillage.");
		expect(text).toContain("Aucun principe n'était adopté à ce verrouillage.");
	});
});
