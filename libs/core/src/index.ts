export * from './domain-error';
export * from './semaphore.util';
export * from './lru-cache.util';
export * from './credential-cipher';
