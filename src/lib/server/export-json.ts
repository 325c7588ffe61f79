/**
 * The complete workshop as one JSON file, for a backup or to bring a venue laptop's workshop into
 * the central server (src/lib/server/import-json.ts reads it back): metadata, organisations and
 * members, proposals, rounds and — in a facilitator's export — ballots (an anonymous round's with
 * no voter named), scores, placements and contact details; what was revealed, the event log, the
 * versions, the document's Yjs state; a format version and a SHA-256 checksum of `data`.
 * Private data follows the app's rules: a member's (observer's, participant's) export has no
 * ballots, no individual scores or placements and no contact details.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { CoreServices } from './ports/services';
import type {
	Membership,
	Organisation,
	StoredBallot,
	StoredContact,
	StoredPlacement,
	StoredRound,
	StoredScore,
	Workshop,
	WorkshopEventKind
} from './ports/storage';
import { readProposals, type Proposal } from '../shared/consensus';

export const EXPORT_FORMAT = 'coalition-board/workshop';
export const EXPORT_FORMAT_VERSION = 1;

export type ExportAudience = 'facilitator' | 'member';

export interface WorkshopFile {
	format: typeof EXPORT_FORMAT;
	formatVersion: number;
	exportedAt: number;
	audience: ExportAudience;
	/** `sha256:` and the hex SHA-256 of `JSON.stringify(data)`. */
	checksum: string;
	data: WorkshopData;
}

export interface WorkshopData {
	/**
	 * With `detailsChangedAt`, when its title or details were last changed (null: not since it was
	 * created); absent in older files, which import-json.ts reads as null, unknown.
	 */
	workshop: Workshop;
	organisations: Omit<Organisation, 'workshopId'>[];
	members: Omit<Membership, 'workshopId'>[];
	proposals: Proposal[];
	rounds: StoredRound[];
	/** Facilitators' exports only. */
	ballots: StoredBallot[];
	scores: StoredScore[];
	placements: StoredPlacement[];
	contacts: StoredContact[];
	/** What the document shows of the scores and the ally map once revealed (aggregates only). */
	revealed: { candidateResults: Record<string, unknown>; allyMap: Record<string, unknown> };
	/** Delegates' acceptances of their organisation's roles (the `acceptances` root). */
	acceptances: Record<string, unknown>;
	/** Organisations' endorsements of the objective (the `endorsements` root); absent in older files. */
	endorsements?: Record<string, unknown>;
	events: {
		uid: string;
		kind: WorkshopEventKind;
		userId: string;
		userName: string;
		reason: string | null;
		at: number;
	}[];
	versions: {
		eventUid: string;
		charterVersion: number;
		charter: unknown;
		state: string;
		createdAt: number;
	}[];
	/** Versions facilitators saved under a name. */
	namedVersions: {
		uid: string;
		name: string;
		userId: string;
		userName: string;
		charterVersion: number;
		charter: unknown;
		state: string;
		createdAt: number;
	}[];
	/** The charter as the document holds it (for reading; an import recomputes its own). */
	charter: Record<string, unknown>;
	/** `Y.encodeStateAsUpdate` (V1) of the document, base64. */
	state: string;
}

