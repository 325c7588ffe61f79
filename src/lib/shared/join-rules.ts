/** Join codes and member fields, shared by the forms and the server's checks. */
/** No 0/O, 1/I/L: a code read aloud or from a screen across the room is typed right. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
export const MEMBER_NAME_MAX = 60;
export const ORGANISATION_NAME_MAX = 80;
