/**
 * Measured quantities, their canonical units and the units a device may send instead (converted on ingest).
 * Readings are stored in the canonical unit only. A unit of another quantity is refused, never guessed.
 * Methane: the lower explosive limit of methane is 5 % by volume (IEC 60079-20-1), so 1 %LEL = 0.05 %VOL = 500 ppm.
 */
export const QUANTITIES = [
  'methane',
  'pressure',
  'flow',
  'water_level',
  'strain',
  'displacement',
  'temperature',
  'vibration',
  'tilt',
  'rainfall',
  'leak_noise',
  'oxygen',
  'h2s',
] as const;
export type Quantity = (typeof QUANTITIES)[number];

interface QuantitySpec {
  /** The unit readings are stored in. */
  readonly unit: string;
  /** Accepted spellings → factor to the canonical unit (value × factor). */
  readonly aliases: Readonly<Record<string, number>>;
  /** The plausible physical range when the sensor states none. */
  readonly range: readonly [number, number];
}

export const QUANTITY_SPECS: Readonly<Record<Quantity, QuantitySpec>> = {
  methane: { unit: '%LEL', aliases: { '%lel': 1, lel: 1, '%vol': 20, ppm: 1 / 500 }, range: [0, 100] },
  pressure: { unit: 'kPa', aliases: { kpa: 1, pa: 0.001, mpa: 1000, bar: 100 }, range: [-100, 10_000] },
  flow: { unit: 'm³/h', aliases: { 'm³/h': 1, 'm3/h': 1, 'l/s': 3.6, 'm³/s': 3600, 'm3/s': 3600 }, range: [0, 100_000] },
  water_level: { unit: 'm', aliases: { m: 1, cm: 0.01, mm: 0.001 }, range: [-10, 100] },
  strain: { unit: 'µε', aliases: { 'µε': 1, 'με': 1, ue: 1, 'um/m': 1, 'µm/m': 1, 'um\\m': 1 }, range: [-5000, 5000] },
  displacement: { unit: 'mm', aliases: { mm: 1, cm: 10, m: 1000 }, range: [-1000, 1000] },
  temperature: { unit: '°C', aliases: { '°c': 1, c: 1, '℃': 1, degc: 1 }, range: [-50, 150] },
  vibration: { unit: 'mm/s', aliases: { 'mm/s': 1, 'm/s': 1000 }, range: [0, 1000] },
  tilt: { unit: '°', aliases: { '°': 1, deg: 1 }, range: [-90, 90] },
  rainfall: { unit: 'mm/h', aliases: { 'mm/h': 1 }, range: [0, 500] },
  leak_noise: { unit: 'dB', aliases: { db: 1 }, range: [0, 150] },
  oxygen: { unit: '%VOL', aliases: { '%vol': 1, '%': 1 }, range: [0, 30] },
  h2s: { unit: 'ppm', aliases: { ppm: 1 }, range: [0, 1000] },
};

export function isQuantity(q: unknown): q is Quantity {
  return typeof q === 'string' && (QUANTITIES as readonly string[]).includes(q);
}

export function canonicalUnit(q: Quantity): string {
  return QUANTITY_SPECS[q].unit;
}

/** The factor that turns a value in `unit` into the quantity's canonical unit, or undefined when `unit` is not one of its units. */
export function unitFactor(q: Quantity, unit: string): number | undefined {
  return QUANTITY_SPECS[q].aliases[unit.trim().toLowerCase()];
}
