/** The typed Socket.IO contract, shared by server and client. Event names are `domain:action`. */
import type { BoardStep, PathOption } from './steps';
import type { ProjectorScreen } from './projector-screen';
import type { Criterion, Decision } from './candidates';
import type { Placement } from './ally-map';
import type { Acceptance } from './acceptances';
import type { MapProgress, ScoringProgress } from './voices';
import type { Countdown } from './countdown';
import type { TaskStatus } from './tasks';
import type { RoundResults, RoundState, VoiceMode, VoteMode, VotePositions } from './consensus';

export type Ack<T> = (result: CommandResult<T>) => void;

/** `reason`: a machine-readable detail (snake_case) the client may show a specific message for. */
export type CommandResult<T> =
	{ ok: true; value: T } | { ok: false; error: CommandError; reason?: string };

export const COMMAND_ERRORS = [
	'invalid',
	'forbidden',
	'not_found',
	'conflict',
	'unavailable'
] as const;
export type CommandError = (typeof COMMAND_ERRORS)[number];

export interface ClientToServerEvents {
	/** Asks for the server's clock, so a client can correct timers for its own offset. */
	'time:sync': (ack: Ack<{ serverTime: number }>) => void;
	/** Facilitator: bring everyone to this step (null: let everyone move freely). */
	'facilitation:step': (
		payload: { step: BoardStep | null },
		ack: Ack<{ step: BoardStep | null }>
	) => void;
	/** Facilitator: what the workshop runs — Option 1, Option 2 or both. */
	'facilitation:path': (payload: { path: PathOption }, ack: Ack<{ path: PathOption }>) => void;
	/** Facilitator: what the projector shows — the group's step, the join screen or the charter. */
	'facilitation:screen': (
		payload: { screen: ProjectorScreen },
		ack: Ack<{ screen: ProjectorScreen }>
	) => void;

	/**
	 * Option 1: the sender's private 1–5 scores of a candidate, some criteria at a time (null clears
	 * one). Stored by the server only. A facilitator may enter them `onBehalfOf` a member.
	 */
	'scores:set': (
		payload: {
			candidateId: string;
			scores: Partial<Record<Criterion, number | null>>;
			onBehalfOf?: string;
			key: string;
		},
		ack: Ack<{
			candidateId: string;
			userId: string;
			enteredBy: string;
			scores: Partial<Record<Criterion, number>>;
		}>
	) => void;
	/** The sender's own scores (a facilitator with `onBehalfOf`: those they entered for that member). */
	'scores:mine': (
		payload: { onBehalfOf?: string },
		ack: Ack<MyInputs<Partial<Record<Criterion, number>>>>
	) => void;
	/** Facilitator: who has scored what so far (counts only). Updates come as `scores:progress`. */
	'scores:status': (payload: Record<string, never>, ack: Ack<ScoringProgress>) => void;
	/** Facilitator: writes the group's scores of one candidate (null: all) into `candidateResults`. */
	'scores:reveal': (
		payload: { candidateId: string | null },
		ack: Ack<{ revealed: string[] }>
	) => void;
	/** Facilitator: one voice per participant or per organisation (its delegate), for scores and the map. */
	'scores:mode': (payload: { voice: VoiceMode }, ack: Ack<{ voice: VoiceMode }>) => void;
	/** Facilitator: join, negotiate or don't join (null clears the decision). */
	'candidate:decide': (
		payload: { candidateId: string; decision: Decision | null },
		ack: Ack<{ candidateId: string; decision: Decision | null }>
	) => void;

	/** The ally map: the sender's private placement of an ally (null removes it). */
	'map:place': (
		payload: { allyId: string; placement: Placement | null; onBehalfOf?: string; key: string },
		ack: Ack<{ allyId: string; userId: string; enteredBy: string; placement: Placement | null }>
	) => void;
	'map:mine': (payload: { onBehalfOf?: string }, ack: Ack<MyInputs<Placement>>) => void;
	/** Facilitator: how many allies each member placed. Updates come as `map:progress`. */
	'map:status': (payload: Record<string, never>, ack: Ack<MapProgress>) => void;
	/** Facilitator: writes the group's placement of one ally (null: all) into `allyMap`. */
	'map:reveal': (payload: { allyId: string | null }, ack: Ack<{ revealed: string[] }>) => void;

