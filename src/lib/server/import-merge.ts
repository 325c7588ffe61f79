/**
 * Importing a workshop file into this server: a new workshop when its id is unknown here, else a
 * merge. The rows (members, organisations, rounds, ballots, scores, placements, contacts, events and
 * their versions) are unioned by their random ids in one transaction (server/storage/sqlite-import.ts);
 * the Yjs state merges as a CRDT through the registry, which reverts whatever it writes into a
 * server-owned root; then the server recomputes those roots from what it now holds — the rounds
 * from the ballots, the proposals by id, the charter and the archive from the merged event log,
 * the revealed scores and ally map from the merged inputs, acceptances checked against the board
 * (import-results.ts) — so a file can't forge a charter. The facilitator's settings (path, step,
 * scoring voice, follow-up period) follow the rule in shared/facilitation-settings.ts: a workshop
 * the import creates takes the file's; a merge takes each one the file changed later than this
 * server did. The workshop's details (title, date, place, language, issue) follow the same rule as
 * a whole, on their `detailsChangedAt` stamp (workshop-details.ts), in the rows' transaction.
 * Importing the same file twice changes nothing.
 */
import * as Y from 'yjs';
import type { CoreServices } from './ports/services';
import type {
	ImportCounts,
	ImportRecords,
	Organisation,
	StoredBallot,
	StoredRound,
	WorkshopEvent
} from './ports/storage';
import { ImportError, type ParsedWorkshopFile } from './import-json';
import { anonymousVoterKey } from './export-json';
import { recomputeResults, writeResults } from './import-results';
import { generateLinks } from './joining';
import { roundView } from './voting';
import { getMeta, migrateDocument, SCHEMA_VERSION } from '../shared/schema';
import { readProposals, readRounds, type Proposal } from '../shared/consensus';
import { buildCharter, findLockable, readCharter, type Charter } from '../shared/charter';
import { isArchived, setArchived } from '../shared/archive';
import {
	readFacilitationSettings,
	settingsToTake,
	writeTakenSettings
} from '../shared/facilitation-settings';

export interface ImportOutcome {
	workshopId: string;
	created: boolean;
	/** Rows added or changed, and whether the document changed: all zero / false for a file already merged. */
	counts: ImportCounts;
	documentChanged: boolean;
}

/**
 * `importer`: the facilitator importing in the app (a facilitator of the workshop when it exists
 * here, its facilitator when the import creates it); null for the operator's command line.
 */
export async function importWorkshop(
	services: Pick<CoreServices, 'storage' | 'registry'>,
	file: ParsedWorkshopFile,
	importer: { userId: string; name: string } | null,
	now = Date.now()
): Promise<ImportOutcome> {
	const { storage, registry } = services;
	const { data } = file;
	const workshopId = data.workshop.id;
	const existing = await storage.getWorkshop(workshopId);
	if (existing && importer) {
		const membership = await storage.getMembership(workshopId, importer.userId);
		if (membership?.role !== 'facilitator') throw new ImportError('forbidden');
	}
	const knownEvents = new Set(
		(await storage.history.listEvents(workshopId)).map((event) => event.uid)
	);
	const records: ImportRecords = {
		workshop: { ...data.workshop, ownerId: importer?.userId ?? null },
		links: generateLinks(),
		importer: importer && {
			workshopId,
			userId: importer.userId,
			role: 'facilitator',
			name: importer.name,
			organisation: null,
			grantedBy: 'creator',
			joinedAt: now
		},
		users: data.members.map((member) => ({ id: member.userId, createdAt: member.joinedAt })),
		organisations: data.organisations,
		members: data.members,
		rounds: data.rounds,
		ballots: await withoutKnownVoices(services, workshopId, data.rounds, data.ballots),
		scores: data.scores,
		placements: data.placements,
		contacts: data.contacts,
		events: data.events,
		versions: data.versions
	};
	const before = await registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc));
	const applied = await registry.applyImportedUpdate(workshopId, file.state);
	if (applied === 'full') throw new ImportError('document_full');
	if (applied === 'malformed') throw new ImportError('bad_state');
	// The rows only once the document took the state: a refused state leaves the workshop as it was.
	const counts = await storage.imports.merge(records);
	for (const named of data.namedVersions) {
		if ((await storage.history.saveNamed({ ...named, workshopId })) !== null) counts.events += 1;
	}
	const rounds = await storage.votes.listRounds(workshopId);
	const views = new Map<string, unknown>();
	for (const round of rounds)
		views.set(round.id, roundView(round, await storage.votes.listBallots(workshopId, round.id)));
	const results = await recomputeResults(services, workshopId, data);
	const events = await storage.history.listEvents(workshopId);
	const versions = new Map(data.versions.map((version) => [version.eventUid, version.state]));
	const organisations = await storage.listOrganisations(workshopId);
	await registry.changeDocument(workshopId, (doc) => {
		if (!existing) writeMeta(doc, workshopId, data.workshop.createdAt, file.schemaVersion);
		mergeProposals(doc, data.proposals);
		const root = doc.getMap('rounds');
		for (const [id, view] of views) setIfChanged(root, id, view);
		writeResults(doc, results, setIfChanged);
		applyEvents(doc, events, knownEvents, versions, organisations);
		const here = readFacilitationSettings(doc);
		writeTakenSettings(doc, settingsToTake(here, file.facilitation, !existing));
	});
	const after = await registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc));
	return { workshopId, created: !existing, counts, documentChanged: !equalBytes(before, after) };
}

