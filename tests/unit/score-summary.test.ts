import { describe, expect, it } from 'vitest';
import {
	interquartileRange,
	isRating,
	DISAGREEMENT_MIN_RANGE,
	mostDisputed,
	ratingRange,
	summariseRatings
} from '../../src/lib/shared/score-summary';

describe('summarising 1–5 ratings', () => {
	it('gives the median of an odd count as the middle rating', () => {
		expect(summariseRatings([5, 1, 3]).median).toBe(3);
		expect(summariseRatings([4]).median).toBe(4);
	});

	it('gives the median of an even count as the mean of the two middle ratings', () => {
		expect(summariseRatings([2, 5, 3, 4]).median).toBe(3.5);
		expect(summariseRatings([1, 5]).median).toBe(3);
	});

	it('gives the spread as lowest–highest and quartiles (interpolated between ranks)', () => {
		const summary = summariseRatings([1, 2, 3, 4, 5]);
		expect(summary).toMatchObject({ voices: 5, min: 1, max: 5, q1: 2, q3: 4 });
		expect(interquartileRange(summary)).toBe(2);
		expect(ratingRange(summary)).toBe(4);
		// Four voices: ranks 0.75 and 2.25 of [1, 1, 4, 5].
		expect(summariseRatings([5, 1, 4, 1])).toMatchObject({ q1: 1, q3: 4.25 });
	});

	it('counts how many voices gave each rating, never who', () => {
		const summary = summariseRatings([3, 3, 5, 1]);
		expect(summary.counts).toEqual([1, 0, 2, 0, 1]);
		expect(Object.keys(summary).sort()).toEqual([
			'counts',
			'max',
			'median',
			'min',
			'q1',
			'q3',
			'voices'
		]);
	});

	it('has no median or spread without voices, and ignores values outside 1–5', () => {
		expect(summariseRatings([])).toEqual({
			voices: 0,
			median: null,
			min: null,
			max: null,
			q1: null,
			q3: null,
			counts: [0, 0, 0, 0, 0]
		});
		expect(summariseRatings([0, 6, 2.5, Number.NaN, 3]).voices).toBe(1);
		expect([1, 5].every(isRating)).toBe(true);
		expect([0, 6, 2.5, '3', null].some(isRating)).toBe(false);
	});
});

describe('where the group disagrees most', () => {
	const of = (...ratings: number[]) => summariseRatings(ratings);

	it('is the criterion with the widest interquartile range', () => {
		expect(
			mostDisputed({
				reputation: of(4, 4, 5, 4),
				leadership: of(1, 5, 1, 5),
				consensus: of(2, 3, 3, 4)
			})
		).toBe('leadership');
	});

	it('breaks a tie on the interquartile range with the lowest–highest range', () => {
		// Both middles agree (IQR 0); one has an outlier.
		expect(mostDisputed({ a: of(3, 3, 3, 3, 3), b: of(3, 3, 3, 3, 1) })).toBe('b');
	});

	it('keeps the first in order on a full tie', () => {
		expect(mostDisputed({ a: of(1, 5), b: of(1, 5) })).toBe('a');
	});

	it('is none when everyone agrees, or fewer than two voices anywhere', () => {
		expect(mostDisputed({ a: of(4, 4), b: of(2, 2, 2) })).toBeNull();
		expect(mostDisputed({ a: of(1), b: of() })).toBeNull();
	});

	it('flags nothing when voices are one point apart at most (below DISAGREEMENT_MIN_RANGE)', () => {
		expect(DISAGREEMENT_MIN_RANGE).toBe(2);
		expect(mostDisputed({ influence: of(3, 4, 4), interest: of(2, 3) })).toBeNull();
		expect(mostDisputed({ influence: of(3, 4, 4), interest: of(2, 4) })).toBe('interest');
	});
});
