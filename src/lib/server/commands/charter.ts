/**
 * The lock: the agreement as it stands (objective, endorsements, who does what, step 5, Option 1's
 * decisions) copied into the server-owned charter, locked again as the forum progresses; the unlock.
 */
import { defineCommand, refuse } from './command';
import { recordHistory, snapshotOf, type DocSnapshot } from './history';
import { readProposals, readRounds } from '../../shared/consensus';
import {
	buildCharter,
	findLockable,
	parseReason,
	readCharter,
	sameAgreement,
	writeCharter
} from '../../shared/charter';

/** Takes no options: the rule in `findLockable` decides what is locked. */
function parseEmpty(payload: unknown): Record<string, never> | null {
	return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? {} : null;
}

export const lockCharter = defineCommand<'charter:lock'>({
	roles: ['facilitator'],
	parse: parseEmpty,
	async run(context) {
		const at = Date.now();
		// The names the charter gives the organisations that have not endorsed (read before the write).
		const organisations = (
			await context.services.storage.listOrganisations(context.workshopId)
		).map(({ id, name }) => ({ id, name }));
		// Filled inside the transaction (a closure TypeScript cannot follow).
		const outcome = {} as { version: number; snapshot: DocSnapshot };
		// Decided and written in one server transaction; refusals throw before any write.
		await context.changeDocument((doc) => {
			const current = readCharter(doc);
			const lockable = findLockable(readProposals(doc), readRounds(doc));
			if (!lockable.ok) refuse('conflict', lockable.reason);
			const version = (current?.version ?? 0) + 1;
			const charter = buildCharter(doc, {
				...lockable,
				version,
				lockedAt: at,
				lockedBy: context.membership.name,
				organisations
			});
			// Locked again as the forum progresses: a new version only when it says something new
			// (two facilitators locking at once: commands run one at a time, the second finds it so).
			if (current?.status === 'locked' && sameAgreement(current, charter))
				refuse('conflict', 'unchanged');
			writeCharter(doc, charter);
			// The moment the room sees what it agreed: the charter goes up on the projector.
			doc.getMap('facilitation').set('screen', 'charter');
			outcome.version = version;
			outcome.snapshot = snapshotOf(doc);
		});
		await recordHistory(context, 'lock', at, null, outcome.snapshot);
		return { version: outcome.version };
	}
});

export const unlockCharter = defineCommand<'charter:unlock'>({
	roles: ['facilitator'],
	parse(payload) {
		if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
		const reason = (payload as { reason?: unknown }).reason;
		return { reason: typeof reason === 'string' ? reason : '' };
	},
	async run(context, payload) {
		const reason = parseReason(payload.reason);
		if (reason === null) refuse('invalid', 'reason_required');
		const at = Date.now();
		// Filled inside the transaction (a closure TypeScript cannot follow).
		const outcome = {} as { version: number; snapshot: DocSnapshot };
		await context.changeDocument((doc) => {
			const current = readCharter(doc);
			if (current?.status !== 'locked') refuse('conflict', 'not_locked');
			// The last version stays readable, marked unlocked, until a new lock replaces it.
			const charter = doc.getMap('charter');
			charter.set('status', 'unlocked');
			charter.set('unlock', { at, by: context.membership.name, reason });
			outcome.version = current.version;
			outcome.snapshot = snapshotOf(doc);
		});
		await recordHistory(context, 'unlock', at, reason, outcome.snapshot);
		return { version: outcome.version };
	}
});
