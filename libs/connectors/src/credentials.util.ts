/**
 * The associated data that binds an encrypted credentials blob to its connection (AES-256-GCM
 * AAD): a blob copied onto another connection or organization fails to decrypt.
 */
export function credentialsAad(connection: { readonly organizationId: string; readonly id: string }): string {
  return `connection:${connection.organizationId}:${connection.id}`;
}
