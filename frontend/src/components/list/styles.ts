/** Class names shared by the rows of every list, so that lists look alike. */

/** A list of rows, one line between each. */
export const LIST = "divide-y divide-zinc-100 dark:divide-zinc-800";

/** One row: its main text grows, its side notes and actions keep their width. */
export const ROW = "flex items-center gap-4 px-4 py-3";

/** The row's title when it opens the item. */
export const ROW_LINK =
  "rounded-sm font-medium hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500";

/** A row's secondary line. */
export const ROW_NOTE = "truncate text-sm text-zinc-600 dark:text-zinc-400";

/** A table cell. */
export const CELL = "px-4 py-2.5";
