/**
 * SQLite stores of private inputs: Option 1 scores (one row per voter, candidate and criterion)
 * and ally map placements (one row per voter and ally). Never in the document: the server writes
 * only aggregates there, when the facilitator reveals them.
 */
import type { WriteGate } from './sqlite-writer';
import type Database from 'better-sqlite3';
import type { PlacementStore, ScoreStore } from '../../src/lib/server/ports/storage';
import { placementFromRow, scoreFromRow, type PlacementRow, type ScoreRow } from './rows';

export function sqliteScores(db: Database.Database, write: WriteGate): ScoreStore {
	const upsert = db.prepare(
		`INSERT INTO candidate_scores (workshop_id, candidate_id, user_id, criterion, score, entered_by, updated_at)
		VALUES (@workshopId, @candidateId, @userId, @criterion, @score, @enteredBy, @at)
		ON CONFLICT (workshop_id, candidate_id, user_id, criterion)
		DO UPDATE SET score = excluded.score, entered_by = excluded.entered_by, updated_at = excluded.updated_at`
	);
	const remove = db.prepare(
		'DELETE FROM candidate_scores WHERE workshop_id = @workshopId AND candidate_id = @candidateId AND user_id = @userId AND criterion = @criterion'
	);
	const setAll = db.transaction(
		(
			entry: {
				workshopId: string;
				candidateId: string;
				userId: string;
				enteredBy: string;
				at: number;
			},
			scores: [string, number | null][]
		) => {
			for (const [criterion, score] of scores) {
				if (score === null) remove.run({ ...entry, criterion });
				else upsert.run({ ...entry, criterion, score });
			}
		}
	);
	const byWorkshop = db.prepare<[string], ScoreRow>(
		'SELECT * FROM candidate_scores WHERE workshop_id = ? ORDER BY candidate_id, user_id, criterion'
	);
	const byUser = db.prepare<[string, string], ScoreRow>(
		'SELECT * FROM candidate_scores WHERE workshop_id = ? AND user_id = ? ORDER BY candidate_id, criterion'
	);
	return {
		async set({ scores, ...entry }) {
			return write(() => {
				setAll.immediate(entry, Object.entries(scores));
			});
		},
		async list(workshopId) {
			return byWorkshop.all(workshopId).map(scoreFromRow);
		},
		async listByUser(workshopId, userId) {
			return byUser.all(workshopId, userId).map(scoreFromRow);
		}
	};
}

export function sqlitePlacements(db: Database.Database, write: WriteGate): PlacementStore {
	const upsert = db.prepare(
		`INSERT INTO ally_placements (workshop_id, ally_id, user_id, influence, interest, entered_by, updated_at)
		VALUES (@workshopId, @allyId, @userId, @influence, @interest, @enteredBy, @at)
		ON CONFLICT (workshop_id, ally_id, user_id)
		DO UPDATE SET influence = excluded.influence, interest = excluded.interest,
			entered_by = excluded.entered_by, updated_at = excluded.updated_at`
	);
	const remove = db.prepare(
		'DELETE FROM ally_placements WHERE workshop_id = ? AND ally_id = ? AND user_id = ?'
	);
	const byWorkshop = db.prepare<[string], PlacementRow>(
		'SELECT * FROM ally_placements WHERE workshop_id = ? ORDER BY ally_id, user_id'
	);
	const byUser = db.prepare<[string, string], PlacementRow>(
		'SELECT * FROM ally_placements WHERE workshop_id = ? AND user_id = ? ORDER BY ally_id'
	);
	return {
		async set({ placement, ...entry }) {
			// Through the queue like every main-connection write: it never waits on the writer's lock.
			return write(() => {
				if (placement === null) remove.run(entry.workshopId, entry.allyId, entry.userId);
				else upsert.run({ ...entry, ...placement });
			});
		},
		async list(workshopId) {
			return byWorkshop.all(workshopId).map(placementFromRow);
		},
		async listByUser(workshopId, userId) {
			return byUser.all(workshopId, userId).map(placementFromRow);
		}
	};
}
