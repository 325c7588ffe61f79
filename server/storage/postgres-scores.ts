/**
 * PostgreSQL stores of private inputs (server/storage/sqlite-scores.ts): Option 1 scores (one row
 * per voter, candidate and criterion) and ally map placements (one row per voter and ally). Never
 * in the document: the server writes only aggregates there, when the facilitator reveals them.
 */
import type pg from 'pg';
import { transaction } from './postgres-db';
import type { PlacementStore, ScoreStore } from '../../src/lib/server/ports/storage';
import { placementFromRow, scoreFromRow, type PlacementRow, type ScoreRow } from './rows';

export function postgresScores(pool: pg.Pool): ScoreStore {
	return {
		async set({ scores, ...entry }) {
			const key = [entry.workshopId, entry.candidateId, entry.userId];
			// All the criteria sent together, or none: a voter never sees half a change.
			await transaction(pool, async (client) => {
				for (const [criterion, score] of Object.entries(scores)) {
					if (score === null) {
						await client.query(
							`DELETE FROM candidate_scores
							WHERE workshop_id = $1 AND candidate_id = $2 AND user_id = $3 AND criterion = $4`,
							[...key, criterion]
						);
					} else {
						await client.query(
							`INSERT INTO candidate_scores (workshop_id, candidate_id, user_id, criterion, score, entered_by, updated_at)
							VALUES ($1, $2, $3, $4, $5, $6, $7)
							ON CONFLICT (workshop_id, candidate_id, user_id, criterion)
							DO UPDATE SET score = excluded.score, entered_by = excluded.entered_by, updated_at = excluded.updated_at`,
							[...key, criterion, score, entry.enteredBy, entry.at]
						);
					}
				}
			});
		},
		async list(workshopId) {
			const { rows } = await pool.query<ScoreRow>(
				'SELECT * FROM candidate_scores WHERE workshop_id = $1 ORDER BY candidate_id COLLATE "C", user_id COLLATE "C", criterion COLLATE "C"',
				[workshopId]
			);
			return rows.map(scoreFromRow);
		},
		async listByUser(workshopId, userId) {
			const { rows } = await pool.query<ScoreRow>(
				'SELECT * FROM candidate_scores WHERE workshop_id = $1 AND user_id = $2 ORDER BY candidate_id COLLATE "C", criterion COLLATE "C"',
				[workshopId, userId]
			);
			return rows.map(scoreFromRow);
		}
	};
}

export function postgresPlacements(pool: pg.Pool): PlacementStore {
	return {
		async set({ placement, ...entry }) {
			const key = [entry.workshopId, entry.allyId, entry.userId];
			if (placement === null) {
				await pool.query(
					'DELETE FROM ally_placements WHERE workshop_id = $1 AND ally_id = $2 AND user_id = $3',
					key
				);
				return;
			}
			await pool.query(
				`INSERT INTO ally_placements (workshop_id, ally_id, user_id, influence, interest, entered_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (workshop_id, ally_id, user_id)
				DO UPDATE SET influence = excluded.influence, interest = excluded.interest,
					entered_by = excluded.entered_by, updated_at = excluded.updated_at`,
				[...key, placement.influence, placement.interest, entry.enteredBy, entry.at]
			);
		},
		async list(workshopId) {
			const { rows } = await pool.query<PlacementRow>(
				'SELECT * FROM ally_placements WHERE workshop_id = $1 ORDER BY ally_id COLLATE "C", user_id COLLATE "C"',
				[workshopId]
			);
			return rows.map(placementFromRow);
		},
		async listByUser(workshopId, userId) {
			const { rows } = await pool.query<PlacementRow>(
				'SELECT * FROM ally_placements WHERE workshop_id = $1 AND user_id = $2 ORDER BY ally_id COLLATE "C"',
				[workshopId, userId]
			);
			return rows.map(placementFromRow);
		}
	};
}
