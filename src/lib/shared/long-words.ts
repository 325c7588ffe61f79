/**
 * Words no line can hold: a name typed without a space (200 characters of it) must break anywhere,
 * or it widens a phone's page; ordinary words ("l’hydraulique", "Organisations") must never break.
 * CSS cannot tell the two apart, so text that carries such a word gets the `long-word` class.
 */

/** Longer than any word of the languages the board is used in (French's longest is 25). */
export const LONGEST_ORDINARY_WORD = 30;

export function hasLongWord(text: string, longest = LONGEST_ORDINARY_WORD): boolean {
	return text.split(/[\s\-‐/]+/).some((word) => word.length > longest);
}