export async function buildWorkshopFile(
	services: Pick<CoreServices, 'storage' | 'registry'>,
	workshopId: string,
	audience: ExportAudience,
	now = Date.now()
): Promise<WorkshopFile | null> {
	const { storage } = services;
	const workshop = await storage.getWorkshop(workshopId);
	if (!workshop) return null;
	const document = await services.registry.readDocument(workshopId, (doc) => ({
		state: Y.encodeStateAsUpdate(doc),
		proposals: readProposals(doc),
		candidateResults: doc.getMap('candidateResults').toJSON(),
		allyMap: doc.getMap('allyMap').toJSON(),
		acceptances: doc.getMap('acceptances').toJSON(),
		endorsements: doc.getMap('endorsements').toJSON(),
		charter: doc.getMap('charter').toJSON()
	}));
	const facilitator = audience === 'facilitator';
	const rounds = await storage.votes.listRounds(workshopId);
	const ballots: StoredBallot[] = [];
	if (facilitator) {
		for (const round of rounds) {
			const stored = await storage.votes.listBallots(workshopId, round.id);
			ballots.push(
				...(round.anonymous ? stored.map((ballot) => anonymise(round, ballot)) : stored)
			);
		}
	}
	const events = await storage.history.listEvents(workshopId);
	const uids = new Map(events.map((event) => [event.id, event.uid]));
	const versions = await storage.history.listVersions(workshopId);
	const data: WorkshopData = {
		workshop,
		organisations: (await storage.listOrganisations(workshopId)).map(
			({ workshopId: _w, ...organisation }) => organisation
		),
		members: (await storage.listMembers(workshopId)).map(({ workshopId: _w, ...member }) => member),
		proposals: document.proposals,
		rounds,
		ballots,
		scores: facilitator ? await storage.scores.list(workshopId) : [],
		placements: facilitator ? await storage.placements.list(workshopId) : [],
		contacts: facilitator ? await storage.contacts.list(workshopId) : [],
		revealed: { candidateResults: document.candidateResults, allyMap: document.allyMap },
		acceptances: document.acceptances,
		endorsements: document.endorsements,
		events: events.map(({ uid, kind, userId, userName, reason, at }) => ({
			uid,
			kind,
			userId,
			userName,
			reason,
			at
		})),
		versions: versions.map((version) => ({
			eventUid: uids.get(version.eventId) ?? '',
			charterVersion: version.charterVersion,
			charter: version.charter,
			state: Buffer.from(version.state).toString('base64'),
			createdAt: version.createdAt
		})),
		namedVersions: (await storage.history.listNamed(workshopId)).map((named) => ({
			uid: named.uid,
			name: named.name,
			userId: named.userId,
			userName: named.userName,
			charterVersion: named.charterVersion,
			charter: named.charter,
			state: Buffer.from(named.state).toString('base64'),
			createdAt: named.createdAt
		})),
		charter: document.charter,
		state: Buffer.from(document.state).toString('base64')
	};
	return {
		format: EXPORT_FORMAT,
		formatVersion: EXPORT_FORMAT_VERSION,
		exportedAt: now,
		audience,
		checksum: checksumOf(data),
		data
	};
}

/** The checksum of `data` as the file states it. */
export function checksumOf(data: unknown): string {
	return `sha256:${createHash('sha256').update(JSON.stringify(data)).digest('hex')}`;
}

/**
 * An anonymous round's ballot with nobody named: its voice becomes a hash (stable for the same
 * voice in the same round, so merging two copies still counts each voice once), its positions stay
 * so the result can be tallied again, its proxy only as a flag.
 */
function anonymise(round: StoredRound, ballot: StoredBallot): StoredBallot {
	return {
		roundId: ballot.roundId,
		workshopId: ballot.workshopId,
		// A ballot imported already anonymised keeps its hash: hashing it again would make it a new voice.
		voterKey: ballot.voterKey.startsWith('h:')
			? ballot.voterKey
			: anonymousVoterKey(round.id, ballot.voterKey),
		voterId: null,
		voterName: '',
		organisationId: null,
		organisation: null,
		positions: ballot.positions,
		enteredBy: '',
		enteredByName: ballot.enteredByName === null ? null : '',
		updatedAt: ballot.updatedAt
	};
}

/** The voice of an anonymous round's ballot in an export: `h:` and a hash of the round and the voice. */
export function anonymousVoterKey(roundId: string, voterKey: string): string {
	return `h:${createHash('sha256').update(`${roundId}\n${voterKey}`).digest('hex').slice(0, 32)}`;
}

/** A file name for the download: the title's letters and digits, and the day. */
export function exportFileName(
	workshop: Pick<Workshop, 'id' | 'title'>,
	extension: string,
	now = Date.now()
): string {
	const slug = workshop.title
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase()
		.slice(0, 60);
	return `${slug || workshop.id}-${new Date(now).toISOString().slice(0, 10)}.${extension}`;
}
