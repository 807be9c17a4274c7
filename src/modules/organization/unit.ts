/** Units of the organisation tree and their kinds. */
export const UNIT_KINDS = [
  'district',
  'district_center',
  'department',
  'utility',
  'street',
  'town',
  'township',
  'command_center',
  'board',
  'community',
  'village',
  'grid',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Town-level kinds: 街道, 镇, 乡. */
export const TOWN_KINDS = ['street', 'town', 'township'] as const satisfies readonly UnitKind[];
export type TownKind = (typeof TOWN_KINDS)[number];

export interface Unit {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly parentId: number | null;
  readonly sortOrder: number;
  readonly isDemo: boolean;
  readonly retiredAt: Date | null;
}

/** A unit as reference data describes it, before it has an id. */
export interface UnitSpec {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly parentCode: string | null;
  readonly sortOrder: number;
}

/** The kind of a town-level unit, from the suffix of its official name. */
export function townKindOf(name: string): TownKind {
  if (name.endsWith('街道')) return 'street';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡')) return 'township';
  throw new Error(`Not a town-level name: ${name}`);
}
