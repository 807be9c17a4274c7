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

/** The four boards of every town's command center (the "4" of "141"). */
export const BOARD_TYPES = ['party_building', 'economy', 'livelihood', 'safety_law'] as const;
export type BoardType = (typeof BOARD_TYPES)[number];
export const GRID_TYPES = ['comprehensive', 'special'] as const;
export type GridType = (typeof GRID_TYPES)[number];

export interface Unit {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly subtype: string | null;
  readonly parentId: number | null;
  /** Ids from the root down, e.g. '/1/7/300/'; a subtree is a path prefix. */
  readonly path: string;
  readonly sortOrder: number;
  readonly isDemo: boolean;
  readonly retiredAt: Date | null;
  readonly successorId: number | null;
  readonly duties: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly households: number | null;
  readonly residents: number | null;
}

/** Editable details of a unit. */
export interface UnitDetails {
  readonly name?: string;
  readonly subtype?: string | null;
  readonly duties?: string | null;
  readonly phone?: string | null;
  readonly address?: string | null;
  readonly households?: number | null;
  readonly residents?: number | null;
  readonly sortOrder?: number;
}

/** A unit as reference data or an import describes it, before it has an id. */
export interface UnitSpec extends UnitDetails {
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
