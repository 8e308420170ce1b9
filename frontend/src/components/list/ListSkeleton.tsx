import { Skeleton } from "../ui/Skeleton";

/** Placeholder rows with the shape of a list's rows while its first page loads. */
export function ListSkeleton({ rows = 5, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-busy="true" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      <span className="sr-only">{label}…</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-4 px-4 py-3.5">
          <div className="min-w-0 flex-1 space-y-2">
            <Skeleton className={`h-4 ${i % 2 === 0 ? "w-1/3" : "w-1/4"}`} />
            <Skeleton className={`h-3 ${i % 3 === 0 ? "w-1/2" : "w-2/3"}`} />
          </div>
          <Skeleton className="h-4 w-24" />
        </div>
      ))}
    </div>
  );
}
