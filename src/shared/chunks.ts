/** Slices of at most `size`, for batched inserts and IN lists that stay under the databases' parameter limits. */
export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
