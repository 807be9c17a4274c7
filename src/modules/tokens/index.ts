/** API tokens for machines: issue, list, revoke, and authenticate a secret to its machine principal. */
export { DEMO_OPEN311_KEY, createTokenService, type NewToken, type TokenContext, type TokenService } from './token.service.js';
/** Token shapes and the machine principal a token stands for. */
export { TOKEN_PREFIX, type ApiToken, type MachineActor, type TokenStatus } from './token.js';
/** What a token may carry, and whether it is usable. */
export { TOKEN_ACTIONS, refusedTokenActions, tokenStatus } from './token.policy.js';
