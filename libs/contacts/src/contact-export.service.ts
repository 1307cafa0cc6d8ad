import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { AccountScope } from '@wwb/persistence';
import { normaliseTags } from './contact-fields.policy';
import { ContactFilter, ContactRepository } from './contact.repository';
import { exportHeader, exportRecord } from './contact-row.policy';

/**
 * CSV export in the import's format (phone, name, tags, timeZone, language, optedOut, then
 * `attr.<name>` columns), streamed from a Mongo cursor: any number of contacts in bounded memory.
 * Attribute columns are found by a first pass over the attributes only.
 */
@Injectable()
export class ContactExportService {
  constructor(private readonly contacts: ContactRepository) {}

  async export(scope: AccountScope, query: ContactFilter): Promise<Readable> {
    const filter: ContactFilter = {
      ...(query.tags?.length ? { tags: normaliseTags(query.tags) } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.optedOut !== undefined ? { optedOut: query.optedOut } : {}),
    };
    const names = await this.contacts.attributeNames(scope, filter);
    const contacts = this.contacts;
    async function* records(): AsyncGenerator<string[]> {
      yield exportHeader(names);
      for await (const contact of contacts.stream(scope, filter)) yield exportRecord(contact, names);
    }
    const source = Readable.from(records());
    const csv = stringify();
    source.on('error', (err) => csv.destroy(err));
    return source.pipe(csv);
  }
}
