/** Limits on facilitator logins and passwords, shared by the forms and the server's checks. */
export const LOGIN_MIN_LENGTH = 3;
export const LOGIN_MAX_LENGTH = 64;
export const PASSWORD_MIN_LENGTH = 8;
/** Argon2 accepts any length; a cap keeps a megabyte "password" from costing hashing time. */
export const PASSWORD_MAX_LENGTH = 256;
