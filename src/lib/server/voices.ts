/**
 * The voice rule, in one place: whose vote or private input (Option 1's scores, the ally map)
 * counts, and who may enter one for whom. One voice per participant: every participant's counts.
 * One voice per organisation: only each organisation's delegate's. A ballot's voice key is
 * `u:<user id>` or `o:<organisation id>` (and `n:`/`on:` and a folded name for someone without a
 * device); the facilitators' progress lists use the same keys.
 */
import type { CoreServices } from './ports/services';
import type { Membership, Organisation, StoredRound } from './ports/storage';
import type { VoiceMode } from '../shared/consensus';
import type { OnBehalf, RoundProgress } from '../shared/events';
import { normaliseName } from '../shared/schema';
import type { VoiceMember } from '../shared/voices';
import { listDelegates } from './delegates';

type VoiceServices = Pick<CoreServices, 'storage'>;

/** The members whose inputs count under `voice`, in the order they joined. */
export async function listVoices(
	services: VoiceServices,
	workshopId: string,
	voice: VoiceMode
): Promise<Membership[]> {
	if (voice === 'organisation') {
		const delegates = await listDelegates(services, workshopId);
		return [...delegates.values()].sort((a, b) => a.joinedAt - b.joinedAt);
	}
	return (await services.storage.listMembers(workshopId)).filter(
		(member) => member.role === 'participant'
	);
}

/** Members a facilitator may enter inputs for: anyone but observers. */
export async function listInputMembers(
	services: VoiceServices,
	workshopId: string
): Promise<Membership[]> {
	return (await services.storage.listMembers(workshopId)).filter(
		(member) => member.role !== 'observer'
	);
}

export function toVoiceMember(member: Membership): VoiceMember {
	return { userId: member.userId, name: member.name, organisation: member.organisation };
}

/** The voices expected in a round, keyed as its ballots are: the members listVoices counts. */
export async function expectedVoices(
	services: VoiceServices,
	workshopId: string,
	voice: VoiceMode
): Promise<RoundProgress['notVoted']> {
	return (await listVoices(services, workshopId, voice)).map((member) => {
		if (voice === 'participant') {
			const { key, name, organisation } = memberVoice(member);
			return { key, name, organisation, userId: member.userId };
		}
		const { key, name, organisation, organisationId } = organisationVoice(
			member.organisationId!,
			member.organisation ?? member.name
		);
		return { key, name, organisation, organisationId: organisationId!, delegate: member.name };
	});
}

export type InputMemberDecision =
	| { ok: true; member: Membership }
	| { ok: false; error: 'forbidden' | 'not_found'; reason: string };

/**
 * Whom a private input (a score, a placement) is for: the sender, or the member a facilitator
 * enters it for (someone without a phone, in the room), never an observer. Whether it then counts
 * is listVoices' call. Stricter than a vote's proxy (decideVoice): inputs have no delegate proxy,
 * because under one voice per organisation only the delegate's own input counts.
 */
export function decideInputMember(
	sender: Membership,
	onBehalfOf: string | null,
	target: Membership | null
): InputMemberDecision {
	if (onBehalfOf === null || onBehalfOf === sender.userId) {
		if (sender.role === 'observer') return { ok: false, error: 'forbidden', reason: 'role' };
		return { ok: true, member: sender };
	}
	if (sender.role !== 'facilitator') return { ok: false, error: 'forbidden', reason: 'on_behalf' };
	if (!target || target.role === 'observer')
		return { ok: false, error: 'not_found', reason: 'member' };
	return { ok: true, member: target };
}

/** Looks up the member `onBehalfOf` names and decides with decideInputMember. */
export async function resolveInputMember(
	services: VoiceServices,
	sender: Membership,
	onBehalfOf: string | null
): Promise<InputMemberDecision> {
	const target =
		onBehalfOf === null || onBehalfOf === sender.userId
			? null
			: await services.storage.getMembership(sender.workshopId, onBehalfOf);
	return decideInputMember(sender, onBehalfOf, target);
}

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
	isConnected: (userId: string) => Promise<boolean>
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
		const ofOrganisation = members.filter((member) => member.organisationId === organisation.id);
		organisationPresent = (
			await Promise.all(ofOrganisation.map((member) => isConnected(member.userId)))
		).includes(true);
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
