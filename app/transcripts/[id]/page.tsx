import type { Metadata } from "next";
import { TranscriptScreen } from "@/components/editor/transcript-screen";

export const metadata: Metadata = { title: "Transcript" };

export default async function TranscriptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TranscriptScreen id={id} />;
}
