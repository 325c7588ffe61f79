import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff, initDocument } from '../../src/lib/shared/schema';
import {
	addFollowUp,
	addPrinciple,
	getFollowUpText,
	getPrincipleText,
	getRhythmText,
	readFollowUps,
	readPrinciples,
	removeFollowUp,
	removePrinciple,
	setFollowUpDate,
	setPrincipleAgreed
} from '../../src/lib/shared/maintenance';

describe('step 5: principles, rhythm and follow-ups', () => {
	it('keeps an editable checklist of principles, each agreed or not', () => {
		const doc = new Y.Doc();
		const a = addPrinciple(doc, 'Transparence sur les ressources', 1);
		const b = addPrinciple(doc, 'Décider par consensus', 2);
		setPrincipleAgreed(doc, b, true);
		applyTextDiff(getPrincipleText(doc, a)!, 'Transparence totale sur les ressources');
		expect(readPrinciples(doc)).toEqual([
			{ id: a, text: 'Transparence totale sur les ressources', agreed: false, createdAt: 1 },
			{ id: b, text: 'Décider par consensus', agreed: true, createdAt: 2 }
		]);
		removePrinciple(doc, a);
		expect(readPrinciples(doc).map((p) => p.id)).toEqual([b]);
	});

	it('binds the meeting rhythm to the text the server created, and to nothing before', () => {
		const bare = new Y.Doc();
		expect(getRhythmText(bare)).toBeNull();
		expect(bare.getMap('maintenance').size).toBe(0);
		const doc = new Y.Doc();
		initDocument(doc, { workshopId: 'w', createdAt: 0 });
		applyTextDiff(getRhythmText(doc)!, 'Le premier lundi du mois');
		expect(getRhythmText(doc)!.toString()).toBe('Le premier lundi du mois');
	});

	it('logs follow-ups latest first, undated ones last, and refuses a malformed date', () => {
		const doc = new Y.Doc();
		const old = addFollowUp(doc, { date: '2026-01-10', what: 'Réunion', who: 'Awa' }, 1);
		const undated = addFollowUp(doc, { date: 'hier', what: 'Appel', who: '' }, 2);
		const recent = addFollowUp(doc, { date: '2026-03-02', what: 'Visite', who: 'Moussa' }, 3);
		expect(readFollowUps(doc).map((entry) => entry.id)).toEqual([recent, old, undated]);
		expect(readFollowUps(doc)[2].date).toBe('');
		setFollowUpDate(doc, undated, '2026-02-01');
		setFollowUpDate(doc, old, 'not a date');
		applyTextDiff(getFollowUpText(doc, old, 'who')!, 'Awa et Moussa');
		expect(readFollowUps(doc).map(({ id, date, who }) => ({ id, date, who }))).toEqual([
			{ id: recent, date: '2026-03-02', who: 'Moussa' },
			{ id: undated, date: '2026-02-01', who: '' },
			{ id: old, date: '2026-01-10', who: 'Awa et Moussa' }
		]);
		removeFollowUp(doc, recent);
		expect(readFollowUps(doc)).toHaveLength(2);
	});
});
