import { readFileSync } from 'node:fs';
import { parseXml, transform } from '../src/xslt/run.ts';
const files = process.argv.slice(2);
for (let round = 0; round < 2; round++) {
  for (const f of files) {
    const t0 = Date.now();
    const doc = await parseXml(readFileSync(f, 'utf8'));
    const t1 = Date.now();
    const times: number[] = [];
    for (const s of ['meta/meta.xsl', 'html/html.xsl', 'text/text.xsl']) {
      const t = Date.now();
      await transform(s, doc, {});
      times.push(Date.now() - t);
    }
    console.log(round, f.split('/').pop(), 'parse', t1 - t0, 'ms', times);
  }
}
