/**
 * The dead-link job's use case: every link the public can follow (the footer directories and links inside live
 * documents) is probed, the result kept per address with a count of consecutive failures, and rows of addresses
 * no longer linked are dropped. Internal addresses are probed on this site; other sites only when enabled.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import type { LinkCheck } from './column.js';
import type { ContentService } from './content.service.js';
import type { LinkProbe } from './portal.js';
import { bodyLinks } from './rich-text.rules.js';
import * as repo from './site.repository.js';

export interface LinkPlace {
  /** A readable place: the footer group's title, or the document's title. */
  readonly where: string;
  /** Where an editor fixes it. */
  readonly href: string;
}

export interface LinkCheckService {
  /** Every followable address with the places it appears. */
  inventory(): Promise<Map<string, LinkPlace[]>>;
  /** Probes every address; returns how many were checked, failed and skipped (external while disabled). */
  findDeadLinks(): Promise<{ checked: number; dead: number; skipped: number }>;
  /** Current failing addresses with their places. */
  deadLinks(): Promise<{ url: string; status: number | null; error: string | null; failures: number; places: LinkPlace[] }[]>;
  /** What the job last found for these addresses. */
  checks(urls: readonly string[]): Promise<LinkCheck[]>;
  readonly externalEnabled: boolean;
}

const isInternal = (url: string) => url.startsWith('/') && !url.startsWith('//');

export function createLinkCheckService(database: Database, clock: Clock, content: ContentService, probe: LinkProbe): LinkCheckService {
  const { db } = database;
  const service: LinkCheckService = {
    externalEnabled: probe.external,
    async inventory() {
      const places = new Map<string, LinkPlace[]>();
      const add = (url: string, place: LinkPlace) => {
        if (url.startsWith('#') || /^(mailto|tel):/i.test(url)) return;
        const list = places.get(url) ?? [];
        if (!list.some((p) => p.href === place.href)) list.push(place);
        places.set(url, list);
      };
      for (const g of await repo.findLinkGroups(db)) for (const l of g.links) add(l.url, { where: g.title, href: '/workbench/links' });
      for (let after = 0; ; ) {
        const page = await content.liveBodies(after, 200);
        if (page.length === 0) break;
        for (const d of page) for (const url of bodyLinks(d.bodyHtml)) add(url, { where: d.title, href: `/workbench/content/${d.id}` });
        after = page[page.length - 1]!.id;
      }
      return places;
    },
    async findDeadLinks() {
      const urls = [...(await service.inventory()).keys()];
      const toProbe = urls.filter((u) => isInternal(u) || probe.external);
      let dead = 0;
      // A few at a time: enough to finish a portal's links in minutes, gentle on the sites probed.
      const queue = [...toProbe];
      const worker = async () => {
        for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
          const result = await probe.probe(url);
          if (!result.ok) dead++;
          await database.transaction((tx) => repo.saveLinkCheck(tx, { url, ...result }, clock.now()));
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      await database.transaction((tx) => repo.deleteLinkChecksExcept(tx, toProbe));
      return { checked: toProbe.length, dead, skipped: urls.length - toProbe.length };
    },
    checks: (urls) => repo.findLinkChecks(db, urls),
    async deadLinks() {
      const inventory = await service.inventory();
      const checks = await repo.findLinkChecks(db);
      return checks.filter((c) => !c.ok && inventory.has(c.url)).map((c) => ({ url: c.url, status: c.status, error: c.error, failures: c.failures, places: inventory.get(c.url)! }));
    },
  };
  return service;
}

/**
 * A probe over HTTP: internal paths against this site's public address, others as they are; HEAD first, GET
 * when a server refuses HEAD; a redirect is followed; anything but 2xx/3xx, a timeout or no answer is dead.
 */
export function createHttpLinkProbe(options: { publicUrl: string; external: boolean; timeoutMs?: number }): LinkProbe {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const request = async (url: string, method: 'HEAD' | 'GET') => {
    const res = await fetch(url, { method, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'ZhizhiLinkCheck/1.0' } });
    await res.body?.cancel();
    return res.status;
  };
  return {
    external: options.external,
    async probe(url) {
      const target = isInternal(url) ? `${options.publicUrl}${url}` : url;
      try {
        let status = await request(target, 'HEAD');
        if (status === 405 || status === 501) status = await request(target, 'GET');
        return { ok: status < 400, status, error: null };
      } catch (e) {
        return { ok: false, status: null, error: (e as Error).name === 'TimeoutError' ? 'timeout' : ((e as Error).message || 'error').slice(0, 200) };
      }
    },
  };
}
