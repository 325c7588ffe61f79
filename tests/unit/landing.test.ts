/**
 * Where a workshop's link opens: the record once the workshop is archived, for everyone; once the
 * charter is locked, for an observer at once and for the others after the forum's day; the board
 * otherwise.
 */
import { describe, expect, it } from 'vitest';
import { opensOnRecord, type LandingRole } from '../../src/lib/shared/landing';

const ROLES: LandingRole[] = ['facilitator', 'participant', 'observer'];
const TODAY = '2026-12-03';
const during = { archived: false, locked: false, date: TODAY };

describe('where a workshop’s link opens', () => {
	it('opens the record of an archived workshop for everyone, whatever its date', () => {
		for (const role of ROLES) {
			expect(opensOnRecord(role, { ...during, archived: true }, TODAY)).toBe(true);
			expect(opensOnRecord(role, { archived: true, locked: false, date: null }, TODAY)).toBe(true);
		}
	});

	it('opens the board of a workshop neither archived nor locked for everyone', () => {
		for (const role of ROLES) {
			expect(opensOnRecord(role, { ...during, date: '2026-01-01' }, TODAY)).toBe(false);
		}
	});

	it('a locked charter: the record for an observer at once, for the others after the forum’s day', () => {
		const locked = { ...during, locked: true };
		expect(opensOnRecord('observer', locked, TODAY)).toBe(true);
		for (const role of ['facilitator', 'participant'] as const) {
			// Locked during the forum: the room goes on to steps 3 to 5 on the board.
			expect(opensOnRecord(role, locked, TODAY)).toBe(false);
			expect(opensOnRecord(role, { ...locked, date: null }, TODAY)).toBe(false);
			expect(opensOnRecord(role, { ...locked, date: '2026-12-02' }, TODAY)).toBe(true);
		}
	});
});
