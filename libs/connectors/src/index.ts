export * from './connector-error';
export * from './connector-types';
export * from './webhook/webhook-event';
export * from './webhook/webhook.connector';
export * from './credentials.util';
export * from './app-connector';
