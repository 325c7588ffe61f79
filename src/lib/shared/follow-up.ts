/**
 * The follow-up period after the forum: with the board archived (read-only), the facilitator opens
 * it and each organisation's delegate updates, through the server's commands only, the status of
 * the tasks where its organisation leads or contributes, and adds entries to the follow-up log.
 * Kept in the server-owned `facilitation` root (`followUp` key).
 */
import * as Y from 'yjs';
import { readAllyOrganisation } from './acceptances';

export const FOLLOW_UP_KEY = 'followUp';

export interface FollowUpPeriod {
	open: boolean;
	/** When it was last opened or closed, and by whom (the facilitator's name). */
	at: number;
	by: string;
}

export function readFollowUpPeriod(doc: Y.Doc): FollowUpPeriod | null {
	const value = doc.getMap('facilitation').get(FOLLOW_UP_KEY) as
		Partial<FollowUpPeriod> | undefined;
	if (!value || typeof value !== 'object' || typeof value.open !== 'boolean') return null;
	return {
		open: value.open,
		at: typeof value.at === 'number' ? value.at : 0,
		by: typeof value.by === 'string' ? value.by : ''
	};
}

/** The organisations whose allies lead or contribute to the task: those who may update it. */
export function taskOrganisations(doc: Y.Doc, taskId: string): Set<string> {
	const organisations = new Set<string>();
	const task = doc.getMap('tasks').get(taskId);
	const roles = task instanceof Y.Map ? task.get('roles') : null;
	if (!(roles instanceof Y.Map)) return organisations;
	for (const [allyId, role] of roles) {
		if (role !== 'lead' && role !== 'contributes') continue;
		const organisation = readAllyOrganisation(doc, allyId);
		if (organisation) organisations.add(organisation);
	}
	return organisations;
}
