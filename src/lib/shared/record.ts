/**
 * The workshop's record as plain values, read from its document: what the summary page shows and
 * the CSV and Markdown exports write — the charter, Option 1's decisions, the allies with their
 * study and where they stand, who does what (with each role's organisation and acceptance), the
 * principles, the meeting rhythm and the follow-up log. Contact details are not in the document:
 * a facilitator's export adds them from the server's store.
 */
import type * as Y from 'yjs';
import {
	readAllies,
	type AllyStatus,
	type AllyTextField,
	type AllyPipelineTextField
} from './schema';
import { readPipeline } from './pipeline';
import { readTasks, type TaskRole, type TaskStatus } from './tasks';
import {
	readFollowUps,
	readPrinciples,
	getRhythmText,
	type FollowUp,
	type Principle
} from './maintenance';
import { readCandidateResults, readCandidates, type Decision } from './candidates';
import { acceptanceKey, readAcceptances, readAllyOrganisation } from './acceptances';
import { readCharter, type Charter } from './charter';
import { readProposals, readRounds, type Round } from './consensus';

export interface WorkshopRecord {
	charter: Charter | null;
	decisions: RecordDecision[];
	allies: RecordAlly[];
	tasks: RecordTask[];
	principles: Principle[];
	rhythm: string;
	followUps: FollowUp[];
	/** Revealed rounds, with the wording of each proposal they were on. */
	rounds: (Round & { wordings: Record<string, string> })[];
}

export interface RecordDecision {
	candidateId: string;
	name: string;
	decision: Decision | null;
	by: string | null;
}

export interface RecordAlly {
	id: string;
	name: string;
	type: string;
	convergence: string;
	status: AllyStatus;
	nextActionDate: string;
	/** The workshop organisation it is (acceptances), or null. */
	organisationId: string | null;
	fields: Record<AllyTextField, string>;
	pipeline: Record<AllyPipelineTextField, string>;
}

export interface RecordTask {
	id: string;
	title: string;
	description: string;
	deadline: string;
	status: TaskStatus;
	roles: RecordRole[];
}

export interface RecordRole {
	allyId: string;
	ally: string;
	role: TaskRole;
	organisationId: string | null;
	accepted: boolean;
}

export function readRecord(doc: Y.Doc): WorkshopRecord {
	const pipeline = new Map(readPipeline(doc).map((entry) => [entry.id, entry]));
	const allies: RecordAlly[] = readAllies(doc).map((ally) => {
		const entry = pipeline.get(ally.id);
		return {
			id: ally.id,
			name: ally.name,
			type: ally.type,
			convergence: ally.convergence,
			status: entry?.status ?? 'identified',
			nextActionDate: entry?.nextActionDate ?? '',
			organisationId: readAllyOrganisation(doc, ally.id),
			fields: ally.fields,
			pipeline: entry?.fields ?? { contactBy: '', keyMessage: '', nextAction: '' }
		};
	});
	const byId = new Map(allies.map((ally) => [ally.id, ally]));
	const acceptances = readAcceptances(doc);
	const tasks: RecordTask[] = readTasks(doc).map((task) => ({
		id: task.id,
		title: task.title,
		description: task.description,
		deadline: task.deadline,
		status: task.status,
		roles: Object.entries(task.roles)
			// Allies since removed may keep a role in the map: readers skip them.
			.filter(([allyId]) => byId.has(allyId))
			.map(([allyId, role]) => {
				const acceptance = acceptances.get(acceptanceKey(task.id, allyId));
				return {
					allyId,
					ally: byId.get(allyId)!.name,
					role,
					organisationId: byId.get(allyId)!.organisationId,
					accepted: acceptance !== undefined && acceptance.role === role
				};
			})
			.sort(
				(a, b) =>
					ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.ally.localeCompare(b.ally)
			)
	}));
	const results = readCandidateResults(doc);
	const decisions = readCandidates(doc).map((candidate) => {
		const decision = results.get(candidate.id)?.decision ?? null;
		return {
			candidateId: candidate.id,
			name: candidate.name,
			decision: decision?.value ?? null,
			by: decision?.by ?? null
		};
	});
	const wordings = Object.fromEntries(
		readProposals(doc).map((proposal) => [proposal.id, proposal.wording])
	);
	const rounds = readRounds(doc)
		.filter((round) => round.state === 'revealed' && round.results !== null)
		.map((round) => ({
			...round,
			wordings: Object.fromEntries(round.proposalIds.map((id) => [id, wordings[id] ?? '']))
		}));
	return {
		charter: readCharter(doc),
		decisions,
		allies,
		tasks,
		principles: readPrinciples(doc),
		rhythm: getRhythmText(doc)?.toString() ?? '',
		followUps: readFollowUps(doc),
		rounds
	};
}

const ROLE_ORDER: readonly TaskRole[] = ['lead', 'contributes', 'consulted', 'informed'];

/**
 * "Nos engagements": the tasks where the organisation's allies lead or contribute, each with the
 * organisation's own roles in it.
 */
export function commitmentsOf(
	record: Pick<WorkshopRecord, 'tasks'>,
	organisationId: string
): Commitment[] {
	const commitments: Commitment[] = [];
	for (const task of record.tasks) {
		const roles = task.roles.filter(
			(role) =>
				role.organisationId === organisationId &&
				(role.role === 'lead' || role.role === 'contributes')
		);
		if (roles.length > 0) commitments.push({ task, roles });
	}
	return commitments;
}

export interface Commitment {
	task: RecordTask;
	roles: RecordRole[];
}
