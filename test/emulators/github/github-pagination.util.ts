import type { GitHubCall, GitHubReply } from './github-http.types';

/**
 * `page`/`per_page` pagination with a `link` header (reference §2.4 "Pagination"): default 30,
 * maximum 100 [unconfirmed maximum], no `link` when everything fits on one page, absolute URLs
 * from the emulator's own origin so `octokit.paginate` follows them (§2.6).
 */
export function paginated<T>(call: GitHubCall, items: readonly T[]): GitHubReply {
  const perPage = Math.min(Math.max(Number(call.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(call.query.get('page') ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  if (lastPage === 1) return { status: 200, body };
  const url = (p: number): string => {
    const query = new URLSearchParams(call.query);
    query.set('per_page', String(perPage));
    query.set('page', String(p));
    return `<${call.origin}${call.path}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`${url(page + 1)}; rel="next"`, `${url(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${url(1)}; rel="first"`, `${url(page - 1)}; rel="prev"`);
  return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body };
}
