import type { Metadata } from "next";
import { Outbox } from "@/components/outbox/outbox";

export const metadata: Metadata = { title: "Outbox" };

export default function OutboxPage() {
  return <Outbox />;
}
