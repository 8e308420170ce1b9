import { Button } from "./Button";

export interface CreateSampleButtonProps {
  creating: boolean;
  onCreate: () => void;
}

/** The "Create sample workflow" action; the page owns the request and its error. */
export function CreateSampleButton({ creating, onCreate }: CreateSampleButtonProps) {
  return (
    <Button loading={creating} onClick={onCreate}>
      {creating ? null : (
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
        </svg>
      )}
      Create sample workflow
    </Button>
  );
}
