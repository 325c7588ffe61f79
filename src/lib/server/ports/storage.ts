import type {
	ConsensusRule,
	RoundState,
	VoiceMode,
	VoteMode,
	VotePositions
} from '../../shared/consensus';

/**
 * The persistence seam, with two engines: SQLite (server/storage/sqlite.ts, the embedded default)
 * and PostgreSQL (server/storage/postgres.ts, chosen by DATABASE_URL). Both hold the same
 * contract (tests/integration/storage-contract.test.ts).
 */
export interface Storage {
	readonly kind: StorageKind;
	/**
	 * Resolves once the engine can serve: the schema migrated, SQLite's writer thread started.
	 * Rejects with why not (the database unreachable, a schema from a newer release).
	 */
	ready(): Promise<void>;
	/** Appends server-encoded updates in one transaction; resolves with their row ids, in order. */
	appendUpdates(rows: UpdateRow[]): Promise<number[]>;
	/** The latest snapshot of a document and the log rows after it, in commit order. */
	loadDocument(doc: string): Promise<StoredDocument>;
	/**
	 * Writes `snapshot` as the document's state, with `owned` (the server's owned-roots record for
	 * that state, server/yjs/owned-roots.ts), and deletes its log rows up to `upto`, atomically.
	 */
	compactDocument(doc: string, snapshot: Uint8Array, upto: number, owned: string): Promise<void>;
	deleteDocument(doc: string): Promise<void>;
	/**
	 * Creates the workshop with, in the same transaction, its links and join code and (when given)
	 * its creator's facilitator membership. Resolves `false`, writing nothing, when the code or a
	 * link token is already taken (the caller draws new ones).
	 */
	createWorkshop(
		workshop: NewWorkshop,
		setup?: { links: WorkshopLinks; creator?: NewMembership }
	): Promise<boolean>;
	getWorkshop(id: string): Promise<Workshop | null>;
	/**
	 * Title, date, place, language and issue; stamps `detailsChangedAt` with `changedAt` when one
	 * of them differs (a save that changes nothing keeps the stamp). Resolves `false` for an
	 * unknown workshop.
	 */
	updateWorkshopDetails(
		id: string,
		details: Pick<Workshop, 'title'> & WorkshopDetails,
		changedAt: number
	): Promise<boolean>;
	/**
	 * Deletes the workshop and, in the same transaction, every row of every table keyed by its id
	 * (a `workshop_id`, `workshop`, `doc` or `document` column): documents, log, snapshots,
	 * memberships, links, organisations, and the tables added later. Members without a device
	 * (guests with no session) that belonged to no other workshop go too.
	 */
	deleteWorkshop(id: string): Promise<void>;
	/** Newest first; only those `ownerId` owns when given. */
	listWorkshops(limit: number, ownerId?: string): Promise<Workshop[]>;
	/** Resolves `false`, writing nothing, when the login is taken. */
	createUser(user: User): Promise<boolean>;
	getUser(id: string): Promise<User | null>;
	/** `login` as stored (normalised by the caller). */
	getUserByLogin(login: string): Promise<User | null>;
	/**
	 * Sets the user's password hash and, in the same transaction, deletes all their sessions but
	 * `keepSessionId` (null: every session).
	 */
	setUserPassword(
		userId: string,
		passwordHash: string,
		keepSessionId: string | null
	): Promise<void>;
	createSession(session: StoredSession): Promise<void>;
	getSession(id: string): Promise<StoredSession | null>;
	touchSession(id: string, lastVerifiedAt: number): Promise<void>;
	deleteSession(id: string): Promise<void>;
	deleteUserSessions(userId: string): Promise<void>;
	/**
	 * Deletes facilitators' sessions last used at or before `lastUsedBefore` or created at or
	 * before `createdBefore`, and guests' device sessions last used at or before
	 * `guestLastUsedBefore` (both engines include the bound).
	 */
	deleteExpiredSessions(
		lastUsedBefore: number,
		createdBefore: number,
		guestLastUsedBefore: number
	): Promise<void>;
	getWorkshopLinks(workshopId: string): Promise<WorkshopLinks | null>;
	/**
	 * Sets the links of a workshop made before links existed; resolves `false`, writing nothing,
	 * on a taken code or token, or when the workshop has links already.
	 */
	setWorkshopLinks(workshopId: string, links: WorkshopLinks): Promise<boolean>;
	/**
	 * Replaces the workshop's links and, in the same transaction, deletes its non-facilitator
	 * memberships granted by any of `endGrants` (a revocation). Resolves the user ids whose memberships ended, or null,
	 * writing nothing, when a new code or token is already taken.
	 */
	replaceWorkshopLinks(
		workshopId: string,
		links: WorkshopLinks,
		endGrants: MembershipGrant[]
	): Promise<string[] | null>;
	findWorkshopByJoinCode(code: string): Promise<{ workshopId: string } | null>;
	/** The workshop and role a participant invite or observer link token grants. */
	findWorkshopByLinkToken(
		token: string
	): Promise<{ workshopId: string; role: 'participant' | 'observer' } | null>;
	getMembership(workshopId: string, userId: string): Promise<Membership | null>;
	/**
	 * Adds the membership or, when the user is already a member, updates name and organisation
	 * (never the role). The organisation is found by its folded name (organisationKey in
	 * src/lib/shared/schema.ts: case, accents, spacing and punctuation aside) or created.
	 */
	upsertMembership(membership: NewMembership): Promise<Membership>;
	/** Changes a member's role, name or organisation (by name, created when new); null when not a member. */
	updateMembership(
		workshopId: string,
		userId: string,
		changes: { role?: Role; name?: string; organisation?: string | null }
	): Promise<Membership | null>;
	/** Resolves `false` when there was no such membership. Removes the user too when a device-less guest left with nothing. */
	deleteMembership(workshopId: string, userId: string): Promise<boolean>;
	/** The workshop's members, in the order they joined. */
	listMembers(workshopId: string): Promise<Membership[]>;
	/** The user's memberships with their workshops, newest workshop first. */
	listMemberships(
		userId: string
	): Promise<(Membership & { workshopTitle: string; workshopDate: string | null })[]>;
	/** By folded name (accents and case aside), the same order on both engines whatever the locale. */
	listOrganisations(workshopId: string): Promise<Organisation[]>;
	/**
	 * Moves every member of `mergedId` to `keptId` and deletes `mergedId`, atomically. Resolves
	 * `false`, writing nothing, unless both are distinct organisations of the workshop.
	 */
	mergeOrganisations(workshopId: string, keptId: string, mergedId: string): Promise<boolean>;
	/** Null: back to the default delegate. Resolves `false` for an unknown organisation. */
	setOrganisationDelegate(
		workshopId: string,
		organisationId: string,
		userId: string | null
	): Promise<boolean>;
	/** Whether a write transaction can be opened right now. */
	checkWritable(): Promise<boolean>;
	readonly commandResults: CommandResultStore;
	/** Option 1's private scores (server/storage/sqlite-scores.ts). */
	readonly scores: ScoreStore;
	/** The ally map's private placements (server/storage/sqlite-scores.ts). */
	readonly placements: PlacementStore;
	/** Allies' contact details, kept out of the document (server/storage/sqlite-contacts.ts). */
	readonly contacts: ContactStore;
	readonly history: HistoryStore;
	readonly votes: VoteStore;
	/** Merging a workshop exported from another server (server/storage/sqlite-import.ts). */
	readonly imports: ImportStore;
	close(): Promise<void>;
}

