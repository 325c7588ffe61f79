/**
 * The tables' rows as both engines return them, and their mapping to the stored model: one copy
 * for SQLite and PostgreSQL (the columns are the same; migrations.ts keeps them so). Where the
 * engines' drivers differ (a SQLite boolean is 0 or 1), the mapper takes either.
 */
import type { RoundState } from '../../src/lib/shared/consensus';
import type {
	DocVersion,
	Membership,
	MembershipGrant,
	NamedVersion,
	Role,
	StoredBallot,
	StoredCommandResult,
	StoredPlacement,
	StoredRound,
	StoredScore,
	User,
	UserKind,
	Workshop,
	WorkshopEvent,
	WorkshopLanguage,
	WorkshopLinks
} from '../../src/lib/server/ports/storage';

export interface WorkshopRow {
	id: string;
	title: string;
	created_at: number;
	owner_id: string | null;
	date: string | null;
	place: string;
	language: WorkshopLanguage;
	issue: string;
	details_changed_at: number | null;
}

export const WORKSHOP_SELECT =
	'SELECT id, title, created_at, owner_id, date, place, language, issue, details_changed_at FROM workshops';

export function toWorkshop(row: WorkshopRow): Workshop {
	return {
		id: row.id,
		title: row.title,
		createdAt: row.created_at,
		ownerId: row.owner_id,
		date: row.date,
		place: row.place,
		language: row.language,
		issue: row.issue,
		detailsChangedAt: row.details_changed_at
	};
}

export interface UserRow {
	id: string;
	login: string;
	password_hash: string;
	created_at: number;
	kind: UserKind;
	display_name: string | null;
}

export const USER_SELECT =
	'SELECT id, login, password_hash, created_at, kind, display_name FROM users';

export function toUser(row: UserRow): User {
	return {
		id: row.id,
		kind: row.kind,
		login: row.login,
		displayName: row.display_name ?? null,
		passwordHash: row.password_hash,
		createdAt: row.created_at
	};
}

export interface SessionRow {
	id: string;
	user_id: string;
	secret_hash: Buffer;
	created_at: number;
	last_verified_at: number;
}

export interface LinksRow {
	join_code: string;
	invite_token: string;
	observer_token: string;
}

export function toLinks(row: LinksRow): WorkshopLinks {
	return {
		joinCode: row.join_code,
		inviteToken: row.invite_token,
		observerToken: row.observer_token
	};
}

export interface OrganisationRow {
	id: string;
	workshop_id: string;
	name: string;
	created_at: number;
	delegate_user_id: string | null;
}

export interface MembershipRow {
	workshop_id: string;
	user_id: string;
	role: Role;
	name: string;
	organisation_id: string | null;
	organisation_name: string | null;
	granted_by: MembershipGrant;
	joined_at: number;
}

export const MEMBERSHIP_SELECT = `SELECT m.*, o.name AS organisation_name FROM memberships m
	LEFT JOIN organisations o ON o.id = m.organisation_id`;

export function toMembership(row: MembershipRow): Membership {
	return {
		workshopId: row.workshop_id,
		userId: row.user_id,
		role: row.role,
		name: row.name,
		organisationId: row.organisation_id,
		organisation: row.organisation_name,
		grantedBy: row.granted_by,
		joinedAt: row.joined_at
	};
}

export interface RoundRow {
	id: string;
	workshop_id: string;
	proposal_ids: string;
	mode: StoredRound['mode'];
	rule: string;
	anonymous: number | boolean;
	live: number | boolean;
	voice: StoredRound['voice'];
	state: RoundState;
	opened_by: string;
	opened_at: number;
	closed_at: number | null;
	revealed_at: number | null;
	override_reason: string | null;
	override_by: string | null;
	override_by_name: string | null;
	override_at: number | null;
}

