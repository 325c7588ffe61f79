import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { csvCell, csvDocument, recordCsv } from '../../src/lib/server/export-csv';
import { readRecord } from '../../src/lib/shared/record';
import { addAlly, setAllyField } from '../../src/lib/shared/schema';
import { round } from '../fixtures/consensus';

describe('a CSV cell', () => {
	it('is quoted when it holds a comma, a quote or a line break, quotes doubled', () => {
		expect(csvCell('Kayes, Mali')).toBe('"Kayes, Mali"');
		expect(csvCell('dit "oui"')).toBe('"dit ""oui"""');
		expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
		expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
		expect(csvCell('CARE Mali')).toBe('CARE Mali');
	});

	it('never starts with a character a spreadsheet runs as a formula', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) {
			const cell = csvCell(`${start}HYPERLINK("http://x","y")`);
			expect(cell.replace(/^"/, '').startsWith("'"), JSON.stringify(cell)).toBe(true);
		}
		expect(csvCell('=1+1')).toBe("'=1+1");
		expect(csvCell('-5')).toBe("'-5");
		expect(csvCell('\tcmd')).toBe("'\tcmd");
		expect(csvCell('\r=1')).toBe(`"'\r=1"`);
		// Only the start matters: a formula sign later in the text is plain text.
		expect(csvCell('a=b')).toBe('a=b');
	});

	it('writes numbers, booleans and empty values as they are', () => {
		expect(csvCell(-3)).toBe('-3');
		expect(csvCell(true)).toBe('true');
		expect(csvCell(null)).toBe('');
	});

	it('makes a document with a UTF-8 BOM and CRLF line ends', () => {
		const text = csvDocument([
			['Nom', 'Siège'],
			['Radio rurale', 'Kayes']
		]);
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(text).toBe('\uFEFFNom,Siège\r\nRadio rurale,Kayes\r\n');
	});
});

describe('the CSV tables of the record', () => {
	function board() {
		const doc = new Y.Doc();
		doc.getMap('maintenance').set('rhythm', new Y.Text());
		const ally = addAlly(doc, { name: '=CMD|calc', type: 'organisation' });
		setAllyField(doc, ally, 'headquarters', 'Kayes, quartier Plateau');
		return { doc, ally };
	}

	it('lists the allies with their study fields, neutralised, and contacts only when given', () => {
		const { doc, ally } = board();
		const record = readRecord(doc);
		const plain = recordCsv(record, 'allies', { locale: 'fr', organisations: new Map() });
		expect(plain).toContain("'=CMD|calc");
		expect(plain).toContain('"Kayes, quartier Plateau"');
		expect(plain).not.toContain('Contact');
		const withContacts = recordCsv(record, 'allies', {
			locale: 'fr',
			organisations: new Map(),
			contacts: [{ allyId: ally, text: '+223 70 00 00 00', updatedBy: null, updatedAt: 1 }]
		});
		expect(withContacts).toContain("'+223 70 00 00 00");
	});

	it('gives vote results as figures per round and proposal, naming no voter', () => {
		const { doc } = board();
		const revealed = round(['p-x']);
		doc.getMap('proposals').set('p-x', {
			id: 'p-x',
			wording: 'Objectif',
			rationale: '',
			authorId: 'a',
			authorName: 'A',
			createdAt: 1,
			updatedAt: 1,
			mergedInto: null,
			final: true
		});
		doc.getMap('rounds').set(revealed.id, revealed);
		const text = recordCsv(readRecord(doc), 'votes', { locale: 'en', organisations: new Map() });
		const lines = text.replace('\uFEFF', '').trim().split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toContain('Objectif');
		expect(text).not.toContain('CARE Mali');
	});
});