/** A new workshop's meta, written by this server (the file's is never taken), then its migrations. */
function writeMeta(doc: Y.Doc, workshopId: string, createdAt: number, schemaVersion: number): void {
	const meta = getMeta(doc);
	if (meta.get('workshopId') === workshopId) return;
	meta.set('workshopId', workshopId);
	meta.set('createdAt', createdAt);
	meta.set('schemaVersion', Math.min(Math.max(schemaVersion, 1), SCHEMA_VERSION));
	migrateDocument(doc);
}

/** Proposals by id: one unknown here is added, a later edit (updatedAt) of a known one replaces it. */
function mergeProposals(doc: Y.Doc, proposals: readonly Proposal[]): void {
	const root = doc.getMap('proposals');
	for (const proposal of proposals) {
		const current = root.get(proposal.id) as Proposal | undefined;
		if (current && typeof current === 'object' && current.updatedAt >= proposal.updatedAt) continue;
		root.set(proposal.id, { ...proposal });
	}
}

/**
 * The charter and the archive follow the merged event log: when its latest lock or unlock (archive
 * or unarchive) is one the file brought, the server writes the state that event left — a lock's
 * charter rebuilt by the lock rule from the proposals and the rounds revealed by then, with who does
 * what, endorsements and step 5 as the event's own copy of the board held them.
 */
function applyEvents(
	doc: Y.Doc,
	events: readonly WorkshopEvent[],
	known: ReadonlySet<string>,
	versions: ReadonlyMap<string, Uint8Array>,
	organisations: readonly Organisation[]
): void {
	const ordered = [...events].sort((a, b) => a.at - b.at || a.id - b.id);
	const lastCharter = ordered
		.filter((event) => event.kind === 'lock' || event.kind === 'unlock')
		.at(-1);
	if (lastCharter && !known.has(lastCharter.uid)) {
		const current = readCharter(doc);
		if (lastCharter.kind === 'lock') {
			const version = ordered.filter((event) => event.kind === 'lock').length;
			const charter = rebuildCharter(
				doc,
				lastCharter,
				version,
				versions.get(lastCharter.uid),
				organisations
			);
			if (charter) {
				const root = doc.getMap('charter');
				for (const [key, value] of Object.entries(charter)) setIfChanged(root, key, value);
			}
		} else if (current?.status === 'locked') {
			const root = doc.getMap('charter');
			root.set('status', 'unlocked');
			root.set('unlock', {
				at: lastCharter.at,
				by: lastCharter.userName,
				reason: lastCharter.reason ?? ''
			});
		}
	}
	const lastArchive = ordered
		.filter((event) => event.kind === 'archive' || event.kind === 'unarchive')
		.at(-1);
	if (lastArchive && !known.has(lastArchive.uid)) {
		const archived = lastArchive.kind === 'archive';
		if (isArchived(doc) !== archived) setArchived(doc, archived, lastArchive.at);
	}
}

function rebuildCharter(
	doc: Y.Doc,
	lock: WorkshopEvent,
	version: number,
	state: Uint8Array | undefined,
	organisations: readonly Organisation[]
): Charter | null {
	const rounds = readRounds(doc).filter(
		(round) => round.revealedAt !== null && round.revealedAt <= lock.at
	);
	const lockable = findLockable(readProposals(doc), rounds);
	if (!lockable.ok) return null;
	// Who does what as the board stood at the lock: the event's copy, else the board now.
	const board = state ? new Y.Doc() : doc;
	if (state) Y.applyUpdate(board, state);
	try {
		return buildCharter(board, {
			...lockable,
			version,
			lockedAt: lock.at,
			lockedBy: lock.userName,
			// The organisations the workshop had then: those created later were not asked.
			organisations: organisations.filter((entry) => entry.createdAt <= lock.at)
		});
	} finally {
		if (board !== doc) board.destroy();
	}
}

/** Writes only what differs, so merging the same file again leaves the document untouched. */
function setIfChanged(root: Y.Map<unknown>, key: string, value: unknown): void {
	if (JSON.stringify(root.get(key)) !== JSON.stringify(value)) root.set(key, value);
}

/**
 * An anonymous round's ballots come with their voice hashed (export-json.ts): a hash of a voice
 * this server already holds is that voice, not a second one.
 */
async function withoutKnownVoices(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	rounds: readonly StoredRound[],
	ballots: readonly StoredBallot[]
): Promise<StoredBallot[]> {
	const hashed = new Set<string>();
	for (const round of rounds) {
		if (!round.anonymous) continue;
		for (const ballot of await services.storage.votes.listBallots(workshopId, round.id)) {
			if (!ballot.voterKey.startsWith('h:'))
				hashed.add(`${round.id}\n${anonymousVoterKey(round.id, ballot.voterKey)}`);
		}
	}
	return ballots.filter((ballot) => !hashed.has(`${ballot.roundId}\n${ballot.voterKey}`));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