export type StorageKind = 'sqlite' | 'postgres';

export interface UpdateRow {
	doc: string;
	update: Uint8Array;
	/** What a server write changed in the server-owned roots (server/yjs/owned-roots.ts). */
	owned?: string | null;
}

export interface StoredDocument {
	snapshot: Uint8Array | null;
	/** The owned-roots record stored with the snapshot. */
	snapshotOwned: string | null;
	updates: { id: number; data: Uint8Array; owned: string | null }[];
	/** Bytes held for this document: snapshot plus log. */
	bytes: number;
}

export interface Workshop extends WorkshopDetails {
	id: string;
	title: string;
	createdAt: number;
	/** The facilitator who created it; null for workshops made before accounts existed. */
	ownerId: string | null;
	/**
	 * When the title or a detail was last changed (ms); null when not since it was created, or
	 * not since the stamps began. An import compares it (src/lib/server/workshop-details.ts).
	 */
	detailsChangedAt: number | null;
}

export type WorkshopLanguage = 'fr' | 'en';

/** What the facilitator says about the forum when creating it. */
export interface WorkshopDetails {
	/** The day of the forum, `YYYY-MM-DD`; null when not given. */
	date: string | null;
	place: string;
	/** The language the forum is held in. */
	language: WorkshopLanguage;
	/** The advocacy issue at stake. */
	issue: string;
}

