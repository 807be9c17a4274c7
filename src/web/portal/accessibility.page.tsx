/**
 * The accessibility page: every choice of the toolbar as a form that works without JavaScript, the keyboard
 * help, and the accessibility statement (what the site aims for and how to report a barrier).
 */
import type { FC } from 'hono/jsx';
import { CONTRASTS, TEXT_SIZES } from '../components/accessibility.js';
import { Layout, type PageContext } from '../components/layout.js';

export const AccessibilityPage: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const { t, a11y } = ctx;
  const check = (name: string, label: string, on: boolean) => (
    <li>
      <a href={`/accessibility/set?toggle=${name}&back=%2Faccessibility`} class={on ? 'a11y-opt is-on' : 'a11y-opt'} data-a11y={`toggle=${name}`}>
        {label}：{on ? t('a11y.on') : t('a11y.off')}
      </a>
    </li>
  );
  return (
    <Layout ctx={ctx} title={t('a11y.title')} crumbs={[{ label: t('a11y.title') }]}>
      <h1>{t('a11y.title')}</h1>
      <p class="lead">{t('a11y.intro')}</p>
      <section class="card" aria-labelledby="a11y-size-heading">
        <h2 id="a11y-size-heading">{t('a11y.textSize')}</h2>
        <ul class="a11y-choices">
          {TEXT_SIZES.map((s) => (
            <li>
              <a href={`/accessibility/set?size=${s}&back=%2Faccessibility`} class={a11y.size === s ? 'a11y-opt is-on' : 'a11y-opt'} data-a11y={`size=${s}`} aria-current={a11y.size === s ? 'true' : undefined}>
                {s}%
              </a>
            </li>
          ))}
        </ul>
        <h2>{t('a11y.contrast')}</h2>
        <ul class="a11y-choices">
          {CONTRASTS.map((c) => (
            <li>
              <a href={`/accessibility/set?contrast=${c}&back=%2Faccessibility`} class={a11y.contrast === c ? 'a11y-opt is-on' : 'a11y-opt'} data-a11y={`contrast=${c}`} aria-current={a11y.contrast === c ? 'true' : undefined}>
                {t(c === 'normal' ? 'a11y.contrastNormal' : c === 'high' ? 'a11y.contrastHigh' : 'a11y.contrastDark')}
              </a>
            </li>
          ))}
        </ul>
        <h2>{t('a11y.more')}</h2>
        <ul class="a11y-choices">
          {check('spacing', t('a11y.spacing'), a11y.spacing)}
          {check('cursor', t('a11y.cursor'), a11y.cursor)}
          {check('guide', t('a11y.guide'), a11y.guide)}
          {check('elder', t('a11y.elder'), a11y.elder)}
          {check('toolbar', t('a11y.keepToolbar'), a11y.toolbar)}
          <li>
            <a href="/accessibility/set?reset=1&back=%2Faccessibility" class="a11y-opt" data-a11y="reset=1">
              {t('a11y.reset')}
            </a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="a11y-keys-heading">
        <h2 id="a11y-keys-heading">{t('a11y.keysTitle')}</h2>
        <ul>
          <li>{t('a11y.keysTab')}</li>
          <li>{t('a11y.keysSkip')}</li>
          <li>{t('a11y.keysEnter')}</li>
          <li>{t('a11y.keysRead')}</li>
        </ul>
      </section>
      <section aria-labelledby="a11y-statement-heading">
        <h2 id="a11y-statement-heading">{t('a11y.statement')}</h2>
        <p>{t('a11y.statementBody')}</p>
        <p>{t('a11y.elderBody')}</p>
      </section>
    </Layout>
  );
};
