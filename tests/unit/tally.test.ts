import { describe, expect, it } from 'vitest';
import {
	checkPositions,
	defaultRule,
	hasBlock,
	parseRule,
	parseRuleKey,
	ruleKey,
	tallyRound,
	type TallyBallot,
	type TallyRound
} from '../../src/lib/shared/tally';
import type { VotePositions } from '../../src/lib/shared/consensus';

const A = 'proposal-a';
const B = 'proposal-b';

function round(overrides: Partial<TallyRound> = {}): TallyRound {
	const mode = overrides.mode ?? 'gradient';
	return {
		mode,
		proposalIds: [A],
		rule: defaultRule(mode),
		anonymous: false,
		voice: 'participant',
		...overrides
	};
}

let clock = 0;
function ballot(
	voterKey: string,
	positions: VotePositions,
	extra: Partial<TallyBallot> = {}
): TallyBallot {
	return {
		voterKey,
		voterName: voterKey.toUpperCase(),
		organisation: `Org ${voterKey}`,
		positions,
		enteredByName: null,
		updatedAt: ++clock,
		...extra
	};
}

function levels(...values: number[]): TallyBallot[] {
	return values.map((value, index) => ballot(`v${index}`, { [A]: { value } }));
}

describe('gradient (fist to five): nobody below 2 and a mean of at least 3', () => {
	it('is reached when every level is 2 or more and the mean is 3 or more', () => {
		const results = tallyRound(round(), levels(2, 3, 4, 5));
		expect(results.perProposal[A]).toMatchObject({
			voices: 4,
			mean: 3.5,
			min: 2,
			level2: 1,
			level5: 1,
			level0: 0,
			met: 1
		});
		expect(results.reached).toBe(true);
		expect(results.rule).toBe('gradient:2:3');
	});

	it('is not reached when one voice is below 2, however high the mean', () => {
		const results = tallyRound(round(), levels(1, 5, 5, 5, 5));
		expect(results.perProposal[A]).toMatchObject({ min: 1, mean: 4.2, met: 0 });
		expect(results.reached).toBe(false);
	});

	it('is not reached when the mean is under 3 though nobody is below 2', () => {
		const results = tallyRound(round(), levels(2, 2, 3));
		expect(results.perProposal[A].met).toBe(0);
	});

	it('is reached at exactly the thresholds', () => {
		expect(tallyRound(round(), levels(2, 4, 3)).reached).toBe(true);
	});

	it('follows thresholds adjusted for the round', () => {
		const strict = round({ rule: { kind: 'gradient', minLevel: 3, minMean: 4 } });
		expect(tallyRound(strict, levels(3, 5, 4)).reached).toBe(true);
		expect(tallyRound(strict, levels(2, 5, 5)).reached).toBe(false);
		expect(tallyRound(strict, levels(3, 3, 4)).reached).toBe(false);
		expect(tallyRound(strict, levels(3, 5, 4)).rule).toBe('gradient:3:4');
	});

	it('reaches nothing without a vote', () => {
		const results = tallyRound(round(), []);
		expect(results).toMatchObject({ voices: 0, reached: false });
		expect(results.perProposal[A]).toMatchObject({ voices: 0, mean: 0, min: 0, met: 0 });
	});

	it('judges each proposal of a round on its own', () => {
		const two = round({ proposalIds: [A, B] });
		const results = tallyRound(two, [
			ballot('a', { [A]: { value: 4 }, [B]: { value: 1 } }),
			ballot('b', { [A]: { value: 3 }, [B]: { value: 5 } })
		]);
		expect(results.perProposal[A].met).toBe(1);
		expect(results.perProposal[B].met).toBe(0);
		expect(results.reached).toBe(true);
	});
});

