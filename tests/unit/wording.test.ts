/** Words a room reads: no statistics jargon, one name for the dots, languages named in the reader's language. */
import { describe, expect, it } from 'vitest';
import fr from '../../messages/fr.json';
import en from '../../messages/en.json';

describe('messages', () => {
	it('say "most between", not the statistician’s "middle half"', () => {
		expect(fr.group_scores_spread).toContain('la plupart entre');
		expect(JSON.stringify(fr)).not.toContain('moitié centrale');
		expect(JSON.stringify(en)).not.toContain('middle half');
	});

	it('call the dots of a dot vote one thing, from its setup to its results and the charter', () => {
		for (const key of [
			'round_mode_dots',
			'results_mode_dots',
			'charter_dots',
			'rule_dots'
		] as const) {
			expect(fr[key]).toMatch(/gommette/);
			expect(en[key]).toMatch(/dot/i);
		}
	});

	it('name the workshop’s language in the reader’s language', () => {
		expect(en.workshop_language_fr).toBe('French');
		expect(fr.workshop_language_fr).toBe('français');
	});
});
