/**
 * The rule for a workshop's details on import: a merge takes the file's only when the file changed
 * them later than this server did; a copy with no stamp loses to one with a stamp; with neither
 * stamped, or the same stamp (the same file again), this server's stay.
 */
import { describe, expect, it } from 'vitest';
import { takesFileDetails } from '../../src/lib/server/workshop-details';

describe('a workshop’s details on a merge', () => {
	it('takes the file’s when the file changed them later, keeps this server’s when it changed them later', () => {
		expect(takesFileDetails(100, 200)).toBe(true);
		expect(takesFileDetails(200, 100)).toBe(false);
	});

	it('keeps this server’s for the same stamp: the same file twice takes nothing the second time', () => {
		expect(takesFileDetails(200, 200)).toBe(false);
	});

	it('a side with no stamp loses to a side with one', () => {
		expect(takesFileDetails(null, 100)).toBe(true);
		expect(takesFileDetails(100, null)).toBe(false);
	});

	it('keeps this server’s when neither side stamped them (two copies from before the stamps)', () => {
		expect(takesFileDetails(null, null)).toBe(false);
	});
});
