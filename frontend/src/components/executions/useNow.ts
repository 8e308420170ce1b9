"use client";

import { useEffect, useState } from "react";

/** The current time as an ISO string, ticking every second while "running". */
export function useNow(running: boolean): string {
  const [now, setNow] = useState(() => new Date().toISOString());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(new Date().toISOString()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return now;
}
