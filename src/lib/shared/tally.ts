/**
 * Tallies and consensus rules, pure: the server computes results with them, the UI shows the same
 * rule and checks a ballot before sending it. One voice per ballot: the server keys ballots by
 * voice (a participant, or an organisation), so a changed vote replaces the earlier one.
 */
import {
	CONSENT_CHOICES,
	DOTS_MAX,
	GRADIENT_LEVELS,
	VOTE_REASON_MAX,
	type ConsensusRule,
	type ConsentChoice,
	type Endorsement,
	type Round,
	type RoundResults,
	type VoteMode,
	type VotePosition,
	type VotePositions
} from './consensus';

/** "Nobody below 2 and a mean of at least 3": the method's default, adjustable per round. */
export const DEFAULT_GRADIENT_RULE = { kind: 'gradient', minLevel: 2, minMean: 3 } as const;
export const DEFAULT_DOTS = 3;

export function defaultRule(mode: VoteMode): ConsensusRule {
	if (mode === 'gradient') return { ...DEFAULT_GRADIENT_RULE };
	if (mode === 'dots') return { kind: 'dots', dots: DEFAULT_DOTS };
	return { kind: 'consent' };
}

/** The rule for `mode` from untrusted options (missing thresholds take the defaults); null if invalid. */
export function parseRule(
	mode: VoteMode,
	options: { minLevel?: unknown; minMean?: unknown; dots?: unknown }
): ConsensusRule | null {
	if (mode === 'consent') return { kind: 'consent' };
	if (mode === 'dots') {
		const dots = options.dots ?? DEFAULT_DOTS;
		return Number.isInteger(dots) && (dots as number) >= 1 && (dots as number) <= DOTS_MAX
			? { kind: 'dots', dots: dots as number }
			: null;
	}
	const minLevel = options.minLevel ?? DEFAULT_GRADIENT_RULE.minLevel;
	const minMean = options.minMean ?? DEFAULT_GRADIENT_RULE.minMean;
	if (!Number.isInteger(minLevel) || (minLevel as number) < 0 || (minLevel as number) > 5)
		return null;
	if (typeof minMean !== 'number' || !Number.isFinite(minMean) || minMean < 0 || minMean > 5)
		return null;
	return { kind: 'gradient', minLevel: minLevel as number, minMean: Math.round(minMean * 10) / 10 };
}

/** A short, language-neutral key of the rule (stored in results; the UI words it). */
export function ruleKey(rule: ConsensusRule): string {
	if (rule.kind === 'gradient') return `gradient:${rule.minLevel}:${rule.minMean}`;
	if (rule.kind === 'dots') return `dots:${rule.dots}`;
	return 'consent';
}

export function parseRuleKey(key: string): ConsensusRule | null {
	const [kind, a, b] = key.split(':');
	if (kind === 'consent' && a === undefined) return { kind: 'consent' };
	if (kind === 'dots') return parseRule('dots', { dots: Number(a) });
	if (kind === 'gradient')
		return parseRule('gradient', { minLevel: Number(a), minMean: Number(b) });
	return null;
}

export type PositionsCheck =
	{ ok: true; positions: VotePositions } | { ok: false; reason: PositionsRefusal };
export type PositionsRefusal =
	| 'positions'
	| 'unknown_proposal'
	| 'missing_proposal'
	| 'level'
	| 'choice'
	| 'block_needs_reason'
	| 'reason_too_long'
	| 'dots'
	| 'too_many_dots'
	| 'no_dots';

/**
 * Checks a ballot's positions against the round and returns them normalised (reasons trimmed,
 * empty reasons and zero dots dropped). Gradient and consent need a position on every proposal of
 * the round; dots go to any of them, at least one and at most the round's number.
 */
export function checkPositions(
	round: Pick<Round, 'mode' | 'proposalIds' | 'rule'>,
	raw: unknown
): PositionsCheck {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refusal('positions');
	const entries = Object.entries(raw as Record<string, unknown>);
	const positions: VotePositions = {};
	let dots = 0;
	for (const [proposalId, value] of entries) {
		if (!round.proposalIds.includes(proposalId)) return refusal('unknown_proposal');
		if (typeof value !== 'object' || value === null) return refusal('positions');
		const { value: choice, reason: rawReason } = value as { value?: unknown; reason?: unknown };
		if (rawReason !== undefined && rawReason !== null && typeof rawReason !== 'string')
			return refusal('positions');
		const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
		if (reason.length > VOTE_REASON_MAX) return refusal('reason_too_long');
		const position: VotePosition = { value: 0 };
		if (round.mode === 'gradient') {
			if (!(GRADIENT_LEVELS as readonly unknown[]).includes(choice)) return refusal('level');
			position.value = choice as number;
		} else if (round.mode === 'consent') {
			if (!(CONSENT_CHOICES as readonly unknown[]).includes(choice)) return refusal('choice');
			if (choice === 'block' && reason === '') return refusal('block_needs_reason');
			position.value = choice as ConsentChoice;
		} else {
			if (!Number.isInteger(choice) || (choice as number) < 0) return refusal('dots');
			if ((choice as number) === 0) continue;
			position.value = choice as number;
			dots += choice as number;
		}
		if (reason !== '') position.reason = reason;
		positions[proposalId] = position;
	}
	if (round.mode === 'dots') {
		const allowed = round.rule.kind === 'dots' ? round.rule.dots : DOTS_MAX;
		if (dots > allowed) return refusal('too_many_dots');
		if (dots === 0) return refusal('no_dots');
	} else if (round.proposalIds.some((id) => !(id in positions))) {
		return refusal('missing_proposal');
	}
	return { ok: true, positions };
}

