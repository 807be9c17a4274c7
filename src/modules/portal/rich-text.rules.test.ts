import { describe, expect, it } from 'vitest';
import { bodyImages, bodyLinks, figureHtml, htmlToText, normaliseBody, sanitizeBody } from './rich-text.rules.js';

const SHA = 'a'.repeat(64);

describe('sanitised rich text', () => {
  it('removes scripts, event handlers and javascript: links, and says what it removed', () => {
    const r = sanitizeBody('<p onclick="steal()">你好<a href="javascript:alert(1)">点我</a><a href=" JaVaScRiPt:alert(2)">再点</a></p><script>alert(3)</script><img src=x onerror="alert(4)">');
    expect(r.html).not.toMatch(/script|onclick|onerror|javascript/i);
    expect(r.html).toContain('<p>你好<a>点我</a><a>再点</a></p>');
    expect(r.removed).toEqual(
      expect.arrayContaining([
        { kind: 'attribute', what: 'on*', count: 2 },
        { kind: 'url', what: 'javascript:', count: 2 },
        { kind: 'element', what: 'script', count: 1 },
      ]),
    );
  });

  it('keeps structure, site links and this site’s images; drops styles, frames and remote images', () => {
    const r = sanitizeBody(`<h2 style="color:red">标题</h2><iframe src="https://x"></iframe><p><a href="/articles/1">站内</a> <a href="https://www.gov.cn/">政府网</a></p><figure><img src="/files/${SHA}/a.png" alt="示意图"><figcaption>说明</figcaption></figure><img src="https://tracker.example/p.gif" alt="x">`);
    expect(r.html).toBe(`<h2>标题</h2><p><a href="/articles/1">站内</a> <a href="https://www.gov.cn/">政府网</a></p><figure><img src="/files/${SHA}/a.png" alt="示意图" /><figcaption>说明</figcaption></figure>`);
    expect(r.removed.map((x) => `${x.kind}:${x.what}`).sort()).toEqual(['attribute:style', 'element:iframe', 'url:https:'].sort());
  });

  it('turns plain paragraphs into HTML and escapes them', () => {
    expect(normaliseBody('第一段\n第二行\n\n第二段 <3 & 4')).toBe('<p>第一段<br>第二行</p>\n<p>第二段 &lt;3 &amp; 4</p>');
    expect(sanitizeBody('').html).toBe('');
  });

  it('reads text, images with their captions and links', () => {
    const html = `<p>甲&amp;乙</p>${figureHtml(`/files/${SHA}/a.png`, '湖边 "步道"', '新坡道')}<img src="/files/${SHA}/b.png" alt=""><p><a href="/x?a=1&amp;b=2">x</a></p>`;
    expect(htmlToText(html)).toBe('甲&乙\n湖边 "步道" 新坡道\nx');
    expect(bodyImages(sanitizeBody(html).html)).toEqual([
      { src: `/files/${SHA}/a.png`, alt: '湖边 "步道"', caption: '新坡道' },
      { src: `/files/${SHA}/b.png`, alt: '', caption: null },
    ]);
    expect(bodyLinks(html)).toEqual(['/x?a=1&b=2']);
  });
});
