import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["onnxruntime-node", "onnx-proto", "@ffmpeg-installer/ffmpeg", "busboy"],
};

export default nextConfig;
