import { describe, expect, it } from 'vitest';
import { hasLongWord } from '../../src/lib/shared/long-words';

describe('hasLongWord', () => {
	it('finds a name typed without a space', () => {
		expect(hasLongWord('Coordinationdesassociations'.repeat(8))).toBe(true);
		expect(hasLongWord(`Réseau ${'O'.repeat(31)}`)).toBe(true);
	});

	it('leaves ordinary names alone, however long', () => {
		expect(hasLongWord('Direction régionale de l’hydraulique')).toBe(false);
		expect(hasLongWord('Aïssata Maïmouna Coulibaly-Diarrassouba épouse Traoré')).toBe(false);
		expect(hasLongWord('anticonstitutionnellement')).toBe(false);
		expect(hasLongWord('')).toBe(false);
	});

	it('counts hyphens and slashes as places a line may end', () => {
		expect(hasLongWord('Fonctionnalité et ressources/complémentarité-flexibilité')).toBe(false);
	});
});
