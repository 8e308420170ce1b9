"use client";

import { useEffect, useState } from "react";

/** The time in milliseconds, updated every "everyMs" (relative times stay right). */
export function useClock(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