	/** Participants and facilitators (never observers): every ally's contact details. */
	'contacts:get': (
		payload: Record<string, never>,
		ack: Ack<{ contacts: Record<string, string> }>
	) => void;
	'contacts:set': (
		payload: { allyId: string; text: string; key: string },
		ack: Ack<{ allyId: string; text: string }>
	) => void;

	/**
	 * The workshop's organisations with their delegates, and the sender as stored now: their role,
	 * organisation and whether they are its delegate.
	 */
	'organisations:list': (payload: Record<string, never>, ack: Ack<OrganisationsView>) => void;
	/** An organisation's delegate accepts the ally's (their organisation's) role in a task. */
	'tasks:accept': (
		payload: { taskId: string; allyId: string; key: string },
		ack: Ack<Acceptance>
	) => void;
	/** Facilitator: start a countdown of `durationMs` now (server time), or stop it (null). */
	'facilitation:countdown': (
		payload: { durationMs: number | null },
		ack: Ack<{ countdown: Countdown | null }>
	) => void;
	/**
	 * Facilitator: lock the agreement as it stands into the charter (see shared/charter.ts for the
	 * rule); locked again once something changed, it makes the next version.
	 */
	'charter:lock': (payload: Record<string, never>, ack: Ack<{ version: number }>) => void;
	/**
	 * An organisation endorses the agreed objective (`endorse`), optionally with a reservation, or
	 * withdraws its endorsement: its delegate, or a facilitator recording it for them in the room.
	 */
	'endorsement:set': (
		payload: {
			organisationId: string;
			endorse: boolean;
			reservation?: string | null;
			key: string;
		},
		ack: Ack<{ organisationId: string; endorsed: boolean }>
	) => void;
	/** Facilitator: mark the charter unlocked, with a reason; it keeps its last version. */
	'charter:unlock': (payload: { reason: string }, ack: Ack<{ version: number }>) => void;
	/** Facilitator: opens (`open`) or closes the follow-up period; opening needs an archived board. */
	'followup:period': (payload: { open: boolean }, ack: Ack<{ open: boolean }>) => void;
	/**
	 * During the follow-up period, an organisation's delegate sets the status of a task its
	 * organisation leads or contributes to (a facilitator: any task, at any time).
	 */
	'followup:task': (
		payload: { taskId: string; status: TaskStatus; key: string },
		ack: Ack<{ taskId: string; status: TaskStatus }>
	) => void;
	/** During the follow-up period, a delegate (or a facilitator) adds an entry to the follow-up log. */
	'followup:log': (
		payload: { date: string; what: string; key: string },
		ack: Ack<{ id: string }>
	) => void;
	/** Facilitator: make the board read-only for everyone (commands keep working). */
	'workshop:archive': (payload: { reason?: string | null }, ack: Ack<{ archived: true }>) => void;
	'workshop:unarchive': (
		payload: { reason?: string | null },
		ack: Ack<{ archived: false }>
	) => void;
	/** Any participant or facilitator: a proposal for the common objective. */
	'proposal:add': (
		payload: ProposalText & { key: string },
		ack: Ack<{ proposalId: string }>
	) => void;
	/** Its author or a facilitator; refused while the proposal is in an open round. */
	'proposal:edit': (
		payload: ProposalText & { proposalId: string },
		ack: Ack<{ proposalId: string }>
	) => void;
	/** Facilitator: merges (or rewords, with one) proposals into the final wording. */
	'proposal:merge': (
		payload: ProposalText & { proposalIds: string[]; key: string },
		ack: Ack<{ proposalId: string }>
	) => void;
	/** Facilitator: opens a voting round (one open round at a time). */
	'round:open': (payload: RoundOptions, ack: Ack<{ roundId: string }>) => void;
	/** Facilitator: open -> closed (its idempotency keys are forgotten). */
	'round:close': (
		payload: { roundId: string },
		ack: Ack<{ roundId: string; state: RoundState }>
	) => void;
	/** Facilitator: closed -> revealed (results written into the document). */
	'round:reveal': (
		payload: { roundId: string },
		ack: Ack<{ roundId: string; state: RoundState }>
	) => void;
	/** Facilitator: overrides a consent round's block, with the reason recorded. */
	'round:override': (
		payload: { roundId: string; reason: string },
		ack: Ack<{ roundId: string }>
	) => void;
	/** Facilitator: the round's progress now (then kept current by `round:progress`). */
	'round:status': (payload: { roundId: string }, ack: Ack<RoundProgress>) => void;
	/** A vote; the latest of a voice counts. `onBehalf`: a proxy, recorded with who entered it. */
	'vote:cast': (
		payload: CastVote & { key: string },
		ack: Ack<{ roundId: string; proxy: boolean }>
	) => void;
	/** Whether and as whom the sender votes in a round, and their ballot so far. */
	'vote:mine': (payload: { roundId: string }, ack: Ack<MyVote>) => void;
}

