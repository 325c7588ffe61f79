/**
 * What a group's private 1–5 ratings look like once revealed: the median (the group's position),
 * the spread (lowest–highest and the interquartile range) and how many voices counted, and which
 * criterion the group disagrees on most. Pure functions: the server computes these at reveal time
 * and writes only the result; no summary ever says who gave which rating.
 */

export const RATING_MIN = 1;
export const RATING_MAX = 5;

export function isRating(value: unknown): value is number {
	return (
		Number.isInteger(value) && (value as number) >= RATING_MIN && (value as number) <= RATING_MAX
	);
}

export interface RatingSummary {
	/** How many voices gave a rating. */
	voices: number;
	/** The middle rating (the mean of the two middle ones for an even count); null without voices. */
	median: number | null;
	/** Lowest and highest rating given. */
	min: number | null;
	max: number | null;
	/** First and third quartiles (linear interpolation between ranks, as spreadsheets' QUARTILE.INC). */
	q1: number | null;
	q3: number | null;
	/** How many voices gave each rating, 1 to 5 (index 0 is rating 1). */
	counts: number[];
}

/** The summary of one set of ratings (values outside 1–5 are ignored). */
export function summariseRatings(ratings: readonly number[]): RatingSummary {
	const sorted = ratings.filter(isRating).sort((a, b) => a - b);
	const counts = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, () => 0);
	for (const rating of sorted) counts[rating - RATING_MIN] += 1;
	if (sorted.length === 0)
		return { voices: 0, median: null, min: null, max: null, q1: null, q3: null, counts };
	return {
		voices: sorted.length,
		median: quantile(sorted, 0.5),
		min: sorted[0],
		max: sorted[sorted.length - 1],
		q1: quantile(sorted, 0.25),
		q3: quantile(sorted, 0.75),
		counts
	};
}

/** Interquartile range: how far apart the middle half of the group is (0 when it agrees). */
export function interquartileRange(summary: RatingSummary): number {
	return summary.q1 === null || summary.q3 === null ? 0 : summary.q3 - summary.q1;
}

/** Lowest to highest: how far apart the two ends of the group are. */
export function ratingRange(summary: RatingSummary): number {
	return summary.min === null || summary.max === null ? 0 : summary.max - summary.min;
}

/**
 * How far apart (lowest to highest, on the 1–5 scale) two voices must be for the board to call it
 * a disagreement: one point apart ("3" and "4") is the group roughly agreeing, not a dispute.
 */
export const DISAGREEMENT_MIN_RANGE = 2;

/**
 * The key (criterion, axis) the group disagrees on most: among those whose lowest–highest range
 * reaches DISAGREEMENT_MIN_RANGE, the widest interquartile range, then the widest range; the first
 * in `summaries`' order on a tie. Null when no key reaches the threshold or fewer than two voices
 * gave it.
 */
export function mostDisputed<K extends string>(
	summaries: Readonly<Record<K, RatingSummary>>
): K | null {
	let best: K | null = null;
	let bestScore: [number, number] = [0, 0];
	for (const key of Object.keys(summaries) as K[]) {
		const summary = summaries[key];
		if (summary.voices < 2 || ratingRange(summary) < DISAGREEMENT_MIN_RANGE) continue;
		const score: [number, number] = [interquartileRange(summary), ratingRange(summary)];
		const wider = score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1]);
		if (wider) {
			best = key;
			bestScore = score;
		}
	}
	return best;
}

/** Type 7 quantile of sorted values: p in [0, 1]. */
function quantile(sorted: readonly number[], p: number): number {
	const position = (sorted.length - 1) * p;
	const lower = Math.floor(position);
	const upper = Math.ceil(position);
	const value = sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
	// Two decimals at most: the board shows 3.5, never 3.4999999.
	return Math.round(value * 100) / 100;
}
