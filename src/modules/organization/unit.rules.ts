/**
 * Which units may sit under which, and which subtypes each kind takes: the shape of the "141" tree
 * (district → center, departments, utilities, towns; town → command center, boards, villages/communities;
 * village/community → grids). Pure.
 */
import { BOARD_TYPES, GRID_TYPES, type UnitKind } from './unit.js';

const ALLOWED_PARENTS: Record<UnitKind, readonly (UnitKind | null)[]> = {
  district: [null],
  district_center: ['district'],
  department: ['district', 'department'],
  utility: ['district'],
  street: ['district'],
  town: ['district'],
  township: ['district'],
  command_center: ['street', 'town', 'township'],
  board: ['command_center', 'street', 'town', 'township'],
  community: ['street', 'town', 'township'],
  village: ['street', 'town', 'township'],
  grid: ['community', 'village', 'street', 'town', 'township'],
};

export function parentAllowed(kind: UnitKind, parentKind: UnitKind | null): boolean {
  return ALLOWED_PARENTS[kind]?.includes(parentKind) ?? false;
}

export function subtypeAllowed(kind: UnitKind, subtype: string | null | undefined): boolean {
  if (subtype === null || subtype === undefined || subtype === '') return true;
  if (kind === 'board') return (BOARD_TYPES as readonly string[]).includes(subtype);
  if (kind === 'grid') return (GRID_TYPES as readonly string[]).includes(subtype);
  return true;
}

export const CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;
