/**
 * The footer link directories of the portal page in ../shared/seeds (市政府部门网站, 区县政府网站,
 * 开州区部门镇街网站, 新闻媒体网站), shown only while the database is not ready (error pages): otherwise the
 * editable lists of the portal module (portal_links, seeded with the same entries) are shown.
 */
import type { MessageKey } from '../../locales/index.js';

export interface LinkGroup {
  readonly titleKey: MessageKey;
  readonly links: readonly { readonly label: string; readonly href: string }[];
}

export const FOOTER_LINK_GROUPS: readonly LinkGroup[] = [
  {
    titleKey: 'footer.cityDepartments',
    links: [
      { label: '重庆市人民政府', href: 'https://www.cq.gov.cn/' },
      { label: '中国政府网', href: 'https://www.gov.cn/' },
    ],
  },
  {
    titleKey: 'footer.districtGovernments',
    links: [{ label: '开州区人民政府', href: 'https://www.cqkz.gov.cn/' }],
  },
  {
    titleKey: 'footer.kaizhouUnits',
    links: [{ label: '开州区部门街镇目录', href: '/towns' }],
  },
  {
    titleKey: 'footer.media',
    links: [
      { label: '人民网', href: 'http://www.people.com.cn/' },
      { label: '新华网', href: 'https://www.news.cn/' },
      { label: '华龙网', href: 'https://www.cqnews.net/' },
    ],
  },
];
