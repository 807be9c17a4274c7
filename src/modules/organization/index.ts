/** The organisation tree: the district, its center, departments, towns, boards, villages and grids. */
export { createOrganizationService, type OrganizationService } from './organization.service.js';
/** Kinds and shapes of units. */
export { TOWN_KINDS, UNIT_KINDS, townKindOf, type TownKind, type Unit, type UnitKind, type UnitSpec } from './unit.js';
/** The shipped reference units: the district, its center and its 40 towns. */
export { DISTRICT_CENTER_CODE, DISTRICT_CODE, REFERENCE_UNITS } from './reference-data.js';
/** Table types, for modules whose queries join units. */
export type { OrganizationTables } from './unit.repository.js';