/** A workshop to create: the details default to none (and French), unchanged since (no stamp). */
export type NewWorkshop = Omit<Workshop, keyof WorkshopDetails | 'detailsChangedAt'> &
	Partial<WorkshopDetails>;

/**
 * A facilitator account, or a participant's device (`kind: 'guest'`: no password, a login nobody
 * can type, a device session that ends 90 days after last use).
 */
export interface User {
	id: string;
	/** Absent: 'facilitator'. */
	kind?: UserKind;
	/** Normalised (trimmed, lower case): unique. */
	login: string;
	/** A facilitator's name for others (sign-up asks for it); absent: the login stands in. */
	displayName?: string | null;
	/** Argon2id PHC string. */
	passwordHash: string;
	createdAt: number;
}

/** A session as stored: the secret itself is never stored, only its SHA-256. */
export interface StoredSession {
	id: string;
	userId: string;
	secretHash: Uint8Array;
	createdAt: number;
	lastVerifiedAt: number;
}

export type UserKind = 'facilitator' | 'guest';

export type Role = 'facilitator' | 'participant' | 'observer';

/**
 * How a membership came about: what revoking a link ends. `co-facilitator`: added by a
 * facilitator by login; `added`: a member without a device, entered by a facilitator.
 */
export type MembershipGrant =
	'creator' | 'join-code' | 'invite-link' | 'observer-link' | 'co-facilitator' | 'added';

/** A workshop's ways in: the short code people type, the invite link and the observer link tokens. */
export interface WorkshopLinks {
	joinCode: string;
	inviteToken: string;
	observerToken: string;
}

export interface Organisation {
	id: string;
	workshopId: string;
	name: string;
	createdAt: number;
	/** The delegate the facilitator designated; null: the default (its first member to join). */
	delegateUserId: string | null;
}

export interface NewMembership {
	workshopId: string;
	userId: string;
	role: Role;
	/** The name shown to others. */
	name: string;
	/** Organisation represented, by name: found by its folded name in the workshop or created. */
	organisation: string | null;
	grantedBy: MembershipGrant;
	joinedAt: number;
}

export interface Membership {
	workshopId: string;
	userId: string;
	role: Role;
	name: string;
	organisationId: string | null;
	organisation: string | null;
	grantedBy: MembershipGrant;
	joinedAt: number;
}

/**
 * Results of commands sent with an idempotency key, per (session, key): a retry gets the first
 * result back. `scope` groups keys to forget together (e.g. a voting round's, when it closes).
 */
export interface CommandResultStore {
	get(sessionId: string, key: string): Promise<StoredCommandResult | null>;
	/** Resolves `false`, writing nothing, when the (session, key) pair is already stored. */
	save(result: StoredCommandResult): Promise<boolean>;
	deleteScope(workshopId: string, scope: string): Promise<void>;
}

export interface StoredCommandResult {
	sessionId: string;
	key: string;
	workshopId: string;
	event: string;
	/** SHA-256 (hex) of the payload without its key: the same key with another payload is refused. */
	payloadHash: string;
	/** The acknowledgement sent the first time, as JSON. */
	result: string;
	scope: string | null;
	createdAt: number;
}

/**
 * Each voter's 1–5 score per candidate and criterion; `enteredBy` is who typed it in (the voter, or
 * the facilitator on behalf of a member without a phone).
 */
export interface ScoreStore {
	/** Sets (or, with null, clears) some criteria of one voter's scores of a candidate, atomically. */
	set(entry: {
		workshopId: string;
		candidateId: string;
		userId: string;
		scores: Record<string, number | null>;
		enteredBy: string;
		at: number;
	}): Promise<void>;
	list(workshopId: string): Promise<StoredScore[]>;
	listByUser(workshopId: string, userId: string): Promise<StoredScore[]>;
}

