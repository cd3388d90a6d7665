import { ConnectorError } from './connector-error';

/**
 * The associated data that binds an encrypted credentials blob to its connection (AES-256-GCM
 * AAD): a blob copied onto another connection or organization fails to decrypt.
 */
export function credentialsAad(connection: { readonly organizationId: string; readonly id: string }): string {
  return `connection:${connection.organizationId}:${connection.id}`;
}

/**
 * A connection's credentials in the clear, for the API's connection test and the worker: one
 * place that knows the blob format and what to say when the key no longer opens it.
 */
export function decryptCredentials(
  decrypt: (blob: string, associatedData: string) => string,
  connection: { readonly organizationId: string; readonly id: string; readonly encryptedCredentials: string | null },
): Record<string, unknown> {
  if (!connection.encryptedCredentials) return {};
  try {
    return JSON.parse(decrypt(connection.encryptedCredentials, credentialsAad(connection))) as Record<string, unknown>;
  } catch {
    throw new ConnectorError('unauthorized', 'The stored credentials cannot be decrypted with the current ENCRYPTION_KEY; set them again with PATCH.');
  }
}
