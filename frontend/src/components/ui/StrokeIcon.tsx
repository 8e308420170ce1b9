/* StrokeIcon: a decorative line icon drawn from SVG path data on a 24-unit grid, in the
 * current text colour (hidden from assistive technology: its label is the text beside it);
 * "className" replaces the default size-4. */
export function StrokeIcon({
  d,
  className,
}: {
  d: string | readonly string[];
  className?: string;
}) {
  const paths = typeof d === "string" ? [d] : d;
  return (
    <svg
      viewBox="0 0 24 24"
      className={className ?? "size-4"}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths.map((p) => (
        <path key={p} d={p} />
      ))}
    </svg>
  );
}
