/** Limits on a workshop's details, shared by the forms and the server's checks. */
export const WORKSHOP_TITLE_MAX = 120;
export const WORKSHOP_PLACE_MAX = 120;
export const WORKSHOP_ISSUE_MAX = 1000;
/** The languages a forum can be held in (the app's own locales). */
export const WORKSHOP_LANGUAGES = ['fr', 'en'] as const;
