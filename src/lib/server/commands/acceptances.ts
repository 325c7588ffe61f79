/**
 * Step 4's acceptances: an organisation's delegate accepts, from their phone, the roles given to
 * the allies that stand for their organisation. Only that delegate may; the server writes the
 * acceptance into the server-owned `acceptances` root.
 */
import { defineCommand, refuse } from './command';
import { asRecord, isId } from './inputs';
import {
	acceptanceKey,
	readAllyOrganisation,
	readAssignedRole,
	type Acceptance
} from '../../shared/acceptances';
import { isDelegate, listDelegates } from '../delegates';

export const listOrganisations = defineCommand<'organisations:list'>({
	roles: ['facilitator', 'participant', 'observer'],
	parse: (raw) => (asRecord(raw) ? {} : null),
	async run(context) {
		const { storage } = context.services;
		const [organisations, delegates] = await Promise.all([
			storage.listOrganisations(context.workshopId),
			listDelegates(context.services, context.workshopId)
		]);
		return {
			organisations: organisations.map((organisation) => ({
				id: organisation.id,
				name: organisation.name,
				delegate: delegates.get(organisation.id)?.name ?? null
			})),
			mine: {
				role: context.membership.role,
				organisationId: context.membership.organisationId,
				delegate: await isDelegate(context.services, context.membership)
			}
		};
	}
});

export const acceptAssignment = defineCommand<'tasks:accept'>({
	roles: ['facilitator', 'participant'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || !isId(payload.taskId) || !isId(payload.allyId)) return null;
		return { taskId: payload.taskId, allyId: payload.allyId, key: payload.key as string };
	},
	idempotent: { scope: (payload) => `task:${payload.taskId}` },
	async run(context, { taskId, allyId }) {
		const { organisationId, role } = await context.services.registry.readDocument(
			context.workshopId,
			(doc) => ({
				organisationId: readAllyOrganisation(doc, allyId),
				role: readAssignedRole(doc, taskId, allyId)
			})
		);
		if (role === null) refuse('not_found', 'assignment');
		if (organisationId === null) refuse('conflict', 'no_organisation');
		const member = context.membership;
		if (member.organisationId !== organisationId || !(await isDelegate(context.services, member))) {
			refuse('forbidden', 'not_delegate');
		}
		const acceptance: Acceptance = {
			taskId,
			allyId,
			organisationId,
			by: member.name,
			byUserId: member.userId,
			at: Date.now(),
			role
		};
		await context.changeDocument((doc) =>
			doc.getMap('acceptances').set(acceptanceKey(taskId, allyId), acceptance)
		);
		return acceptance;
	}
});
