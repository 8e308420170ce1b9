import type { NextConfig } from "next";

// Built as static files that nginx serves; the API is same-origin under /api/v1.
const nextConfig: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
