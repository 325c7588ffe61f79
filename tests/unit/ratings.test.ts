/**
 * Private ratings, one concept for Option 1's scores and the ally map: the same rules of who
 * counts, what a reveal aggregates and what a facilitator entering for someone sees, for both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../server/storage/open';
import type { Storage } from '../../src/lib/server/ports/storage';
import {
	mapProgress,
	PLACEMENTS,
	SCORES,
	scoringProgress,
	summarisePlacements,
	summariseScores,
	visibleRatings
} from '../../src/lib/server/ratings';
import { tempDataDir } from '../fixtures/server';

const T0 = Date.UTC(2026, 11, 3, 9, 0);
const opened: Storage[] = [];
afterEach(async () => {
	for (const storage of opened.splice(0)) await storage.close();
});

/** A workshop with a facilitator, two participants of one organisation and an observer. */
async function forum() {
	const storage = openStorage({ database: null, dataDir: tempDataDir(), busyTimeoutMs: 100 });
	opened.push(storage);
	await storage.ready();
	await storage.createWorkshop({ id: 'w', title: 'Forum', createdAt: T0, ownerId: null });
	const members = {} as Record<
		'awa' | 'moussa' | 'fatou' | 'obs',
		Awaited<ReturnType<Storage['upsertMembership']>>
	>;
	let at = T0;
	for (const [userId, role, organisation] of [
		['awa', 'facilitator', null],
		['moussa', 'participant', 'CARE Mali'],
		['fatou', 'participant', 'CARE Mali'],
		['obs', 'observer', null]
	] as const) {
		await storage.createUser({ id: userId, login: userId, passwordHash: '', createdAt: T0 });
		members[userId] = await storage.upsertMembership({
			workshopId: 'w',
			userId,
			role,
			name: userId,
			organisation,
			grantedBy: 'join-code',
			joinedAt: ++at
		});
	}
	const rate = async (userId: string, value: number, enteredBy = userId) => {
		await storage.scores.set({
			workshopId: 'w',
			candidateId: 'c1',
			userId,
			scores: { reputation: value, leadership: value },
			enteredBy,
			at: ++at
		});
		await storage.placements.set({
			workshopId: 'w',
			allyId: 'a1',
			userId,
			placement: { influence: value, interest: value },
			enteredBy,
			at: ++at
		});
	};
	return { services: { storage }, members, rate };
}

describe('private ratings: scores and placements alike', () => {
	it('counts every participant per participant, only the delegate per organisation', async () => {
		const { services, rate } = await forum();
		await rate('moussa', 1);
		await rate('fatou', 5);

		const scores = await summariseScores(services, 'w', 'participant', ['c1'], T0);
		const map = await summarisePlacements(services, 'w', 'participant', ['a1'], T0);
		expect(scores.get('c1')!.criteria.reputation).toMatchObject({ voices: 2, min: 1, max: 5 });
		expect(map.get('a1')).toMatchObject({ voices: 2, influence: { voices: 2, min: 1, max: 5 } });

		// Moussa joined first: CARE Mali's delegate, the only voice of the organisation.
		const byOrganisation = await summariseScores(services, 'w', 'organisation', ['c1'], T0);
		const mapByOrganisation = await summarisePlacements(services, 'w', 'organisation', ['a1'], T0);
		expect(byOrganisation.get('c1')!.criteria.reputation).toMatchObject({ voices: 1, median: 1 });
		expect(mapByOrganisation.get('a1')).toMatchObject({ voices: 1, interest: { median: 1 } });
	});

	it("shows facilitators counts per live item, never a value, and no observer's", async () => {
		const { services, rate } = await forum();
		await rate('moussa', 4);
		const scoring = await scoringProgress(services, 'w', 'participant', ['c1', 'c2']);
		expect(scoring.scored).toEqual({ c1: { moussa: 2 }, c2: {} });
		expect(scoring.voices.map((voice) => voice.userId)).toEqual(['moussa', 'fatou']);
		expect(scoring.members.map((member) => member.userId)).toEqual(['awa', 'moussa', 'fatou']);
		const map = await mapProgress(services, 'w', 'participant', ['a1']);
		expect(map).toMatchObject({ placed: { moussa: 1 }, allies: 1 });
		// An ally deleted since: its placements are not progress.
		expect((await mapProgress(services, 'w', 'participant', [])).placed).toEqual({});
		expect(JSON.stringify([scoring, map])).not.toMatch(/"value"|4/);
	});

	it.each([
		['scores', SCORES],
		['placements', PLACEMENTS]
	] as const)(
		"%s: a facilitator entering for a member sees only what they entered, not the member's own",
		async (_name, kind) => {
			const { services, members, rate } = await forum();
			await rate('moussa', 2);
			const forMoussa = await visibleRatings(services, kind, members.awa, 'moussa');
			expect(forMoussa).toMatchObject({ ok: true, ratings: [] });

			await rate('fatou', 3, 'awa');
			const forFatou = await visibleRatings(services, kind, members.awa, 'fatou');
			expect(forFatou.ok && forFatou.ratings.map((rating) => rating.value)).toEqual([3, 3]);
			expect(forFatou.ok && forFatou.ratings.every((rating) => rating.enteredByOther)).toBe(true);
			const own = await visibleRatings(services, kind, members.fatou, null);
			expect(own.ok && own.ratings.map((rating) => rating.value)).toEqual([3, 3]);

			expect(await visibleRatings(services, kind, members.moussa, 'fatou')).toMatchObject({
				ok: false,
				error: 'forbidden'
			});
			expect(await visibleRatings(services, kind, members.obs, null)).toMatchObject({
				ok: false,
				error: 'forbidden'
			});
		}
	);
});
