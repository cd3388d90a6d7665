/** Every /v1 list answers this shape. */
export interface ListOutput<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}
