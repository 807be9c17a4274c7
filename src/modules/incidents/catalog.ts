/** The incident catalogue (事项目录/派单目录): categories, their versions and the routing table. */
import type { Limit, Limits, Stage, Urgency } from './incident.js';

export const CATEGORY_CLASSES = ['component', 'event', 'service'] as const;
/** 部件 (public facilities), 事件 (events), 服务 (12345 service matters). */
export type CategoryClass = (typeof CATEGORY_CLASSES)[number];

export interface CategoryVersion {
  readonly id: number;
  readonly categoryId: number;
  readonly version: number;
  readonly name: string;
  readonly description: string | null;
  readonly filingCondition: string | null;
  readonly closingCondition: string | null;
  readonly defaultUrgency: Urgency;
  readonly limits: Limits;
  readonly publicVisible: boolean;
  readonly duplicateRadiusM: number;
  readonly createdAt: Date;
}

export interface Category {
  readonly id: number;
  readonly code: string;
  readonly parentId: number | null;
  readonly class: CategoryClass;
  readonly sortOrder: number;
  readonly isDemo: boolean;
  readonly retiredAt: Date | null;
  /** The current (latest) version. */
  readonly current: CategoryVersion;
}

export interface Route {
  readonly id: number;
  readonly categoryId: number;
  readonly areaUnitId: number | null;
  readonly leadUnitId: number;
  readonly coUnitIds: readonly number[];
}

export interface CategoryInput {
  readonly name: string;
  readonly description?: string | null;
  readonly filingCondition?: string | null;
  readonly closingCondition?: string | null;
  readonly defaultUrgency?: Urgency;
  readonly limits: Limits;
  readonly publicVisible?: boolean;
  readonly duplicateRadiusM?: number;
}

export type { Limit, Limits, Stage };
