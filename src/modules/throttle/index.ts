/** Per-client request limits shared by every process (public forms, Open311 submissions). */
export { createThrottleService, type ThrottleService } from './throttle.service.js';
/** Fixed-window rules and verdicts. */
export { verdict, windowStart, type ThrottleRule, type ThrottleVerdict } from './throttle.rules.js';
