/** The identity module's domain errors. Codes are stable API; their texts are in src/locales/<lang>/account.ts. */
import { DomainError, invalid } from '../../kernel/errors.js';
import { minutesUntil } from './throttle.rules.js';

// The district keeps China Standard Time (UTC+8) all year; lock ends are told as clock times there.
const CLOCK_TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

export const invalidCredentials = () => new DomainError('Unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'Wrong user name or password');

/** Too many failures: try again after `until` (a clock time in China Standard Time, and in minutes). */
export const locked = (until: Date, now: Date) =>
  new DomainError('TooManyRequests', 'AUTH.LOCKED', `Too many failed sign-ins; try again after ${until.toISOString()}`, {
    params: { time: CLOCK_TIME.format(until), minutes: minutesUntil(until, now), until: until.toISOString(), retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  });

export const secondFactorExpired = () => new DomainError('Unauthenticated', 'AUTH.SECOND_FACTOR_EXPIRED', 'The sign-in step expired; enter the user name and password again');

export const secondFactorWrong = (reason: 'format' | 'mismatch' | 'replayed', attemptsLeft: number) =>
  new DomainError('Unauthenticated', reason === 'replayed' ? 'AUTH.CODE_REPLAYED' : 'AUTH.CODE_INVALID', `The code was not accepted (${reason})`, {
    params: { attemptsLeft },
  });

export const secondFactorUnreadable = () =>
  new DomainError('Invalid', 'AUTH.SECOND_FACTOR_UNREADABLE', 'The stored second-factor secret cannot be decrypted (was SECRET_KEY changed?)');

export const sessionEnded = (why: 'expired' | 'idle' | 'invalid') =>
  new DomainError('Unauthenticated', why === 'expired' ? 'AUTH.SESSION_EXPIRED' : why === 'idle' ? 'AUTH.SESSION_IDLE' : 'AUTH.SESSION_INVALID', `Session ${why}; sign in again`);

export const wrongCurrentPassword = () =>
  invalid('AUTH.WRONG_PASSWORD', 'The current password is wrong', [{ path: 'currentPassword', code: 'AUTH.WRONG_PASSWORD', message: 'the current password is wrong' }]);

export const userNotFound = (id: number | string) => new DomainError('NotFound', 'USER.NOT_FOUND', `No such person: ${id}`, { params: { id: String(id) } });
