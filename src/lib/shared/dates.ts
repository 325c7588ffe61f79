/** Calendar dates as `<input type="date">` gives them: `YYYY-MM-DD`, compared as strings. */
export function isIsoDate(value: unknown): value is string {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Today in the person's own time zone (deadlines are local days, not UTC ones). */
export function localToday(now = new Date()): string {
	const month = String(now.getMonth() + 1).padStart(2, '0');
	const day = String(now.getDate()).padStart(2, '0');
	return `${now.getFullYear()}-${month}-${day}`;
}

/**
 * The one way the app writes dates, in the page's language: a calendar day ("2 décembre 2026";
 * `YYYY-MM-DD`, formatted in UTC so no time zone moves it) and a moment ("2 décembre 2026 à
 * 06:31", in the reader's time zone).
 */
export function formatDay(isoDate: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(`${isoDate}T00:00:00Z`)
	);
}

export function formatMoment(at: number, locale: string, timeZone?: string): string {
	return new Intl.DateTimeFormat(locale, {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone
	}).format(at);
}
