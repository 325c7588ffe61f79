/**
 * Who votes, for whom, and what of a round the document and the facilitators may see. Votes live in
 * the database only; `roundView` is the one place that decides what of a round reaches the
 * document: nothing of its votes while hidden, and never a voter in an anonymous round.
 */
import type { CoreServices } from './ports/services';
import type { Membership, Organisation, StoredBallot, StoredRound } from './ports/storage';
import type { Round, RoundResults, VoiceMode } from '../shared/consensus';
import type { OnBehalf, RoundProgress } from '../shared/events';
import { normaliseName } from '../shared/schema';
import { tallyRound, type TallyBallot } from '../shared/tally';
import { listDelegates } from './delegates';

/** The voice a ballot counts for. */
export interface Voice {
	key: string;
	voterId: string | null;
	name: string;
	organisationId: string | null;
	organisation: string | null;
}

export type VoiceDecision =
	| { ok: true; voice: Voice; proxy: boolean }
	| { ok: false; error: 'forbidden' | 'not_found' | 'invalid'; reason: string };

export interface VoiceInput {
	voice: VoiceMode;
	sender: Membership;
	senderIsDelegate: boolean;
	onBehalf: OnBehalf | null;
	/** The member a `member` proxy names, as stored (null: none such). */
	target: Membership | null;
	/** The organisation an `organisation` proxy names, or an offline one's name matches. */
	organisation: Organisation | null;
	/** Whether any member of that organisation is connected right now. */
	organisationPresent: boolean;
}

/**
 * The rules, pure. Per participant: each participant votes for themselves; a facilitator, or the
 * delegate of the member's organisation, may enter a member's vote for them. Per organisation: the
 * delegate votes; a facilitator may enter any organisation's, another delegate only an absent
 * one's. Only a facilitator enters the vote of someone without a device (by name).
 */
export function decideVoice(input: VoiceInput): VoiceDecision {
	const { sender, onBehalf } = input;
	const facilitator = sender.role === 'facilitator';
	if (onBehalf === null) return ownVoice(input);
	if (onBehalf.kind === 'member') {
		if (input.voice !== 'participant') return no('invalid', 'voice_mode');
		const target = input.target;
		if (!target || target.role !== 'participant') return no('not_found', 'voter');
		if (target.userId === sender.userId) return ownVoice(input);
		const sameOrganisation =
			target.organisationId !== null && target.organisationId === sender.organisationId;
		if (!facilitator && !(input.senderIsDelegate && sameOrganisation))
			return no('forbidden', 'not_proxy');
		return yes(memberVoice(target), true);
	}
	if (onBehalf.kind === 'organisation') {
		if (input.voice !== 'organisation') return no('invalid', 'voice_mode');
		const organisation = input.organisation;
		if (!organisation) return no('not_found', 'organisation');
		if (organisation.id === sender.organisationId && input.senderIsDelegate) return ownVoice(input);
		if (!facilitator) {
			if (!input.senderIsDelegate) return no('forbidden', 'not_proxy');
			if (input.organisationPresent) return no('forbidden', 'organisation_present');
		}
		return yes(organisationVoice(organisation.id, organisation.name), true);
	}
	if (!facilitator) return no('forbidden', 'not_proxy');
	if (input.voice === 'organisation') {
		const organisation = input.organisation;
		if (organisation) return yes(organisationVoice(organisation.id, organisation.name), true);
		const name = onBehalf.organisation ?? onBehalf.name;
		return yes(
			{
				key: `on:${normaliseName(name)}`,
				voterId: null,
				name,
				organisationId: null,
				organisation: name
			},
			true
		);
	}
	return yes(
		{
			key: `n:${normaliseName(onBehalf.name)}`,
			voterId: null,
			name: onBehalf.name,
			organisationId: null,
			organisation: onBehalf.organisation
		},
		true
	);
}

function ownVoice({ voice, sender, senderIsDelegate }: VoiceInput): VoiceDecision {
	if (voice === 'participant') {
		return sender.role === 'participant'
			? yes(memberVoice(sender), false)
			: no('forbidden', 'not_a_voter');
	}
	if (sender.organisationId === null || sender.organisation === null || !senderIsDelegate) {
		return no('forbidden', 'not_delegate');
	}
	return yes(organisationVoice(sender.organisationId, sender.organisation), false);
}

function memberVoice(member: Membership): Voice {
	return {
		key: `u:${member.userId}`,
		voterId: member.userId,
		name: member.name,
		organisationId: member.organisationId,
		organisation: member.organisation
	};
}

function organisationVoice(id: string, name: string): Voice {
	return { key: `o:${id}`, voterId: null, name, organisationId: id, organisation: name };
}