export interface StoredScore {
	candidateId: string;
	userId: string;
	criterion: string;
	score: number;
	enteredBy: string;
	updatedAt: number;
}

/** Each voter's placement of an ally on the influence × interest grid (null clears it). */
export interface PlacementStore {
	set(entry: {
		workshopId: string;
		allyId: string;
		userId: string;
		placement: { influence: number; interest: number } | null;
		enteredBy: string;
		at: number;
	}): Promise<void>;
	list(workshopId: string): Promise<StoredPlacement[]>;
	listByUser(workshopId: string, userId: string): Promise<StoredPlacement[]>;
}

export interface StoredPlacement {
	allyId: string;
	userId: string;
	influence: number;
	interest: number;
	enteredBy: string;
	updatedAt: number;
}

export interface ContactStore {
	/** Sets the ally's contact details; a blank text deletes them. */
	set(contact: {
		workshopId: string;
		allyId: string;
		text: string;
		updatedBy: string;
		updatedAt: number;
	}): Promise<void>;
	list(workshopId: string): Promise<StoredContact[]>;
	/** Stores contacts moved out of an old document, keeping any already stored; all or nothing. */
	importLegacy(workshopId: string, contacts: Map<string, string>, at: number): Promise<void>;
}

export interface StoredContact {
	allyId: string;
	text: string;
	/** Null for contacts moved out of an old document. */
	updatedBy: string | null;
	updatedAt: number;
}

/**
 * The workshop's event log and document versions: every lock, unlock, archive and unarchive, and
 * each step the group was first brought to, with
 * who, when and why, and a full-state copy of the document and the charter at that moment.
 */
export interface HistoryStore {
	/** Writes the event and its version in one transaction. */
	record(entry: NewHistoryEntry): Promise<{ eventId: number; versionId: number }>;
	/** Oldest first. */
	listEvents(workshopId: string): Promise<WorkshopEvent[]>;
	/** Oldest first. */
	listVersions(workshopId: string): Promise<DocVersion[]>;
	getVersion(workshopId: string, id: number): Promise<DocVersion | null>;
	/**
	 * A version a facilitator saved under a name. `uid` given (an import): resolves null, writing
	 * nothing, when that version is already here.
	 */
	saveNamed(entry: Omit<NamedVersion, 'id' | 'uid'> & { uid?: string }): Promise<number | null>;
	/** Oldest first. */
	listNamed(workshopId: string): Promise<NamedVersion[]>;
	getNamed(workshopId: string, id: number): Promise<NamedVersion | null>;
}

/** The board as it stood when a facilitator saved it under a name. */
export interface NamedVersion {
	id: number;
	/** Random and stable across servers (an import recognises it by this). */
	uid: string;
	workshopId: string;
	name: string;
	userId: string;
	userName: string;
	charterVersion: number;
	charter: unknown;
	state: Uint8Array;
	createdAt: number;
}

/** `step`: the facilitator brought the group to a step for the first time (the step is its `reason`). */
export type WorkshopEventKind = 'lock' | 'unlock' | 'archive' | 'unarchive' | 'step';

export interface WorkshopEvent {
	id: number;
	/** Random and stable across servers: what an import recognises the event by. */
	uid: string;
	workshopId: string;
	kind: WorkshopEventKind;
	userId: string;
	/** The member's name at the time. */
	userName: string;
	/** Why (a lock, an unlock, an archive); for a `step` event, the step's id (a BoardStep). */
	reason: string | null;
	at: number;
}

export interface NewHistoryEntry {
	workshopId: string;
	kind: WorkshopEventKind;
	userId: string;
	userName: string;
	reason: string | null;
	at: number;
	/** The charter's `version` at that moment (0 before the first lock). */
	charterVersion: number;
	/** The `charter` root as plain values. */
	charter: unknown;
	/** `Y.encodeStateAsUpdate` of the whole document. */
	state: Uint8Array;
}

export interface DocVersion {
	id: number;
	workshopId: string;
	eventId: number;
	charterVersion: number;
	charter: unknown;
	state: Uint8Array;
	createdAt: number;
}

