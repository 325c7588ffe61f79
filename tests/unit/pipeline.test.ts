import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAlly } from '../../src/lib/shared/schema';
import {
	getPipelineText,
	groupByStatus,
	isOverdue,
	nextStatus,
	readPipeline,
	setAllyStatus,
	setNextActionDate
} from '../../src/lib/shared/pipeline';
import { applyTextDiff } from '../../src/lib/shared/schema';

describe('the step 3 pipeline', () => {
	it('moves an ally forward one status per tap, and nowhere past committed or declined', () => {
		expect(nextStatus('identified')).toBe('studied');
		expect(nextStatus('studied')).toBe('contacted');
		expect(nextStatus('contacted')).toBe('interested');
		expect(nextStatus('interested')).toBe('committed');
		expect(nextStatus('committed')).toBeNull();
		expect(nextStatus('declined')).toBeNull();
	});

	it('reads each ally with its status, who contacts them, key message and next action', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'Radio rurale', type: 'organisation' }, 1);
		expect(readPipeline(doc)).toEqual([
			{
				id,
				name: 'Radio rurale',
				status: 'identified',
				nextActionDate: '',
				createdAt: 1,
				fields: { contactBy: '', keyMessage: '', nextAction: '' }
			}
		]);
		setAllyStatus(doc, id, 'contacted');
		setNextActionDate(doc, id, '2026-12-01');
		applyTextDiff(getPipelineText(doc, id, 'contactBy')!, 'Awa');
		applyTextDiff(getPipelineText(doc, id, 'keyMessage')!, 'La santé des femmes');
		applyTextDiff(getPipelineText(doc, id, 'nextAction')!, 'Visite au studio');
		expect(readPipeline(doc)[0]).toMatchObject({
			status: 'contacted',
			nextActionDate: '2026-12-01',
			fields: {
				contactBy: 'Awa',
				keyMessage: 'La santé des femmes',
				nextAction: 'Visite au studio'
			}
		});
	});

	it('ignores a status or date that is not one (a bad value never reaches the document)', () => {
		const doc = new Y.Doc();
		const id = addAlly(doc, { name: 'Mairie', type: 'institution' });
		setAllyStatus(doc, id, 'friends' as never);
		setNextActionDate(doc, id, '2026-02-30');
		setNextActionDate(doc, id, 'demain');
		expect(readPipeline(doc)[0]).toMatchObject({ status: 'identified', nextActionDate: '' });
		setNextActionDate(doc, id, '2026-03-01');
		setNextActionDate(doc, id, '');
		expect(readPipeline(doc)[0].nextActionDate).toBe('');
	});

	it('groups allies into one column per status in the pipeline order, declined last', () => {
		const entries = [
			{ id: 'a', status: 'committed' as const },
			{ id: 'b', status: 'identified' as const },
			{ id: 'c', status: 'declined' as const },
			{ id: 'd', status: 'identified' as const }
		];
		const columns = groupByStatus(entries);
		expect(Object.keys(columns)).toEqual([
			'identified',
			'studied',
			'contacted',
			'interested',
			'committed',
			'declined'
		]);
		expect(columns.identified.map((e) => e.id)).toEqual(['b', 'd']);
		expect(columns.studied).toEqual([]);
		expect(columns.committed.map((e) => e.id)).toEqual(['a']);
		expect(columns.declined.map((e) => e.id)).toEqual(['c']);
	});

	it('flags a next action whose date passed, unless the ally is committed or declined', () => {
		expect(isOverdue({ status: 'contacted', nextActionDate: '2026-01-01' }, '2026-01-02')).toBe(
			true
		);
		expect(isOverdue({ status: 'contacted', nextActionDate: '2026-01-02' }, '2026-01-02')).toBe(
			false
		);
		expect(isOverdue({ status: 'contacted', nextActionDate: '' }, '2026-01-02')).toBe(false);
		expect(isOverdue({ status: 'committed', nextActionDate: '2026-01-01' }, '2026-01-02')).toBe(
			false
		);
		expect(isOverdue({ status: 'declined', nextActionDate: '2026-01-01' }, '2026-01-02')).toBe(
			false
		);
	});
});