export function roundFromRow(row: RoundRow): StoredRound {
	return {
		id: row.id,
		workshopId: row.workshop_id,
		proposalIds: JSON.parse(row.proposal_ids),
		mode: row.mode,
		rule: JSON.parse(row.rule),
		anonymous: Boolean(row.anonymous),
		live: Boolean(row.live),
		voice: row.voice,
		state: row.state,
		openedBy: row.opened_by,
		openedAt: row.opened_at,
		closedAt: row.closed_at,
		revealedAt: row.revealed_at,
		override:
			row.override_reason === null
				? null
				: {
						reason: row.override_reason,
						byId: row.override_by ?? '',
						byName: row.override_by_name ?? '',
						at: row.override_at ?? 0
					}
	};
}

export interface BallotRow {
	round_id: string;
	workshop_id: string;
	voter_key: string;
	voter_id: string | null;
	voter_name: string;
	organisation_id: string | null;
	organisation: string | null;
	positions: string;
	entered_by: string;
	entered_by_name: string | null;
	updated_at: number;
}

export function ballotFromRow(row: BallotRow): StoredBallot {
	return {
		roundId: row.round_id,
		workshopId: row.workshop_id,
		voterKey: row.voter_key,
		voterId: row.voter_id,
		voterName: row.voter_name,
		organisationId: row.organisation_id,
		organisation: row.organisation,
		positions: JSON.parse(row.positions),
		enteredBy: row.entered_by,
		enteredByName: row.entered_by_name,
		updatedAt: row.updated_at
	};
}

export interface ScoreRow {
	candidate_id: string;
	user_id: string;
	criterion: string;
	score: number;
	entered_by: string;
	updated_at: number;
}

export function scoreFromRow(row: ScoreRow): StoredScore {
	return {
		candidateId: row.candidate_id,
		userId: row.user_id,
		criterion: row.criterion,
		score: row.score,
		enteredBy: row.entered_by,
		updatedAt: row.updated_at
	};
}

export interface PlacementRow {
	ally_id: string;
	user_id: string;
	influence: number;
	interest: number;
	entered_by: string;
	updated_at: number;
}

export function placementFromRow(row: PlacementRow): StoredPlacement {
	return {
		allyId: row.ally_id,
		userId: row.user_id,
		influence: row.influence,
		interest: row.interest,
		enteredBy: row.entered_by,
		updatedAt: row.updated_at
	};
}

export interface EventRow {
	id: number;
	uid: string;
	workshop_id: string;
	kind: WorkshopEvent['kind'];
	user_id: string;
	user_name: string;
	reason: string | null;
	at: number;
}

export function toEvent(row: EventRow): WorkshopEvent {
	return {
		id: row.id,
		uid: row.uid,
		workshopId: row.workshop_id,
		kind: row.kind,
		userId: row.user_id,
		userName: row.user_name,
		reason: row.reason,
		at: row.at
	};
}

export interface NamedRow {
	id: number;
	uid: string;
	workshop_id: string;
	name: string;
	user_id: string;
	user_name: string;
	charter_version: number;
	charter: string;
	state: Buffer;
	created_at: number;
}

export function toNamed(row: NamedRow): NamedVersion {
	return {
		id: row.id,
		uid: row.uid,
		workshopId: row.workshop_id,
		name: row.name,
		userId: row.user_id,
		userName: row.user_name,
		charterVersion: row.charter_version,
		charter: JSON.parse(row.charter),
		state: new Uint8Array(row.state),
		createdAt: row.created_at
	};
}

export interface VersionRow {
	id: number;
	workshop_id: string;
	event_id: number;
	charter_version: number;
	charter: string;
	state: Buffer;
	created_at: number;
}

export function toVersion(row: VersionRow): DocVersion {
	return {
		id: row.id,
		workshopId: row.workshop_id,
		eventId: row.event_id,
		charterVersion: row.charter_version,
		charter: JSON.parse(row.charter),
		state: new Uint8Array(row.state),
		createdAt: row.created_at
	};
}

export interface CommandResultRow {
	session_id: string;
	key: string;
	workshop_id: string;
	event: string;
	payload_hash: string;
	result: string;
	scope: string | null;
	created_at: number;
}

export function commandResultFromRow(row: CommandResultRow): StoredCommandResult {
	return {
		sessionId: row.session_id,
		key: row.key,
		workshopId: row.workshop_id,
		event: row.event,
		payloadHash: row.payload_hash,
		result: row.result,
		scope: row.scope,
		createdAt: row.created_at
	};
}