describe('consent: agree, reservations, block', () => {
	const consent = round({ mode: 'consent' });

	it('is reached without a block, reservations included', () => {
		const results = tallyRound(consent, [
			ballot('a', { [A]: { value: 'agree' } }),
			ballot('b', { [A]: { value: 'reservations', reason: 'Le calendrier est serré' } })
		]);
		expect(results.perProposal[A]).toMatchObject({
			voices: 2,
			agree: 1,
			reservations: 1,
			block: 0,
			met: 1
		});
		expect(results.reached).toBe(true);
		expect(results.rule).toBe('consent');
		expect(results.notes[A]).toEqual(['Le calendrier est serré']);
		expect(hasBlock(results)).toBe(false);
	});

	it('is not reached with one block', () => {
		const results = tallyRound(consent, [
			ballot('a', { [A]: { value: 'agree' } }),
			ballot('b', { [A]: { value: 'block', reason: 'Contraire à nos statuts' } })
		]);
		expect(results.perProposal[A]).toMatchObject({ block: 1, met: 0 });
		expect(results.reached).toBe(false);
		expect(hasBlock(results)).toBe(true);
	});

	it('is reached when the facilitator overrides the block, with the reason kept', () => {
		const override = { reason: 'Le bloc porte sur un autre sujet', by: 'Awa' };
		const results = tallyRound(
			consent,
			[ballot('b', { [A]: { value: 'block', reason: 'Non' } })],
			override
		);
		expect(results.reached).toBe(true);
		expect(results.override).toEqual(override);
		expect(results.perProposal[A].block).toBe(1);
	});

	it('ignores an override on a gradient round', () => {
		const results = tallyRound(round(), levels(0), { reason: 'x', by: 'Awa' });
		expect(results.reached).toBe(false);
		expect(results.override).toBeNull();
	});
});

describe('dots: N dots per voter across proposals', () => {
	const dots = round({ mode: 'dots', proposalIds: [A, B], rule: { kind: 'dots', dots: 3 } });

	it('adds each voter’s allocation and marks the proposal alone at the top', () => {
		const results = tallyRound(dots, [
			ballot('a', { [A]: { value: 2 }, [B]: { value: 1 } }),
			ballot('b', { [A]: { value: 3 } })
		]);
		expect(results.perProposal[A]).toMatchObject({ voices: 2, dots: 5, met: 1 });
		expect(results.perProposal[B]).toMatchObject({ voices: 1, dots: 1, met: 0 });
		expect(results).toMatchObject({ voices: 2, reached: true, rule: 'dots:3' });
	});

	it('has no leader on a tie', () => {
		const results = tallyRound(dots, [
			ballot('a', { [A]: { value: 2 } }),
			ballot('b', { [B]: { value: 2 } })
		]);
		expect(results.perProposal[A].met + results.perProposal[B].met).toBe(0);
		expect(results.reached).toBe(false);
	});
});

