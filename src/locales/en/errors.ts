import type { errors as zh } from '../zh-CN/errors.js';

export const errors: Record<keyof typeof zh, string> = {
  'REQUEST.BODY_TOO_LARGE': 'The request is too large (limit {limit}). Please shorten it and try again.',
  'REQUEST.MALFORMED_JSON': 'The request body is not valid JSON.',
  'REQUEST.MALFORMED_FORM': 'The form could not be read.',
  'REQUEST.INVALID': 'Some fields need correcting.',
  'REQUEST.CSRF': 'This page has expired or came from elsewhere. Reload the page and submit again.',
  'REQUEST.NOT_FOUND': 'Nothing was found.',
  'SYSTEM.UNAVAILABLE': 'The system is starting or cannot reach its database. Please try again shortly.',
  'SYSTEM.INTERNAL': 'An unexpected error occurred. Please try again later.',
  'DB.OUTSIDE_TRANSACTION': 'Internal error (database handle misused).',
  'AUTH.INVALID_CREDENTIALS': 'Wrong user name or password.',
  'AUTH.REQUIRED': 'Please sign in.',
  'AUTH.FORBIDDEN': 'You are not allowed to do this.',
  'UNIT.NOT_FOUND': 'No such unit.',
  'USER.USERNAME_TAKEN': 'The user name "{username}" is taken.',
  'USER.UNIT_NOT_FOUND': 'No unit "{unit}".',
  'USER.WEAK_PASSWORD': 'Password too weak: at least {min} characters, and not a common password.',
  'field.required': 'Required',
  'field.tooLong': 'At most {max} characters',
  'field.tooShort': 'At least {min} characters',
  'field.invalid': 'Not valid',
};
