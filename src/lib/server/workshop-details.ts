/**
 * A workshop's details — title, date, place, language, issue: its `workshops` row — when a file
 * is imported. Every save of them here that changes one stamps when (`detailsChangedAt`, ms since
 * the epoch), so that an import can tell which copy changed them last, as for the facilitator's
 * settings (shared/facilitation-settings.ts):
 * - a workshop the import creates takes the file's details and its stamp;
 * - a merge takes the file's details, all of them, only when the file changed them later than this
 *   server did (a date corrected on the venue laptop reaches the central server; a title changed
 *   here since the export stays). A copy with no stamp (not changed since it was created, or from
 *   before the stamps) loses to one with a stamp; neither stamped → this server's stay;
 * - the same file again brings the same stamp: nothing is taken.
 * Both engines apply it inside the import's transaction (server/storage/*-import.ts).
 */
export function takesFileDetails(hereAt: number | null, fileAt: number | null): boolean {
	if (fileAt === null) return false;
	return hereAt === null || fileAt > hereAt;
}