function yes(voice: Voice, proxy: boolean): VoiceDecision {
	return { ok: true, voice, proxy };
}

function no(error: 'forbidden' | 'not_found' | 'invalid', reason: string): VoiceDecision {
	return { ok: false, error, reason };
}

/** Looks up what `decideVoice` needs (memberships, delegates, who is connected) and decides. */
export async function resolveVoice(
	services: Pick<CoreServices, 'storage'>,
	round: StoredRound,
	sender: Membership,
	onBehalf: OnBehalf | null,
	isConnected: (userId: string) => boolean
): Promise<VoiceDecision> {
	const { workshopId } = sender;
	const delegates = await listDelegates(services, workshopId);
	const senderIsDelegate =
		sender.organisationId !== null &&
		delegates.get(sender.organisationId)?.userId === sender.userId;
	const target =
		onBehalf?.kind === 'member'
			? await services.storage.getMembership(workshopId, onBehalf.userId)
			: null;
	let organisation: Organisation | null = null;
	if (
		onBehalf?.kind === 'organisation' ||
		(onBehalf?.kind === 'offline' && round.voice === 'organisation')
	) {
		const organisations = await services.storage.listOrganisations(workshopId);
		organisation =
			onBehalf.kind === 'organisation'
				? (organisations.find((candidate) => candidate.id === onBehalf.organisationId) ?? null)
				: (organisations.find(
						(candidate) =>
							normaliseName(candidate.name) ===
							normaliseName(onBehalf.organisation ?? onBehalf.name)
					) ?? null);
	}
	let organisationPresent = false;
	if (organisation) {
		const members = await services.storage.listMembers(workshopId);
		organisationPresent = members.some(
			(member) => member.organisationId === organisation.id && isConnected(member.userId)
		);
	}
	return decideVoice({
		voice: round.voice,
		sender,
		senderIsDelegate,
		onBehalf,
		target,
		organisation,
		organisationPresent
	});
}

export function toTallyBallot(ballot: StoredBallot): TallyBallot {
	return {
		voterKey: ballot.voterKey,
		voterName: ballot.voterName,
		organisation: ballot.organisation,
		positions: ballot.positions,
		enteredByName: ballot.enteredByName,
		updatedAt: ballot.updatedAt
	};
}

export function tallyStored(round: StoredRound, ballots: readonly StoredBallot[]): RoundResults {
	const override = round.override
		? { reason: round.override.reason, by: round.override.byName }
		: null;
	return tallyRound(round, ballots.map(toTallyBallot), override);
}

/** Whether the document may show the round's results now: revealed, or live in a named round. */
export function resultsVisible(round: StoredRound): boolean {
	return round.state === 'revealed' || (round.live && !round.anonymous);
}

/** The round as the document holds it: its options and state, results only once visible. */
export function roundView(round: StoredRound, ballots: readonly StoredBallot[]): Round {
	return {
		id: round.id,
		proposalIds: [...round.proposalIds],
		mode: round.mode,
		anonymous: round.anonymous,
		live: round.live,
		voice: round.voice,
		rule: { ...round.rule },
		state: round.state,
		openedAt: round.openedAt,
		closedAt: round.closedAt,
		revealedAt: round.revealedAt,
		results: resultsVisible(round) ? tallyStored(round, ballots) : null
	};
}

/** The voices expected in a round: every participant, or every organisation with a delegate. */
export async function expectedVoices(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	voice: VoiceMode
): Promise<RoundProgress['notVoted']> {
	if (voice === 'participant') {
		return (await services.storage.listMembers(workshopId))
			.filter((member) => member.role === 'participant')
			.map((member) => ({
				key: `u:${member.userId}`,
				name: member.name,
				organisation: member.organisation,
				userId: member.userId
			}));
	}
	return [...(await listDelegates(services, workshopId)).entries()].map(
		([organisationId, delegate]) => ({
			key: `o:${organisationId}`,
			name: delegate.organisation ?? delegate.name,
			organisation: delegate.organisation,
			organisationId,
			delegate: delegate.name
		})
	);
}

/** The facilitators' view of a round: counts, who has not voted, and the tally even while hidden. */
export async function roundProgress(
	services: Pick<CoreServices, 'storage'>,
	round: StoredRound,
	ballots: readonly StoredBallot[]
): Promise<RoundProgress> {
	const voted = new Set(ballots.map((ballot) => ballot.voterKey));
	const expected = await expectedVoices(services, round.workshopId, round.voice);
	return {
		roundId: round.id,
		state: round.state,
		voices: ballots.length,
		expected: expected.length,
		notVoted: expected.filter((entry) => !voted.has(entry.key)),
		tally: tallyStored(round, ballots)
	};
}
