/**
 * The follow-up period after the forum (src/lib/shared/follow-up.ts). The board is archived, so
 * clients' document writes are dropped: these commands are the only way in, and the server decides
 * — a delegate updates only the tasks where its own organisation leads or contributes.
 */
import { defineCommand, refuse, type CommandContext } from './command';
import { asRecord, isId } from './inputs';
import { isArchived } from '../../shared/archive';
import {
	FOLLOW_UP_KEY,
	readFollowUpPeriod,
	taskOrganisations,
	type FollowUpPeriod
} from '../../shared/follow-up';
import { addFollowUp, FOLLOW_UP_TEXT_FIELDS } from '../../shared/maintenance';
import { isTaskStatus, setTaskStatus } from '../../shared/tasks';
import { isIsoDate } from '../../shared/dates';
import { isDelegate } from '../delegates';
import { setFacilitationSetting } from '../../shared/facilitation-settings';

export const setFollowUpPeriod = defineCommand<'followup:period'>({
	roles: ['facilitator'],
	parse(raw) {
		const open = asRecord(raw)?.open;
		return typeof open === 'boolean' ? { open } : null;
	},
	async run(context, { open }) {
		await context.changeDocument((doc) => {
			if (open && !isArchived(doc)) refuse('conflict', 'not_archived');
			if ((readFollowUpPeriod(doc)?.open ?? false) === open)
				refuse('conflict', open ? 'already_open' : 'not_open');
			const period: FollowUpPeriod = { open, at: Date.now(), by: context.membership.name };
			setFacilitationSetting(doc, FOLLOW_UP_KEY, period, period.at);
		});
		return { open };
	}
});

export const setFollowUpTask = defineCommand<'followup:task'>({
	roles: ['facilitator', 'participant'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || !isId(payload.taskId) || !isTaskStatus(payload.status)) return null;
		return { taskId: payload.taskId, status: payload.status, key: payload.key as string };
	},
	idempotent: { scope: (payload) => `followup-task:${payload.taskId}` },
	async run(context, { taskId, status }) {
		const delegate = await checkDelegate(context);
		await context.changeDocument((doc) => {
			if (!doc.getMap('tasks').has(taskId)) refuse('not_found', 'task');
			if (delegate && !taskOrganisations(doc, taskId).has(delegate))
				refuse('forbidden', 'not_your_task');
			setTaskStatus(doc, taskId, status);
		});
		return { taskId, status };
	}
});

export const addFollowUpEntry = defineCommand<'followup:log'>({
	roles: ['facilitator', 'participant'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || typeof payload.what !== 'string' || typeof payload.date !== 'string')
			return null;
		const what = payload.what.trim();
		if (what === '' || what.length > FOLLOW_UP_TEXT_FIELDS.what.max) return null;
		if (payload.date !== '' && !isIsoDate(payload.date)) return null;
		return { date: payload.date, what, key: payload.key as string };
	},
	idempotent: { scope: () => null },
	async run(context, { date, what }) {
		await checkDelegate(context);
		const who = (context.membership.organisation ?? context.membership.name).slice(
			0,
			FOLLOW_UP_TEXT_FIELDS.who.max
		);
		let id = '';
		await context.changeDocument((doc) => {
			id = addFollowUp(doc, { date, what, who });
		});
		return { id };
	}
});

/**
 * A facilitator may always (null); anyone else only during the period and as their organisation's
 * delegate: resolves that organisation's id.
 */
async function checkDelegate(context: CommandContext): Promise<string | null> {
	if (context.membership.role === 'facilitator') return null;
	const period = await context.readDocument(readFollowUpPeriod);
	if (!period?.open) refuse('conflict', 'follow_up_closed');
	const { membership } = context;
	if (membership.organisationId === null || !(await isDelegate(context.services, membership))) {
		refuse('forbidden', 'not_delegate');
	}
	return membership.organisationId;
}
