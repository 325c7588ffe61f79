/**
 * The workshop's history for its timeline: when it was created, each step the group was first
 * brought to, each round opened, closed and revealed, each lock, unlock, archive and unarchive (with
 * the reason and the version of the board that event saved), each version a facilitator saved under
 * a name; and one saved version read back as a record, compared with now.
 */
import * as Y from 'yjs';
import type { CoreServices } from './ports/services';
import type { VoteMode } from '../shared/consensus';
import { readRecord, type WorkshopRecord } from '../shared/record';
import { compareRecords, type RecordDiff } from '../shared/record-diff';
import { isBoardStep, type BoardStep } from '../shared/steps';

export type TimelineEntry =
	| { kind: 'created'; at: number }
	| { kind: 'round_opened' | 'round_closed' | 'round_revealed'; at: number; mode: VoteMode }
	| {
			kind: 'lock' | 'unlock' | 'archive' | 'unarchive';
			at: number;
			by: string;
			reason: string | null;
			versionId: number | null;
	  }
	| { kind: 'step'; at: number; by: string; step: BoardStep; versionId: number | null }
	| { kind: 'version'; at: number; by: string; name: string; namedId: number };

export const VERSION_NAME_MAX = 100;

export async function loadTimeline(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	createdAt: number
): Promise<TimelineEntry[]> {
	const { storage } = services;
	const entries: TimelineEntry[] = [{ kind: 'created', at: createdAt }];
	for (const round of await storage.votes.listRounds(workshopId)) {
		entries.push({ kind: 'round_opened', at: round.openedAt, mode: round.mode });
		if (round.closedAt !== null)
			entries.push({ kind: 'round_closed', at: round.closedAt, mode: round.mode });
		if (round.revealedAt !== null)
			entries.push({ kind: 'round_revealed', at: round.revealedAt, mode: round.mode });
	}
	const versions = new Map(
		(await storage.history.listVersions(workshopId)).map((version) => [version.eventId, version.id])
	);
	const reached = new Set<string>();
	const events = [...(await storage.history.listEvents(workshopId))].sort((a, b) => a.at - b.at);
	for (const event of events) {
		const versionId = versions.get(event.id) ?? null;
		if (event.kind === 'step') {
			// Two copies merged may each have reached a step: the first time is the one shown.
			if (!isBoardStep(event.reason) || reached.has(event.reason)) continue;
			reached.add(event.reason);
			entries.push({
				kind: 'step',
				at: event.at,
				by: event.userName,
				step: event.reason,
				versionId
			});
			continue;
		}
		entries.push({
			kind: event.kind,
			at: event.at,
			by: event.userName,
			reason: event.reason,
			versionId
		});
	}
	for (const named of await storage.history.listNamed(workshopId)) {
		entries.push({
			kind: 'version',
			at: named.createdAt,
			by: named.userName,
			name: named.name,
			namedId: named.id
		});
	}
	return entries.sort((a, b) => a.at - b.at);
}

/** A facilitator saves the board as it stands now under a name (null: the name is empty or too long). */
export async function saveNamedVersion(
	services: Pick<CoreServices, 'storage' | 'registry'>,
	workshopId: string,
	by: { userId: string; name: string },
	rawName: string,
	now = Date.now()
): Promise<number | null> {
	const name = rawName.trim().replace(/\s+/g, ' ');
	if (name.length === 0 || name.length > VERSION_NAME_MAX) return null;
	const snapshot = await services.registry.readDocument(workshopId, (doc) => {
		const charter = doc.getMap('charter').toJSON();
		return {
			state: Y.encodeStateAsUpdate(doc),
			charter,
			charterVersion: typeof charter.version === 'number' ? charter.version : 0
		};
	});
	return services.storage.history.saveNamed({
		workshopId,
		name,
		userId: by.userId,
		userName: by.name,
		...snapshot,
		createdAt: now
	});
}

/** A saved version as a record, and what changed since (null: no such version of this workshop). */
export async function loadVersion(
	services: Pick<CoreServices, 'storage' | 'registry'>,
	workshopId: string,
	ref: { kind: 'event' | 'named'; id: number }
): Promise<{
	createdAt: number;
	name: string | null;
	record: WorkshopRecord;
	diff: RecordDiff;
} | null> {
	const { history } = services.storage;
	const version =
		ref.kind === 'event'
			? await history.getVersion(workshopId, ref.id)
			: await history.getNamed(workshopId, ref.id);
	if (!version) return null;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, version.state);
		const then = readRecord(doc);
		const now = await services.registry.readDocument(workshopId, readRecord);
		const name = 'name' in version ? version.name : null;
		return { createdAt: version.createdAt, name, record: then, diff: compareRecords(then, now) };
	} finally {
		doc.destroy();
	}
}
