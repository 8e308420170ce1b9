"use client";

import { useEffect, useRef } from "react";

/**
 * The top of a view inside a triggers tab (a form, the test request): a way back to
 * the list and the view's title, which takes focus when the view opens.
 */
export function SubviewHeader({
  title,
  backLabel,
  onBack,
}: {
  title: string;
  backLabel: string;
  onBack: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="mb-4 space-y-1">
      <button
        type="button"
        onClick={onBack}
        className="rounded-sm text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
      >
        <span aria-hidden="true">← </span>
        {backLabel}
      </button>
      <h3 ref={heading} tabIndex={-1} className="text-base font-semibold outline-none">
        {title}
      </h3>
    </div>
  );
}
