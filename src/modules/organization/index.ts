/** The organisation tree: the district, its center, departments, towns, boards, villages and grids. */
export { createOrganizationService, type ChangeContext, type ImportResult, type OrganizationService, type UnitEvent } from './organization.service.js';
/** Kinds and shapes of units. */
export {
  BOARD_TYPES,
  GRID_TYPES,
  TOWN_KINDS,
  UNIT_KINDS,
  townKindOf,
  type BoardType,
  type GridType,
  type TownKind,
  type Unit,
  type UnitDetails,
  type UnitKind,
  type UnitSpec,
} from './unit.js';
/** Which kinds may sit under which. */
export { parentAllowed, subtypeAllowed } from './unit.rules.js';
/** The shipped reference units: the district, its center, its 40 towns with their command centers and boards. */
export { DISTRICT_CENTER_CODE, DISTRICT_CODE, REFERENCE_UNITS, boardCode, commandCenterCode } from './reference-data.js';
/** Table types, for modules whose queries join units. */
export type { OrganizationTables, UnitsTable } from './unit.repository.js';
