/**
 * Reading validation: the shape of a message, and each reading's sensor, value, unit and time. Pure: the sensor
 * lookup, the credential's reach and `now` are passed in. Every refusal has a stable reason code, counted in
 * /metrics and sent back to the device.
 */
import { QUANTITY_SPECS, unitFactor, type Quantity } from './quantity.rules.js';

export const REFUSAL_REASONS = [
  'malformed',
  'too_many_readings',
  'unknown_sensor',
  'retired_sensor',
  'forbidden_sensor',
  'unit_mismatch',
  'not_a_number',
  'out_of_range',
  'bad_timestamp',
  'too_far_future',
  'too_old',
  'throttled',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** What validation needs to know about a sensor. */
export interface SensorRef {
  readonly id: number;
  readonly code: string;
  readonly quantity: Quantity;
  readonly validMin: number | null;
  readonly validMax: number | null;
  readonly retired: boolean;
  /** Paths of the sensor's owning unit, for the credential's scope. */
  readonly ownerPath: string;
}

export interface ValidReading {
  readonly sensorId: number;
  /** Epoch milliseconds. */
  readonly ts: number;
  /** In the quantity's canonical unit. */
  readonly value: number;
}

export interface Refusal {
  readonly index: number;
  readonly sensor: string | null;
  readonly reason: RefusalReason;
}

export interface ValidationContext {
  readonly now: number;
  readonly maxFutureMs: number;
  readonly maxPastMs: number;
  lookup(code: string): SensorRef | undefined;
  /** Whether the credential that sent the message may report for this sensor. */
  mayReport(sensor: SensorRef): boolean;
  /** The sensor implied when a reading names none (a per-sensor credential). */
  readonly impliedSensor?: string;
}

/** The readings of a message: `{"readings": [...]}`, an array of readings, or one reading object. */
export function readingsOf(payload: unknown, maxReadings: number): { readings: unknown[] } | { error: RefusalReason } {
  let list: unknown[];
  if (Array.isArray(payload)) list = payload;
  else if (payload !== null && typeof payload === 'object' && Array.isArray((payload as { readings?: unknown }).readings)) list = (payload as { readings: unknown[] }).readings;
  else if (payload !== null && typeof payload === 'object' && 'value' in payload) list = [payload];
  else return { error: 'malformed' };
  if (list.length === 0) return { error: 'malformed' };
  if (list.length > maxReadings) return { error: 'too_many_readings' };
  return { readings: list };
}

/** Parses JSON text (or bytes); undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A reading time: ISO 8601 with an explicit zone (a local time without one is ambiguous and refused), or an epoch
 * number — milliseconds, or seconds when below 1e11 (which as milliseconds would be 1973).
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts) || ts <= 0) return undefined;
    return Math.round(ts < 1e11 ? ts * 1000 : ts);
  }
  if (typeof ts === 'string' && ISO_WITH_ZONE.test(ts.trim())) {
    // Date.parse rolls 30 February over into March; a calendar date that does not exist is refused.
    const [y, m, d] = ts.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
    if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d || m < 1 || m > 12) return undefined;
    const ms = Date.parse(ts.trim().replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function parseValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMBER_TEXT.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** Checks one reading; returns it in canonical form or the reason it is refused. */
export function validateReading(raw: unknown, index: number, ctx: ValidationContext): { ok: true; reading: ValidReading } | { ok: false; refusal: Refusal } {
  const refuse = (reason: RefusalReason, sensor: string | null) => ({ ok: false as const, refusal: { index, sensor, reason } });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse('malformed', null);
  const r = raw as Record<string, unknown>;
  const code = r.sensor === undefined ? ctx.impliedSensor : r.sensor;
  if (typeof code !== 'string' || code.length === 0 || code.length > 64) return refuse('malformed', null);
  const sensor = ctx.lookup(code);
  if (!sensor) return refuse('unknown_sensor', code);
  if (!ctx.mayReport(sensor)) return refuse('forbidden_sensor', code);
  if (sensor.retired) return refuse('retired_sensor', code);
  let value = parseValue(r.value);
  if (value === undefined) return refuse('not_a_number', code);
  if (r.unit !== undefined) {
    const factor = typeof r.unit === 'string' ? unitFactor(sensor.quantity, r.unit) : undefined;
    if (factor === undefined) return refuse('unit_mismatch', code);
    value *= factor;
  }
  const [defaultMin, defaultMax] = QUANTITY_SPECS[sensor.quantity].range;
  if (value < (sensor.validMin ?? defaultMin) || value > (sensor.validMax ?? defaultMax)) return refuse('out_of_range', code);
  const ts = parseTimestamp(r.ts);
  if (ts === undefined) return refuse('bad_timestamp', code);
  if (ts > ctx.now + ctx.maxFutureMs) return refuse('too_far_future', code);
  if (ts < ctx.now - ctx.maxPastMs) return refuse('too_old', code);
  return { ok: true, reading: { sensorId: sensor.id, ts, value } };
}