describe('voices', () => {
	it('per participant: each member’s ballot counts, named with their organisation', () => {
		const results = tallyRound(round(), [
			ballot('u:1', { [A]: { value: 4 } }, { voterName: 'Moussa', organisation: 'CARE Mali' }),
			ballot('u:2', { [A]: { value: 3 } }, { voterName: 'Fatou', organisation: 'CARE Mali' })
		]);
		expect(results.voices).toBe(2);
		expect(results.endorsements).toEqual([
			{
				proposalId: A,
				organisation: 'CARE Mali',
				voter: 'Fatou',
				position: '3',
				reservation: null,
				enteredBy: null
			},
			{
				proposalId: A,
				organisation: 'CARE Mali',
				voter: 'Moussa',
				position: '4',
				reservation: null,
				enteredBy: null
			}
		]);
	});

	it('per organisation: one voice each, the organisation named, no voter', () => {
		const results = tallyRound(
			round({ voice: 'organisation', mode: 'consent', rule: { kind: 'consent' } }),
			[
				ballot(
					'o:care',
					{ [A]: { value: 'reservations', reason: 'Budget' } },
					{ voterName: 'CARE Mali', organisation: 'CARE Mali' }
				),
				ballot(
					'o:mairie',
					{ [A]: { value: 'agree' } },
					{ voterName: 'Mairie de Kayes', organisation: 'Mairie de Kayes' }
				)
			]
		);
		expect(results.voices).toBe(2);
		expect(results.endorsements).toEqual([
			{
				proposalId: A,
				organisation: 'CARE Mali',
				voter: null,
				position: 'reservations',
				reservation: 'Budget',
				enteredBy: null
			},
			{
				proposalId: A,
				organisation: 'Mairie de Kayes',
				voter: null,
				position: 'agree',
				reservation: null,
				enteredBy: null
			}
		]);
	});

	it('counts a changed vote once: the latest', () => {
		const first = ballot('u:1', { [A]: { value: 1 } });
		const changed = ballot('u:1', { [A]: { value: 4 } });
		const other = ballot('u:2', { [A]: { value: 3 } });
		for (const ballots of [
			[first, changed, other],
			[changed, first, other]
		]) {
			const results = tallyRound(round(), ballots);
			expect(results.voices).toBe(2);
			expect(results.perProposal[A]).toMatchObject({ voices: 2, min: 3, mean: 3.5, met: 1 });
		}
	});

	it('counts proxies and votes entered by the facilitator, and says who entered them in named rounds', () => {
		const results = tallyRound(round({ voice: 'organisation' }), [
			ballot(
				'o:absent',
				{ [A]: { value: 3 } },
				{ voterName: 'Tassaght', organisation: 'Tassaght', enteredByName: 'Awa (animatrice)' }
			),
			ballot(
				'n:aminata',
				{ [A]: { value: 5 } },
				{ voterName: 'Aminata', organisation: null, enteredByName: 'Awa (animatrice)' }
			),
			ballot('o:care', { [A]: { value: 4 } }, { voterName: 'CARE Mali', organisation: 'CARE Mali' })
		]);
		expect(results.voices).toBe(3);
		expect(results.proxies).toBe(2);
		expect(results.perProposal[A].mean).toBe(4);
		expect(
			results.endorsements
				.filter((entry) => entry.enteredBy === 'Awa (animatrice)')
				.map((entry) => entry.organisation)
		).toEqual(['Aminata', 'Tassaght']);
	});

	it('names nobody in an anonymous round: no endorsements, notes sorted', () => {
		const anonymous = round({ mode: 'consent', rule: { kind: 'consent' }, anonymous: true });
		const results = tallyRound(anonymous, [
			ballot('u:1', { [A]: { value: 'block', reason: 'Zéro moyen' } }, { voterName: 'Moussa' }),
			ballot(
				'u:2',
				{ [A]: { value: 'reservations', reason: 'Attendre la mairie' } },
				{ voterName: 'Fatou', enteredByName: 'Awa' }
			)
		]);
		expect(results.endorsements).toEqual([]);
		expect(results.notes[A]).toEqual(['Attendre la mairie', 'Zéro moyen']);
		expect(JSON.stringify(results)).not.toMatch(/Moussa|Fatou|Awa|u:1|u:2/);
	});
});

