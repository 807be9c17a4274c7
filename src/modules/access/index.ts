/** The access policy: actions, role scopes, `can`, and the scope every query applies. */
export {
  ACTIONS,
  GRANT_ONLY,
  MACHINE_ONLY,
  ROLES,
  type RoleName,
  ROLE_POLICY,
  can,
  inScope,
  postScope,
  scopeFor,
  type Action,
  type PolicyActor,
  type PolicyPost,
  type Resource,
  type Scope,
  type ScopeRule,
} from './access.policy.js';
/** Throws AUTH.REQUIRED or AUTH.FORBIDDEN unless the actor may do the action. */
export { authorize } from './authorize.js';
