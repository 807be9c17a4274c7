/**
 * The accessibility and elder-mode choices (无障碍 / 关怀版), kept in one cookie that the server reads, so the
 * page arrives already enlarged or in high contrast on first paint and without JavaScript (the MIIT 适老化 rules
 * ask for zoom, contrast and a large pointer independent of the browser; GB/T 37668 level 2 for the rest).
 * Cookie value: dash-separated tokens, e.g. `s150-chigh-l-k-g-e-t`.
 */
export const A11Y_COOKIE = 'zz_a11y';
export const TEXT_SIZES = [100, 125, 150, 175, 200] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
export const CONTRASTS = ['normal', 'high', 'dark'] as const;
export type Contrast = (typeof CONTRASTS)[number];

export interface A11yPrefs {
  readonly size: TextSize;
  readonly contrast: Contrast;
  /** Wider line and paragraph spacing (≥ 1.5 and 2× the line; WCAG 1.4.12). */
  readonly spacing: boolean;
  /** An extra-large pointer. */
  readonly cursor: boolean;
  /** A horizontal guide line that follows the pointer (needs JavaScript). */
  readonly guide: boolean;
  /** 关怀版: large text, wide spacing, a simplified page without pop-ups or moving content. */
  readonly elder: boolean;
  /** Keep the toolbar open on every page. */
  readonly toolbar: boolean;
}

export const DEFAULT_PREFS: A11yPrefs = { size: 100, contrast: 'normal', spacing: false, cursor: false, guide: false, elder: false, toolbar: false };

export function parsePrefs(cookie: string | undefined): A11yPrefs {
  if (!cookie || cookie.length > 60) return DEFAULT_PREFS;
  let prefs = { ...DEFAULT_PREFS } as { -readonly [K in keyof A11yPrefs]: A11yPrefs[K] };
  for (const token of cookie.split('-')) {
    if (/^s\d{3}$/.test(token) && (TEXT_SIZES as readonly number[]).includes(Number(token.slice(1)))) prefs.size = Number(token.slice(1)) as TextSize;
    else if (token.startsWith('c') && (CONTRASTS as readonly string[]).includes(token.slice(1))) prefs.contrast = token.slice(1) as Contrast;
    else if (token === 'l') prefs.spacing = true;
    else if (token === 'k') prefs.cursor = true;
    else if (token === 'g') prefs.guide = true;
    else if (token === 'e') prefs.elder = true;
    else if (token === 't') prefs.toolbar = true;
  }
  if (prefs.elder) prefs = { ...prefs, size: Math.max(prefs.size, 150) as TextSize, spacing: true };
  return prefs;
}

export function serializePrefs(p: A11yPrefs): string {
  return [
    p.size !== 100 ? `s${p.size}` : '',
    p.contrast !== 'normal' ? `c${p.contrast}` : '',
    p.spacing ? 'l' : '',
    p.cursor ? 'k' : '',
    p.guide ? 'g' : '',
    p.elder ? 'e' : '',
    p.toolbar ? 't' : '',
  ]
    .filter(Boolean)
    .join('-');
}

/** Whether anything differs from the default (the toolbar then stays open). */
export const isActive = (p: A11yPrefs) => serializePrefs(p) !== '';

/** The classes on <html> that carry the choices to the style sheet. */
export function prefsClasses(p: A11yPrefs): string {
  return [
    p.size !== 100 ? `a11y-s${p.size}` : '',
    p.contrast !== 'normal' ? `a11y-${p.contrast}` : '',
    p.spacing ? 'a11y-spacing' : '',
    p.cursor ? 'a11y-cursor' : '',
    p.guide ? 'a11y-guide' : '',
    p.elder ? 'elder' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** One change asked for by a toolbar link or the settings form. */
export type PrefChange =
  | { readonly kind: 'size'; readonly value: 'up' | 'down' | TextSize }
  | { readonly kind: 'contrast'; readonly value: Contrast }
  | { readonly kind: 'toggle'; readonly value: 'spacing' | 'cursor' | 'guide' | 'elder' | 'toolbar' }
  | { readonly kind: 'reset' };

export function applyChange(p: A11yPrefs, change: PrefChange): A11yPrefs {
  switch (change.kind) {
    case 'reset':
      return DEFAULT_PREFS;
    case 'contrast':
      return { ...p, contrast: change.value, toolbar: true };
    case 'toggle': {
      const next = { ...p, [change.value]: !p[change.value] };
      // Leaving the elder mode returns to normal text unless a size was chosen on its own.
      if (change.value === 'elder' && !next.elder) return { ...next, size: 100, spacing: false };
      return change.value === 'toolbar' ? next : { ...next, toolbar: next.toolbar || change.value !== 'elder' };
    }
    case 'size': {
      const i = TEXT_SIZES.indexOf(p.size);
      const size = change.value === 'up' ? TEXT_SIZES[Math.min(i + 1, TEXT_SIZES.length - 1)]! : change.value === 'down' ? TEXT_SIZES[Math.max(i - 1, 0)]! : change.value;
      return { ...p, size, toolbar: true };
    }
  }
}

/** Reads a change from query parameters (`size=up`, `contrast=high`, `toggle=spacing`, `reset=1`). */
export function changeFromQuery(q: (name: string) => string | undefined): PrefChange | undefined {
  const size = q('size');
  if (size === 'up' || size === 'down') return { kind: 'size', value: size };
  if (size && (TEXT_SIZES as readonly number[]).includes(Number(size))) return { kind: 'size', value: Number(size) as TextSize };
  const contrast = q('contrast');
  if (contrast && (CONTRASTS as readonly string[]).includes(contrast)) return { kind: 'contrast', value: contrast as Contrast };
  const toggle = q('toggle');
  if (toggle === 'spacing' || toggle === 'cursor' || toggle === 'guide' || toggle === 'elder' || toggle === 'toolbar') return { kind: 'toggle', value: toggle };
  if (q('reset')) return { kind: 'reset' };
  return undefined;
}

/** Only a path on this site may be returned to (no open redirect). */
export function safeBack(back: string | undefined): string {
  return back && back.startsWith('/') && !back.startsWith('//') && !back.startsWith('/\\') && back.length <= 500 ? back : '/';
}
