import { DomainError } from '../../kernel/errors.js';
import { can, type Action, type PolicyActor, type Resource } from './access.policy.js';

/** Throws AUTH.REQUIRED (no actor) or AUTH.FORBIDDEN unless `actor` may do `action` to `resource`. */
export function authorize(actor: PolicyActor | undefined, action: Action, resource?: Resource): asserts actor is PolicyActor {
  if (!actor) throw new DomainError('Unauthenticated', 'AUTH.REQUIRED', 'Sign in first');
  if (!can(actor, action, resource)) throw new DomainError('Forbidden', 'AUTH.FORBIDDEN', `Not allowed: ${action}`, { params: { action } });
}