/** Voting rounds and ballots (the document only gets results, once revealed). */
export interface VoteStore {
	/**
	 * Opens the round; resolves `false`, writing nothing, when the workshop already has an open
	 * round (the database holds one open round per workshop, whichever process asks).
	 */
	createRound(round: NewRound): Promise<boolean>;
	getRound(workshopId: string, roundId: string): Promise<StoredRound | null>;
	/** Oldest first. */
	listRounds(workshopId: string): Promise<StoredRound[]>;
	/**
	 * open -> closed, closed -> revealed, conditionally: resolves `false`, changing nothing, when
	 * the round is not in the state before `to` (already moved, by someone else or earlier).
	 */
	moveRound(
		workshopId: string,
		roundId: string,
		to: 'closed' | 'revealed',
		at: number
	): Promise<boolean>;
	/** Records the facilitator's override of a block; `false` when not closed/revealed or already overridden. */
	overrideRound(
		workshopId: string,
		roundId: string,
		entry: { reason: string; byId: string; byName: string; at: number }
	): Promise<boolean>;
	/** Adds or replaces the voice's ballot; resolves `false`, writing nothing, unless the round is open. */
	castBallot(ballot: StoredBallot): Promise<boolean>;
	/** Oldest change first. */
	listBallots(workshopId: string, roundId: string): Promise<StoredBallot[]>;
	getBallot(workshopId: string, roundId: string, voterKey: string): Promise<StoredBallot | null>;
}

export interface NewRound {
	id: string;
	workshopId: string;
	proposalIds: string[];
	mode: VoteMode;
	rule: ConsensusRule;
	anonymous: boolean;
	live: boolean;
	voice: VoiceMode;
	/** The facilitator's user id. */
	openedBy: string;
	openedAt: number;
}

export interface StoredRound extends NewRound {
	state: RoundState;
	closedAt: number | null;
	revealedAt: number | null;
	override: { reason: string; byId: string; byName: string; at: number } | null;
}

export interface StoredBallot {
	roundId: string;
	workshopId: string;
	/** The voice: `u:<user id>`, `o:<organisation id>`, or `n:`/`on:` and a name (no device). */
	voterKey: string;
	/** The member whose voice it is, when one is (per participant). */
	voterId: string | null;
	/** The member's name, or the organisation's. */
	voterName: string;
	organisationId: string | null;
	organisation: string | null;
	positions: VotePositions;
	/** The user who sent it: the voter, their delegate or a facilitator. */
	enteredBy: string;
	/** Their name when they are not the voter (a proxy); null when the voter cast it. */
	enteredByName: string | null;
	updatedAt: number;
}

/**
 * A workshop's rows from an export file, merged in one transaction: a row already here (by its
 * random id, or its natural key) is kept, or moved on when the file's is newer (a ballot, a score),
 * or further along (a round closed or revealed there); nothing is ever deleted. Merging the same
 * rows again changes nothing.
 */
export interface ImportStore {
	merge(records: ImportRecords): Promise<ImportCounts>;
}

export interface ImportRecords {
	/**
	 * Created when no workshop has this id yet (with `links` and `importer`); else its details
	 * replace this server's only when `detailsChangedAt` is later (src/lib/server/workshop-details.ts).
	 */
	workshop: Workshop;
	links: WorkshopLinks;
	/** The facilitator importing it: a facilitator of a workshop the import creates. */
	importer: NewMembership | null;
	/** Users the members are: created as device-less guests when this server does not know them. */
	users: { id: string; createdAt: number }[];
	organisations: Omit<Organisation, 'workshopId'>[];
	members: Omit<Membership, 'workshopId' | 'organisation'>[];
	rounds: StoredRound[];
	ballots: StoredBallot[];
	scores: StoredScore[];
	placements: StoredPlacement[];
	contacts: StoredContact[];
	events: Omit<WorkshopEvent, 'id' | 'workshopId'>[];
	/** Each event's copy of the document, by the event's uid. */
	versions: {
		eventUid: string;
		charterVersion: number;
		charter: unknown;
		state: Uint8Array;
		createdAt: number;
	}[];
}

/** Rows added or changed, per kind; all zero for a file already merged. */
export type ImportCounts = Record<
	| 'workshop'
	| 'members'
	| 'organisations'
	| 'rounds'
	| 'ballots'
	| 'scores'
	| 'placements'
	| 'contacts'
	| 'events',
	number
>;
