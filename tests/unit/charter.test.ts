/** The lock rule, who endorses, and reading step 4 whatever shape its tasks have. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { endorses, findLockable, parseReason, readWhoDoesWhat } from '../../src/lib/shared/charter';
import { proposal, results, round } from '../fixtures/consensus';

describe('findLockable', () => {
	const final = proposal({ final: true });

	it('needs a final proposal that was not merged away', () => {
		expect(findLockable([proposal()], [])).toEqual({ ok: false, reason: 'no_final_proposal' });
		const merged = proposal({ final: true, mergedInto: 'other' });
		expect(findLockable([merged], [round([merged.id])])).toEqual({
			ok: false,
			reason: 'no_final_proposal'
		});
	});

	it('needs a revealed gradient or consent round on it', () => {
		const other = proposal();
		const cases = [
			round([final.id], { state: 'open', results: null }),
			round([final.id], { state: 'closed', results: null }),
			round([final.id], { mode: 'dots' }),
			round([other.id])
		];
		for (const candidate of cases) {
			expect(findLockable([final, other], [candidate])).toEqual({
				ok: false,
				reason: 'no_revealed_round'
			});
		}
	});

	it('takes the latest revealed round: a later failure outweighs an earlier success, and the reverse', () => {
		const success = round([final.id], { revealedAt: 10 });
		const failure = round([final.id], {
			mode: 'consent',
			revealedAt: 20,
			results: results({ reached: false })
		});
		expect(findLockable([final], [success, failure])).toEqual({
			ok: false,
			reason: 'no_consensus'
		});
		const later = round([final.id], { revealedAt: 30 });
		expect(findLockable([final], [success, failure, later])).toMatchObject({
			ok: true,
			round: { id: later.id }
		});
	});

	it('accepts a block overridden with a recorded reason', () => {
		const overridden = round([final.id], {
			mode: 'consent',
			results: results({ reached: false, override: { reason: 'Blocage hors sujet', by: 'Oumar' } })
		});
		expect(findLockable([final], [overridden])).toMatchObject({
			ok: true,
			proposal: { id: final.id }
		});
	});

	it('takes the most recently updated final proposal when there are several', () => {
		const older = proposal({ final: true, updatedAt: 1 });
		const newer = proposal({ final: true, updatedAt: 2 });
		expect(findLockable([newer, older], [round([newer.id])])).toMatchObject({
			ok: true,
			proposal: { id: newer.id }
		});
	});
});

describe('endorses', () => {
	it('counts gradient 2 and above, consent without a block, dots given', () => {
		expect(['0', '1'].some((level) => endorses('gradient', level))).toBe(false);
		expect(['2', '3', '5'].every((level) => endorses('gradient', level))).toBe(true);
		expect(endorses('consent', 'agree') && endorses('consent', 'reservations')).toBe(true);
		expect(endorses('consent', 'block')).toBe(false);
		expect(endorses('dots', '0')).toBe(false);
		expect(endorses('dots', '2')).toBe(true);
		expect(endorses('gradient', 'beaucoup')).toBe(false);
	});
});

describe('readWhoDoesWhat', () => {
	it('reads tasks with Y.Text or string fields, Y.Map or object roles, and missing fields', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			const ally = new Y.Map<unknown>();
			ally.set('name', new Y.Text('Radio rurale'));
			doc.getMap('allies').set('a1', ally);
			const full = new Y.Map<unknown>();
			full.set('title', new Y.Text('Émission sur les droits des filles'));
			full.set('description', new Y.Text('Une fois par mois'));
			full.set('deadline', '2027-01-15');
			full.set('status', 'doing');
			const roles = new Y.Map<unknown>();
			roles.set('a1', 'lead');
			roles.set('gone', 'informed');
			roles.set('bad', 3);
			full.set('roles', roles);
			full.set('createdAt', 2);
			doc.getMap('tasks').set('t-full', full);
			const sparse = new Y.Map<unknown>();
			sparse.set('title', 'Lettre au préfet');
			sparse.set('roles', { a1: 'contributes' });
			sparse.set('createdAt', 1);
			doc.getMap('tasks').set('t-sparse', sparse);
			doc.getMap('tasks').set('not-a-task', 'junk');
			ally.set('organisationId', 'org-radio');
			doc.getMap('acceptances').set('t-full:a1', { by: 'Awa', at: 5, role: 'lead' });
			// Accepted as lead, then made a contributor: the new role waits for a new acceptance.
			doc.getMap('acceptances').set('t-sparse:a1', { by: 'Awa', at: 5, role: 'lead' });
		});
		expect(readWhoDoesWhat(doc)).toEqual([
			{
				id: 't-sparse',
				title: 'Lettre au préfet',
				description: '',
				deadline: null,
				status: null,
				roles: [
					{
						allyId: 'a1',
						ally: 'Radio rurale',
						role: 'contributes',
						organisationId: 'org-radio',
						accepted: false,
						acceptedBy: null
					}
				]
			},
			{
				id: 't-full',
				title: 'Émission sur les droits des filles',
				description: 'Une fois par mois',
				deadline: '2027-01-15',
				status: 'doing',
				roles: [
					{
						allyId: 'gone',
						ally: '',
						role: 'informed',
						organisationId: null,
						accepted: false,
						acceptedBy: null
					},
					{
						allyId: 'a1',
						ally: 'Radio rurale',
						role: 'lead',
						organisationId: 'org-radio',
						accepted: true,
						acceptedBy: 'Awa'
					}
				]
			}
		]);
	});
});

describe('parseReason', () => {
	it('trims, and refuses empty, blank, non-text and over-long reasons', () => {
		expect(parseReason('  Une organisation absente ')).toBe('Une organisation absente');
		for (const value of ['', '   ', 42, null, undefined, 'x'.repeat(1001)])
			expect(parseReason(value)).toBeNull();
	});
});
