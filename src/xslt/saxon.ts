/**
 * SaxonJS, loaded as the CommonJS module it is. Its package declares no module type, so an ES
 * `import` of it makes Node compile its 1.7 MB script once more to detect the module syntax
 * (~0.25–0.5 s in every thread that loads it: the build's, each worker's); `require` does not.
 */
import { createRequire } from 'node:module';
import type SaxonJSStatic from 'saxon-js';

const SaxonJS: typeof SaxonJSStatic = createRequire(import.meta.url)('saxon-js');
export default SaxonJS;
