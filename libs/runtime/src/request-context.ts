import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextValues {
  requestId?: string;
  correlationId?: string;
  accountId?: string;
}

const storage = new AsyncLocalStorage<RequestContextValues>();

/** Request id and correlation id of the current HTTP request or consumed event. */
export const RequestContext = {
  run<T>(values: RequestContextValues, fn: () => T): T {
    return storage.run(values, fn);
  },
  current(): RequestContextValues {
    return storage.getStore() ?? {};
  },
  set(values: Partial<RequestContextValues>): void {
    const store = storage.getStore();
    if (store) Object.assign(store, values);
  },
};
