/**
 * A refused handshake looks like 1006 to a browser and would be retried forever: after three in a
 * row the board asks /api/session why, and shows "sign in again" instead of an endless spinner.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';
import { DATABASE_FILE } from '../../server/storage/sqlite';

test('a participant whose session ended while the server restarted is told to sign in again', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await admitParticipant(moussa, board);
	await moussa.goto(board);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');

	await app.stop();
	// Moussa's device session ends (as when it expires) while the server is down.
	const db = new Database(path.join(app.dataDir, DATABASE_FILE));
	const moussaUser = db
		.prepare("SELECT user_id FROM memberships WHERE role = 'participant'")
		.get() as { user_id: string };
	db.prepare('DELETE FROM sessions WHERE user_id = ?').run(moussaUser.user_id);
	db.close();
	await app.start();

	await expect(moussa.getByText('Votre session a pris fin. Reconnectez-vous.')).toBeVisible({
		timeout: 30_000
	});
	await expect(moussa.getByRole('link', { name: 'Se reconnecter' })).toBeVisible();
	// The facilitator, whose session holds, is back at work.
	await expect(amina.getByTestId('save-status')).toHaveText('Enregistré', { timeout: 30_000 });
});
