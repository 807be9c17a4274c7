/** Staff accounts, posts, passwords, sign-in (throttled, optional second step) and sessions. */
export {
  PENDING_SIGN_IN_MS,
  SESSION_IDLE_MS,
  SESSION_LIFETIME_MS,
  createIdentityService,
  type ClientMeta,
  type IdentityService,
  type NewPost,
  type NewUser,
  type SessionCheck,
  type SessionInfo,
  type SignInOutcome,
  type SignedIn,
} from './identity.service.js';
/** Administration of people: search in scope, create, edit, disable, posts, grants, passwords, locks, staff import. */
export {
  createPeopleService,
  type PeopleContext,
  type PeopleService,
  type Person,
  type PersonDetail,
  type PersonGrant,
  type PersonPost,
  type PersonSummary,
  type PostInput,
  type SignInLock,
  type StaffImportResult,
} from './people.service.js';
/** One's own second factor (TOTP): enrolment, recovery codes, turning it off. */
export { createSecondFactorService, type Enrollment, type SecondFactorService, type SecondFactorStatus } from './totp.service.js';
/** Keys derived from the deployment's signing secret (encryption of second-factor secrets). */
export { createKeyRing, type KeyRing } from './key-ring.js';
/** Who may see and change which people, and hand out which posts and permissions. */
export { GRANTABLE, mayAssignPost, mayGrant, mayManagePerson, maySeePerson } from './people.policy.js';
/** Role and team-place names accepted in forms and staff lists. */
export { ROLE_ALIASES, TEAM_ROLE_ALIASES } from './people.rules.js';
/** Sign-in throttle limits. */
export { ACCOUNT_THROTTLE, ADDRESS_THROTTLE } from './throttle.rules.js';
/** TOTP code computation (for tests and tools that need a valid code). */
export { base32Decode, totp } from './totp.rules.js';
/** Roles, users, posts and the signed-in actor. */
export { ROLES, TEAM_ROLES, type Actor, type Post, type RoleName, type TeamRole, type User } from './user.js';
/** Password strength rules. */
export { MIN_PASSWORD_LENGTH, passwordWeakness } from './password.js';
/** Table types, for modules whose queries join users. */
export type { IdentityTables } from './identity.repository.js';