export interface OrganisationsView {
	organisations: { id: string; name: string; delegate: string | null }[];
	mine: {
		role: 'facilitator' | 'participant' | 'observer';
		organisationId: string | null;
		delegate: boolean;
	};
}

/**
 * A member's own private inputs: item id -> value, and the items someone else (the facilitator)
 * entered for them.
 */
export interface MyInputs<T> {
	userId: string;
	inputs: Record<string, T>;
	enteredByOthers: string[];
}

export interface ServerToClientEvents {
	/** The server is shutting down: reconnect later. */
	'server:shutdown': () => void;
	/** Facilitators only: scoring progress changed. */
	'scores:progress': (progress: ScoringProgress) => void;
	/** Facilitators only: ally map progress changed. */
	'map:progress': (progress: MapProgress) => void;
	/** An ally's contact details changed (no content: those allowed ask with `contacts:get`). */
	'contacts:changed': (payload: { allyId: string }) => void;
	/**
	 * This member's access ended (removed, link revoked: 4403; workshop deleted: 4404), with the
	 * close code of the `/yjs` table; the server disconnects the socket right after.
	 */
	'access:ended': (payload: { code: number; reason: string }) => void;
	/** The workshop was archived (read-only for everyone) or unarchived: switch at once. */
	'workshop:archived': (payload: { archived: boolean; at: number; by: string }) => void;
	/** Facilitators only: a round's progress and hidden tally, after every change. */
	'round:progress': (progress: RoundProgress) => void;
}

export interface ProposalText {
	wording: string;
	rationale: string;
}

export interface RoundOptions {
	proposalIds: string[];
	mode: VoteMode;
	anonymous: boolean;
	/** Results shown while open: named rounds only. */
	live: boolean;
	voice: VoiceMode;
	/** Gradient thresholds (defaults: 2 and 3). */
	minLevel?: number;
	minMean?: number;
	/** Dots per voter (default 3). */
	dots?: number;
}

/** Whose vote a proxy enters: a member, an organisation, or someone without a device (by name). */
export type OnBehalf =
	| { kind: 'member'; userId: string }
	| { kind: 'organisation'; organisationId: string }
	| { kind: 'offline'; name: string; organisation: string | null };

export interface CastVote {
	roundId: string;
	positions: VotePositions;
	onBehalf?: OnBehalf;
}

export interface MyVote {
	/** As whom the sender votes (their name or their organisation's), or null with `reason`. */
	seat: { voice: VoiceMode; name: string } | null;
	reason: 'not_a_voter' | 'not_delegate' | null;
	positions: VotePositions | null;
}

export interface RoundProgress {
	roundId: string;
	state: RoundState;
	/** Ballots counted so far. */
	voices: number;
	/** Voices expected (participants, or organisations with a delegate). */
	expected: number;
	notVoted: {
		key: string;
		name: string;
		organisation: string | null;
		userId?: string;
		organisationId?: string;
		delegate?: string;
	}[];
	/** The tally as it stands (anonymous rounds: no endorsements). */
	tally: RoundResults;
}

export type InterServerEvents = Record<string, never>;

/** Events that take a payload and an acknowledgement: the commands. */
export type CommandEvent = {
	[E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [
		unknown,
		Ack<infer _T>
	]
		? E
		: never;
}[keyof ClientToServerEvents];

export type CommandPayload<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];

export type CommandValue<E extends CommandEvent> =
	Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;
