"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";

import type { UsageHour } from "@/api";

import { formatDuration, formatHour } from "./usageFormat";

/* One colour per series, readable on the light and the dark background alike. */
export const SERIES = {
  succeeded: { label: "Succeeded", color: "#10b981" },
  failed: { label: "Failed", color: "#ef4444" },
  cancelled: { label: "Cancelled", color: "#a1a1aa" },
  p50_ms: { label: "p50 duration", color: "#6366f1" },
  p95_ms: { label: "p95 duration", color: "#f59e0b" },
} as const;

function HourTooltip({ active, payload, label }: TooltipContentProps<ValueType, NameType>) {
  if (!active || payload === undefined || payload.length === 0) return null;
  const hour = payload[0]?.payload as UsageHour;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
      <p className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">
        {new Date(String(label)).toLocaleString(undefined, {
          weekday: "short",
          hour: "2-digit",
          minute: "2-digit",
        })}
      </p>
      <ul className="space-y-0.5 text-zinc-700 dark:text-zinc-300">
        <li>
          {SERIES.succeeded.label}: {hour.succeeded}
        </li>
        <li>
          {SERIES.failed.label}: {hour.failed}
        </li>
        <li>
          {SERIES.cancelled.label}: {hour.cancelled}
        </li>
        <li>
          p50 / p95: {formatDuration(hour.p50_ms)} / {formatDuration(hour.p95_ms)}
        </li>
      </ul>
    </div>
  );
}

/** Runs per hour stacked by status (left axis) with the p50 and p95 durations (right axis). */
export function RunsChart({ buckets, week }: { buckets: UsageHour[]; week: boolean }) {
  return (
    <div className="h-72 w-full text-zinc-500 dark:text-zinc-400" data-testid="runs-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="hour"
            tickFormatter={(h: string) => formatHour(h, week)}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            minTickGap={24}
          />
          <YAxis
            yAxisId="runs"
            allowDecimals={false}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            width={40}
          />
          <YAxis
            yAxisId="ms"
            orientation="right"
            tickFormatter={(ms: number) => formatDuration(ms)}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            width={60}
          />
          <Tooltip
            content={HourTooltip}
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            isAnimationActive={false}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {(["succeeded", "failed", "cancelled"] as const).map((k) => (
            <Bar
              key={k}
              yAxisId="runs"
              dataKey={k}
              name={SERIES[k].label}
              stackId="runs"
              fill={SERIES[k].color}
              isAnimationActive={false}
            />
          ))}
          {(["p50_ms", "p95_ms"] as const).map((k) => (
            <Line
              key={k}
              yAxisId="ms"
              dataKey={k}
              name={SERIES[k].label}
              stroke={SERIES[k].color}
              strokeWidth={2}
              dot={{ r: 2.5, strokeWidth: 0, fill: SERIES[k].color }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
