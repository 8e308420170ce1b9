/** The page to go to after signing in: a local path from ?next=, or the dashboard. */
export function safeNext(next: string | null): string {
  if (
    next === null ||
    !next.startsWith("/") ||
    next.startsWith("//") ||
    next.startsWith("/login")
  ) {
    return "/";
  }
  return next;
}
