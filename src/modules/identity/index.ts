/** Staff accounts, posts, passwords and sessions. */
export { SESSION_LIFETIME_MS, createIdentityService, type IdentityService, type NewUser } from './identity.service.js';
/** Roles, users, posts and the signed-in actor. */
export { ROLES, TEAM_ROLES, type Actor, type Post, type RoleName, type TeamRole, type User } from './user.js';
/** Password strength rules. */
export { MIN_PASSWORD_LENGTH, passwordWeakness } from './password.js';
/** Table types, for modules whose queries join users. */
export type { IdentityTables } from './identity.repository.js';
