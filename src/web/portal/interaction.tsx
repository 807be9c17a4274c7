/**
 * The 互动交流 channels. The public reporting forms (我要咨询, 建议, 投诉, 举报, 领导信箱, 12350) are built by the
 * public-channel module: it fills in each channel's address here (one line each) as its form lands; until then a
 * channel is listed as coming soon rather than linked, so no dead link is published.
 */
import type { FC } from 'hono/jsx';
import type { MessageKey } from '../../locales/index.js';
import type { PageContext } from '../components/layout.js';

export interface InteractionChannel {
  readonly key: MessageKey;
  readonly description: MessageKey;
  /** The form's address once it exists. */
  readonly href: string | null;
}

export const INTERACTION_CHANNELS: readonly InteractionChannel[] = [
  { key: 'interaction.reflect', description: 'interaction.reflectHelp', href: '/report' },
  { key: 'interaction.consult', description: 'interaction.consultHelp', href: '/interaction/consult' },
  { key: 'interaction.suggest', description: 'interaction.suggestHelp', href: '/interaction/suggest' },
  { key: 'interaction.complain', description: 'interaction.complainHelp', href: '/interaction/complain' },
  { key: 'interaction.report', description: 'interaction.reportHelp', href: '/interaction/report' },
  { key: 'interaction.mailbox', description: 'interaction.mailboxHelp', href: '/interaction/mailbox' },
  { key: 'interaction.safety', description: 'interaction.safetyHelp', href: '/interaction/safety' },
];

export const InteractionChannels: FC<{ ctx: PageContext; compact?: boolean }> = ({ ctx, compact }) => (
  <>
    <ul class={compact ? 'channels channels-compact' : 'channels'}>
      {INTERACTION_CHANNELS.map((ch) => (
        <li>
          {ch.href ? <a href={ch.href}>{ctx.t(ch.key)}</a> : <span class="channel-name">{ctx.t(ch.key)}</span>}
          {!ch.href && <span class="muted channel-soon">{ctx.t('interaction.soon')}</span>}
          {!compact && <p class="muted">{ctx.t(ch.description)}</p>}
        </li>
      ))}
    </ul>
    {!compact && (
      <p>
        <a href="/track">{ctx.t('interaction.track')}</a> · <a href="/reports">{ctx.t('reports.title')}</a> · <a href="/interaction/letters">{ctx.t('letters.title')}</a>
      </p>
    )}
  </>
);
