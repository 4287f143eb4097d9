/** Worker-thread entry for the pool: SaxonJS and the compiled stylesheets load once per worker. */
import { transformDocument, type TransformTask } from './stages/transform.js';

export default function run(task: TransformTask) {
  return transformDocument(task);
}
