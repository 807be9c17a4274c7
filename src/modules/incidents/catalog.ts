/** The incident catalogue (事项目录/派单目录): categories, their versions and the routing table. */
import type { Limit, Limits, Stage, Urgency } from './incident.js';

export const CATEGORY_CLASSES = ['component', 'event', 'service'] as const;
/** 部件 (public facilities), 事件 (events), 服务 (12345 service matters). */
export type CategoryClass = (typeof CATEGORY_CLASSES)[number];

/** The six datatypes of an Open311 GeoReport v2 service attribute (spec: "GET Service Definition"). */
export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

/**
 * A question a category asks beyond the common fields (Open311's service attribute). `variable: false` marks
 * an informational line with nothing to answer; list types offer `values` (key → name).
 */
export interface CategoryAttribute {
  readonly code: string;
  readonly variable: boolean;
  readonly datatype: AttributeDatatype;
  readonly required: boolean;
  readonly datatypeDescription: string | null;
  /** Position in the form, a positive integer unique within the category version. */
  readonly order: number;
  readonly description: string;
  readonly values: readonly { readonly key: string; readonly name: string }[];
}

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
  readonly attributes: readonly CategoryAttribute[];
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
  /** Absent on a revision: the new version keeps the previous version's attributes. */
  readonly attributes?: readonly CategoryAttribute[];
}

export type { Limit, Limits, Stage };
