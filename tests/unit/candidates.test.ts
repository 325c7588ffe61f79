import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCandidate,
	CANDIDATE_FIELD_NAMES,
	getCandidateText,
	hasCandidate,
	readCandidateResults,
	readCandidates,
	removeCandidate,
	setCandidateField
} from '../../src/lib/shared/candidates';
import {
	acceptanceKey,
	readAcceptances,
	readAllyOrganisation,
	readAssignedRole,
	readAssignments,
	setAllyOrganisation
} from '../../src/lib/shared/acceptances';
import {
	addAlly,
	getAllies,
	getSchemaVersion,
	migrateDocument,
	readLegacyContacts,
	SCHEMA_VERSION
} from '../../src/lib/shared/schema';

describe('candidate coalitions (Option 1)', () => {
	it('creates a candidate with every text field in one transaction, under a random id', () => {
		const doc = new Y.Doc();
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		const id = addCandidate(doc, { name: 'Coalition pour l’eau à Kayes' }, 7);
		expect(transactions).toBe(1);
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(CANDIDATE_FIELD_NAMES).toEqual(['name', 'members', 'goal', 'has', 'expects', 'notes']);
		for (const field of CANDIDATE_FIELD_NAMES)
			expect(getCandidateText(doc, id, field)).toBeInstanceOf(Y.Text);
		expect(readCandidates(doc)).toEqual([
			{
				id,
				name: 'Coalition pour l’eau à Kayes',
				createdAt: 7,
				fields: {
					name: 'Coalition pour l’eau à Kayes',
					members: '',
					goal: '',
					has: '',
					expects: '',
					notes: ''
				}
			}
		]);
	});

	it('edits fields (capped at their maximum), syncs them, and deletes candidates', () => {
		const doc = new Y.Doc();
		const a = addCandidate(doc, { name: 'A' }, 1);
		const b = addCandidate(doc, { name: 'B' }, 2);
		setCandidateField(doc, a, 'goal', 'Accès à l’eau potable');
		setCandidateField(doc, a, 'expects', 'x'.repeat(5000));
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const [first] = readCandidates(copy);
		expect(first.fields.goal).toBe('Accès à l’eau potable');
		expect(first.fields.expects).toHaveLength(2000);
		removeCandidate(doc, a);
		expect(hasCandidate(doc, a)).toBe(false);
		expect(readCandidates(doc).map((candidate) => candidate.id)).toEqual([b]);
	});

	it('reads revealed results and decisions defensively', () => {
		const doc = new Y.Doc();
		const results = doc.getMap('candidateResults');
		results.set('c1', { scores: null, decision: { value: 'negotiate', by: 'Awa', at: 3 } });
		results.set('c2', { scores: null, decision: { value: 'maybe', by: 'Awa', at: 3 } });
		results.set('c3', 'garbage');
		const read = readCandidateResults(doc);
		expect(read.get('c1')?.decision?.value).toBe('negotiate');
		expect(read.get('c2')?.decision).toBeNull();
		expect(read.has('c3')).toBe(false);
	});
});

describe('acceptances (step 4)', () => {
	it('links an ally to an organisation and reads assignments from tasks defensively', () => {
		const doc = new Y.Doc();
		const ally = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		setAllyOrganisation(doc, ally, 'org-1');
		expect(readAllyOrganisation(doc, ally)).toBe('org-1');
		doc.transact(() => {
			const task = new Y.Map<unknown>();
			task.set('title', new Y.Text('Rencontrer le maire'));
			const roles = new Y.Map<unknown>();
			roles.set(ally, 'lead');
			task.set('roles', roles);
			task.set('createdAt', 1);
			doc.getMap('tasks').set('t1', task);
			doc.getMap('tasks').set('t2', new Y.Map());
			doc.getMap('tasks').set('t3', 'not a task');
		});
		expect(readAssignments(doc)).toEqual([
			{ taskId: 't1', allyId: ally, role: 'lead', title: 'Rencontrer le maire', createdAt: 1 }
		]);
		expect(readAssignedRole(doc, 't1', ally)).toBe('lead');
		expect(readAssignedRole(doc, 't2', ally)).toBeNull();
		setAllyOrganisation(doc, ally, null);
		expect(readAllyOrganisation(doc, ally)).toBeNull();
		doc.getMap('acceptances').set(acceptanceKey('t1', ally), {
			taskId: 't1',
			allyId: ally,
			organisationId: 'org-1',
			by: 'Awa',
			at: 2,
			role: 'lead'
		});
		doc.getMap('acceptances').set('bad', { by: 3 });
		expect([...readAcceptances(doc).keys()]).toEqual([`t1:${ally}`]);
	});
});

describe('migration 3: contact details leave the document', () => {
	function versionThree(): Y.Doc {
		const doc = new Y.Doc();
		doc.transact(() => {
			const meta = doc.getMap('meta');
			meta.set('schemaVersion', 3);
			for (const [id, contact] of [
				['a', '+223 76 00 00 00'],
				['b', '']
			]) {
				const ally = new Y.Map<unknown>();
				ally.set('name', new Y.Text(id));
				ally.set('contact', new Y.Text(contact));
				getAllies(doc).set(id, ally);
			}
		});
		return doc;
	}

	it('reads the non-empty contacts of a version 3 document, then deletes the field from every ally', () => {
		const doc = versionThree();
		expect(readLegacyContacts(doc)).toEqual(new Map([['a', '+223 76 00 00 00']]));
		expect(migrateDocument(doc)).toBe(true);
		expect(getSchemaVersion(doc)).toBe(SCHEMA_VERSION);
		for (const ally of getAllies(doc).values()) expect(ally.has('contact')).toBe(false);
		expect(readLegacyContacts(doc).size).toBe(0);
		// A fresh copy (what a client syncing now receives) holds no trace of the text.
		const copy = Y.encodeStateAsUpdate(doc);
		expect(Buffer.from(copy).includes(Buffer.from('+223 76'))).toBe(false);
	});
});
