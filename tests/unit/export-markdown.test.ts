import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mdText, recordMarkdown } from '../../src/lib/server/export-markdown';
import { readRecord } from '../../src/lib/shared/record';
import { addAlly, setAllyField } from '../../src/lib/shared/schema';
import { addTask, setTaskRole } from '../../src/lib/shared/tasks';
import { addFollowUp, addPrinciple } from '../../src/lib/shared/maintenance';
import { buildCharter, findLockable, writeCharter } from '../../src/lib/shared/charter';
import { readProposals, readRounds } from '../../src/lib/shared/consensus';
import { proposal, round } from '../fixtures/consensus';

const workshop = {
	title: 'Forum de Kayes',
	date: '2026-11-20',
	place: 'Kayes',
	issue: 'Mariages précoces'
};

function forumBoard(): Y.Doc {
	const doc = new Y.Doc();
	doc.getMap('maintenance').set('rhythm', new Y.Text('Une réunion par mois'));
	const care = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
	setAllyField(doc, care, 'credibility', 'Présente depuis 20 ans');
	addAlly(doc, { name: '# Titre [lien](http://x) <b>', type: 'group' });
	const task = addTask(doc, { title: 'Rencontrer le préfet' });
	setTaskRole(doc, task, care, 'lead');
	addPrinciple(doc, 'Transparence sur les fonds');
	addFollowUp(doc, { date: '2026-12-01', what: 'Lettre envoyée', who: 'Awa' });
	const final = proposal({
		final: true,
		wording: 'Réduire de moitié les mariages précoces d’ici 2027'
	});
	const agreed = round([final.id]);
	doc.getMap('proposals').set(final.id, final);
	doc.getMap('rounds').set(agreed.id, agreed);
	const lockable = findLockable(readProposals(doc), readRounds(doc));
	if (!lockable.ok) throw new Error(lockable.reason);
	writeCharter(
		doc,
		buildCharter(doc, {
			...lockable,
			version: 1,
			lockedAt: Date.UTC(2026, 10, 20),
			lockedBy: 'Oumar'
		})
	);
	return doc;
}

describe('the Markdown record', () => {
	it('holds the charter, its endorsers and reservations, the allies, who does what, principles, rhythm and follow-ups', () => {
		const text = recordMarkdown(workshop, readRecord(forumBoard()), {
			locale: 'fr',
			organisations: new Map()
		});
		expect(text.startsWith('# Forum de Kayes\n')).toBe(true);
		expect(text).toContain('## Charte de la coalition');
		expect(text).toContain('> Réduire de moitié les mariages précoces d’ici 2027');
		// Organisations voted through their delegates in a named round: their votes endorse.
		expect(text).toContain('- **CARE Mali** (par son vote)');
		expect(text).toContain('Réserve : Le délai est court');
		expect(text).toContain('**Crédibilité** : Présente depuis 20 ans');
		expect(text).toContain('### Rencontrer le préfet');
		expect(text).toContain('- Responsable : CARE Mali');
		expect(text).toContain('- [ ] Transparence sur les fonds');
		expect(text).toContain('Une réunion par mois');
		expect(text).toContain('- 2026-12-01 : Lettre envoyée (Awa)');
	});

	it("escapes participants' text so it never becomes a heading, a link or HTML", () => {
		const text = recordMarkdown(workshop, readRecord(forumBoard()), {
			locale: 'fr',
			organisations: new Map()
		});
		expect(text).toContain('### \\# Titre \\[lien\\]\\(http://x\\) \\<b\\>');
		expect(text).not.toContain('<b>');
		expect(mdText('- point\n# titre')).toBe('\\- point \\# titre');
	});

	it('says when no charter was locked, in English too', () => {
		const doc = new Y.Doc();
		const text = recordMarkdown(workshop, readRecord(doc), {
			locale: 'en',
			organisations: new Map()
		});
		expect(text).toContain('The charter has not been locked yet.');
	});
});
