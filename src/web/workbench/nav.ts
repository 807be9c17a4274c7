/**
 * The workbench's navigation: one entry per staff page, shown only to people whose posts allow its action.
 * Each area adds its entries here (one line each) so the menu is the same on every page.
 */
import type { MessageKey } from '../../locales/index.js';
import type { Action } from '../../modules/access/index.js';

export type NavGroup = 'work' | 'lifeline' | 'content' | 'admin';

export interface NavItem {
  readonly href: string;
  readonly labelKey: MessageKey;
  readonly group: NavGroup;
  /** Shown when the signed-in person may do this action somewhere. */
  readonly action: Action;
}

export const NAV_GROUPS: readonly { readonly group: NavGroup; readonly labelKey: MessageKey }[] = [
  { group: 'work', labelKey: 'wb.nav.group.work' },
  { group: 'lifeline', labelKey: 'wb.nav.group.lifeline' },
  { group: 'content', labelKey: 'wb.nav.group.content' },
  { group: 'admin', labelKey: 'wb.nav.group.admin' },
];

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/workbench/incidents', labelKey: 'inc.console', group: 'work', action: 'incident.read' },
  { href: '/workbench/incidents/new', labelKey: 'inc.new', group: 'work', action: 'incident.report' },
  { href: '/workbench/patrol', labelKey: 'inc.patrol', group: 'work', action: 'incident.verify' },
  { href: '/workbench/notifications', labelKey: 'inc.notifications', group: 'work', action: 'incident.read' },
  { href: '/workbench/stats', labelKey: 'inc.stats', group: 'work', action: 'stats.read' },
  { href: '/workbench/catalog', labelKey: 'inc.catalog', group: 'admin', action: 'catalog.manage' },
  { href: '/workbench/content', labelKey: 'wb.nav.content', group: 'content', action: 'content.edit' },
  { href: '/workbench/columns', labelKey: 'wb.nav.columns', group: 'content', action: 'content.publish' },
  { href: '/workbench/profiles', labelKey: 'wb.nav.profiles', group: 'content', action: 'content.publish' },
  { href: '/workbench/links', labelKey: 'wb.nav.links', group: 'content', action: 'content.publish' },
  { href: '/workbench/words', labelKey: 'wb.nav.words', group: 'content', action: 'content.review' },
  { href: '/workbench/freshness', labelKey: 'wb.nav.freshness', group: 'content', action: 'content.edit' },
  { href: '/workbench/units', labelKey: 'wb.nav.units', group: 'admin', action: 'unit.read' },
  { href: '/workbench/people', labelKey: 'wb.nav.people', group: 'admin', action: 'user.read' },
  { href: '/workbench/tokens', labelKey: 'wb.nav.tokens', group: 'admin', action: 'token.manage' },
  { href: '/workbench/audit', labelKey: 'wb.nav.audit', group: 'admin', action: 'audit.read' },
  { href: '/workbench/lifeline', labelKey: 'wb.nav.lifelineBoard', group: 'lifeline', action: 'alarm.read' },
  { href: '/workbench/lifeline/alarms', labelKey: 'wb.nav.lifelineAlarms', group: 'lifeline', action: 'alarm.read' },
  { href: '/workbench/lifeline/assets', labelKey: 'wb.nav.lifelineAssets', group: 'lifeline', action: 'asset.read' },
  { href: '/workbench/lifeline/statistics', labelKey: 'wb.nav.lifelineStats', group: 'lifeline', action: 'alarm.read' },
  { href: '/workbench/lifeline/profiles', labelKey: 'wb.nav.lifelineProfiles', group: 'lifeline', action: 'asset.read' },
  { href: '/workbench/lifeline/credentials', labelKey: 'wb.nav.lifelineCredentials', group: 'lifeline', action: 'asset.manage' },
  { href: '/workbench/calendar', labelKey: 'wb.nav.calendar', group: 'admin', action: 'calendar.manage' },
];
