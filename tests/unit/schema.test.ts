import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAlly,
	applyTextDiff,
	getSchemaVersion,
	initDocument,
	migrateDocument,
	readAllies,
	removeAlly,
	renameAlly,
	ROOTS,
	SCHEMA_VERSION,
	SERVER_OWNED_ROOTS,
	setAllyType
} from '../../src/lib/shared/schema';

describe('the document schema', () => {
	it('declares which roots only the server writes', () => {
		expect([...SERVER_OWNED_ROOTS]).toEqual(['meta']);
		expect(ROOTS.allies.owner).toBe('shared');
	});

	it('creates, reads, renames, retypes and removes allies', () => {
		const doc = new Y.Doc();
		const a = addAlly(doc, { name: 'CARE Mali', type: 'organisation' }, 1);
		const b = addAlly(doc, { name: 'Chef de village', type: 'individual' }, 2);
		renameAlly(doc, a, 'CARE International Mali');
		setAllyType(doc, b, 'group');
		expect(readAllies(doc)).toEqual([
			{ id: a, name: 'CARE International Mali', type: 'organisation', createdAt: 1 },
			{ id: b, name: 'Chef de village', type: 'group', createdAt: 2 }
		]);
		removeAlly(doc, a);
		expect(readAllies(doc).map((ally) => ally.id)).toEqual([b]);
	});

	it('gives allies random ids', () => {
		const doc = new Y.Doc();
		const ids = new Set(Array.from({ length: 50 }, () => addAlly(doc, { name: 'x', type: 'group' })));
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
