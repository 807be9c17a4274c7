/** Columns (栏目): the portal's editable tree of sections. */
export const COLUMN_KINDS = ['news', 'notice', 'policy', 'interpretation', 'directory', 'interaction', 'service', 'page'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export interface Column {
  readonly id: number;
  readonly slug: string;
  readonly parentId: number | null;
  readonly name: string;
  readonly kind: ColumnKind;
  readonly description: string | null;
  readonly sortOrder: number;
  readonly freshnessDays: number | null;
  readonly hidden: boolean;
}

export interface ColumnInput {
  readonly slug: string;
  readonly parentId: number | null;
  readonly name: string;
  readonly kind: ColumnKind;
  readonly description?: string | null;
  readonly sortOrder?: number;
  readonly freshnessDays?: number | null;
  readonly hidden?: boolean;
}

export interface LinkGroup {
  readonly id: number;
  readonly key: string;
  readonly title: string;
  readonly sortOrder: number;
  readonly links: readonly Link[];
}

export interface Link {
  readonly id: number;
  readonly groupId: number;
  readonly label: string;
  readonly url: string;
  readonly sortOrder: number;
}

export interface LinkCheck {
  readonly url: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly error: string | null;
  readonly failures: number;
  readonly checkedAt: Date;
}

export interface Leader {
  readonly name: string;
  readonly title: string;
  readonly portfolio?: string;
}

/** What the portal adds to a unit (a department or a town) for its 部门街镇 page. */
export interface UnitProfile {
  readonly unitId: number;
  readonly intro: string | null;
  readonly leaders: readonly Leader[];
  readonly officeHours: string | null;
  readonly isDemo: boolean;
  readonly updatedAt: Date;
}

/** What every public page shows: the columns for navigation and the footer link directories. */
export interface SiteFurniture {
  readonly version: number;
  readonly columns: readonly Column[];
  readonly linkGroups: readonly LinkGroup[];
}