/** A ballot as the tally sees it: one per voice, already resolved by the server. */
export interface TallyBallot {
	/** The voice: `u:<user>`, `o:<organisation>`, or an offline person or organisation by name. */
	voterKey: string;
	voterName: string;
	organisation: string | null;
	positions: VotePositions;
	/** Who entered it, when not the voter. */
	enteredByName: string | null;
	updatedAt: number;
}

export type TallyRound = Pick<Round, 'mode' | 'proposalIds' | 'rule' | 'anonymous' | 'voice'>;

/**
 * The round's results. An anonymous round's results name nobody: no endorsements, and its notes
 * are sorted so their order says nothing about who wrote them.
 */
export function tallyRound(
	round: TallyRound,
	rawBallots: readonly TallyBallot[],
	override: { reason: string; by: string } | null = null
): RoundResults {
	const ballots = latestPerVoice(rawBallots);
	const perProposal: RoundResults['perProposal'] = {};
	const notes: RoundResults['notes'] = {};
	for (const proposalId of round.proposalIds) {
		const positions = ballots.flatMap((ballot) => {
			const position = ballot.positions[proposalId];
			return position ? [position] : [];
		});
		perProposal[proposalId] = summarise(round, positions);
		notes[proposalId] = positions
			.map((position) => position.reason ?? '')
			.filter((reason) => reason !== '')
			.sort((a, b) => a.localeCompare(b));
	}
	if (round.rule.kind === 'dots') markDotsLeader(perProposal);
	// An override lifts blocks only (consent); it never turns a gradient or dots result around.
	if (override && round.mode === 'consent') {
		for (const summary of Object.values(perProposal)) if (summary.voices > 0) summary.met = 1;
	}
	return {
		voices: ballots.length,
		rule: ruleKey(round.rule),
		reached: Object.values(perProposal).some((summary) => summary.met === 1),
		override: round.mode === 'consent' ? override : null,
		perProposal,
		notes,
		proxies: ballots.filter((ballot) => ballot.enteredByName !== null).length,
		endorsements: round.anonymous ? [] : endorsementsOf(round, ballots)
	};
}

/** Whether a consent result has a block the facilitator could override. */
export function hasBlock(results: RoundResults): boolean {
	return Object.values(results.perProposal).some((summary) => (summary.block ?? 0) > 0);
}

function summarise(round: TallyRound, positions: VotePosition[]): Record<string, number> {
	const voices = positions.length;
	const rule = round.rule;
	if (rule.kind === 'gradient') {
		const levels = positions.map((position) => position.value as number);
		const sum = levels.reduce((total, level) => total + level, 0);
		const mean = voices > 0 ? sum / voices : 0;
		const min = voices > 0 ? Math.min(...levels) : 0;
		const summary: Record<string, number> = { voices, mean: Math.round(mean * 100) / 100, min };
		for (const level of GRADIENT_LEVELS)
			summary[`level${level}`] = levels.filter((value) => value === level).length;
		summary.met = voices > 0 && min >= rule.minLevel && mean >= rule.minMean ? 1 : 0;
		return summary;
	}
	if (rule.kind === 'consent') {
		const count = (choice: ConsentChoice) =>
			positions.filter((position) => position.value === choice).length;
		const block = count('block');
		return {
			voices,
			agree: count('agree'),
			reservations: count('reservations'),
			block,
			met: voices > 0 && block === 0 ? 1 : 0
		};
	}
	const dots = positions.reduce((total, position) => total + (position.value as number), 0);
	return { voices, dots, met: 0 };
}

/** Dots: the proposal with the most dots leads, if it is alone at the top. */
function markDotsLeader(perProposal: RoundResults['perProposal']): void {
	const most = Math.max(0, ...Object.values(perProposal).map((summary) => summary.dots));
	const leaders = Object.values(perProposal).filter((summary) => summary.dots === most);
	if (most > 0 && leaders.length === 1) leaders[0].met = 1;
}

function endorsementsOf(round: TallyRound, ballots: TallyBallot[]): Endorsement[] {
	const endorsements: Endorsement[] = [];
	for (const ballot of ballots) {
		for (const proposalId of round.proposalIds) {
			const position = ballot.positions[proposalId];
			if (!position) continue;
			endorsements.push({
				proposalId,
				organisation:
					round.voice === 'organisation'
						? ballot.voterName
						: (ballot.organisation ?? ballot.voterName),
				voter: round.voice === 'participant' ? ballot.voterName : null,
				position: String(position.value),
				reservation: position.reason ?? null,
				enteredBy: ballot.enteredByName
			});
		}
	}
	return endorsements.sort(
		(a, b) =>
			a.proposalId.localeCompare(b.proposalId) ||
			a.organisation.localeCompare(b.organisation) ||
			(a.voter ?? '').localeCompare(b.voter ?? '')
	);
}

/** One ballot per voice, the latest: a changed vote counts once. */
function latestPerVoice(ballots: readonly TallyBallot[]): TallyBallot[] {
	const latest = new Map<string, TallyBallot>();
	for (const ballot of ballots) {
		const previous = latest.get(ballot.voterKey);
		if (!previous || ballot.updatedAt >= previous.updatedAt) latest.set(ballot.voterKey, ballot);
	}
	return [...latest.values()];
}

function refusal(reason: PositionsRefusal): PositionsCheck {
	return { ok: false, reason };
}
