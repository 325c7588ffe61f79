/**
 * The server's copy of its owned roots for a document stored before owned-roots records existed
 * (owned-roots.ts). Such a document is the only record of most of those roots, and an earlier
 * version could let a forged write reach it (an update that threw half-way skipped the revert).
 * What the database also knows is taken from the database instead, so the forgeries that mattered
 * are repaired on this load: the charter (as the last lock or unlock wrote it), the archived flag
 * (the last archive or unarchive event) and every voting round (recomputed from its ballots).
 */
import type * as Y from 'yjs';
import type { Storage } from '../../src/lib/server/ports/storage';
import { roundView } from '../../src/lib/server/voting';
import { copyOwnedRoots, type OwnedCopy } from './owned-roots';

export async function rebuildOwnedCopy(
	storage: Pick<Storage, 'history' | 'votes'>,
	name: string,
	doc: Y.Doc
): Promise<OwnedCopy> {
	const copy = copyOwnedRoots(doc);
	const [events, versions, rounds] = await Promise.all([
		storage.history.listEvents(name),
		storage.history.listVersions(name),
		storage.votes.listRounds(name)
	]);

	const charterEvents = new Set(
		events
			.filter((event) => event.kind === 'lock' || event.kind === 'unlock')
			.map((event) => event.id)
	);
	const charter = versions.filter((version) => charterEvents.has(version.eventId)).at(-1)?.charter;
	copy.set('charter', jsonEntries(charter && typeof charter === 'object' ? charter : {}));

	const meta = copy.get('meta')!;
	const archive = events
		.filter((event) => event.kind === 'archive' || event.kind === 'unarchive')
		.at(-1);
	const archived = archive?.kind === 'archive';
	if (archive || meta.has('archived')) meta.set('archived', JSON.stringify(archived));
	if (archive || meta.has('archivedAt'))
		meta.set('archivedAt', JSON.stringify(archived ? archive!.at : null));

	const views = new Map<string, string>();
	for (const round of rounds) {
		views.set(
			round.id,
			JSON.stringify(roundView(round, await storage.votes.listBallots(name, round.id)))
		);
	}
	copy.set('rounds', views);
	return copy;
}

function jsonEntries(value: object): Map<string, string> {
	return new Map(Object.entries(value).map(([key, entry]) => [key, JSON.stringify(entry)]));
}
