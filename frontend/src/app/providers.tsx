"use client";

import * as TooltipPrimitive from "@radix-ui/react-tooltip";
import { QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";

import { makeQueryClient } from "@/api/queryClient";
import { Toaster } from "@/components/ui/Toaster";
import { watchSystemTheme } from "@/store/themeStore";

/** Client-side context for the whole app: the TanStack Query client, tooltips, toasts. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  useEffect(() => watchSystemTheme(), []);
  return (
    <QueryClientProvider client={client}>
      <TooltipPrimitive.Provider>
        {children}
        <Toaster />
      </TooltipPrimitive.Provider>
    </QueryClientProvider>
  );
}
