import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAlly,
	ALLY_FIELD_NAMES,
	allyCompleteness,
	applyTextDiff,
	findDuplicateNames,
	getAllyText,
	matchesAllyQuery,
	normaliseName,
	setAllyConvergence,
	setAllyField,
	getSchemaVersion,
	initDocument,
	migrateDocument,
	readAllies,
	removeAlly,
	renameAlly,
	ALLY_PIPELINE_FIELD_NAMES,
	ROOTS,
	SCHEMA_VERSION,
	SERVER_OWNED_ROOTS,
	setAllyType
} from '../../src/lib/shared/schema';

describe('the document schema', () => {
	it('declares which roots only the server writes', () => {
		expect([...SERVER_OWNED_ROOTS]).toEqual([
			'meta',
			'facilitation',
			'candidateResults',
			'acceptances',
			'allyMap',
			'proposals',
			'rounds',
			'endorsements',
			'charter'
		]);
		expect(ROOTS.allies.owner).toBe('shared');
	});

	it('creates, reads, renames, retypes and removes allies', () => {
		const doc = new Y.Doc();
		const a = addAlly(doc, { name: 'CARE Mali', type: 'organisation' }, 1);
		const b = addAlly(doc, { name: 'Chef de village', type: 'individual' }, 2);
		renameAlly(doc, a, 'CARE International Mali');
		setAllyType(doc, b, 'group');
		expect(
			readAllies(doc).map(({ id, name, type, createdAt }) => ({ id, name, type, createdAt }))
		).toEqual([
			{ id: a, name: 'CARE International Mali', type: 'organisation', createdAt: 1 },
			{ id: b, name: 'Chef de village', type: 'group', createdAt: 2 }
		]);
		removeAlly(doc, a);
		expect(readAllies(doc).map((ally) => ally.id)).toEqual([b]);
	});

	it('gives allies random ids', () => {
		const doc = new Y.Doc();
		const ids = new Set(
			Array.from({ length: 50 }, () => addAlly(doc, { name: 'x', type: 'group' }))
		);
		expect(ids.size).toBe(50);
		for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('initialises a workshop document at the current schema version', () => {
		const doc = new Y.Doc();
		initDocument(doc, { workshopId: 'w', createdAt: 5 });
		expect(getSchemaVersion(doc)).toBe(SCHEMA_VERSION);
		expect(migrateDocument(doc)).toBe(false);
	});

	it('runs each shape migration in order up to the target version', () => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('schemaVersion', 1);
		const ran: number[] = [];
		const migrations = {
			1: (d: Y.Doc) => {
				ran.push(1);
				d.getMap('meta').set('title', 'added by v1→v2');
			},
			2: () => ran.push(2)
		};
		expect(migrateDocument(doc, migrations, 3)).toBe(true);
		expect(ran).toEqual([1, 2]);
		expect(getSchemaVersion(doc)).toBe(3);
		expect(doc.getMap('meta').get('title')).toBe('added by v1→v2');
		expect(migrateDocument(doc, migrations, 3)).toBe(false);
		expect(ran).toEqual([1, 2]);
	});

	it('leaves a document that was never a workshop alone', () => {
		const doc = new Y.Doc();
		expect(migrateDocument(doc)).toBe(false);
		expect(doc.getMap('meta').size).toBe(0);
	});
});

describe('ally study fields (step 2)', () => {
	it('creates every study field as a Y.Text with the ally, in one transaction', () => {
		const doc = new Y.Doc();
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		const id = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		expect(transactions).toBe(1);
		for (const field of ALLY_FIELD_NAMES)
			expect(getAllyText(doc, id, field)).toBeInstanceOf(Y.Text);
		expect(ALLY_FIELD_NAMES).toEqual([
			'name',
			'functioning',
			'orientation',
			'headquarters',
			'activities',
			'experience',
			'credibility',
			'notes'
		]);
		const [ally] = readAllies(doc);
		expect(ally.convergence).toBe('unknown');
		expect(ally.fields.headquarters).toBe('');
	});

	it('updates study fields and convergence, and syncs them to another document', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		setAllyField(doc, id, 'headquarters', 'Bamako');
		setAllyField(doc, id, 'activities', 'Santé, éducation');
		setAllyConvergence(doc, id, 'partly');
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const [ally] = readAllies(copy);
		expect(ally.convergence).toBe('partly');
		expect(ally.fields.headquarters).toBe('Bamako');
		expect(ally.fields.activities).toBe('Santé, éducation');
	});

	it('caps each field at its maximum length', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'x'.repeat(500), type: 'group' });
		setAllyField(doc, id, 'headquarters', 'y'.repeat(1000));
		const [ally] = readAllies(doc);
		expect(ally.name).toHaveLength(200);
		expect(ally.fields.headquarters).toHaveLength(300);
	});

	it('reads an unknown convergence value as unknown', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'A', type: 'group', convergence: 'yes' });
		expect(readAllies(doc)[0].convergence).toBe('yes');
		(doc.getMap('allies').get(id) as Y.Map<unknown>).set('convergence', 'maybe');
		expect(readAllies(doc)[0].convergence).toBe('unknown');
	});

	it('measures completeness as the share of study fields filled (blank space does not count)', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		// Eight fields: contact details are not in the document, so they do not count (the same figure on every screen).
		expect(allyCompleteness(readAllies(doc)[0])).toBeCloseTo(1 / 8);
		setAllyField(doc, id, 'headquarters', 'Bamako');
		setAllyField(doc, id, 'notes', '   ');
		expect(allyCompleteness(readAllies(doc)[0])).toBeCloseTo(2 / 8);
		for (const field of ALLY_FIELD_NAMES) setAllyField(doc, id, field, 'rempli');
		expect(allyCompleteness(readAllies(doc)[0])).toBe(1);
	});

	it('migrates version 1 allies by adding the missing study fields, keeping their name', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			doc.getMap('meta').set('schemaVersion', 1);
			const v1 = new Y.Map<unknown>();
			v1.set('name', new Y.Text('Mairie de Kayes'));
			v1.set('type', 'institution');
			v1.set('createdAt', 3);
			doc.getMap('allies').set('old', v1);
		});
		expect(SCHEMA_VERSION).toBe(4);
		expect(migrateDocument(doc)).toBe(true);
		expect(getSchemaVersion(doc)).toBe(4);
		for (const field of ALLY_FIELD_NAMES)
			expect(getAllyText(doc, 'old', field)).toBeInstanceOf(Y.Text);
		// v3: step 3's fields and status, and step 5's rhythm.
		const old = doc.getMap('allies').get('old') as Y.Map<unknown>;
		for (const field of ALLY_PIPELINE_FIELD_NAMES) expect(old.get(field)).toBeInstanceOf(Y.Text);
		expect(old.get('status')).toBe('identified');
		expect(doc.getMap('maintenance').get('rhythm')).toBeInstanceOf(Y.Text);
		const [ally] = readAllies(doc);
		expect(ally.name).toBe('Mairie de Kayes');
		expect(ally.type).toBe('institution');
		expect(ally.convergence).toBe('unknown');
		expect(migrateDocument(doc)).toBe(false);
	});
});

