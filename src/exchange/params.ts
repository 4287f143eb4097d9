/** Stylesheet parameters of the exchange stylesheets, from the edition config. */
import type { EditionConfig } from '../config.js';

export interface ExchangeParams {
  'edition-title': string;
  lang: string;
  publisher: string;
  'pub-place': string;
  'base-url': string;
  'licence-label': string;
  'licence-url': string;
  version: string;
  'cmif-source': string;
}

export function exchangeParams(config: EditionConfig, cmifSource: string): ExchangeParams {
  return {
    'edition-title': config.title,
    lang: config.language,
    publisher: config.publisher,
    'pub-place': config.publisherPlace ?? '',
    'base-url': config.baseUrl,
    'licence-label': config.licence.label,
    'licence-url': config.licence.url ?? '',
    version: config.version,
    'cmif-source': cmifSource,
  };
}
