/**
 * A realistic forum, seeded through the real protocols (a y-websocket provider and Socket.IO
 * command clients with seeded sessions, as browsers would): 15 allies with long real names, 3
 * candidate coalitions scored and revealed, the map placed and revealed, 4 proposals and a final
 * wording whose fist-to-five round reached consensus, 8 tasks with leads, principles.
 */
import { connectClient, waitForSaved, waitForSynced } from '../fixtures/clients';
import { seedMember, type SeededMember } from '../fixtures/members';
import { connectCommands, withKey, type CommandClient } from '../../src/lib/realtime/commands';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { addCandidate, CRITERIA } from '../../src/lib/shared/candidates';
import { addTask, setTaskLead, setTaskRole } from '../../src/lib/shared/tasks';
import { setAllyStatus } from '../../src/lib/shared/pipeline';
import { addPrinciple } from '../../src/lib/shared/maintenance';
import type { AppServer } from './fixtures';

export const ALLY_NAMES = [
	'Direction régionale de l’hydraulique',
	'Mairie de Kayes',
	'Radio rurale de Kayes',
	'Association des mères d’élèves',
	'CARE Mali',
	'Réseau des jeunes leaders du cercle',
	'Chefferie traditionnelle de Khasso',
	'Académie d’enseignement de Kayes',
	'Comité de gestion scolaire de Légal Ségou',
	'Association des femmes transformatrices',
	'Conseil régional de la jeunesse',
	'Syndicat national de l’éducation',
	'Oxfam',
	'Plan International Mali',
	'Imam de la grande mosquée'
];
const PROPOSALS = [
	'Scolariser toutes les filles de Kayes d’ici 2030',
	'Réduire l’abandon scolaire des filles au collège',
	'Des cantines dans toutes les écoles du cercle',
	'Des latrines séparées dans chaque école'
];
export const FINAL = 'Qu’en 2030 toutes les filles de Kayes entrent au collège et y restent';

async function commandClient(
	app: AppServer,
	workshopId: string,
	member: SeededMember
): Promise<CommandClient> {
	const client = connectCommands({
		origin: app.url,
		workshopId,
		extraHeaders: { cookie: member.cookie }
	});
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return client;
}

async function ok<T>(result: Promise<{ ok: boolean; value?: T }>, what: string): Promise<T> {
	const settled = await result;
	if (!settled.ok) throw new Error(`${what}: ${JSON.stringify(settled)}`);
	return settled.value as T;
}

/** Seeds the board of `workshopId`; `facilitator` is the workshop's facilitator (their cookie). */
export async function seedRealisticForum(
	app: AppServer,
	workshopId: string,
	facilitator: SeededMember
): Promise<void> {
	const organisations = ['CARE Mali', 'Radio rurale de Kayes', 'Association des mères d’élèves'];
	const participants: SeededMember[] = [];
	for (const [index, organisation] of organisations.entries()) {
		participants.push(
			await seedMember(app.dataDir, workshopId, {
				role: 'participant',
				name: `Participant ${index + 1}`,
				organisation
			})
		);
	}
	const board = connectClient(app.url, workshopId, { cookie: facilitator.cookie });
	const clients: CommandClient[] = [];
	try {
		await waitForSynced(board);
		const doc = board.doc;
		const allyIds = ALLY_NAMES.map((name, index) =>
			addAlly(doc, { name, type: index % 3 === 0 ? 'institution' : 'organisation' })
		);
		const candidateIds = [
			'Coalition pour l’éducation des filles',
			'Réseau Eau et assainissement de Kayes',
			'Plateforme des OSC du cercle'
		].map((name) => addCandidate(doc, { name }));
		const statuses = ['identified', 'studied', 'contacted', 'interested', 'committed'] as const;
		allyIds.forEach((id, index) => setAllyStatus(doc, id, statuses[index % statuses.length]));
		const tasks = [
			'Rencontrer le maire',
			'Émission de radio sur la scolarisation',
			'Recenser les filles non scolarisées',
			'Plaidoyer auprès de l’académie',
			'Mobiliser les chefs de village',
			'Former les comités de gestion',
			'Suivre les inscriptions de la rentrée',
			'Rapport au conseil régional'
		].map((title) => addTask(doc, { title }));
		tasks.forEach((taskId, index) => {
			setTaskLead(doc, taskId, allyIds[index % 5]);
			setTaskRole(doc, taskId, allyIds[(index + 5) % allyIds.length], 'contributes');
		});
		for (const text of [
			'Se réunir chaque mois',
			'Décider par consensus',
			'Partager les informations à tous'
		])
			addPrinciple(doc, text);
		await waitForSaved(board);
		if (readAllies(doc).length !== ALLY_NAMES.length) throw new Error('allies not seeded');

		const lead = await commandClient(app, workshopId, facilitator);
		clients.push(lead);
		const voters: CommandClient[] = [];
		for (const participant of participants)
			voters.push(await commandClient(app, workshopId, participant));
		clients.push(...voters);

		// Option 1: everyone scores the coalitions; revealed.
		for (const [v, voter] of voters.entries()) {
			for (const [c, candidateId] of candidateIds.entries()) {
				const scores = Object.fromEntries(
					CRITERIA.map((criterion, k) => [criterion, 1 + ((v + c + k) % 5)])
				);
				await ok(voter.send('scores:set', withKey({ candidateId, scores })), 'scores:set');
			}
		}
		await ok(lead.send('scores:reveal', { candidateId: null }), 'scores:reveal');

		// The ally map: three voices place every ally; revealed.
		for (const [v, voter] of voters.entries()) {
			for (const [a, allyId] of allyIds.entries()) {
				const placement = {
					influence: 1 + ((a * 3 + v) % 5),
					interest: 1 + ((a * 2 + (v === 2 ? 1 : 0)) % 5)
				};
				await ok(voter.send('map:place', withKey({ allyId, placement })), 'map:place');
			}
		}
		await ok(lead.send('map:reveal', { allyId: null }), 'map:reveal');

		// The common objective: four proposals, a final wording, a revealed round with consensus.
		const proposalIds: string[] = [];
		for (const [index, wording] of PROPOSALS.entries()) {
			const { proposalId } = await ok<{ proposalId: string }>(
				voters[index % voters.length].send(
					'proposal:add',
					withKey({ wording, rationale: 'Parce que les filles quittent l’école trop tôt.' })
				),
				'proposal:add'
			);
			proposalIds.push(proposalId);
		}
		const { proposalId: finalId } = await ok<{ proposalId: string }>(
			lead.send(
				'proposal:merge',
				withKey({
					proposalIds: proposalIds.slice(0, 2),
					wording: FINAL,
					rationale: 'Les deux propositions réunies.'
				})
			),
			'proposal:merge'
		);
		const { roundId } = await ok<{ roundId: string }>(
			lead.send('round:open', {
				proposalIds: [finalId],
				mode: 'gradient',
				anonymous: true,
				live: false,
				voice: 'participant'
			}),
			'round:open'
		);
		for (const [index, voter] of voters.entries()) {
			await ok(
				voter.send(
					'vote:cast',
					withKey({ roundId, positions: { [finalId]: { value: 3 + index } } }) as never
				),
				'vote:cast'
			);
		}
		await ok(lead.send('round:close', { roundId }), 'round:close');
		await ok(lead.send('round:reveal', { roundId }), 'round:reveal');
	} finally {
		for (const client of clients) client.destroy();
		board.destroy();
	}
}