describe('ballot checks', () => {
	it('needs a level from 0 to 5 on every proposal of a gradient round', () => {
		const two = round({ proposalIds: [A, B] });
		expect(checkPositions(two, { [A]: { value: 5 }, [B]: { value: 0 } })).toEqual({
			ok: true,
			positions: { [A]: { value: 5 }, [B]: { value: 0 } }
		});
		expect(checkPositions(two, { [A]: { value: 5 } })).toEqual({
			ok: false,
			reason: 'missing_proposal'
		});
		expect(checkPositions(two, { [A]: { value: 6 }, [B]: { value: 0 } })).toEqual({
			ok: false,
			reason: 'level'
		});
		expect(checkPositions(two, { [A]: { value: 2.5 }, [B]: { value: 0 } })).toEqual({
			ok: false,
			reason: 'level'
		});
		expect(
			checkPositions(two, { [A]: { value: 1 }, [B]: { value: 1 }, other: { value: 1 } })
		).toEqual({
			ok: false,
			reason: 'unknown_proposal'
		});
	});

	it('needs a reason for a block, trims reasons and drops empty ones', () => {
		const consent = round({ mode: 'consent', rule: { kind: 'consent' } });
		expect(checkPositions(consent, { [A]: { value: 'block' } })).toEqual({
			ok: false,
			reason: 'block_needs_reason'
		});
		expect(checkPositions(consent, { [A]: { value: 'block', reason: '   ' } })).toEqual({
			ok: false,
			reason: 'block_needs_reason'
		});
		expect(checkPositions(consent, { [A]: { value: 'block', reason: ' Non ' } })).toEqual({
			ok: true,
			positions: { [A]: { value: 'block', reason: 'Non' } }
		});
		expect(checkPositions(consent, { [A]: { value: 'agree', reason: '' } })).toEqual({
			ok: true,
			positions: { [A]: { value: 'agree' } }
		});
		expect(checkPositions(consent, { [A]: { value: 'yes' } })).toEqual({
			ok: false,
			reason: 'choice'
		});
		expect(checkPositions(consent, { [A]: { value: 'agree', reason: 'x'.repeat(501) } })).toEqual({
			ok: false,
			reason: 'reason_too_long'
		});
	});

	it('allows at most the round’s dots, at least one, whole and not negative', () => {
		const dots = round({ mode: 'dots', proposalIds: [A, B], rule: { kind: 'dots', dots: 3 } });
		expect(checkPositions(dots, { [A]: { value: 2 }, [B]: { value: 0 } })).toEqual({
			ok: true,
			positions: { [A]: { value: 2 } }
		});
		expect(checkPositions(dots, { [A]: { value: 2 }, [B]: { value: 2 } })).toEqual({
			ok: false,
			reason: 'too_many_dots'
		});
		expect(checkPositions(dots, { [A]: { value: 0 } })).toEqual({ ok: false, reason: 'no_dots' });
		expect(checkPositions(dots, { [A]: { value: -1 } })).toEqual({ ok: false, reason: 'dots' });
	});

	it('refuses what is not a map of positions', () => {
		for (const raw of [null, 'x', [1], { [A]: 3 }, { [A]: { value: 3, reason: 7 } }]) {
			expect(checkPositions(round(), raw)).toEqual({ ok: false, reason: 'positions' });
		}
	});
});

describe('rules', () => {
	it('defaults to the method’s thresholds and validates adjusted ones', () => {
		expect(parseRule('gradient', {})).toEqual({ kind: 'gradient', minLevel: 2, minMean: 3 });
		expect(parseRule('gradient', { minLevel: 3, minMean: 3.5 })).toEqual({
			kind: 'gradient',
			minLevel: 3,
			minMean: 3.5
		});
		expect(parseRule('gradient', { minLevel: 6 })).toBeNull();
		expect(parseRule('gradient', { minLevel: 1.5 })).toBeNull();
		expect(parseRule('gradient', { minMean: '3' })).toBeNull();
		expect(parseRule('dots', {})).toEqual({ kind: 'dots', dots: 3 });
		expect(parseRule('dots', { dots: 11 })).toBeNull();
		expect(parseRule('consent', { minLevel: 9 })).toEqual({ kind: 'consent' });
	});

	it('round-trips through its key', () => {
		for (const rule of [
			defaultRule('gradient'),
			{ kind: 'gradient' as const, minLevel: 1, minMean: 2.5 },
			defaultRule('consent'),
			defaultRule('dots')
		]) {
			expect(parseRuleKey(ruleKey(rule))).toEqual(rule);
		}
		expect(parseRuleKey('nonsense')).toBeNull();
	});
});
