import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff } from '../../src/lib/shared/schema';
import { mapCaret, type TextDelta } from '../../src/lib/shared/text-caret';

/** Applies `change` to a copy of `initial` and returns the change's delta, as an observer sees it. */
function deltaOf(initial: string, change: (text: Y.Text) => void): TextDelta {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, initial);
	let delta: TextDelta = [];
	text.observe((event) => (delta = event.delta as TextDelta));
	change(text);
	return delta;
}

describe('keeping the caret through a remote change', () => {
	it('leaves the caret alone when text is added after it', () => {
		const delta = deltaOf('Association des femmes', (t) => t.insert(22, ' de Kayes'));
		expect(mapCaret(5, delta)).toBe(5);
	});

	it('moves the caret by what was inserted or deleted before it', () => {
		expect(
			mapCaret(
				10,
				deltaOf('Association des femmes', (t) => t.insert(0, "L'"))
			)
		).toBe(12);
		expect(
			mapCaret(
				10,
				deltaOf('Association des femmes', (t) => t.delete(0, 4))
			)
		).toBe(6);
	});

	it('keeps the caret after text this person just typed when the remote insert lands at it', () => {
		expect(
			mapCaret(
				4,
				deltaOf('abcdef', (t) => t.insert(4, 'XY'))
			)
		).toBe(4);
	});

	it('puts the caret at the start of a remote deletion that swallowed it', () => {
		expect(
			mapCaret(
				5,
				deltaOf('abcdefgh', (t) => t.delete(3, 4))
			)
		).toBe(3);
	});

	it('follows a replacement in the middle (a minimal diff from another person)', () => {
		const delta = deltaOf('Mairie de Kayes', (t) => applyTextDiff(t, 'Mairie centrale de Kayes'));
		expect(mapCaret(15, delta)).toBe(24);
		expect(mapCaret(2, delta)).toBe(2);
	});

	it('maps both carets of two concurrent typists so each stays after their own text', () => {
		const a = new Y.Doc();
		a.getText('t').insert(0, 'Radio rurale');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		// A types "de Kayes " in the middle (caret ends at 15); B types " FM" at the end (caret 15).
		applyTextDiff(a.getText('t'), 'Radio de Kayes rurale');
		applyTextDiff(b.getText('t'), 'Radio rurale FM');
		let deltaForA: TextDelta = [];
		let deltaForB: TextDelta = [];
		a.getText('t').observe((event) => (deltaForA = event.delta as TextDelta));
		b.getText('t').observe((event) => (deltaForB = event.delta as TextDelta));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(a.getText('t').toString()).toBe('Radio de Kayes rurale FM');
		expect(mapCaret(15, deltaForA)).toBe(15);
		expect(mapCaret(15, deltaForB)).toBe(24);
	});
});