describe('duplicate names and search', () => {
	it('folds case, accents, punctuation and spaces out of names', () => {
		expect(normaliseName('CARE Mali')).toBe(normaliseName('Care-Mali'));
		expect(normaliseName('  care   mali. ')).toBe('caremali');
		expect(normaliseName('Mairie de Kayès')).toBe(normaliseName('MAIRIE DE KAYES'));
		expect(normaliseName('Radio rurale')).not.toBe(normaliseName('Radio rurale 2'));
	});

	it('warns about allies whose normalised names collide, not about distinct or empty ones', () => {
		const allies = [
			{ id: 'a', name: 'CARE Mali' },
			{ id: 'b', name: 'Care-Mali' },
			{ id: 'c', name: 'Mairie de Kayes' },
			{ id: 'd', name: '' },
			{ id: 'e', name: ' - ' }
		];
		const duplicates = findDuplicateNames(allies);
		expect([...duplicates.keys()].sort()).toEqual(['a', 'b']);
		expect(duplicates.get('a')).toEqual(['b']);
		expect(duplicates.get('b')).toEqual(['a']);
	});

	it('searches every field (folded) and filters by type and convergence', () => {
		const doc = new Y.Doc();
		const care = addAlly(doc, { name: 'CARE Mali', type: 'organisation', convergence: 'yes' }, 1);
		addAlly(doc, { name: 'Chef de village', type: 'individual', convergence: 'partly' }, 2);
		setAllyField(doc, care, 'headquarters', 'Ségou');
		const allies = readAllies(doc);
		const names = (query: Parameters<typeof matchesAllyQuery>[1]) =>
			allies.filter((ally) => matchesAllyQuery(ally, query)).map((ally) => ally.name);
		expect(names({})).toEqual(['CARE Mali', 'Chef de village']);
		expect(names({ text: 'care-mali' })).toEqual(['CARE Mali']);
		expect(names({ text: 'segou' })).toEqual(['CARE Mali']);
		expect(names({ type: 'individual' })).toEqual(['Chef de village']);
		expect(names({ convergence: 'partly' })).toEqual(['Chef de village']);
		expect(names({ text: 'chef', convergence: 'yes' })).toEqual([]);
		expect(names({ type: 'all', convergence: 'all', text: '' })).toHaveLength(2);
	});
});

describe('minimal text diffs', () => {
	it('replaces only what changed, so concurrent typing elsewhere survives', () => {
		const a = new Y.Doc();
		a.getText('t').insert(0, 'Association des femmes');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		// a types at the end, b fixes the start, at the same time.
		applyTextDiff(a.getText('t'), 'Association des femmes de Kayes');
		applyTextDiff(b.getText('t'), "L'Association des femmes");
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(a.getText('t').toString()).toBe("L'Association des femmes de Kayes");
		expect(b.getText('t').toString()).toBe(a.getText('t').toString());
	});

	it('handles deletions, insertions in the middle and no-ops', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'abcdef');
		let updates = 0;
		doc.on('update', () => updates++);
		applyTextDiff(text, 'abcdef');
		expect(updates).toBe(0);
		applyTextDiff(text, 'abXYef');
		expect(text.toString()).toBe('abXYef');
		applyTextDiff(text, 'aef');
		expect(text.toString()).toBe('aef');
		applyTextDiff(text, '');
		expect(text.toString()).toBe('');
	});
});
