/** The app's one way of writing dates: a day and a moment, in French and in English. */
import { describe, expect, it } from 'vitest';
import { formatDay, formatMoment } from '../../src/lib/shared/dates';

describe('formatDay and formatMoment', () => {
	it('writes a day in words, never moved by a time zone', () => {
		expect(formatDay('2026-12-02', 'fr')).toBe('2 décembre 2026');
		expect(formatDay('2026-12-02', 'en')).toBe('December 2, 2026');
	});

	it('writes a moment as the same day in words, with its time', () => {
		const at = Date.UTC(2026, 11, 2, 6, 31);
		expect(formatMoment(at, 'fr', 'UTC')).toBe('2 décembre 2026 à 06:31');
		expect(formatMoment(at, 'en', 'UTC')).toMatch(/^December 2, 2026 at 6:31\sAM$/);
	});
});
