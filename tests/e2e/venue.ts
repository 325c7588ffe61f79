/** The venue laptop's workshop as a facilitator's export: built in this process, imported in the app. */
import { buildWorkshopFile } from '../../src/lib/server/export-json';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { addAlly } from '../../src/lib/shared/schema';
import { addTask, setTaskDeadline, setTaskRole } from '../../src/lib/shared/tasks';
import {
	addParticipant,
	closeServices,
	editAsClient,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';

export const PHONE = { viewport: { width: 360, height: 640 } };
export const WORDING = 'Qu’en 2030 toutes les filles de Kayes entrent au collège et y restent';

/** Two organisations, their allies, a task CARE Mali leads, one Radio rurale leads, a round, the lock. */
export async function venueFile(): Promise<{
	text: string;
	title: string;
	workshopId: string;
	fatou: string;
	moussa: string;
}> {
	const services = openServices();
	try {
		const title = 'Forum de Kayes (portable)';
		const { workshopId, facilitator } = await seedWorkshop(services, title);
		const fatou = await addParticipant(services, workshopId, 'Fatou', 'CARE Mali');
		const moussa = await addParticipant(services, workshopId, 'Moussa', 'Radio rurale de Kayes');
		await editAsClient(services, workshopId, (doc) => {
			const care = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			setAllyOrganisation(doc, care, fatou.organisationId);
			const radio = addAlly(doc, { name: 'Radio rurale de Kayes', type: 'organisation' });
			setAllyOrganisation(doc, radio, moussa.organisationId);
			const prefect = addTask(doc, { title: 'Rencontrer le préfet' });
			setTaskDeadline(doc, prefect, '2027-03-01');
			setTaskRole(doc, prefect, care, 'lead');
			setTaskRole(doc, prefect, radio, 'informed');
			const broadcast = addTask(doc, { title: 'Émission sur la scolarisation des filles' });
			setTaskRole(doc, broadcast, radio, 'lead');
		});
		await seedRevealedRound(services, workshopId, [fatou, moussa], { wording: WORDING });
		await lockCharter(services, workshopId, facilitator);
		const text = JSON.stringify(await buildWorkshopFile(services, workshopId, 'facilitator'));
		return { text, title, workshopId, fatou: fatou.userId, moussa: moussa.userId };
	} finally {
		await closeServices(services);
	}
}
