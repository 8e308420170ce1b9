"use client";

import { useState, type FormEvent } from "react";

import { useAgentChat } from "@/api";

import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Textarea } from "../ui/Textarea";
import { ChatReply } from "./ChatReply";

interface Turn {
  message: string;
  executionId: string;
}

/** Talks to a saved agent (POST /agents/{id}/chat) and shows its streamed answers. */
export function AgentChat({ agentId, canChat }: { agentId: string; canChat: boolean }) {
  const [sessionId] = useState(() => crypto.randomUUID());
  const [turns, setTurns] = useState<Turn[]>([]);
  const [text, setText] = useState("");
  const chat = useAgentChat(agentId);

  const send = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (message === "") return;
    chat.mutate(
      { message, session_id: sessionId },
      {
        onSuccess: (ex) => {
          setTurns((t) => [...t, { message, executionId: ex.id }]);
          setText("");
        },
      },
    );
  };

  return (
    <Card aria-labelledby="chat-heading" className="flex h-full min-h-96 flex-col">
      <h2
        id="chat-heading"
        className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold dark:border-zinc-800"
      >
        Chat
      </h2>
      <ol aria-label="Conversation" className="flex-1 space-y-4 overflow-y-auto p-4">
        {turns.length === 0 ? (
          <li className="text-sm text-zinc-500 dark:text-zinc-400">
            Send a message to try the agent with its current saved settings. Answers stream in as
            the model writes them.
          </li>
        ) : null}
        {turns.map((t) => (
          <li key={t.executionId} className="space-y-2">
            <p className="ml-8 rounded-lg bg-indigo-600 px-3 py-2 text-sm text-white dark:bg-indigo-500">
              {t.message}
            </p>
            <div className="mr-8 rounded-lg bg-zinc-100 px-3 py-2 dark:bg-zinc-800">
              <ChatReply executionId={t.executionId} />
            </div>
          </li>
        ))}
      </ol>
      {chat.isError ? (
        <div className="px-4">
          <ProblemAlert error={chat.error} context="The message was not sent" />
        </div>
      ) : null}
      {canChat ? (
        <form
          onSubmit={send}
          className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800"
        >
          <label htmlFor="chat-message" className="sr-only">
            Message
          </label>
          <Textarea
            id="chat-message"
            rows={2}
            className="min-h-0 flex-1"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <Button type="submit" loading={chat.isPending} className="self-end">
            Send
          </Button>
        </form>
      ) : null}
    </Card>
  );
}
