/**
 * Step 5 (manage and maintain the alliances): the teamwork principles the coalition agrees on, its
 * meeting rhythm (the server-created `maintenance.rhythm` Y.Text) and a follow-up log. Principles
 * and follow-ups are Y.Maps under random ids, created whole in one transaction.
 */
import * as Y from 'yjs';
import { newId } from './ids';
import { isIsoDate } from './dates';

export const PRINCIPLE_MAX = 300;
export const RHYTHM_MAX = 500;
export const FOLLOW_UP_TEXT_FIELDS = {
	what: { max: 1000, multiline: true },
	who: { max: 200, multiline: false }
} as const;
export type FollowUpTextField = keyof typeof FOLLOW_UP_TEXT_FIELDS;

export function getPrinciples(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap('principles');
}

export function getFollowUps(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap('followUps');
}

/** Null until the server created it (schema v3): browsers never create it themselves. */
export function getRhythmText(doc: Y.Doc): Y.Text | null {
	const rhythm = doc.getMap('maintenance').get('rhythm');
	return rhythm instanceof Y.Text ? rhythm : null;
}

export function addPrinciple(
	doc: Y.Doc,
	text: string,
	now = Date.now(),
	origin: unknown = null
): string {
	const id = newId();
	doc.transact(() => {
		const principle = new Y.Map<unknown>();
		principle.set('text', new Y.Text(text.slice(0, PRINCIPLE_MAX)));
		principle.set('agreed', false);
		principle.set('createdAt', now);
		getPrinciples(doc).set(id, principle);
	}, origin);
	return id;
}

export function removePrinciple(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => getPrinciples(doc).delete(id), origin);
}

export function setPrincipleAgreed(
	doc: Y.Doc,
	id: string,
	agreed: boolean,
	origin: unknown = null
): void {
	doc.transact(
		() =>
			getPrinciples(doc)
				.get(id)
				?.set('agreed', agreed === true),
		origin
	);
}

export function getPrincipleText(doc: Y.Doc, id: string): Y.Text | null {
	const text = getPrinciples(doc).get(id)?.get('text');
	return text instanceof Y.Text ? text : null;
}

export function readPrinciples(doc: Y.Doc): Principle[] {
	const principles: Principle[] = [];
	for (const [id, principle] of getPrinciples(doc)) {
		if (!(principle instanceof Y.Map)) continue;
		const text = principle.get('text');
		const createdAt = principle.get('createdAt');
		principles.push({
			id,
			text: text instanceof Y.Text ? text.toString() : '',
			agreed: principle.get('agreed') === true,
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return principles.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function addFollowUp(
	doc: Y.Doc,
	input: { date: string; what: string; who: string },
	now = Date.now(),
	origin: unknown = null
): string {
	const id = newId();
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		entry.set('date', isIsoDate(input.date) ? input.date : '');
		entry.set('what', new Y.Text(input.what.slice(0, FOLLOW_UP_TEXT_FIELDS.what.max)));
		entry.set('who', new Y.Text(input.who.slice(0, FOLLOW_UP_TEXT_FIELDS.who.max)));
		entry.set('createdAt', now);
		getFollowUps(doc).set(id, entry);
	}, origin);
	return id;
}

export function removeFollowUp(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => getFollowUps(doc).delete(id), origin);
}

export function setFollowUpDate(
	doc: Y.Doc,
	id: string,
	date: string,
	origin: unknown = null
): void {
	if (date !== '' && !isIsoDate(date)) return;
	doc.transact(() => getFollowUps(doc).get(id)?.set('date', date), origin);
}

export function getFollowUpText(doc: Y.Doc, id: string, field: FollowUpTextField): Y.Text | null {
	const text = getFollowUps(doc).get(id)?.get(field);
	return text instanceof Y.Text ? text : null;
}

/** The log, latest date first (undated entries last, in the order they were written). */
export function readFollowUps(doc: Y.Doc): FollowUp[] {
	const entries: FollowUp[] = [];
	for (const [id, entry] of getFollowUps(doc)) {
		if (!(entry instanceof Y.Map)) continue;
		const date = entry.get('date');
		const what = entry.get('what');
		const who = entry.get('who');
		const createdAt = entry.get('createdAt');
		entries.push({
			id,
			date: isIsoDate(date) ? date : '',
			what: what instanceof Y.Text ? what.toString() : '',
			who: who instanceof Y.Text ? who.toString() : '',
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return entries.sort(
		(a, b) =>
			(a.date === '' ? 1 : 0) - (b.date === '' ? 1 : 0) ||
			b.date.localeCompare(a.date) ||
			a.createdAt - b.createdAt ||
			a.id.localeCompare(b.id)
	);
}

export interface Principle {
	id: string;
	text: string;
	agreed: boolean;
	createdAt: number;
}

export interface FollowUp {
	id: string;
	/** `YYYY-MM-DD` or empty. */
	date: string;
	what: string;
	who: string;
	createdAt: number;
}
