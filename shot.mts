import { launchBrowser } from './test/browser.ts';
const [url, out, w, h, cookie] = process.argv.slice(2);
const b = await launchBrowser({ viewport: { width: Number(w), height: Number(h) } });
if (cookie) await b.context.addCookies([{ name: 'zz_a11y', value: cookie, url: url! }]);
const p = await b.context.newPage();
await p.goto(url!);
await p.screenshot({ path: out!, fullPage: true });
await b.close();
